// Invariants over generated plans: whatever the plan, memory is never negative, never above a host's
// capacity (a migration counts on both nodes while it runs), every VM is counted on exactly one host,
// Smart Paging never grows after a start and leaves while its host has free memory, a restored VM holds
// exactly what it held when saved, the same plan gives the same output, and skipping quiet ticks gives
// exactly what balancing every host on every tick gives.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readPlan } from '../server/src/core/read';
import { simulate } from '../server/src/core/simulate';
import { Engine } from '../server/src/core/simulate/engine';
import { checkInvariants } from './support/invariants';
import { generatePlan } from './support/plans';

test('invariants hold over 300 generated plans, and skipping quiet ticks changes nothing', () => {
  let smartPagingRuns = 0;
  let failures = 0;
  const reached = new Set<string>();
  for (let seed = 1; seed <= 300; seed++) {
    const text = generatePlan(seed);
    const { plan, diagnostics } = readPlan(text);
    assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), [], `seed ${seed}`);
    const fast = simulate(plan);
    checkInvariants(plan, fast, `seed ${seed}`);
    assert.deepEqual(simulate(plan, { reference: true }), fast, `seed ${seed}: the reference run differs`);
    assert.equal(JSON.stringify(simulate(readPlan(text).plan)), JSON.stringify(simulate(plan)), `seed ${seed}: not deterministic`);
    if (fast.events.some((e) => e.type === 'smartPagingStarted')) smartPagingRuns++;
    if (fast.events.some((e) => e.type === 'vmStartFailed')) failures++;
    for (const e of fast.events) reached.add(e.type === 'vmMigrated' ? `vmMigrated:${e.moveType}` : e.type);
  }
  // The generator must reach the interesting paths, or the invariants prove little.
  assert.ok(smartPagingRuns >= 20, `only ${smartPagingRuns} plans used Smart Paging`);
  assert.ok(failures >= 20, `only ${failures} plans had a failed start`);
  const wanted = ['vmSaved', 'vmRestored', 'vmSaveFailed', 'vmMigrated:live', 'vmMigrated:quick', 'vmMigrationFailed', 'nodeDrained', 'drainFailed', 'nodeResumed', 'vmPreempted', 'clusterUpdateEnded', 'vmResized', 'vmResizeFailed'];
  assert.deepEqual(wanted.filter((w) => !reached.has(w)), [], 'event types the generated plans never reach');
});

test('losing each node in turn (failover-capacity) matches a full run with that node failing at 0', () => {
  let compared = 0;
  let withFailures = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const { plan } = readPlan(generatePlan(seed));
    if (!plan.cluster) continue;
    const trials = new Engine(plan, { series: false }).lossOfEachNode();
    for (const host of plan.hosts) {
      const loss = { ...plan, scenario: { durationSeconds: 0, implicit: false, spans: {}, events: [{ index: 0, atSeconds: 0, type: 'nodeFailure' as const, host: host.name, span: { start: 0, end: 0 }, spans: {} }] } };
      const events = simulate(loss, { series: false }).events;
      const noCapacity = (list: typeof events) => list.filter((e) => e.type === 'vmStartFailed' && e.reason === 'no-capacity');
      const after = noCapacity(events.slice(events.findIndex((e) => e.type === 'nodeFailure')));
      assert.deepEqual(noCapacity(trials.find((t) => t.host === host.name)!.failures), after, `seed ${seed}, losing ${host.name}`);
      compared++;
      if (after.length) withFailures++;
    }
  }
  assert.ok(compared >= 50 && withFailures >= 5, `${compared} trials, ${withFailures} with failures`);
});
