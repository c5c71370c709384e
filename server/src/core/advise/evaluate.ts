// The findings of a plan and of its variants, as `hvmem check` reports them (the static rules' errors,
// the capacity errors, the scenario's findings), from the same engine. A variant that changes only some
// hosts of a plan without a cluster is simulated on those hosts alone: the others' findings cannot move.
import { checkRules, simulationBlockers } from '../analyze';
import type { PlanDiagnostic } from '../diagnostics';
import { eventReferences } from '../events';
import type { Plan } from '../plan';
import { scenarioDiagnostics } from '../simulate/diagnostics';

export interface Finding {
  code: string;
  /** what makes two findings the same one: the code and the VM (or node) it is about */
  key: string;
  vm?: string;
  host?: string;
  severity: PlanDiagnostic['severity'];
  message: string;
  diagnostic: PlanDiagnostic;
}

/** The scenario's findings `hvmem advise` works on, and the capacity errors the simulation shows. */
export const ADVISED_CODES: ReadonlySet<string> = new Set([
  'restart-smart-paging', 'restart-failure', 'smart-paging-over-target', 'memory-pressure', 'saved-state-disk',
  'failover-capacity', 'drain-failure', 'failback-failure', 'cluster-update-failure', 'preempted',
  'startup-exceeds-host', 'numa-fit',
]);

export class Evaluator {
  /** simulations run so far (each counts once, the failover trials of a cluster included) */
  simulations = 0;
  private readonly memo = new Map<string, Finding[]>();

  constructor(readonly base: Plan) {}

  /** Every finding of the plan: errors of any code, and the advised codes' warnings. */
  findings(plan: Plan, memoKey?: string, changedHosts?: readonly string[]): Finding[] {
    if (memoKey !== undefined) {
      const known = this.memo.get(memoKey);
      if (known) return known;
    }
    const found = changedHosts && !plan.cluster && plan !== this.base ? this.focused(plan, changedHosts) : this.all(plan);
    if (memoKey !== undefined) this.memo.set(memoKey, found);
    return found;
  }

  private all(plan: Plan): Finding[] {
    const rules = checkRules(plan);
    const out = rules.filter((d) => d.severity === 'error' || ADVISED_CODES.has(d.code)).map((d) => finding(plan, d));
    if (simulationBlockers(rules).length) return out;
    this.simulations++;
    for (const d of scenarioDiagnostics(plan)) out.push(finding(plan, d));
    return out;
  }

  /** Only the changed hosts (and their VMs and events) are checked again; the rest is the base plan's. */
  private focused(plan: Plan, hosts: readonly string[]): Finding[] {
    const set = new Set(hosts);
    const base = this.findings(this.base, '');
    const onHosts = (f: Finding) => f.host !== undefined && set.has(f.host);
    return [...base.filter((f) => !onHosts(f) && !(f.vm && set.has(plan.vms.find((v) => v.name === f.vm)?.host ?? ''))), ...this.all(subPlan(plan, set)).filter(onHosts)];
  }
}

/** The hosts in `hosts`, their VMs, and the scenario's events about them. */
export function subPlan(plan: Plan, hosts: ReadonlySet<string>): Plan {
  const vms = plan.vms.filter((v) => hosts.has(v.host));
  const names = new Set(vms.map((v) => v.name));
  const events = plan.scenario.events.filter((e) => eventReferences(e).every((r) => (r.kind === 'host' ? hosts.has(r.name) : names.has(r.name))));
  return { ...plan, hosts: plan.hosts.filter((h) => hosts.has(h.name)), vms, scenario: { ...plan.scenario, events } };
}

function finding(plan: Plan, d: PlanDiagnostic): Finding {
  let vm = d.about?.vm;
  let host = d.about?.host;
  if (!vm) {
    const owner = plan.vms.find((v) => v.span.start <= d.span.start && d.span.end <= v.span.end && v.span.end > v.span.start);
    vm = owner?.name;
    host ??= owner?.host;
  }
  if (!host && vm) host = plan.vms.find((v) => v.name === vm)?.host;
  return { code: d.code, key: `${d.code}\u0000${vm ?? host ?? d.message}`, vm, host, severity: d.severity, message: d.message, diagnostic: d };
}
