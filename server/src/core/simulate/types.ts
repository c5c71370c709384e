// The simulation's result: the contract of `hvmem simulate --format json` (spec/format.md) plus the
// documented `series`. The timeline panel and the CLI's --html page render exactly this.

export type StartFailureReason = 'insufficient-memory' | 'smart-paging-disk-full' | 'no-capacity';
export type MoveType = 'live' | 'quick';
/** Why a migration did not happen or did not finish. */
export type MigrationFailureReason = 'no-room' | 'destination-unavailable' | 'not-possible-owner' | 'anti-affinity' | 'vm-not-running' | 'aborted';
/** What a migration is part of: a single move (vmMigrate), a drain, or a failback. */
export type MovePurpose = 'move' | 'drain' | 'failback';

/**
 * What happened, in time order. `host` is where it happened. Events a scenario asks for are echoed
 * with their own type (hostRestart, nodeFailure, nodeDrain, clusterUpdate) when they begin.
 */
export type SimEvent =
  | { t: number; type: 'hostRestart' | 'hostDown' | 'hostUp' | 'nodeFailure' | 'nodeDrain'; host: string }
  | { t: number; type: 'vmStarted'; vm: string; host: string; physicalBytes: number; smartPagingBytes: number; restart: boolean; failover: boolean }
  | { t: number; type: 'vmStartFailed'; vm: string; host: string; reason: StartFailureReason; message: string; restore?: true }
  | { t: number; type: 'vmStopped'; vm: string; host: string }
  /** the VM's memory is written to disk before its host goes down; `seconds` it took */
  | { t: number; type: 'vmSaved'; vm: string; host: string; bytes: number; seconds: number; path: string }
  /** the saved state did not fit its volume: the VM is turned off instead */
  | { t: number; type: 'vmSaveFailed'; vm: string; host: string; bytes: number; path: string; message: string }
  /** a restore from saved state begins, with exactly the memory saved; `seconds` until it runs again */
  | { t: number; type: 'vmRestored'; vm: string; host: string; bytes: number; seconds: number }
  | { t: number; type: 'smartPagingStarted'; vm: string; host: string; bytes: number; path: string }
  | { t: number; type: 'smartPagingEnded'; vm: string; host: string; seconds: number }
  | { t: number; type: 'smartPagingOverTarget'; vm: string; host: string }
  | { t: number; type: 'demand'; vm: string; bytes: number }
  | { t: number; type: 'vmMigrationStarted'; vm: string; from: string; to: string; moveType: MoveType; bytes: number; purpose: MovePurpose }
  /** the move is done (`seconds` it took; 0 for a VM that was off or saved, which only changes owner) */
  | { t: number; type: 'vmMigrated'; vm: string; from: string; to: string; moveType: MoveType; seconds: number; purpose: MovePurpose }
  | { t: number; type: 'vmMigrationFailed'; vm: string; from: string; to?: string; reason: MigrationFailureReason; message: string; purpose: MovePurpose }
  | { t: number; type: 'nodeDrained'; host: string; seconds: number }
  | { t: number; type: 'drainFailed'; host: string; vms: string[] }
  | { t: number; type: 'nodeResumed'; host: string; failback: boolean }
  /** taken offline on `host` to make room for the higher-priority VM `for` */
  | { t: number; type: 'vmPreempted'; vm: string; host: string; for: string }
  | { t: number; type: 'clusterUpdate'; nodes: string[] }
  | { t: number; type: 'clusterUpdateEnded'; ok: boolean; seconds: number; stoppedAt?: string }
  | { t: number; type: 'vmResized'; vm: string; host: string; startupBytes?: number; minimumBytes?: number; maximumBytes?: number }
  | { t: number; type: 'vmResizeFailed'; vm: string; host: string; message: string };

export type SimEventType = SimEvent['type'];
/** The event of one type (the host events share one member, so Extract alone would miss them). */
export type SimEventOf<T extends SimEventType> = SimEvent & { type: T };

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
  /** ends with a saved state on disk (stop action Save, and not restored) */
  saved: boolean;
  /** migrations it finished */
  migrations: number;
  /** times a higher-priority VM took it offline */
  preemptions: number;
  /** how long each start holds its full startup memory before it is balanced (its bootSeconds, in whole ticks) */
  bootSeconds: number;
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
  /** cluster only: the cluster's RootMemoryReserved; the host keeps the larger of it and its reserve (capacity has it) */
  rootMemoryReserved?: number;
  /** paused (drained) at the end */
  paused: boolean;
}

/**
 * Time series, sampled on a shared clock `t` (seconds). Per host: the sum of physical memory held by
 * VMs (with overhead separately), Smart Paging memory, free memory. Per VM: step changes only
 * (a value holds until the next sample), so steady VMs cost a few numbers.
 */
export interface Series {
  t: number[];
  hosts: Record<string, { physical: number[]; overhead: number[]; smartPaging: number[]; free: number[]; incoming: number[] }>;
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
