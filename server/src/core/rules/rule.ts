import type { PlanDiagnostic } from '../diagnostics';
import type { Host, Plan, Vm } from '../plan';

export interface RuleContext {
  readonly plan: Plan;
  readonly hostsByName: ReadonlyMap<string, Host>;
  readonly vmsByName: ReadonlyMap<string, Vm>;
  report(diagnostic: PlanDiagnostic): void;
}

/** One check over a read plan. One file per rule, listed in rules/index.ts. */
export interface Rule {
  /** the codes this rule may report */
  readonly codes: readonly string[];
  check(context: RuleContext): void;
}
