import type { Rule } from './rule';
import type { Host, Vm } from '../plan';
import { onDrive, volumeOf, worstSmartPagingBytes } from '../capacity';
import { diagnostic, mb, placeOf } from './util';

/** The disk side of restarts: where Smart Paging files and saved states land, and whether they fit. */
export const disks: Rule = {
  codes: ['smart-paging-system-drive', 'smart-paging-disk', 'saved-state-disk'],
  /** Smart Paging: one VM's worst-case file against its host's volumes. */
  checkVm(vm, { hostsByName, report }) {
    const host = hostsByName.get(vm.host);
    if (!host || vm.invalid.has('memory.startup')) return;
    const worst = worstSmartPagingBytes(vm);
    if (worst <= 0) return;
    const place = placeOf(vm.spans, 'smartPagingFilePath', vm.span);
    if (onDrive(vm.smartPagingFilePath, host.systemDrive)) {
      report(diagnostic('smart-paging-system-drive', 'warning',
        `Minimum memory (${mb(vm.minimumBytes)}) is below startup (${mb(vm.startupBytes)}), so a restart may need a Smart Paging file of up to ${mb(worst)}, and its folder ${vm.spans.smartPagingFilePath ? '' : '(the default) '}is on the system drive ${host.systemDrive}. Best practice: set "smartPagingFilePath" to a folder on another volume.`,
        place));
    }
    const volume = volumeOf(host.volumes, vm.smartPagingFilePath);
    if (volume && volume.freeBytes < worst) {
      report(diagnostic('smart-paging-disk', 'warning',
        `The worst-case Smart Paging file (startup − minimum = ${mb(worst)}) does not fit the ${mb(volume.freeBytes)} free on ${volume.name} of host "${host.name}": a restart short of memory would fail. Free space there, or move "smartPagingFilePath" to a larger volume.`,
        place, [{ span: volume.spans.value, message: `free space on ${volume.name}` }]));
    }
  },
  /** Saved states: every VM with stop action Save on a volume, added up. */
  check({ plan, hostsByName, report }) {
    const savedByVolume = new Map<Host, Map<string, { bytes: number; vms: Vm[] }>>();
    for (const vm of plan.vms) {
      if (vm.automaticStopAction !== 'Save' || vm.invalid.has('memory.startup')) continue;
      const host = hostsByName.get(vm.host);
      if (host?.volumes) {
        const v = volumeOf(host.volumes, vm.configurationPath);
        if (v) {
          const perHost = savedByVolume.get(host) ?? new Map();
          savedByVolume.set(host, perHost);
          const entry = perHost.get(v.name) ?? { bytes: 0, vms: [] };
          entry.bytes += savedStateBytes(vm);
          entry.vms.push(vm);
          perHost.set(v.name, entry);
        }
      }
    }
    for (const [host, perVolume] of savedByVolume) {
      for (const [name, { bytes, vms }] of perVolume) {
        const volume = host.volumes!.find((v) => v.name === name)!;
        if (bytes <= volume.freeBytes) continue;
        const listed = vms.slice(0, 5).map((v) => v.name).join(', ') + (vms.length > 5 ? ', …' : '');
        report(diagnostic('saved-state-disk', 'warning',
          `${vms.length} VM${vms.length > 1 ? 's' : ''} with stop action Save (${listed}) reserve ${mb(bytes)} for saved state on ${name}, more than its ${mb(volume.freeBytes)} free. Free space, or use "automaticStopAction": "ShutDown" for some.`,
          volume.spans.key));
      }
    }
  },
};

/** A saved state holds the VM's memory: static, its startup; dynamic, the most it may hold per its demand. */
function savedStateBytes(vm: Vm): number {
  if (!vm.dynamic) return vm.startupBytes;
  const peakDemand = Math.max(...vm.demand.map((d) => d.bytes));
  const target = Math.min(vm.maximumBytes, Math.max(vm.minimumBytes, Math.ceil(peakDemand * (1 + vm.bufferPercent / 100))));
  return Math.max(vm.startupBytes, target);
}
