// The facade every adapter calls (CLI, language server): read a plan, run the rules, return plain data.
import type { PlanDiagnostic } from './diagnostics';
import type { Plan } from './plan';
import { readPlan, type ReadOptions, type ReadResult } from './read';
import { RULES } from './rules';
import type { RuleContext } from './rules/rule';
import { scenarioDiagnostics } from './simulate/diagnostics';

export interface AnalyzeOptions extends ReadOptions {
  /** also run the plan's scenario and report its outcome (restart-smart-paging …); default true */
  scenario?: boolean;
}

export interface Analysis extends ReadResult {}

/** Diagnostics of the static rules for an already read plan. */
export function checkRules(plan: Plan): PlanDiagnostic[] {
  const { byVm, acrossVms } = checkRulesByVm(plan);
  return [...byVm.flat(), ...acrossVms];
}

/** The rules' findings, those about one VM apart (by VM position) from those that look across VMs. */
export interface RuleFindings {
  byVm: readonly (readonly PlanDiagnostic[])[];
  acrossVms: PlanDiagnostic[];
}

const NONE: readonly PlanDiagnostic[] = [];

/**
 * Runs the rules. `reuse` may give a VM's findings from an earlier analysis instead of checking it
 * again: only sound when neither that VM nor the hosts changed since.
 */
export function checkRulesByVm(plan: Plan, reuse?: (position: number) => readonly PlanDiagnostic[] | undefined): RuleFindings {
  let sink: PlanDiagnostic[] = [];
  const hostsByName = new Map<string, typeof plan.hosts[number]>();
  for (const h of plan.hosts) if (h.name && !hostsByName.has(h.name)) hostsByName.set(h.name, h);
  const vmsByName = new Map<string, typeof plan.vms[number]>();
  for (const v of plan.vms) if (v.name && !vmsByName.has(v.name)) vmsByName.set(v.name, v);
  const context: RuleContext = { plan, cluster: plan.cluster, hostsByName, vmsByName, report: (d) => sink.push(d) };
  const perVm = RULES.filter((r) => r.checkVm);
  const byVm: (readonly PlanDiagnostic[])[] = [];
  for (let i = 0; i < plan.vms.length; i++) {
    const kept = reuse?.(i);
    if (kept) { byVm.push(kept); continue; }
    sink = [];
    for (const rule of perVm) rule.checkVm!(plan.vms[i], context);
    // Most VMs have no findings: one shared empty list keeps an 8,000-VM plan's analysis small.
    byVm.push(sink.length ? sink : NONE);
  }
  const acrossVms: PlanDiagnostic[] = (sink = []);
  for (const rule of RULES) rule.check?.(context);
  return { byVm, acrossVms };
}

export function hasErrors(diagnostics: readonly PlanDiagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * Errors the simulator shows instead of refusing: a VM too large for its host (or for one NUMA node)
 * simply never starts, which is what an administrator wants to see on the timeline.
 */
export const CAPACITY_ERROR_CODES: ReadonlySet<string> = new Set(['startup-exceeds-host', 'numa-fit']);

/** The errors that keep a plan from being simulated: everything but the capacity errors. */
export function simulationBlockers(diagnostics: readonly PlanDiagnostic[]): PlanDiagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error' && !CAPACITY_ERROR_CODES.has(d.code));
}

/** Reads the plan and reports everything `hvmem check` reports, in text order. */
export function analyzePlan(text: string, options: AnalyzeOptions = {}): Analysis {
  const read = readPlan(text, options);
  const diagnostics = [...read.diagnostics, ...checkRules(read.plan)];
  diagnostics.push(...scenarioFindings(read.plan, diagnostics, options));
  sortDiagnostics(diagnostics);
  return { ...read, diagnostics };
}

/**
 * The scenario's diagnostics (restart-smart-paging, restart-failure, smart-paging-over-target,
 * failover-capacity, …) for a plan with the given read and rule diagnostics: none when those include
 * an error that blocks the simulation (the outcome would mislead) or when `options.scenario` is false.
 * A VM with a capacity error is already explained by it: the scenario's findings about it are left out.
 */
export function scenarioFindings(plan: Plan, diagnostics: readonly PlanDiagnostic[], options: AnalyzeOptions = {}): PlanDiagnostic[] {
  if (options.scenario === false || simulationBlockers(diagnostics).length) return [];
  const findings = scenarioDiagnostics(plan);
  const capacity = diagnostics.filter((d) => d.severity === 'error' && CAPACITY_ERROR_CODES.has(d.code));
  if (!capacity.length) return findings;
  const explained = plan.vms.filter((vm) => capacity.some((d) => vm.span.start <= d.span.start && d.span.end <= vm.span.end));
  return findings.filter((f) => !explained.some((vm) => vm.span.start <= f.span.start && f.span.end <= vm.span.end));
}

export function sortDiagnostics(diagnostics: PlanDiagnostic[]): void {
  diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code));
}
