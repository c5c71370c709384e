// Invariants over generated plans: whatever the plan, memory is never negative, never above a host's
// capacity, Smart Paging never grows after a start, the same plan gives the same output, and skipping
// quiet ticks gives exactly what balancing every host on every tick gives.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readPlan } from '../server/src/core/read';
import { simulate } from '../server/src/core/simulate';
import { Engine } from '../server/src/core/simulate/engine';
import type { SimulationResult } from '../server/src/core/simulate/types';
import { generatePlan } from './support/plans';

function checkInvariants(result: SimulationResult, capacity: Map<string, number>, label: string): void {
  const { series } = result;
  for (const [name, s] of Object.entries(series.hosts)) {
    for (let i = 0; i < series.t.length; i++) {
      const where = `${label}: host ${name} at t=${series.t[i]}`;
      assert.ok(s.physical[i] >= 0 && s.overhead[i] >= 0 && s.smartPaging[i] >= 0 && s.free[i] >= 0, `${where}: negative memory`);
      assert.ok(s.physical[i] + s.overhead[i] <= capacity.get(name)!, `${where}: above capacity`);
    }
  }
  // With a sample on every tick, each host's physical memory is the sum of its VMs' step series.
  const at = (ts: number[], t: number) => { let j = -1; while (j + 1 < ts.length && ts[j + 1] <= t) j++; return j; };
  for (let i = 0; i < series.t.length; i++) {
    const t = series.t[i];
    const sums = new Map<string, number>();
    for (const vm of Object.values(series.vms)) {
      const j = at(vm.t, t);
      if (j < 0) continue;
      const host = series.hostNames[vm.host[j]];
      sums.set(host, (sums.get(host) ?? 0) + vm.physical[j]);
    }
    for (const [name, s] of Object.entries(series.hosts)) {
      if (result.hosts[name].failed && s.physical[i] === 0) continue;
      assert.equal(sums.get(name) ?? 0, s.physical[i], `${label}: host ${name} at t=${t}: VM series do not add up`);
    }
  }
  for (const [name, vm] of Object.entries(series.vms)) {
    for (let j = 0; j < vm.t.length; j++) {
      assert.ok(vm.physical[j] >= 0 && vm.smartPaging[j] >= 0, `${label}: ${name} negative at ${vm.t[j]}`);
      if (j > 0 && vm.smartPaging[j] > vm.smartPaging[j - 1]) {
        const started = result.events.find((e) => e.type === 'vmStarted' && e.vm === name && e.t === vm.t[j]);
        assert.ok(started && started.type === 'vmStarted' && started.smartPagingBytes === vm.smartPaging[j],
          `${label}: ${name}'s Smart Paging grew at ${vm.t[j]} without a start`);
      }
    }
  }
  for (let i = 1; i < result.events.length; i++) assert.ok(result.events[i - 1].t <= result.events[i].t, `${label}: events out of order`);
}

test('invariants hold over 300 generated plans, and skipping quiet ticks changes nothing', () => {
  let smartPagingRuns = 0;
  let failures = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const text = generatePlan(seed);
    const { plan, diagnostics } = readPlan(text);
    assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), [], `seed ${seed}`);
    // Every VM point kept (no thinning of ramps), so the VM series can be added up against the hosts'.
    const fast = simulate(plan);
    const capacity = new Map(plan.hosts.map((h) => [h.name, h.memoryBytes - h.reserveBytes]));
    checkInvariants(fast, capacity, `seed ${seed}`);
    assert.deepEqual(simulate(plan, { reference: true }), fast, `seed ${seed}: the reference run differs`);
    assert.equal(JSON.stringify(simulate(readPlan(text).plan)), JSON.stringify(simulate(plan)), `seed ${seed}: not deterministic`);
    if (fast.events.some((e) => e.type === 'smartPagingStarted')) smartPagingRuns++;
    if (fast.events.some((e) => e.type === 'vmStartFailed')) failures++;
  }
  // The generator must reach the interesting paths, or the invariants prove little.
  assert.ok(smartPagingRuns >= 20, `only ${smartPagingRuns} plans used Smart Paging`);
  assert.ok(failures >= 20, `only ${failures} plans had a failed start`);
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
