// Diagnostics from the scenario: the same engine `hvmem simulate` runs, its outcome pinned to each
// VM's name in the plan. `failover-capacity` runs one more short simulation per cluster node: that
// node fails at t = 0 and the others must take its VMs.
import type { PlanDiagnostic, Severity } from '../diagnostics';
import type { Plan, Vm } from '../plan';
import { formatBytes, formatClock, formatDuration } from '../units';
import type { SimEvent, SimulationResult } from './types';
import { Engine } from './engine';
import { own } from '../records';
import { simulate, simulationRefusal } from './index';

type Of<T extends SimEvent['type']> = Extract<SimEvent, { type: T }>;

export function scenarioDiagnostics(plan: Plan): PlanDiagnostic[] {
  if (simulationRefusal(plan)) return [];
  const out: PlanDiagnostic[] = [];
  const vms = new Map<string, Vm>();
  for (const vm of plan.vms) if (vm.name && !vms.has(vm.name)) vms.set(vm.name, vm);
  const report = (vmName: string, code: string, severity: Severity, message: string) => {
    const vm = vms.get(vmName);
    if (vm) out.push({ code, severity, message, span: vm.spans.name?.value ?? vm.span });
  };

  const result = simulate(plan, { series: false });
  for (const [name, list] of byVm(result, 'smartPagingStarted')) {
    const first = list[0];
    const vm = vms.get(name);
    const end = (result.events as SimEvent[]).find((e): e is Of<'smartPagingEnded'> => e.type === 'smartPagingEnded' && e.vm === name && e.t >= first.t);
    const physical = vm ? vm.startupBytes - first.bytes : 0;
    const drained = end ? `it is deleted after ${formatDuration(end.seconds)}` : 'it is still in use when the scenario ends';
    const more = list.length > 1 ? ` (${list.length - 1} more time${list.length > 2 ? 's' : ''} later)` : '';
    report(name, 'restart-smart-paging', 'warning',
      `In the scenario ${name} restarts at ${formatClock(first.t)} on ${first.host} with only ${formatBytes(physical)} of physical memory: a ${formatBytes(first.bytes)} Smart Paging file in ${first.path} makes up its startup memory, and the guest runs slowly until ${drained}${more}. Leave more free memory on the host, lower the startup memory, or stagger starts with automaticStartDelay.`);
  }
  for (const [name, list] of byVm(result, 'vmStartFailed')) {
    const more = list.length > 1 ? ` It fails ${list.length - 1} more time${list.length > 2 ? 's' : ''} later.` : '';
    report(name, 'restart-failure', 'error', `${list[0].message}${more}`);
  }
  for (const [name] of byVm(result, 'smartPagingOverTarget')) {
    const seconds = own(result.vms, name)?.smartPagingSeconds ?? 0;
    report(name, 'smart-paging-over-target', 'warning',
      `${name} stays on Smart Paging for ${formatDuration(seconds)} in the scenario, longer than the ${formatDuration(plan.model.smartPagingTargetSeconds)} target: its guest keeps needing the memory the file holds. Free physical memory on the host or lower the VM's demand.`);
  }
  if (plan.cluster && plan.hosts.length > 1) out.push(...failoverDiagnostics(plan, report));
  return out;
}

/** Losing each node in turn: which VMs would find no other node to start on. */
function failoverDiagnostics(plan: Plan, report: (vm: string, code: string, severity: Severity, message: string) => void): PlanDiagnostic[] {
  const lost = new Map<string, { nodes: string[]; message: string }>();
  for (const { host, failures } of new Engine(plan, { series: false }).lossOfEachNode()) {
    for (const e of failures) {
      if (e.reason !== 'no-capacity') continue;
      const entry = lost.get(e.vm) ?? { nodes: [], message: e.message };
      entry.nodes.push(host);
      lost.set(e.vm, entry);
    }
  }
  for (const [vm, { nodes, message }] of lost) {
    const why = message.replace(/^.*? could not start at [0-9:]+: /, '');
    report(vm, 'failover-capacity', 'warning',
      `If ${nodes.join(' or ')} fails, ${vm} cannot start on any other node: ${why} Keep enough free memory on the other nodes (N+1), or lower its startup memory.`);
  }
  return [];
}

function byVm<T extends SimEvent['type']>(result: SimulationResult, type: T): Map<string, Of<T>[]> {
  const out = new Map<string, Of<T>[]>();
  for (const e of result.events) {
    if (e.type !== type) continue;
    const ev = e as Of<T>;
    const name = (ev as { vm: string }).vm;
    const list = out.get(name);
    if (list) list.push(ev); else out.set(name, [ev]);
  }
  return out;
}
