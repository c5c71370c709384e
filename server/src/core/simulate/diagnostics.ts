// Diagnostics from the scenario: the same engine `hvmem simulate` runs, its outcome pinned to the plan
// (a VM's name, its configuration folder, the event). `failover-capacity` runs one more short trial per
// cluster node: that node fails at t = 0 and the others must take its VMs.
import type { PlanDiagnostic, Severity } from '../diagnostics';
import type { PlanFix } from '../fixes';
import type { Plan, Vm } from '../plan';
import { own } from '../records';
import type { Span } from '../text';
import { formatBytes, formatClock, formatDuration } from '../units';
import { Engine } from './engine';
import { simulate, simulationRefusal } from './index';
import type { SimEvent, SimEventOf, SimEventType, SimulationResult } from './types';

/** Plans up to this many VMs get quick fixes checked by simulating the plan with each one applied. */
export const VERIFIED_FIX_MAX_VMS = 1000;
/** At most this many VMs get a fix checked this way per analysis (each costs one simulation). */
const VERIFIED_FIX_MAX_CHECKS = 12;

export interface ScenarioDiagnosticsOptions {
  /** the loss of each cluster node in turn (`failover-capacity`); default true */
  failover?: boolean;
  /** the stop action Save fix checked by one more simulation per VM; default true */
  verifiedFixes?: boolean;
}

/** The scenario's diagnostics; `result` is the plan's simulation when the caller has already run it (without series). */
export function scenarioDiagnostics(plan: Plan, result?: SimulationResult, options: ScenarioDiagnosticsOptions = {}): PlanDiagnostic[] {
  if (simulationRefusal(plan)) return [];
  const { out, vms, at, report, onVm } = reporter(plan);

  result ??= simulate(plan, { series: false });
  let checks = 0;
  for (const [name, list] of byVm(result, 'smartPagingStarted')) {
    const first = list[0];
    const vm = vms.get(name);
    const end = result.events.find((e): e is SimEventOf<'smartPagingEnded'> => e.type === 'smartPagingEnded' && e.vm === name && e.t >= first.t);
    const physical = vm ? vm.startupBytes - first.bytes : 0;
    const drained = end ? `it is deleted after ${formatDuration(end.seconds)}` : 'it is still in use when the scenario ends';
    const more = list.length > 1 ? ` (${list.length - 1} more time${list.length > 2 ? 's' : ''} later)` : '';
    const booted = vm ? bootedAfterHostRestart(result, vm, first.t) : false;
    const why = booted && vm ? ` It boots there because its stop action is ${vm.automaticStopAction}: with Save it would be restored from saved state instead, with no Smart Paging.` : '';
    let fixes: PlanFix[] | undefined;
    if (booted && vm && options.verifiedFixes !== false && plan.vms.length <= VERIFIED_FIX_MAX_VMS && checks++ < VERIFIED_FIX_MAX_CHECKS) {
      const fix: PlanFix = { title: `Set ${name}'s stop action to Save (restored after a host restart, no Smart Paging)`, edits: [{ on: 'vm', name, key: ['automaticStopAction'], value: 'Save' }] };
      if (removesSmartPaging(plan, result, vm)) fixes = [fix];
    }
    report(at(name), 'restart-smart-paging', 'warning',
      `In the scenario ${name} restarts at ${formatClock(first.t)} on ${first.host} with only ${formatBytes(physical)} of physical memory: a ${formatBytes(first.bytes)} Smart Paging file in ${first.path} makes up its startup memory, and the guest runs slowly until ${drained}${more}.${why} Leave more free memory on the host, lower the startup memory, or stagger starts with automaticStartDelay.`,
      fixes, { vm: name, host: first.host });
  }
  for (const [name, list] of byVm(result, 'vmStartFailed')) {
    const more = list.length > 1 ? ` It fails ${list.length - 1} more time${list.length > 2 ? 's' : ''} later.` : '';
    report(at(name), 'restart-failure', 'error', `${list[0].message}${more}`, undefined, { vm: name, host: list[0].host });
  }
  for (const [name] of byVm(result, 'smartPagingOverTarget')) {
    const seconds = own(result.vms, name)?.smartPagingSeconds ?? 0;
    report(at(name), 'smart-paging-over-target', 'warning',
      `${name} stays on Smart Paging for ${formatDuration(seconds)} in the scenario, longer than the ${formatDuration(plan.model.smartPagingTargetSeconds)} target: its guest keeps needing the memory the file holds while the host has none free to replace it. Free physical memory on the host or lower the VM's demand.`,
      undefined, onVm(name));
  }
  for (const [name, list] of byVm(result, 'vmSaveFailed')) report(at(name, 'configurationPath'), 'saved-state-disk', 'warning', `${list[0].message} Free space on that volume, or set "automaticStopAction" to "ShutDown".`, undefined, { vm: name, host: list[0].host });
  for (const [name, list] of byVm(result, 'vmMigrationFailed')) {
    for (const purpose of ['drain', 'failback', 'move'] as const) {
      const failure = list.find((e) => e.purpose === purpose);
      if (!failure) continue;
      const about = { vm: name, host: failure.from };
      if (purpose === 'drain') report(at(name), 'drain-failure', 'error', `${failure.message} The drain fails and the node stays paused with ${name} on it. Free memory on the other nodes, or lower ${name}'s memory.`, undefined, about);
      if (purpose === 'failback') report(at(name), 'failback-failure', 'warning', `${failure.message} It stays where the drain put it. Free memory on its node before the failback.`, undefined, about);
      if (purpose === 'move') report(eventSpan(plan, 'vmMigrate', name, failure.t) ?? at(name), 'migration-refused', 'warning', failure.message, undefined, about);
    }
  }
  for (const e of result.events) {
    if (e.type === 'clusterUpdateEnded' && !e.ok) {
      const update = plan.scenario.events.find((ev) => ev.type === 'clusterUpdate');
      const stuck = result.events.find((d): d is SimEventOf<'drainFailed'> => d.type === 'drainFailed' && d.host === e.stoppedAt && d.t <= e.t);
      report(update?.spans.type?.value ?? update?.span, 'cluster-update-failure', 'error',
        `The rolling update stops at ${e.stoppedAt} (${formatClock(e.t)}, ${formatDuration(e.seconds)} in): its drain cannot move ${stuck?.vms.join(', ') ?? 'every VM'}. The nodes after it are not updated, and ${e.stoppedAt} stays paused.`,
        undefined, { host: e.stoppedAt, vm: stuck?.vms[0] });
    }
  }
  for (const [name, list] of byVm(result, 'vmPreempted')) {
    const e = list[0];
    const back = result.events.find((s) => s.type === 'vmStarted' && s.vm === name && s.t > e.t);
    report(at(name), 'preempted', 'warning',
      `At ${formatClock(e.t)} the cluster takes ${name} offline on ${e.host} to make room for ${e.for}, which has a higher priority: ${back ? `it starts again at ${formatClock(back.t)}, when a node has room` : 'it is not back by the end of the scenario'}. Keep room for ${e.for} elsewhere, or raise ${name}'s clusterPriority.`,
      undefined, { vm: name, host: e.host });
  }
  for (const [name, list] of byVm(result, 'vmResizeFailed')) for (const e of list) report(eventSpan(plan, 'vmResize', name, e.t) ?? at(name), 'resize-refused', 'warning', e.message, undefined, { vm: name, host: e.host });
  const changed = lastChanges(plan, result);
  for (const [name, summary] of Object.entries(result.vms)) {
    const held = summary.assignedBytes + summary.smartPagingBytes;
    if (!summary.running || summary.demandBytes <= held) continue;
    // Still growing: its demand rose (or it started) too shortly before the end for Hyper-V to add the
    // memory at its rate. That is a moment, not pressure; it is pressure if it would still be short.
    const ramp = (summary.demandBytes - held) / Math.max(1, plan.model.addRatePerSecond);
    if ((changed.get(name) ?? -Infinity) + ramp + plan.model.tickSeconds >= result.duration) continue;
    const pressure = Math.round((summary.demandBytes / Math.max(1, held)) * 100);
    report(at(name), 'memory-pressure', 'warning',
      `At the end of the scenario ${name}'s guest needs ${formatBytes(summary.demandBytes)} but holds ${formatBytes(held)} (pressure ${pressure} %): it pages inside itself. ${vms.get(name)?.dynamic ? 'Raise its maximum or weight, or free memory on its host' : 'Give it more memory'}.`,
      undefined, { vm: name, host: summary.host });
  }
  if (options.failover !== false) out.push(...failoverCapacityDiagnostics(plan));
  return out;
}

/** The loss of each node in turn, from the state at t = 0 (`Engine.lossOfEachNode`). */
export type NodeLosses = ReturnType<Engine['lossOfEachNode']>;

/**
 * `failover-capacity`: on a cluster of two nodes or more, the VMs the loss of some node leaves without a
 * node. `losses`: those trials when the caller has already run them.
 */
export function failoverCapacityDiagnostics(plan: Plan, losses?: NodeLosses): PlanDiagnostic[] {
  if (!plan.cluster || plan.hosts.length < 2 || simulationRefusal(plan)) return [];
  const { out, at, report, onVm } = reporter(plan);
  failoverDiagnostics(losses ?? new Engine(plan, { series: false }).lossOfEachNode(), (vm, message) => report(at(vm), 'failover-capacity', 'warning', message, undefined, onVm(vm)));
  return out;
}

/** Where a finding about a VM goes (its name, or one of its fields), and the list it goes into. */
function reporter(plan: Plan) {
  const out: PlanDiagnostic[] = [];
  const vms = new Map<string, Vm>();
  for (const vm of plan.vms) if (vm.name && !vms.has(vm.name)) vms.set(vm.name, vm);
  const at = (vmName: string, field?: string): Span | undefined => {
    const vm = vms.get(vmName);
    return vm && ((field && vm.spans[field]?.value) || vm.spans.name?.value || vm.span);
  };
  const report = (span: Span | undefined, code: string, severity: Severity, message: string, fixes?: PlanFix[], about?: PlanDiagnostic['about']) => {
    if (span) out.push({ code, severity, message, span, ...(fixes?.length ? { fixes } : {}), ...(about ? { about } : {}) });
  };
  const onVm = (name: string) => ({ vm: name, host: vms.get(name)?.host });
  return { out, vms, at, report, onVm };
}

/** When each VM's demand last changed or it last came up (started, restored, moved), in seconds. */
function lastChanges(plan: Plan, result: SimulationResult): Map<string, number> {
  const out = new Map<string, number>();
  const note = (vm: string, t: number) => { if (t > (out.get(vm) ?? -Infinity)) out.set(vm, t); };
  for (const vm of plan.vms) for (const step of vm.demand) if (step.atSeconds <= result.duration) note(vm.name, step.atSeconds);
  for (const e of plan.scenario.events) if (e.type === 'demand' || e.type === 'vmResize') note(e.vm, e.atSeconds);
  for (const e of result.events) if (e.type === 'vmStarted' || e.type === 'vmRestored' || e.type === 'vmMigrated') note(e.vm, e.t);
  return out;
}

/**
 * Whether the VM's Smart Paging start at `t` is its boot after its host restarted, having been shut
 * down or turned off by its stop action there (so the stop action decided it).
 */
function bootedAfterHostRestart(result: SimulationResult, vm: Vm, t: number): boolean {
  if (vm.automaticStopAction === 'Save') return false;
  let restartAt: number | undefined;
  let stoppedThere = false;
  let startedSince = false;
  for (const e of result.events) {
    if (e.t > t) break;
    if (e.type === 'hostRestart' && e.host === vm.host) { restartAt = e.t; stoppedThere = false; startedSince = false; }
    if (restartAt === undefined || !('vm' in e) || e.vm !== vm.name) continue;
    if (e.type === 'vmStopped' && e.t === restartAt) stoppedThere = true;
    if (e.type === 'vmStarted' && e.t < t) startedSince = true;
  }
  return stoppedThere && !startedSince;
}

/** Applied alone, does stop action Save take the VM's Smart Paging away, without a new failure? */
function removesSmartPaging(plan: Plan, before: SimulationResult, vm: Vm): boolean {
  const changed: Plan = { ...plan, vms: plan.vms.map((v) => (v === vm ? { ...v, automaticStopAction: 'Save' as const } : v)) };
  const result = simulate(changed, { series: false });
  const failures = (r: SimulationResult) => r.events.filter((e) => e.type === 'vmStartFailed' || e.type === 'vmSaveFailed').length;
  return !result.events.some((e) => e.type === 'smartPagingStarted' && e.vm === vm.name) && failures(result) <= failures(before);
}

/** The span of the scenario event of this type about this VM at (or just before) time t. */
function eventSpan(plan: Plan, type: 'vmMigrate' | 'vmResize', vm: string, t: number): Span | undefined {
  let found: Span | undefined;
  for (const e of plan.scenario.events) if (e.type === type && e.vm === vm && e.atSeconds <= t + 1e-9) found = e.spans.type?.value ?? e.span;
  return found;
}

/** Losing each node in turn: which VMs would find no other node to start on, or be preempted. */
function failoverDiagnostics(losses: NodeLosses, report: (vm: string, message: string) => void): void {
  const lost = new Map<string, { nodes: string[]; message: string }>();
  for (const { host, failures } of losses) {
    for (const e of failures) {
      let why: string;
      if (e.type === 'vmPreempted') why = `the cluster takes it offline on ${e.host} to start ${e.for}, which has a higher priority.`;
      else if (e.reason === 'no-capacity') why = e.message.replace(/^.*? could not start at [0-9:]+: /, '');
      else continue;
      const entry = lost.get(e.vm) ?? { nodes: [], message: why };
      if (!entry.nodes.includes(host)) entry.nodes.push(host);
      lost.set(e.vm, entry);
    }
  }
  for (const [vm, { nodes, message }] of lost) {
    report(vm, `If ${nodes.join(' or ')} fails, ${vm} cannot run on any other node: ${message} Keep enough free memory on the other nodes (N+1), or lower its startup memory.`);
  }
}

function byVm<T extends SimEventType>(result: SimulationResult, type: T): Map<string, SimEventOf<T>[]> {
  const out = new Map<string, SimEventOf<T>[]>();
  for (const e of result.events as SimEvent[]) {
    if (e.type !== type) continue;
    const ev = e as SimEventOf<T>;
    const name = (ev as unknown as { vm: string }).vm;
    const list = out.get(name);
    if (list) list.push(ev); else out.set(name, [ev]);
  }
  return out;
}
