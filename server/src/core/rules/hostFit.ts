import type { Rule } from './rule';
import { placementFloorBytes, vmOverheadBytes } from '../capacity';
import { diagnostic, mb } from './util';

/**
 * A VM whose startup memory (plus overhead) cannot fit its host can never start; with NUMA spanning off
 * it must fit one node. The arithmetic is the simulator's: installed memory less the reserve (on a
 * cluster node, the larger of it and RootMemoryReserved), split evenly over the NUMA nodes.
 */
export const hostFit: Rule = {
  codes: ['startup-exceeds-host', 'numa-fit'],
  checkVm(vm, { hostsByName, cluster, report }) {
    const host = hostsByName.get(vm.host);
    const span = vm.spans['memory.startup']?.value;
    if (!host || !span || vm.invalid.has('memory.startup') || host.invalid.has('memory') || !host.spans.memory) return;
    const overhead = vmOverheadBytes(host, vm.startupBytes);
    const floor = placementFloorBytes(host, cluster);
    const capacity = Math.max(0, host.memoryBytes - floor);
    const kept = floor > host.reserveBytes ? `${mb(floor)} cluster RootMemoryReserved` : `${mb(host.reserveBytes)} reserve`;
    const related = () => [{ span: host.spans.memory!.value, message: `host "${host.name}": ${mb(host.memoryBytes)} installed, ${kept}` }];
    const need = vm.startupBytes + overhead;
    const about = { vm: vm.name, host: host.name };
    const withOverhead = overhead ? ` plus ${mb(overhead)} overhead` : '';
    if (need > capacity) {
      report({ ...diagnostic('startup-exceeds-host', 'error',
        `Startup memory ${mb(vm.startupBytes)}${withOverhead} exceeds host "${host.name}"'s capacity for VMs (${mb(capacity)} = ${mb(host.memoryBytes)} − ${kept}): this VM can never start there. Lower the startup memory to at most ${mb(Math.max(0, capacity - overhead))}, or place it on a larger host.`,
        span, related()), about });
    } else if (!host.numaSpanning && host.numaNodes > 1) {
      const node = Math.floor(capacity / host.numaNodes);
      if (need > node) {
        report({ ...diagnostic('numa-fit', 'error',
          `NUMA spanning is off on host "${host.name}", so the VM must get its memory inside one NUMA node (${mb(node)} for VMs = (${mb(host.memoryBytes)} − ${kept}) / ${host.numaNodes}); startup memory ${mb(vm.startupBytes)}${withOverhead} does not fit. Lower it to at most ${mb(Math.max(0, node - overhead))}, or turn NUMA spanning on.`,
          span, host.spans.numaSpanning ? [{ span: host.spans.numaSpanning.value, message: 'NUMA spanning is off here' }] : related()), about });
      }
    }
  },
};
