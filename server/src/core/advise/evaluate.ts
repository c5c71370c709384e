// The findings of a plan and of its variants, as `hvmem check` reports them (the static rules' errors,
// the capacity errors, the scenario's findings), from the same engine. A variant that changes only some
// hosts of a plan without a cluster is simulated on those hosts alone: the others' findings cannot move.
import { CAPACITY_ERROR_CODES, checkRules, simulationBlockers } from '../analyze';
import type { PlanDiagnostic } from '../diagnostics';
import { eventReferences } from '../events';
import type { Plan } from '../plan';
import { own } from '../records';
import { simulate, simulationRefusal } from '../simulate';
import { failoverCapacityDiagnostics, scenarioDiagnostics, type NodeLosses } from '../simulate/diagnostics';
import { Engine } from '../simulate/engine';
import type { SimulationResult } from '../simulate/types';

export interface Finding {
  code: string;
  /** what makes two findings the same one: the code and the VM (or node) it is about */
  key: string;
  vm?: string;
  host?: string;
  severity: PlanDiagnostic['severity'];
  message: string;
  /** the diagnostic it comes from (the evaluator's own findings have none) */
  diagnostic: PlanDiagnostic | undefined;
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
  private readonly failoverMemo = new Map<string, Finding[]>();
  /** the VMs running (or saved, to be restored) when the base plan's scenario ends */
  private baseRunning: Set<string> | undefined;
  /** the base plan's simulation (without series), once run */
  baseResult: SimulationResult | undefined;
  private baseLosses: NodeLosses | undefined;
  private readonly rulesMemo = new WeakMap<Plan, PlanDiagnostic[]>();

  constructor(readonly base: Plan) {}

  /**
   * Every finding of the plan: errors of any code, and the scenario's warnings of the advised codes.
   * `failover: false` leaves out `failover-capacity` (the loss of each node in turn, the costliest
   * part on a large cluster): a question about any other finding does not need it, since it is never an
   * error.
   */
  findings(plan: Plan, memoKey?: string, changedHosts?: readonly string[], failover = true, sameRulesAs?: Plan): Finding[] {
    let main = memoKey !== undefined ? this.memo.get(memoKey) : undefined;
    if (!main) {
      main = changedHosts && !plan.cluster && plan !== this.base ? this.focused(plan, changedHosts) : this.all(plan, sameRulesAs);
      if (memoKey !== undefined) this.memo.set(memoKey, main);
    }
    if (!failover || !plan.cluster || plan.hosts.length < 2 || main.some((f) => f.code === BLOCKED)) return main.filter((f) => f.code !== BLOCKED);
    let lost = memoKey !== undefined ? this.failoverMemo.get(memoKey) : undefined;
    if (!lost) {
      const tooLarge = new Set(main.filter((f) => CAPACITY_ERROR_CODES.has(f.code) && f.severity === 'error').map((f) => f.vm));
      lost = failoverCapacityDiagnostics(plan, this.losses(plan)).map((d) => finding(plan, d)).filter((f) => f.vm === undefined || !tooLarge.has(f.vm));
      if (memoKey !== undefined) this.failoverMemo.set(memoKey, lost);
    }
    return [...main, ...lost];
  }

  private rules(plan: Plan): PlanDiagnostic[] {
    let found = this.rulesMemo.get(plan);
    if (!found) this.rulesMemo.set(plan, (found = checkRules(plan)));
    return found;
  }

  /** The loss of each node in turn (one simulation), kept for the base plan: fixes, headroom and placement all start from it. */
  losses(plan: Plan): NodeLosses {
    if (plan === this.base && this.baseLosses) return this.baseLosses;
    this.simulations++;
    const losses = new Engine(plan, { series: false }).lossOfEachNode();
    if (plan === this.base) this.baseLosses = losses;
    return losses;
  }

  /** `sameRulesAs`: a plan that differs from this one only where no static rule looks (demand), whose rules' findings hold. */
  private all(plan: Plan, sameRulesAs?: Plan): Finding[] {
    const rules = this.rules(sameRulesAs ?? plan);
    // The static rules' errors (the capacity errors among them); their warnings are hvmem check's, and a
    // warning advised on is the scenario's (a saved state that does not fit when the restart comes, not
    // the worst-case reservation for every VM set to Save).
    const out = rules.filter((d) => d.severity === 'error').map((d) => finding(plan, d));
    if (simulationBlockers(rules).length || simulationRefusal(plan)) return [...out, BLOCKED_FINDING];
    this.simulations++;
    const result = simulate(plan, { series: false });
    if (plan === this.base) this.baseResult = result;
    // As `hvmem check` does: a VM too large for its host has that error, not the scenario's account of it.
    const tooLarge = new Set(out.filter((f) => CAPACITY_ERROR_CODES.has(f.code) && f.severity === 'error').map((f) => f.vm));
    for (const d of scenarioDiagnostics(plan, result, { failover: false, verifiedFixes: false })) {
      const f = finding(plan, d);
      if (f.vm === undefined || !tooLarge.has(f.vm)) out.push(f);
    }
    // A VM the plan brings back that is off when the variant's scenario ends: a change that does this
    // (a start delayed past the end, say) has not fixed anything, so it counts as an error of its own.
    const running = new Set(plan.vms.filter((v) => own(result.vms, v.name)?.running || own(result.vms, v.name)?.saved).map((v) => v.name));
    if (plan === this.base) this.baseRunning = running;
    else {
      const base = this.baseRunning ?? this.runningAtEnd();
      for (const vm of plan.vms) {
        if (base.has(vm.name) && !running.has(vm.name)) {
          out.push({ code: NOT_RUNNING, key: `${NOT_RUNNING}\u0000${vm.name}`, vm: vm.name, host: own(result.vms, vm.name)?.host, severity: 'error', message: `${vm.name} is not running when the scenario ends.`, diagnostic: undefined });
        }
      }
    }
    return out;
  }

  private runningAtEnd(): Set<string> {
    this.findings(this.base, '', undefined, false);
    return this.baseRunning ?? new Set();
  }

  /** Only the changed hosts (and their VMs and events) are checked again; the rest is the base plan's. */
  private focused(plan: Plan, hosts: readonly string[]): Finding[] {
    const set = connected(plan, hosts);
    const base = this.findings(this.base, '', undefined, false);
    const onHosts = (f: Finding) => f.host !== undefined && set.has(f.host);
    return [...base.filter((f) => !onHosts(f) && !(f.vm && set.has(plan.vms.find((v) => v.name === f.vm)?.host ?? ''))), ...this.all(subPlan(plan, set)).filter(onHosts)];
  }
}

/**
 * The hosts, and every host an event ties to them (a migration between two hosts, of a VM on one of
 * them, to the other): simulated together, they see the same scenario the whole plan would.
 */
export function connected(plan: Plan, hosts: readonly string[]): Set<string> {
  const set = new Set(hosts);
  const hostOf = new Map(plan.vms.map((v) => [v.name, v.host]));
  const tied = plan.scenario.events.map((e) => eventReferences(e).map((r) => (r.kind === 'host' ? r.name : hostOf.get(r.name))).filter((h): h is string => h !== undefined));
  for (let grew = true; grew;) {
    grew = false;
    for (const group of tied) {
      if (group.some((h) => set.has(h)) && group.some((h) => !set.has(h))) {
        for (const h of group) set.add(h);
        grew = true;
      }
    }
  }
  return set;
}

/** The hosts in `hosts`, their VMs (owners among those hosts), and the scenario's events about them. */
export function subPlan(plan: Plan, hosts: ReadonlySet<string>): Plan {
  // Owner lists keep only the hosts simulated (the others are not in this plan, so naming them is an error).
  const vms = plan.vms.filter((v) => hosts.has(v.host)).map((v) => (
    v.possibleOwners?.some((h) => !hosts.has(h)) || v.preferredOwners.some((h) => !hosts.has(h))
      ? { ...v, possibleOwners: v.possibleOwners?.filter((h) => hosts.has(h)), preferredOwners: v.preferredOwners.filter((h) => hosts.has(h)) }
      : v));
  const names = new Set(vms.map((v) => v.name));
  const events = plan.scenario.events.filter((e) => eventReferences(e).every((r) => (r.kind === 'host' ? hosts.has(r.name) : names.has(r.name))));
  return { ...plan, hosts: plan.hosts.filter((h) => hosts.has(h.name)), vms, scenario: { ...plan.scenario, events } };
}

/** Marks a plan that cannot be simulated (its errors say why): no failover trials for it either. */
const BLOCKED = 'advise/blocked';
const BLOCKED_FINDING: Finding = { code: BLOCKED, key: BLOCKED, severity: 'error', message: '', diagnostic: undefined };

/** The evaluator's own finding: a VM the plan has running at the end of its scenario is off at the end of a variant's. */
export const NOT_RUNNING = 'advise/not-running-at-end';

/** A diagnostic as a finding: its code and the VM (or node) it is about. */
export function finding(plan: Plan, d: PlanDiagnostic): Finding {
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
