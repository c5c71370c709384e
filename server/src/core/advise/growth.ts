// How far demand can grow: the smallest uniform growth of every VM's demand, in whole percent up to
// 1000, at which the plan gets a finding it does not have now.
import type { Plan } from '../plan';
import type { Evaluator, Finding } from './evaluate';
import { smallestSteps } from './search';

export interface Growth { percentUntilFirstFinding: number | null; firstFinding?: string }

export const MAX_GROWTH_PERCENT = 1000;

/**
 * Every VM's demand (its steps and the scenario's demand events) times 1 + percent / 100, in whole bytes.
 * A static VM whose demand is not written is taken to use all its memory already: its demand stays.
 */
export function grown(plan: Plan, percent: number): Plan {
  const f = (bytes: number) => Math.floor((bytes * (100 + percent)) / 100);
  return {
    ...plan,
    vms: plan.vms.map((v) => (!v.dynamic && !v.spans.demand ? v : { ...v, demand: v.demand.map((d) => ({ atSeconds: d.atSeconds, bytes: f(d.bytes) })) })),
    scenario: { ...plan.scenario, events: plan.scenario.events.map((e) => (e.type === 'demand' ? { ...e, memoryBytes: f(e.memoryBytes) } : e)) },
  };
}

export function growth(ev: Evaluator): Growth {
  const base = new Set(ev.findings(ev.base, '').map((f) => f.key));
  const isNew = (f: Finding) => f.diagnostic !== undefined && !base.has(f.key);
  // Demand is not what the static rules look at: the base plan's rules hold for every growth.
  const scenario = (p: number) => ev.findings(grown(ev.base, p), `growth ${p}`, undefined, false, ev.base).find(isNew);
  const failover = (p: number) => ev.findings(grown(ev.base, p), `growth ${p}`, undefined, true, ev.base).find((f) => f.code === 'failover-capacity' && isNew(f));
  // The scenario's findings first; then the loss of each node, the costlier check, only below that
  // answer (one trial when it brings nothing new there, the usual case).
  const inScenario = smallestSteps(MAX_GROWTH_PERCENT, (p) => scenario(p) !== undefined, 10);
  const below = (inScenario?.steps ?? MAX_GROWTH_PERCENT + 1) - 1;
  const inFailover = below >= 1 && failover(below) ? smallestSteps(below, (p) => failover(p) !== undefined, below) : undefined;
  const steps = inFailover?.steps ?? inScenario?.steps;
  if (steps === undefined) return { percentUntilFirstFinding: null };
  return { percentUntilFirstFinding: steps, firstFinding: (inFailover ? failover(steps) : scenario(steps))!.code };
}
