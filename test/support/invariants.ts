// What every simulation must satisfy, whatever the plan: no negative memory, no host above its
// capacity, the VM series adding up to the hosts', Smart Paging growing only at a start, events in
// time order. Used over generated plans (simulate-invariants) and fuzzed ones (fuzz-plans).
import { strict as assert } from 'node:assert';
import type { SimulationResult } from '../../server/src/core/simulate/types';

/** `capacity`: each host's memory for VMs. VM series must hold every point (vmSampleSeconds 0). */
export function checkInvariants(result: SimulationResult, capacity: Map<string, number>, label: string): void {
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
