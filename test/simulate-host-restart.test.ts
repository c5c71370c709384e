// Host restarts as Hyper-V does them (spec section 7.1, 7.4): stop actions, saved-state restore, the
// Smart Paging file's exit, NUMA at run time and runtime resize. Hand-computed: the comments give the
// arithmetic. Defaults: save/restore 512 MB/s (one after another per host), boot 60 s, remove 64 MB/s,
// add 256 MB/s; no overhead unless said.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzePlan } from '../server/src/core/analyze';
import { readPlan } from '../server/src/core/read';
import { simulate } from '../server/src/core/simulate';
import type { SimEvent, SimulationResult } from '../server/src/core/simulate/types';
import { GB, MB } from '../server/src/core/units';

function run(text: string): SimulationResult {
  const { plan, diagnostics } = readPlan(text);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), [], 'the test plan must read without errors');
  return simulate(plan);
}

function events(result: SimulationResult, ...types: SimEvent['type'][]): Record<string, unknown>[] {
  return result.events.filter((e) => types.includes(e.type)).map((e) => {
    const { message: _m, path: _p, ...rest } = e as SimEvent & { message?: string; path?: string };
    return rest;
  });
}


// 8 GB for VMs. A static 4 GB, B dynamic 4 GB startup / 1 GB minimum, guest demand 1 GB (holds its
// target 1.2 GB), C dynamic 2 GB / 512 MB, demand 512 MB (holds 614.4 MB).
const storm = (stop: { A?: string; B?: string; C?: string } = {}) => `{
  "hosts": [{ "name": "HV01", "memory": "10GB", "vmOverhead": "none" }],
  "vms": [
    { "name": "A", "memory": { "startup": "4GB" }${stop.A ? `, "automaticStopAction": "${stop.A}"` : ''} },
    { "name": "B", "memory": { "dynamic": true, "startup": "4GB", "minimum": "1GB" }${stop.B ? `, "automaticStopAction": "${stop.B}"` : ''} },
    { "name": "C", "memory": { "dynamic": true, "startup": "2GB", "minimum": "512MB" }${stop.C ? `, "automaticStopAction": "${stop.C}"` : ''} }
  ]
}`;

test('a host reboot with Hyper-V\'s defaults: every VM is saved and restored with what it held, no boot, no Smart Paging', () => {
  const r = run(storm());
  // Saves one after another: A 4 GB = 8 s (0..8), B 1.2 GB = 2.4 s -> 3 ticks (8..11), C 614.4 MB =
  // 1.2 s -> 2 ticks (11..13). Down and back at 13; restores in plan order, reading back the same way.
  const b = Math.floor(1.2 * GB);
  const c = Math.floor(614.4 * MB);
  assert.deepEqual(events(r, 'vmSaved', 'hostDown', 'hostUp', 'vmRestored', 'vmStarted', 'vmStartFailed', 'smartPagingStarted'), [
    { t: 8, type: 'vmSaved', vm: 'A', host: 'HV01', bytes: 4 * GB, seconds: 8 },
    { t: 11, type: 'vmSaved', vm: 'B', host: 'HV01', bytes: b, seconds: 11 },
    { t: 13, type: 'vmSaved', vm: 'C', host: 'HV01', bytes: c, seconds: 13 },
    { t: 13, type: 'hostDown', host: 'HV01' },
    { t: 13, type: 'hostUp', host: 'HV01' },
    { t: 13, type: 'vmRestored', vm: 'A', host: 'HV01', bytes: 4 * GB, seconds: 8 },
    { t: 13, type: 'vmRestored', vm: 'B', host: 'HV01', bytes: b, seconds: 11 },
    { t: 13, type: 'vmRestored', vm: 'C', host: 'HV01', bytes: c, seconds: 13 },
  ]);
  // Each comes back holding exactly what it held when saved (the series at 13: each VM's last point by then).
  const at = (vm: string, t: number) => { const s = r.series.vms[vm]; return s.physical[s.t.filter((x) => x <= t).length - 1]; };
  assert.deepEqual([at('A', 13), at('B', 13), at('C', 13)], [4 * GB, b, c]);
  assert.deepEqual(Object.values(r.vms).map((v) => [v.starts, v.running, v.saved, v.smartPagingPeakBytes]), [[1, true, false, 0], [1, true, false, 0], [1, true, false, 0]]);
});

test('mixed stop actions: the VM that was shut down boots on Smart Paging, the saved one is restored', () => {
  // A (Save) is saved in 8 s; B (ShutDown) and C (TurnOff) stop at once. Back at 8: A is restored with
  // its 4 GB; B boots needing 4 GB with 4 GB free: all physical; C boots needing 2 GB with nothing free
  // and nothing reclaimable (A restoring, B booting): 0 B physical < its 512 MB minimum: fails.
  const r = run(storm({ B: 'ShutDown', C: 'TurnOff' }));
  assert.deepEqual(events(r, 'vmStopped', 'vmSaved', 'vmRestored', 'vmStarted', 'vmStartFailed'), [
    { t: 0, type: 'vmStopped', vm: 'B', host: 'HV01' },
    { t: 0, type: 'vmStopped', vm: 'C', host: 'HV01' },
    { t: 8, type: 'vmSaved', vm: 'A', host: 'HV01', bytes: 4 * GB, seconds: 8 },
    { t: 8, type: 'vmRestored', vm: 'A', host: 'HV01', bytes: 4 * GB, seconds: 8 },
    { t: 8, type: 'vmStarted', vm: 'B', host: 'HV01', physicalBytes: 4 * GB, smartPagingBytes: 0, restart: true, failover: false },
    { t: 8, type: 'vmStartFailed', vm: 'C', host: 'HV01', reason: 'insufficient-memory' },
  ]);
});

test('the book\'s case after a host restart: a shut-down VM on Smart Paging, and the verified fix "stop action Save"', () => {
  // 6 GB for VMs. A static 4 GB is saved and restored; B (4 GB startup, 1 GB minimum, demand 1 GB, holds
  // 1.2 GB) is shut down, and boots at 8 with the 2 GB left: a 2 GB Smart Paging file. With stop action
  // Save it would be saved (1.2 GB) and restored beside A: no Smart Paging.
  const text = `{
  "hosts": [{ "name": "HV01", "memory": "8GB", "vmOverhead": "none", "systemDrive": "C:" }],
  "vms": [
    { "name": "A", "memory": { "startup": "4GB" } },
    { "name": "B", "memory": { "dynamic": true, "startup": "4GB", "minimum": "1GB" }, "smartPagingFilePath": "E:\\\\sp", "automaticStopAction": "ShutDown" }
  ]
}`;
  const r = run(text);
  assert.deepEqual(events(r, 'vmRestored', 'vmStarted', 'smartPagingStarted'), [
    { t: 8, type: 'vmRestored', vm: 'A', host: 'HV01', bytes: 4 * GB, seconds: 8 },
    { t: 8, type: 'vmStarted', vm: 'B', host: 'HV01', physicalBytes: 2 * GB, smartPagingBytes: 2 * GB, restart: true, failover: false },
    { t: 8, type: 'smartPagingStarted', vm: 'B', host: 'HV01', bytes: 2 * GB },
  ]);
  const finding = analyzePlan(text).diagnostics.find((d) => d.code === 'restart-smart-paging')!;
  assert.match(finding.message, /restarts at 0:00:08 on HV01 with only 2 GB of physical memory: a 2 GB Smart Paging file in E:\\sp/);
  assert.match(finding.message, /It boots there because its stop action is ShutDown: with Save it would be restored from saved state instead/);
  assert.deepEqual(finding.fixes, [{ title: 'Set B\'s stop action to Save (restored after a host restart, no Smart Paging)', edits: [{ on: 'vm', name: 'B', key: ['automaticStopAction'], value: 'Save' }] }]);
  const fixed = run(text.replace('"automaticStopAction": "ShutDown"', '"automaticStopAction": "Save"'));
  assert.equal(fixed.events.filter((e) => e.type === 'smartPagingStarted').length, 0);
});

test('a restore that cannot get the memory the VM held fails, and the VM stays saved', () => {
  // 6 GB for VMs. Z is off but set to Start (static 3 GB); Y (dynamic, demand 3 GB) holds its target
  // 3.6 GB and is saved: 7.2 s -> 8 ticks. Back at 8, in plan order: Z boots with 3 GB; Y's restore
  // needs 3.6 GB with 3 GB free and nothing reclaimable (Z is static): it fails, no Smart Paging.
  const r = run(`{
    "hosts": [{ "name": "HV01", "memory": "8GB", "vmOverhead": "none" }],
    "vms": [
      { "name": "Z", "memory": { "startup": "3GB" }, "state": "Off", "automaticStartAction": "Start" },
      { "name": "Y", "memory": { "dynamic": true, "startup": "2GB", "minimum": "1GB", "maximum": "8GB" }, "demand": "3GB" }
    ]
  }`);
  const y = Math.floor(3.6 * GB);
  assert.deepEqual(events(r, 'vmSaved', 'vmRestored', 'vmStarted', 'vmStartFailed', 'smartPagingStarted'), [
    { t: 8, type: 'vmSaved', vm: 'Y', host: 'HV01', bytes: y, seconds: 8 },
    { t: 8, type: 'vmStarted', vm: 'Z', host: 'HV01', physicalBytes: 3 * GB, smartPagingBytes: 0, restart: true, failover: false },
    { t: 8, type: 'vmStartFailed', vm: 'Y', host: 'HV01', reason: 'insufficient-memory', restore: true },
  ]);
  const failed = r.events.find((e) => e.type === 'vmStartFailed') as Extract<SimEvent, { type: 'vmStartFailed' }>;
  assert.equal(failed.message, 'Y could not be restored at 0:00:08: needs the 3.6 GB it held when saved; HV01 had 3 GB free and 0 B reclaimable (a restore gets no Smart Paging: it only serves restarts).');
  assert.deepEqual([r.vms.Y.running, r.vms.Y.saved, r.vms.Y.startFailures, r.vms.Y.starts], [false, true, 1, 0]);
});

test('a saved state that does not fit its volume: the VM is turned off instead and boots when the host is back', () => {
  // A holds 4 GB; its configuration folder is on D:, with 3 GB free: the save fails at 0, A is turned
  // off, the host goes down at once and A boots at 0 with its 4 GB.
  const text = `{
    "hosts": [{ "name": "HV01", "memory": "8GB", "vmOverhead": "none", "volumes": { "C:": "100GB", "D:": "3GB" } }],
    "vms": [{ "name": "A", "memory": { "startup": "4GB" }, "configurationPath": "D:\\\\VMs\\\\A" }]
  }`;
  const r = run(text);
  assert.deepEqual(events(r, 'vmSaveFailed', 'vmStopped', 'vmSaved', 'hostDown', 'vmStarted'), [
    { t: 0, type: 'vmSaveFailed', vm: 'A', host: 'HV01', bytes: 4 * GB },
    { t: 0, type: 'vmStopped', vm: 'A', host: 'HV01' },
    { t: 0, type: 'hostDown', host: 'HV01' },
    { t: 0, type: 'vmStarted', vm: 'A', host: 'HV01', physicalBytes: 4 * GB, smartPagingBytes: 0, restart: true, failover: false },
  ]);
  const diagnostics = analyzePlan(text).diagnostics.filter((d) => d.code === 'saved-state-disk');
  // The static check (on the volume) and the scenario's (on the VM's configuration folder).
  assert.deepEqual(diagnostics.map((d) => text.slice(d.span.start, d.span.end)), ['"D:"', '"D:\\\\VMs\\\\A"']);
  assert.match(diagnostics[1].message, /A's 4 GB saved state does not fit D: at 0:00:00 \(3 GB free\): it is turned off instead/);
});

test('NUMA spanning off: a start must fit one node, and Dynamic Memory grows only inside its node', () => {
  // 64 GB, 2 GB reserve, 2 nodes: 31 GB for VMs in each. At 0, in plan order, each VM goes to the node
  // with the most room: A (static 20 GB) to node 0, B (static 20 GB) to node 1, D (dynamic, its target
  // 1.2 GB) to node 0, the first of two with 11 GB: node 0 has 9.8 GB free (D could give back 0.2 GB),
  // node 1 11 GB.
  const text = `{
    "hosts": [{ "name": "HV01", "memory": "64GB", "numaNodes": 2, "numaSpanning": false, "vmOverhead": "none" }],
    "vms": [
      { "name": "A", "memory": { "startup": "20GB" } },
      { "name": "B", "memory": { "startup": "20GB" } },
      { "name": "C", "memory": { "startup": "12GB" }, "state": "Off" },
      { "name": "D", "memory": { "dynamic": true, "startup": "2GB", "minimum": "1GB", "maximum": "64GB" }, "demand": [{ "at": 0, "memory": "1GB" }, { "at": 20, "memory": "40GB" }] }
    ],
    "scenario": { "duration": "5m", "events": [{ "at": 10, "type": "vmStart", "vm": "C" }] }
  }`;
  const r = run(text);
  // At 10 C needs 12 GB: the host has 20.8 GB free, but no node has 12 GB.
  const failed = r.events.find((e) => e.type === 'vmStartFailed') as Extract<SimEvent, { type: 'vmStartFailed' }>;
  assert.equal(failed.message, 'C could not start at 0:00:10: needs 12 GB; the best NUMA node of HV01 (NUMA spanning is off: nodes of 31 GB for VMs each, with 10 GB, 11 GB free and reclaimable) had 11 GB free and 0 B reclaimable (a cold start gets no Smart Paging).');
  // At 20 D's guest wants 40 GB: it grows to the 11 GB its node has beside A, not into node 1's 11 GB.
  assert.equal(r.vms.D.assignedBytes, 11 * GB);
  assert.equal(r.series.hosts.HV01.free.at(-1), 11 * GB);
  // Short of its demand at the end: 40 GB / 11 GB.
  const pressure = analyzePlan(text).diagnostics.find((d) => d.code === 'memory-pressure')!;
  assert.match(pressure.message, /D's guest needs 40 GB but holds 11 GB \(pressure 364 %\)/);
});

test('memory-pressure is pressure that lasts: not a demand rise Hyper-V is still adding memory for at the end', () => {
  // 14 GB for VMs, memory added at 100 MB/s. D (dynamic, up to 8 GB) asks 2 GB, then 4 GB: at 200 s that
  // is 2 GB (plus its 20 % buffer) to add, about 25 s. At a 230 s end it has caught up; at a 205 s end it
  // is still growing: no finding. E (maximum 3 GB) wants 4 GB at 100 s and can never have it: pressure.
  const plan = (end: number) => `{
    "hosts": [{ "name": "HV01", "memory": "16GB", "vmOverhead": "none" }],
    "vms": [
      { "name": "D", "memory": { "dynamic": true, "startup": "2GB", "minimum": "1GB", "maximum": "8GB" }, "demand": [{ "at": 0, "memory": "2GB" }, { "at": 200, "memory": "4GB" }] },
      { "name": "E", "memory": { "dynamic": true, "startup": "2GB", "minimum": "1GB", "maximum": "3GB" }, "demand": [{ "at": 0, "memory": "1GB" }, { "at": 100, "memory": "4GB" }] }
    ],
    "model": { "addRatePerSecond": "100MB" },
    "scenario": { "duration": ${end}, "events": [] }
  }`;
  const pressured = (end: number) => analyzePlan(plan(end)).diagnostics.filter((d) => d.code === 'memory-pressure').map((d) => d.about?.vm);
  assert.deepEqual(pressured(230), ['E']);
  assert.deepEqual(pressured(205), ['E'], 'D is still growing 5 s after its rise');
  const r = run(plan(205));
  assert.ok(r.vms.D.assignedBytes < r.vms.D.demandBytes, 'and it does hold less than its guest asks');
});

// Runtime resize: 14 GB for VMs, no overhead, no host restart (the scenario has its own events).
const resizing = (vm: string, events: string) => `{
  "hosts": [{ "name": "HV01", "memory": "16GB", "vmOverhead": "none" }],
  "vms": [${vm}],
  "scenario": { "duration": "2m", "events": [${events}] }
}`;
const refusals = (r: SimulationResult) => r.events.filter((e): e is Extract<SimEvent, { type: 'vmResizeFailed' }> => e.type === 'vmResizeFailed').map((e) => e.message);

test('runtime resize of a static generation-2 VM: more memory from free memory, and a later restart uses it', () => {
  const r = run(resizing('{ "name": "V", "memory": { "startup": "4GB" } }',
    '{ "at": 10, "type": "vmResize", "vm": "V", "startup": "6GB" }, { "at": 20, "type": "vmRestart", "vm": "V" }'));
  assert.deepEqual(events(r, 'vmResized', 'vmResizeFailed', 'vmStarted'), [
    { t: 10, type: 'vmResized', vm: 'V', host: 'HV01', startupBytes: 6 * GB },
    { t: 20, type: 'vmStarted', vm: 'V', host: 'HV01', physicalBytes: 6 * GB, smartPagingBytes: 0, restart: true, failover: false },
  ]);
  assert.equal(r.vms.V.assignedBytes, 6 * GB);
});

test('runtime resize takes away only memory the guest does not use', () => {
  // V holds 8 GB and its guest uses 6 GB: asked for 4 GB, it goes down to 6 GB, and says so.
  const r = run(resizing('{ "name": "V", "memory": { "startup": "8GB" }, "demand": "6GB" }', '{ "at": 10, "type": "vmResize", "vm": "V", "startup": "4GB" }'));
  assert.deepEqual(events(r, 'vmResized'), [{ t: 10, type: 'vmResized', vm: 'V', host: 'HV01', startupBytes: 6 * GB }]);
  assert.deepEqual(refusals(r), ['V\'s resize at 0:00:10 is refused: only 2 GB of the 4 GB asked could be taken away (the guest uses 6 GB): it now has 6 GB.']);
  assert.equal(r.vms.V.assignedBytes, 6 * GB);
});

test('runtime resize refusals: generation 1, more than the host has, a Dynamic Memory VM\'s startup, a minimum above what it holds, odd MB', () => {
  const cases: [string, string, RegExp][] = [
    ['{ "name": "V", "generation": 1, "memory": { "startup": "4GB" } }', '"startup": "6GB"', /a generation 1 VM changes its memory only while it is off/],
    ['{ "name": "V", "memory": { "startup": "4GB" } }', '"startup": "20GB"', /it needs 16 GB more, and HV01 has 10 GB free and 0 B reclaimable/],
    ['{ "name": "V", "memory": { "dynamic": true, "startup": "4GB", "minimum": "1GB" } }', '"startup": "6GB"', /the startup memory of a Dynamic Memory VM changes only while it is off/],
    // V holds its target, 1.2 GB: a 2 GB minimum (below its 4 GB startup) would be above that.
    ['{ "name": "V", "memory": { "dynamic": true, "startup": "4GB", "minimum": "1GB" } }', '"minimum": "2GB"', /while it runs its minimum cannot go above the 1\.2 GB it holds/],
    ['{ "name": "V", "memory": { "dynamic": true, "startup": "4GB", "minimum": "1GB" } }', '"maximum": "3GB"', /minimum ≤ startup ≤ maximum, and 1 GB ≤ 4 GB ≤ 3 GB does not hold/],
    ['{ "name": "V", "memory": { "startup": "4GB" } }', '"startup": "4097MB"', /4097 MB is not a whole, even number of MB/],
  ];
  for (const [vm, change, why] of cases) {
    const r = run(resizing(vm, `{ "at": 10, "type": "vmResize", "vm": "V", ${change} }`));
    assert.equal(events(r, 'vmResized').length, 0, change);
    assert.match(refusals(r)[0] ?? '', why, change);
  }
});

test('a Dynamic Memory VM\'s raised maximum lets the balancer give it more; a VM that is off takes any valid setting', () => {
  // D's guest wants 6 GB but D is capped at its 4 GB maximum; raised to 8 GB at 10, it grows to its
  // target 7.2 GB (256 MB/s) from the 10 GB free.
  const r = run(resizing('{ "name": "D", "memory": { "dynamic": true, "startup": "2GB", "minimum": "1GB", "maximum": "4GB" }, "demand": "6GB" }, { "name": "O", "memory": { "startup": "2GB" }, "state": "Off" }',
    '{ "at": 10, "type": "vmResize", "vm": "D", "maximum": "8GB" }, { "at": 10, "type": "vmResize", "vm": "O", "startup": "3GB" }, { "at": 30, "type": "vmStart", "vm": "O" }'));
  assert.deepEqual(refusals(r), []);
  assert.equal(r.vms.D.assignedBytes, Math.floor(7.2 * GB));
  assert.equal((r.events.find((e) => e.type === 'vmStarted' && e.vm === 'O') as Extract<SimEvent, { type: 'vmStarted' }>).physicalBytes, 3 * GB);
});

test('a refused resize is a scenario diagnostic on its event', () => {
  const text = resizing('{ "name": "V", "generation": 1, "memory": { "startup": "4GB" } }', '{ "at": 10, "type": "vmResize", "vm": "V", "startup": "6GB" }');
  const d = analyzePlan(text).diagnostics.find((x) => x.code === 'resize-refused')!;
  assert.equal(text.slice(d.span.start, d.span.end), '"vmResize"');
  assert.equal(d.severity, 'warning');
});
