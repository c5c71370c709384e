// What every simulation must satisfy, whatever the plan: no negative memory, no host above its
// capacity (a migration counts on both nodes while it runs), the VM series adding up to the hosts' (each
// VM on exactly one host), Smart Paging growing only at a start and leaving while its host has free
// memory, a restored VM holding exactly what it saved, events in time order. Used over generated plans
// (simulate-invariants) and fuzzed ones (fuzz-plans).
import { strict as assert } from 'node:assert';
import type { Plan } from '../../server/src/core/plan';
import type { SimEvent, SimulationResult } from '../../server/src/core/simulate/types';

type Of<T extends SimEvent['type']> = Extract<SimEvent, { type: T }>;

export function checkInvariants(plan: Plan, result: SimulationResult, label: string): void {
  const { series } = result;
  for (const [name, s] of Object.entries(series.hosts)) {
    for (let i = 0; i < series.t.length; i++) {
      const where = `${label}: host ${name} at t=${series.t[i]}`;
      assert.ok(s.physical[i] >= 0 && s.overhead[i] >= 0 && s.smartPaging[i] >= 0 && s.incoming[i] >= 0 && s.free[i] >= 0, `${where}: negative memory`);
      assert.ok(s.physical[i] + s.overhead[i] + s.incoming[i] <= result.hosts[name].capacity, `${where}: above capacity`);
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
        // The start happened since the previous sample (samples may be further apart than ticks).
        const since = series.t[series.t.indexOf(vm.t[j]) - 1] ?? -1;
        const started = result.events.filter((e) => e.type === 'vmStarted' && e.vm === name && e.t > since && e.t <= vm.t[j]).at(-1);
        assert.ok(started && started.type === 'vmStarted' && started.smartPagingBytes === vm.smartPaging[j],
          `${label}: ${name}'s Smart Paging grew at ${vm.t[j]} without a start`);
      }
    }
  }
  for (let i = 1; i < result.events.length; i++) assert.ok(result.events[i - 1].t <= result.events[i].t, `${label}: events out of order`);
  checkRestores(result, label);
  checkSmartPagingLeaves(plan, result, label);
}

/** A restore reads back exactly what was saved, and the VM holds exactly that when it is back. */
function checkRestores(result: SimulationResult, label: string): void {
  const saved = new Map<string, number>();
  for (const e of result.events) {
    if (e.type === 'vmSaved') saved.set(e.vm, e.bytes);
    if (e.type !== 'vmRestored') continue;
    assert.equal(e.bytes, saved.get(e.vm), `${label}: ${e.vm} restored at ${e.t} with other than it saved`);
    if (!result.series.t.includes(e.t)) continue;
    const vm = result.series.vms[e.vm];
    const j = vm.t.filter((t) => t <= e.t).length - 1;
    assert.equal(vm.physical[j] + vm.smartPaging[j], e.bytes, `${label}: ${e.vm} does not hold what it saved when restored at ${e.t}`);
  }
}

/**
 * After its boot, a VM's Smart Paging memory shrinks at every balancer step while its host has free
 * memory (checked where a host is one pool, with a sample on every tick), until something else happens
 * to the VM (it stops, reboots, is saved, moves or is resized).
 */
function checkSmartPagingLeaves(plan: Plan, result: SimulationResult, label: string): void {
  const { series } = result;
  const tick = plan.model.tickSeconds;
  if (series.t.length > 1 && Math.abs(series.t[1] - series.t[0] - tick) > 1e-9) return;
  for (const start of result.events.filter((e): e is Of<'vmStarted'> => e.type === 'vmStarted' && e.smartPagingBytes > 0)) {
    const vm = plan.vms.find((v) => v.name === start.vm)!;
    const host = plan.hosts.find((h) => h.name === start.host)!;
    if (!host.numaSpanning && host.numaNodes > 1) continue;
    const bootEnd = start.t + Math.ceil(vm.bootSeconds / tick - 1e-9) * tick;
    const other = result.events.find((e) => e.t > start.t && 'vm' in e && e.vm === start.vm && e.type !== 'smartPagingOverTarget' && e.type !== 'demand' && e.type !== 'smartPagingEnded'
      || (e.t > start.t && e.type === 'hostRestart' && e.host === start.host));
    const end = Math.min(other?.t ?? Infinity, result.duration);
    const s = series.vms[start.vm];
    const hs = series.hosts[start.host];
    const value = (t: number) => { const j = s.t.filter((x) => x <= t + 1e-9).length - 1; return s.smartPaging[j]; };
    for (let i = series.t.indexOf(bootEnd); i >= 0 && i + 1 < series.t.length && series.t[i + 1] <= end; i++) {
      const t = series.t[i];
      if (value(t) > 0 && hs.free[i] >= 1024 * 1024) {
        assert.ok(value(series.t[i + 1]) < value(t), `${label}: ${start.vm} keeps ${value(t)} bytes of Smart Paging at ${series.t[i + 1]} though ${start.host} had ${hs.free[i]} free at ${t}`);
      }
    }
  }
}
