// The simulation's result: the contract of `hvmem simulate --format json` (spec/format.md) plus the
// documented `series`. The timeline panel and the CLI's --html page render exactly this.

export type StartFailureReason = 'insufficient-memory' | 'smart-paging-disk-full' | 'no-capacity';

export type SimEvent =
  | { t: number; type: 'hostRestart' | 'hostUp' | 'nodeFailure'; host: string }
  | { t: number; type: 'vmStarted'; vm: string; host: string; physicalBytes: number; smartPagingBytes: number; restart: boolean; failover: boolean }
  | { t: number; type: 'vmStartFailed'; vm: string; host: string; reason: StartFailureReason; message: string }
  | { t: number; type: 'vmStopped'; vm: string; host: string }
  | { t: number; type: 'smartPagingStarted'; vm: string; host: string; bytes: number; path: string }
  | { t: number; type: 'smartPagingEnded'; vm: string; host: string; seconds: number }
  | { t: number; type: 'smartPagingOverTarget'; vm: string; host: string }
  | { t: number; type: 'demand'; vm: string; bytes: number };

export interface VmSummary {
  host: string;
  starts: number;
  startFailures: number;
  running: boolean;
  /** physical memory held at the end */
  assignedBytes: number;
  /** the guest's demand at the end; above assignedBytes + Smart Paging, the guest pages inside itself */
  demandBytes: number;
  /** Smart Paging memory held at the end */
  smartPagingBytes: number;
  smartPagingPeakBytes: number;
  smartPagingSeconds: number;
  smartPagingPath?: string;
  /** the reason of the last failed start, if any */
  lastFailure?: string;
}

export interface HostSummary {
  memory: number;
  capacity: number;
  reserve: number;
  failed: boolean;
  /** most physical memory (with overhead) held by VMs at any tick */
  peakBytes: number;
  /** most Smart Paging memory in use at once */
  peakSmartPagingBytes: number;
  /** cluster only: the cluster's RootMemoryReserved, which a failover start must leave free on this node */
  rootMemoryReserved?: number;
}

/**
 * Time series, sampled on a shared clock `t` (seconds). Per host: the sum of physical memory held by
 * VMs (with overhead separately), Smart Paging memory, free memory. Per VM: step changes only
 * (a value holds until the next sample), so steady VMs cost a few numbers.
 */
export interface Series {
  t: number[];
  hosts: Record<string, { physical: number[]; overhead: number[]; smartPaging: number[]; free: number[] }>;
  vms: Record<string, { t: number[]; host: number[]; physical: number[]; smartPaging: number[]; demand: number[] }>;
  /** host names in the order `vms[*].host` indexes them */
  hostNames: string[];
}

export interface SimulationResult {
  duration: number;
  events: SimEvent[];
  vms: Record<string, VmSummary>;
  hosts: Record<string, HostSummary>;
  series: Series;
}
