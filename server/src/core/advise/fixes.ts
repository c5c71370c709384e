// Fixes for one finding: for each kind of change that applies to it, the smallest one that removes the
// finding without adding an error, each checked by simulating the plan with that change alone.
import { hostCapacityBytes, startNeedBytes, vmMemoryLimitBytes } from '../capacity';
import { own } from '../records';
import type { ClusterPriority, Plan, StopAction, Vm } from '../plan';
import { CLUSTER_PRIORITIES, STOP_ACTIONS } from '../schema';
import { GB, MB } from '../units';
import { applyChange, memoryAdded, vmsTouched, type Change } from './changes';
import type { Evaluator, Finding } from './evaluate';
import { smallestSteps } from './search';

/** Kinds of change each finding is searched for (the contract's kinds, and the cluster's). */
const KINDS: Record<string, readonly Change['kind'][]> = {
  'restart-smart-paging': ['hostMemory', 'vmStartup', 'startDelay', 'stopAction', 'moveVm'],
  'restart-failure': ['hostMemory', 'vmStartup', 'vmMinimum', 'startDelay', 'stopAction', 'moveVm'],
  'smart-paging-over-target': ['hostMemory', 'vmStartup', 'moveVm'],
  'memory-pressure': ['hostMemory', 'vmMaximum', 'vmStartup', 'moveVm'],
  'saved-state-disk': ['stopAction'],
  'failover-capacity': ['hostMemory', 'vmStartup', 'moveVm', 'clusterPriority'],
  'drain-failure': ['hostMemory', 'vmStartup', 'possibleOwners'],
  'cluster-update-failure': ['hostMemory', 'vmStartup', 'possibleOwners'],
  'failback-failure': ['hostMemory'],
  'preempted': ['hostMemory', 'clusterPriority', 'moveVm'],
  'startup-exceeds-host': ['hostMemory', 'vmStartup', 'moveVm'],
  'numa-fit': ['hostMemory', 'vmStartup', 'moveVm'],
};

export interface Fix {
  change: Change;
  /** the codes the finding had that this change removes (the finding's own, at least) */
  resolves: string[];
}

export interface FixOptions {
  /** stop early when this says so (the editor: the document changed) */
  cancelled?: () => boolean;
  /** at most this many candidate hosts per host-memory or move search (the best placed first) */
  maxHosts?: number;
}

/** Host memory, in whole GB, is searched up to this many times the memory the host's VMs start with. */
const HOST_MEMORY_SEARCH_FACTOR = 2;

export function fixesFor(ev: Evaluator, finding: Finding, options: FixOptions = {}): Fix[] {
  const plan = ev.base;
  const vm = finding.vm !== undefined ? plan.vms.find((v) => v.name === finding.vm) : undefined;
  const baseFindings = ev.findings(plan, '');
  const baseErrors = new Set(baseFindings.filter((f) => f.severity === 'error').map((f) => f.key));
  const baseKeys = new Set(baseFindings.map((f) => f.key));
  const siblings = new Set(baseFindings.filter((f) => f.vm === finding.vm && f.diagnostic).map((f) => f.code));
  const out: Fix[] = [];
  /** Does the change remove the finding without adding an error? Memoised by the change. */
  // The loss of each node in turn is asked only when the finding is about it (it is never an error).
  const failover = finding.code === 'failover-capacity';
  const works = (c: Change, hosts: readonly string[]): boolean => {
    if (options.cancelled?.()) throw new Cancelled();
    const after = ev.findings(applyChange(plan, c), JSON.stringify(c), hosts, failover);
    if (after.some((f) => f.key === finding.key)) return false;
    // No new error, and the same trouble not moved to another VM (a preemption of the next VM instead).
    return !after.some((f) => (f.severity === 'error' && !baseErrors.has(f.key)) || (f.code === finding.code && !baseKeys.has(f.key)));
  };
  const resolves = (c: Change, hosts: readonly string[]) => {
    const after = new Set(ev.findings(applyChange(plan, c), JSON.stringify(c), hosts, failover || siblings.has('failover-capacity')).filter((f) => f.vm === finding.vm).map((f) => f.code));
    return [...siblings].filter((code) => !after.has(code)).sort();
  };
  const add = (c: Change | undefined, hosts: readonly string[]) => { if (c) out.push({ change: c, resolves: resolves(c, hosts) }); };
  const maxHosts = options.maxHosts ?? 3;

  // A guest short of memory because its VM holds all it may (its maximum, or a static VM's memory): only
  // a larger VM helps, not more room around it.
  const capped = finding.code === 'memory-pressure' && vm !== undefined && heldAll(ev, vm);
  for (const kind of KINDS[finding.code] ?? []) {
    if (capped && (kind === 'hostMemory' || kind === 'moveVm')) continue;
    if (kind === 'hostMemory') {
      for (const host of memoryHosts(plan, finding, vm).slice(0, maxHosts)) add(moreHostMemory(plan, host, works), [host]);
    } else if (vm && kind === 'vmStartup' && finding.code === 'memory-pressure') {
      if (!vm.dynamic) add(moreMemory(ev, vm, 'vmStartup', works), [vm.host]);
    } else if (vm && kind === 'vmMaximum') {
      if (vm.dynamic) add(moreMemory(ev, vm, 'vmMaximum', works), [vm.host]);
    } else if (vm && kind === 'vmStartup') {
      add(lowerStartup(plan, vm, works), [vm.host]);
    } else if (vm && kind === 'vmMinimum' && vm.dynamic) {
      add(lowerMinimum(vm, works), [vm.host]);
    } else if (vm && kind === 'startDelay') {
      add(laterStart(plan, vm, works), [vm.host]);
    } else if (vm && kind === 'stopAction') {
      for (const to of STOP_ACTIONS) {
        if (to === vm.automaticStopAction) continue;
        const c: Change = { kind: 'stopAction', target: vm.name, from: vm.automaticStopAction, to: to as StopAction };
        if (works(c, [vm.host])) add(c, [vm.host]);
      }
    } else if (vm && kind === 'moveVm') {
      for (const to of moveTargets(plan, vm).slice(0, maxHosts)) {
        const c: Change = { kind: 'moveVm', target: vm.name, from: vm.host, to };
        if (works(c, [vm.host, to])) add(c, [vm.host, to]);
      }
    } else if (vm && kind === 'possibleOwners' && vm.possibleOwners) {
      for (const h of plan.hosts.map((x) => x.name).filter((n) => !vm.possibleOwners!.includes(n))) {
        const c: Change = { kind: 'possibleOwners', target: vm.name, from: vm.possibleOwners, to: [...vm.possibleOwners, h] };
        if (works(c, [])) add(c, []);
      }
    } else if (vm && kind === 'clusterPriority' && plan.cluster) {
      const rank = CLUSTER_PRIORITIES.indexOf(vm.clusterPriority);
      for (const to of CLUSTER_PRIORITIES.slice(0, rank).reverse()) {
        const c: Change = { kind: 'clusterPriority', target: vm.name, from: vm.clusterPriority, to: to as ClusterPriority };
        if (works(c, [])) { add(c, []); break; }
      }
    }
  }
  return rank(out);
}

export class Cancelled extends Error {}

/** Fewest VMs touched, then least memory added, then the order the kinds are listed in. */
function rank(fixes: Fix[]): Fix[] {
  const order: Change['kind'][] = ['hostMemory', 'vmStartup', 'vmMinimum', 'vmMaximum', 'startDelay', 'stopAction', 'moveVm', 'possibleOwners', 'clusterPriority'];
  return fixes
    .map((f, i) => ({ f, i }))
    .sort((a, b) => vmsTouched(a.f.change) - vmsTouched(b.f.change) || memoryAdded(a.f.change) - memoryAdded(b.f.change)
      || order.indexOf(a.f.change.kind) - order.indexOf(b.f.change.kind) || a.i - b.i)
    .map(({ f }) => f);
}

/**
 * Hosts whose memory could remove the finding: its own; for a VM that must find room on another node
 * (a drain), the nodes it may run on, the roomiest first; for a preemption or a failover, its node, then those.
 */
function memoryHosts(plan: Plan, finding: Finding, vm: Vm | undefined): string[] {
  const own = finding.host ?? vm?.host;
  const elsewhere = ['drain-failure', 'cluster-update-failure'].includes(finding.code);
  if (!plan.cluster || (!elsewhere && finding.code !== 'preempted' && finding.code !== 'failover-capacity')) return own ? [own] : [];
  const others = plan.hosts
    .filter((h) => h.name !== own && (!vm?.possibleOwners || vm.possibleOwners.includes(h.name)))
    .sort((a, b) => room(plan, b) - room(plan, a))
    .map((h) => h.name);
  // A failover-capacity finding can be a preemption on the VM's own node: that node first, then the others.
  return elsewhere || !own ? others : [own, ...others];
}

/** Memory for VMs a host has left once its running VMs have started (a rough order, not an answer). */
function room(plan: Plan, host: Plan['hosts'][number]): number {
  return hostCapacityBytes(host, plan.cluster) - plan.vms.filter((v) => v.host === host.name && v.state === 'Running').reduce((s, v) => s + startNeedBytes(host, v), 0);
}

function moreHostMemory(plan: Plan, name: string, works: (c: Change, hosts: readonly string[]) => boolean): Change | undefined {
  const host = plan.hosts.find((h) => h.name === name);
  if (!host) return undefined;
  const committed = plan.vms.filter((v) => v.host === name).reduce((s, v) => s + startNeedBytes(host, v), 0);
  const maxSteps = Math.max(1, Math.ceil((HOST_MEMORY_SEARCH_FACTOR * committed + host.reserveBytes) / GB));
  const from = host.memoryBytes;
  const change = (n: number): Change => ({ kind: 'hostMemory', target: name, from, to: from + n * GB });
  const guess = Math.max(1, Math.ceil(-room(plan, host) / GB));
  const found = smallestSteps(maxSteps, (n) => works(change(n), [name]), guess);
  return found && change(found.steps);
}

function lowerStartup(plan: Plan, vm: Vm, works: (c: Change, hosts: readonly string[]) => boolean): Change | undefined {
  // Down to its minimum (Dynamic Memory) or to 32 MB, in even MB; never below what its minimum allows.
  const floor = vm.dynamic ? Math.max(32 * MB, vm.minimumBytes) : 32 * MB;
  const maxSteps = Math.floor((vm.startupBytes - floor) / (2 * MB));
  const change = (n: number): Change => ({ kind: 'vmStartup', target: vm.name, from: vm.startupBytes, to: vm.startupBytes - n * 2 * MB });
  const host = plan.hosts.find((h) => h.name === vm.host);
  const guess = host && room(plan, host) < 0 ? Math.ceil(-room(plan, host) / (2 * MB)) : 1;
  const found = smallestSteps(maxSteps, (n) => works(change(n), [vm.host]), guess);
  return found && change(found.steps);
}

/** Whether the VM ends the base scenario holding all the memory it may: its maximum, or a static VM's startup. */
function heldAll(ev: Evaluator, vm: Vm): boolean {
  const end = ev.baseResult && own(ev.baseResult.vms, vm.name);
  return !!end && end.assignedBytes + end.smartPagingBytes >= (vm.dynamic ? vm.maximumBytes : vm.startupBytes);
}

/**
 * A larger maximum (Dynamic Memory) or startup (static), in 2 MB steps up to the per-VM limit, from a
 * first guess of what the guest asks at the end of the base scenario.
 */
function moreMemory(ev: Evaluator, vm: Vm, kind: 'vmMaximum' | 'vmStartup', works: (c: Change, hosts: readonly string[]) => boolean): Change | undefined {
  const from = kind === 'vmMaximum' ? vm.maximumBytes : vm.startupBytes;
  const maxSteps = Math.floor((vmMemoryLimitBytes(vm.generation) - from) / (2 * MB));
  const change = (n: number): Change => ({ kind, target: vm.name, from, to: from + n * 2 * MB });
  const end = ev.baseResult && own(ev.baseResult.vms, vm.name);
  const guess = end ? Math.ceil((end.demandBytes - from) / (2 * MB)) : 1;
  const found = smallestSteps(maxSteps, (n) => works(change(n), [vm.host]), guess);
  return found && change(found.steps);
}

function lowerMinimum(vm: Vm, works: (c: Change, hosts: readonly string[]) => boolean): Change | undefined {
  const maxSteps = Math.floor((vm.minimumBytes - 32 * MB) / (2 * MB));
  const change = (n: number): Change => ({ kind: 'vmMinimum', target: vm.name, from: vm.minimumBytes, to: vm.minimumBytes - n * 2 * MB });
  const found = smallestSteps(maxSteps, (n) => works(change(n), [vm.host]));
  return found && change(found.steps);
}

function laterStart(plan: Plan, vm: Vm, works: (c: Change, hosts: readonly string[]) => boolean): Change | undefined {
  const maxSteps = Math.floor(plan.scenario.durationSeconds - vm.automaticStartDelaySeconds);
  const change = (n: number): Change => ({ kind: 'startDelay', target: vm.name, from: vm.automaticStartDelaySeconds, to: vm.automaticStartDelaySeconds + n });
  const found = smallestSteps(maxSteps, (n) => works(change(n), [vm.host]), vm.bootSeconds);
  return found && change(found.steps);
}

/** Other hosts the VM may be placed on, the roomiest first. */
function moveTargets(plan: Plan, vm: Vm): string[] {
  return plan.hosts
    .filter((h) => h.name !== vm.host && (!vm.possibleOwners || vm.possibleOwners.includes(h.name)))
    .filter((h) => room(plan, h) >= startNeedBytes(h, vm))
    .sort((a, b) => room(plan, b) - room(plan, a))
    .map((h) => h.name);
}
