// Property tests over plans: generated the way people write them, and damaged byte by byte. Whatever
// the text, the analysis does not throw and points only inside the text; a plan that can be simulated
// keeps the simulation's invariants; the same text always gives the same analysis and simulation.
// Seeded and bounded here; `npm run fuzz` runs them longer (test/support/fuzz.ts).
import assert from 'node:assert/strict';
import { analyzePlan, simulationBlockers } from '../server/src/core/analyze';
import { simulate, simulationRefusal } from '../server/src/core/simulate';
import { mutation, planText } from './support/arbitraries';
import { fuzz } from './support/fuzz';
import { checkInvariants } from './support/invariants';

const FILE = 'test/fuzz-plans.test.ts';

/** Analyze and, when the plan can be simulated, simulate: the checks every plan text must pass. */
function checkText(text: string): void {
  const where = () => `\n--- plan ---\n${text.slice(0, 6000)}`;
  const analysis = analyzePlan(text);
  for (const d of analysis.diagnostics) {
    assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length, `${d.code} at ${d.span.start}-${d.span.end} outside the text${where()}`);
    assert.ok(d.message.length > 0 && !/undefined|NaN|\[object /.test(d.message), `${d.code}: "${d.message}"${where()}`);
  }
  assert.equal(JSON.stringify(analyzePlan(text).diagnostics), JSON.stringify(analysis.diagnostics), `two analyses differ${where()}`);
  if (simulationBlockers(analysis.diagnostics).length || simulationRefusal(analysis.plan)) return;
  const result = simulate(analysis.plan);
  try {
    checkInvariants(analysis.plan, result, 'simulation');
  } catch (e) {
    throw new Error(`${(e as Error).message}${where()}`);
  }
  assert.equal(JSON.stringify(simulate(analyzePlan(text).plan)), JSON.stringify(result), `two simulations differ${where()}`);
}

fuzz('generated plans: analysis, simulation invariants, determinism', { runs: 400, file: FILE }, [planText], (text) => checkText(text));

fuzz('damaged plans: no throw, ranges inside the text, invariants where it simulates', { runs: 1200, file: FILE }, [planText, mutation], (text, damage) => checkText(damage(text)));
