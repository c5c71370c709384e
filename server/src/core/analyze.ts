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
  const out: PlanDiagnostic[] = [];
  const hostsByName = new Map<string, typeof plan.hosts[number]>();
  for (const h of plan.hosts) if (h.name && !hostsByName.has(h.name)) hostsByName.set(h.name, h);
  const vmsByName = new Map<string, typeof plan.vms[number]>();
  for (const v of plan.vms) if (v.name && !vmsByName.has(v.name)) vmsByName.set(v.name, v);
  const context: RuleContext = { plan, hostsByName, vmsByName, report: (d) => out.push(d) };
  for (const rule of RULES) rule.check(context);
  return out;
}

export function hasErrors(diagnostics: readonly PlanDiagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
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
 * failover-capacity) for a plan with the given read and rule diagnostics: none when those include an
 * error (the outcome would mislead) or when `options.scenario` is false.
 */
export function scenarioFindings(plan: Plan, diagnostics: readonly PlanDiagnostic[], options: AnalyzeOptions = {}): PlanDiagnostic[] {
  return options.scenario !== false && !hasErrors(diagnostics) ? scenarioDiagnostics(plan) : [];
}

export function sortDiagnostics(diagnostics: PlanDiagnostic[]): void {
  diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code));
}
