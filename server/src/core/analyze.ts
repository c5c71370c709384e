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
  // The scenario is only worth running on a plan without errors: its outcome would mislead.
  if (options.scenario !== false && !hasErrors(diagnostics)) diagnostics.push(...scenarioDiagnostics(read.plan));
  sortDiagnostics(diagnostics);
  return { ...read, diagnostics };
}

export function sortDiagnostics(diagnostics: PlanDiagnostic[]): void {
  diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code));
}
