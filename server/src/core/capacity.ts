// Host arithmetic shared by the rules, the hovers and the simulator.
import type { Cluster, Host, Vm } from './plan';
import { GB, MB, TB } from './units';

/** Memory a host can give to VMs: installed memory less the root reserve (on a cluster node, the placement floor). */
export function hostCapacityBytes(host: Host, cluster?: Pick<Cluster, 'rootMemoryReservedBytes'>): number {
  return Math.max(0, host.memoryBytes - placementFloorBytes(host, cluster));
}

/**
 * The memory a host keeps for itself: its reserve, and on a cluster node at least the cluster's
 * RootMemoryReserved. Both protect the same root memory, so the larger counts; they are not added.
 */
export function placementFloorBytes(host: Pick<Host, 'reserveBytes'>, cluster?: Pick<Cluster, 'rootMemoryReservedBytes'>): number {
  return Math.max(host.reserveBytes, cluster?.rootMemoryReservedBytes ?? 0);
}

/**
 * Memory a host can give to VMs in the simulation: installed memory less the placement floor, with the
 * plan's page sharing what-if: when sharing saves a share s of what VMs hold, the host holds that
 * ÷ (1 − s) of VM memory [model: overhead is counted as shareable too, a small overstatement]. Whole
 * bytes, rounded down.
 */
export function simulatedCapacityBytes(host: Host, cluster?: Cluster): number {
  const capacity = hostCapacityBytes(host, cluster);
  return Math.floor(capacity / (1 - host.pageSharingPercent / 100));
}

/** What a running VM holding `memoryBytes` costs the host beyond that memory. */
export function vmOverheadBytes(host: Pick<Host, 'vmOverhead'>, memoryBytes: number): number {
  if (host.vmOverhead === 'none' || memoryBytes <= 0) return 0;
  // Planning rule of thumb: 32 MB for the first GB plus 8 MB for each further (started) GB.
  return 32 * MB + 8 * MB * Math.max(0, Math.ceil(memoryBytes / GB) - 1);
}

/** What starting the VM needs from its host: startup memory plus overhead. */
export function startNeedBytes(host: Pick<Host, 'vmOverhead'>, vm: Pick<Vm, 'startupBytes'>): number {
  return vm.startupBytes + vmOverheadBytes(host, vm.startupBytes);
}


/** The per-VM memory limit of a generation (Windows Server 2016 and later). */
export function vmMemoryLimitBytes(generation: 1 | 2): number {
  return generation === 1 ? 1 * TB : 12 * TB;
}

/** Worst-case Smart Paging file: the part of startup memory that physical memory may not cover. */
export function worstSmartPagingBytes(vm: Vm): number {
  return vm.dynamic ? Math.max(0, vm.startupBytes - vm.minimumBytes) : 0;
}

/** The volume holding a path: the longest key that prefixes it, case-insensitive. */
export function volumeOf<V extends { name: string }>(volumes: readonly V[] | undefined, path: string): V | undefined {
  if (!volumes) return undefined;
  const p = path.toLowerCase();
  let best: V | undefined;
  for (const v of volumes) {
    if (p.startsWith(v.name.toLowerCase()) && (!best || v.name.length > best.name.length)) best = v;
  }
  return best;
}

/** Whether a path lies on the given drive ("C:"), case-insensitive. */
export function onDrive(path: string, drive: string): boolean {
  return path.toLowerCase().startsWith(drive.toLowerCase());
}
