import type { PlanDiagnostic } from '../diagnostics';
import type { Host, Plan, Vm } from '../plan';

export interface RuleContext {
  readonly plan: Plan;
  readonly cluster: Plan['cluster'];
  readonly hostsByName: ReadonlyMap<string, Host>;
  readonly vmsByName: ReadonlyMap<string, Vm>;
  report(diagnostic: PlanDiagnostic): void;
}

/**
 * What a check of one VM may see: the hosts and the cluster, not the other VMs (so its findings can
 * be kept while other VMs change; an edit outside the VMs re-checks everything).
 */
export type VmRuleContext = Pick<RuleContext, 'hostsByName' | 'report'> & { readonly cluster: Plan['cluster'] };

/** One check over a read plan. One file per rule, listed in rules/index.ts. */
export interface Rule {
  /** the codes this rule may report */
  readonly codes: readonly string[];
  /**
   * Findings about one VM that depend on nothing but that VM and the hosts. After an edit inside
   * one VM only that VM is checked again; the others' findings are reused (services/incremental.ts).
   */
  checkVm?(vm: Vm, context: VmRuleContext): void;
  /** Findings that look across VMs (names, totals per volume, events): checked over the whole plan after every edit. */
  check?(context: RuleContext): void;
}
