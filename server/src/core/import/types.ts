// What every importer produces: VMs and hosts with only the values the source states (or that the
// source's own tool applies by default, said in a note), each with where it came from.
import type { ClusterPriority, StartAction, StopAction, VmState } from '../plan';

/** Where something was read: the input's name, and a 1-based line when the format has lines. */
export interface Origin {
  file: string;
  line?: number;
  /** what in the file: "object 2", "resource hyperv_machine_instance.web", "New-VM" … */
  what?: string;
}

export type NoteSeverity = 'warning' | 'information';

/** A value left out or worth a look, said once, pointing at its place in the source. */
export interface ImportNote extends Origin {
  severity: NoteSeverity;
  message: string;
  /** the VM the note is about, when there is one: the plan shows it as a comment above the VM */
  vm?: string;
}

export interface ImportedVm {
  name: string;
  origins: Origin[];
  host?: string;
  generation?: number;
  dynamic?: boolean;
  startupBytes?: number;
  minimumBytes?: number;
  maximumBytes?: number;
  bufferPercent?: number;
  priority?: number;
  state?: VmState;
  automaticStartAction?: StartAction;
  automaticStartDelaySeconds?: number;
  automaticStopAction?: StopAction;
  smartPagingFilePath?: string;
  demandBytes?: number;
  /** measured demand over time (seconds from the start of the measurement), instead of one size */
  demandSteps?: { atSeconds: number; bytes: number }[];
  clusterPriority?: ClusterPriority;
  possibleOwners?: string[];
  preferredOwners?: string[];
  /** one anti-affinity class, or several */
  antiAffinityClass?: string | string[];
}

export interface ImportedCluster {
  name?: string;
  origin: Origin;
  rootMemoryReservedBytes?: number;
  moveTypeThreshold?: 'High' | 'Medium' | 'Low';
  enforcedAntiAffinity?: boolean;
  /** every node, when the source lists them: possible owners equal to all of them are the default */
  nodes?: string[];
}

export interface ImportedHost {
  name: string;
  origin: Origin;
  memoryBytes?: number;
  reserveBytes?: number;
  numaNodes?: number;
  numaSpanning?: boolean;
  systemDrive?: string;
  /** free bytes per volume ("C:", "D:\\ClusterStorage\\Volume1") */
  volumes?: Record<string, number>;
}

/** What one importer found in one input. */
export interface SourceResult {
  vms: ImportedVm[];
  hosts: ImportedHost[];
  notes: ImportNote[];
  cluster?: ImportedCluster;
}

export const emptyResult = (): SourceResult => ({ vms: [], hosts: [], notes: [] });

/** The fields of an ImportedVm that carry settings (everything but identity and origin). */
export type VmSetting = Exclude<keyof ImportedVm, 'name' | 'origins'>;
