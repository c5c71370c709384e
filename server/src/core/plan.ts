// The typed plan: what a plan file says, with defaults applied and every value's place in the text.
import type { Span } from './text';
import type { CLUSTER_PRIORITIES, START_ACTIONS, STOP_ACTIONS, VM_OVERHEADS, VM_STATES } from './schema';
import type { PlanEvent } from './events';

export type { EventType, PlanEvent } from './events';

/** Where a key and its value were written. */
export interface FieldSpans { key: Span; value: Span }

/** For each dotted field path that was written ("name", "memory.startup"), its place. Absent: defaulted. */
export type Spans = Record<string, FieldSpans | undefined>;

export type StartAction = typeof START_ACTIONS[number];
export type StopAction = typeof STOP_ACTIONS[number];
export type VmState = typeof VM_STATES[number];
export type ClusterPriority = typeof CLUSTER_PRIORITIES[number];
export type VmOverhead = typeof VM_OVERHEADS[number];

export interface Volume { name: string; freeBytes: number; spans: FieldSpans }

export interface Host {
  index: number;
  name: string;
  memoryBytes: number;
  reserveBytes: number;
  vmOverhead: VmOverhead;
  numaNodes: number;
  numaSpanning: boolean;
  systemDrive: string;
  /** what-if: percent of VM memory identical-page sharing would save (0: none, as Hyper-V) */
  pageSharingPercent: number;
  /** when `pageSharing` names a scan result file: which figure of it was asked for */
  pageSharingScan?: PageSharingScan;
  /** simultaneous live migrations from or to this host */
  maxMigrations: number;
  /** undefined when the plan gives no free-space figures: disk checks are skipped */
  volumes?: Volume[];
  /** the whole host object */
  span: Span;
  spans: Spans;
  /** fields whose written value could not be read; rules leave them alone */
  invalid: Set<string>;
}

/** A host's `pageSharing` written as { "scan", "pageSize", "zeroPages" }. */
export interface PageSharingScan {
  /** the path as written in the plan */
  path: string;
  pageSizeBytes: number;
  zeroPages: boolean;
  /** false when the file could not be read as a scan result: no sharing is applied (and a diagnostic says why) */
  applied: boolean;
}

export interface DemandStep { atSeconds: number; bytes: number }

export interface Vm {
  index: number;
  name: string;
  /** name of the host it runs on ('' when it cannot be told) */
  host: string;
  generation: 1 | 2;
  dynamic: boolean;
  startupBytes: number;
  /** for a static VM, equal to startup whatever the file says */
  minimumBytes: number;
  /** for a static VM, equal to startup whatever the file says */
  maximumBytes: number;
  bufferPercent: number;
  priority: number;
  state: VmState;
  automaticStartAction: StartAction;
  automaticStartDelaySeconds: number;
  automaticStopAction: StopAction;
  /** the configuration folder: saved state goes here */
  configurationPath: string;
  smartPagingFilePath: string;
  clusterPriority: ClusterPriority;
  /** cluster nodes it may run on; undefined: every node */
  possibleOwners?: string[];
  /** cluster nodes tried first, in order */
  preferredOwners: string[];
  /** anti-affinity class names */
  antiAffinityClasses: string[];
  /** demand over time, sorted by time, first step at 0 */
  demand: DemandStep[];
  bootSeconds: number;
  span: Span;
  spans: Spans;
  invalid: Set<string>;
}

export interface Scenario {
  durationSeconds: number;
  events: PlanEvent[];
  /** true when the plan has no scenario and the default (every host restarts at t = 0) applies */
  implicit: boolean;
  spans: Spans;
}

export interface Cluster {
  name: string;
  rootMemoryReservedBytes: number;
  /** VMs of this priority or higher live-migrate when a node is drained */
  moveTypeThreshold: Exclude<ClusterPriority, 'NoAutoStart'>;
  enforcedAntiAffinity: boolean;
  spans: Spans;
}

export interface ModelParameters {
  tickSeconds: number;
  bootSeconds: number;
  hostBootSeconds: number;
  addRatePerSecond: number;
  removeRatePerSecond: number;
  smartPagingTargetSeconds: number;
  smartPagingRequiresMinimum: boolean;
  smartPagingRequiresDisk: boolean;
  saveRestoreBytesPerSecond: number;
  migrationBytesPerSecond: number;
  clusterRetrySeconds: number;
}

export interface Plan {
  hosts: Host[];
  vms: Vm[];
  cluster?: Cluster;
  scenario: Scenario;
  model: ModelParameters;
  spans: Spans;
}
