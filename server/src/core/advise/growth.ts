// How far demand can grow: the smallest uniform growth of every VM's demand, in whole percent up to
// 1000, at which the plan gets a finding it does not have now.
import type { Plan } from '../plan';
import type { Evaluator } from './evaluate';
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
  const fresh = (percent: number) => ev.findings(grown(ev.base, percent), `growth ${percent}`).find((f) => f.diagnostic !== undefined && !base.has(f.key));
  const result = smallestSteps(MAX_GROWTH_PERCENT, (p) => fresh(p) !== undefined, 10);
  if (!result) return { percentUntilFirstFinding: null };
  return { percentUntilFirstFinding: result.steps, firstFinding: fresh(result.steps)!.code };
}
