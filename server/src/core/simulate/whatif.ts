// What-ifs on a plan, each a short run of the same engine from the plan's state at t = 0: what a drain
// of one cluster node would do right now (the editor's host lens and hover).
import type { Plan } from '../plan';
import { simulate, simulationRefusal } from './index';
import { review, type MoveReview } from './review';

/** A drain runs at most this long in a what-if; it stops as soon as the drain ends. */
const DRAIN_WHATIF_SECONDS = 6 * 3600;

/** A drain of `host` at t = 0: what moves where and how long it takes, or what cannot move. */
export function drainWhatIf(plan: Plan, host: string): MoveReview | undefined {
  if (!plan.cluster) return undefined;
  const trial: Plan = {
    ...plan,
    scenario: { durationSeconds: DRAIN_WHATIF_SECONDS, implicit: false, spans: {}, events: [{ index: 0, atSeconds: 0, type: 'nodeDrain', host, span: { start: 0, end: 0 }, spans: {} }] },
  };
  if (simulationRefusal(trial)) return undefined;
  return review(simulate(trial, { series: false, stopOn: ['nodeDrained', 'drainFailed'] })).drains[0];
}
