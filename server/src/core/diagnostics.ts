import type { PlanFix } from './fixes';
import type { Span } from './text';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedInformation { span: Span; message: string }

/** A finding about a plan. Positions are offsets into the plan text; adapters turn them into lines. */
export interface PlanDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  related?: RelatedInformation[];
  /** changes that remove the finding, each checked by simulating the plan with it (scenario findings) */
  fixes?: PlanFix[];
  /** what a scenario or capacity finding is about (the VM, the node), for the advice that works on findings */
  about?: { vm?: string; host?: string };
}

/** Every diagnostic code with its default severity and a one-line meaning (docs/diagnostics.md has the rest). */
export const DIAGNOSTIC_CODES = {
  'syntax': 'The JSONC does not parse.',
  'schema': 'Wrong type, missing required key, unknown key (warning) or a value that is not allowed.',
  'size-invalid': 'A size that cannot be read.',
  'size-suspicious': 'A bare number under 1 MB where bytes are expected: almost always a unit mistake.',
  'duration-invalid': 'A duration that cannot be read.',
  'memory-alignment': 'Not a whole, even number of MB: Hyper-V rejects it as not properly aligned.',
  'memory-floor': 'Under 32 MB.',
  'memory-order': 'Dynamic Memory needs minimum ≤ startup ≤ maximum.',
  'memory-vm-limit': 'Over the per-VM memory limit of the VM\'s generation.',
  'buffer-range': 'Buffer outside 5..2000 percent.',
  'priority-range': 'Priority (memory weight) outside 0..100.',
  'dynamic-only': 'Minimum, maximum or buffer on a VM without Dynamic Memory: Hyper-V ignores them.',
  'duplicate-name': 'Two hosts or two VMs share a name.',
  'unknown-reference': 'A host or VM name that does not exist.',
  'startup-exceeds-host': 'Startup memory plus overhead exceeds the host\'s capacity: the VM can never start.',
  'numa-fit': 'NUMA spanning is off and the startup memory is over one NUMA node.',
  'restart-smart-paging': 'In the plan\'s scenario the VM restarts on Smart Paging.',
  'restart-failure': 'In the plan\'s scenario a start or restart of the VM fails.',
  'smart-paging-over-target': 'Smart Paging stays in use longer than the target.',
  'smart-paging-disk': 'The Smart Paging folder\'s volume has less free space than the worst-case Smart Paging file.',
  'smart-paging-system-drive': 'Minimum below startup and the Smart Paging folder is on the system drive.',
  'saved-state-disk': 'Saved-state reservations (stop action Save) exceed the volume\'s free space.',
  'failover-capacity': 'Losing one named node leaves this VM unable to start anywhere (or preempted by a higher-priority VM).',
  'memory-pressure': 'In the plan\'s scenario the VM ends short of its guest\'s demand (pressure above 100 %): the guest pages inside itself.',
  'resize-refused': 'In the plan\'s scenario Hyper-V refuses a runtime resize (vmResize), or can only do part of it.',
  'migration-refused': 'In the plan\'s scenario a vmMigrate cannot be done: no room, the destination is paused or not a possible owner.',
  'drain-failure': 'In the plan\'s scenario a drain cannot move this VM: the drain fails and the node stays paused with the VM on it.',
  'failback-failure': 'In the plan\'s scenario failback cannot move this VM back to its node.',
  'cluster-update-failure': 'In the plan\'s scenario the rolling update stops: a node\'s drain fails.',
  'preempted': 'In the plan\'s scenario the cluster takes this VM offline to make room for a higher-priority VM.',
  'possible-owner': 'A clustered VM is placed on a node that is not one of its possible owners.',
  'anti-affinity': 'Two VMs of one anti-affinity class are placed on one cluster node.',
  'event-after-end': 'A scenario event happens after the scenario ends, so it is never simulated.',
  'page-sharing-scan': 'A host\'s page sharing what-if names a scan result that cannot be read or has no figures for the page size asked: no sharing is assumed.',
  'scenario-event': 'An event that does not fit its type: a missing or unexpected field, or nodeFailure without a cluster.',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
