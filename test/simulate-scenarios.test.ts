// Hand-computed scenarios. Each plan is small enough to work out on paper; the comments show the
// arithmetic, and the assertions check event times and sizes against it.
// Conventions (docs/simulation.md): at each tick the balancer runs first (covering the second just
// past), then the events of that tick apply. Defaults: boot 60 s, remove 64 MB/s, add 256 MB/s.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readPlan } from '../server/src/core/read';
import { simulate, SimulationRefused, simulationRefusal } from '../server/src/core/simulate';
import type { SimEvent, SimulationResult } from '../server/src/core/simulate/types';
import { MB, GB } from '../server/src/core/units';

function run(text: string): SimulationResult {
  const { plan, diagnostics } = readPlan(text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), [], 'the test plan must read without errors');
  return simulate(plan);
}

/** The events of some types, without the human message (asserted separately where it matters). */
function events(result: SimulationResult, ...types: SimEvent['type'][]): Record<string, unknown>[] {
  return result.events
    .filter((e) => types.includes(e.type))
    .map((e) => {
      const { message: _m, ...rest } = e as SimEvent & { message?: string };
      return rest;
    });
}

// Host: 4 GB installed, 2 GB reserve -> 2 GB for VMs, no overhead to keep the arithmetic plain.
// "app" needs 1 GB to start but its guest uses 400 MB, so it holds its 512 MB minimum;
// "filler" is static 1.5 GB. Free: 2048 - 512 - 1536 = 0.
const bookCase = (extra: { app?: string; demand?: string; scenario?: string; host?: string } = {}) => `{
  "hosts": [{ "name": "HV01", "memory": "4GB", "vmOverhead": "none" ${extra.host ?? ''} }],
  "vms": [
    { "name": "app", "memory": { "dynamic": true, "startup": "1GB", "minimum": "512MB", "maximum": "4GB" },
      "demand": ${extra.demand ?? '"400MB"'}, "smartPagingFilePath": "D:\\\\SmartPaging" ${extra.app ?? ''} },
    { "name": "filler", "memory": { "startup": "1536MB" } }
  ],
  "scenario": ${extra.scenario ?? '{ "duration": "15m", "events": [{ "at": 10, "type": "vmRestart", "vm": "app" }] }'}
}`;

test("the book's case: a restart holding 512 MB of 1 GB boots on a 512 MB Smart Paging file that drains after boot", () => {
  const r = run(bookCase());
  // t=10: app holds 512 MB, free 0, nothing reclaimable (filler is static): 512 MB physical >= minimum,
  // the other 512 MB from a Smart Paging file. Boot ends at 70; from the balancer pass at 71 on, the
  // target (400 MB x 1.2 = 480 MB, raised to the 512 MB minimum) is below the 1 GB held, so 64 MB/s is
  // ballooned out, Smart Paging first: 512 / 64 = 8 passes (71..78), the file is deleted at 78.
  assert.deepEqual(events(r, 'vmStarted', 'vmStartFailed', 'smartPagingStarted', 'smartPagingEnded', 'smartPagingOverTarget'), [
    { t: 10, type: 'vmStarted', vm: 'app', host: 'HV01', physicalBytes: 512 * MB, smartPagingBytes: 512 * MB, restart: true, failover: false },
    { t: 10, type: 'smartPagingStarted', vm: 'app', host: 'HV01', bytes: 512 * MB, path: 'D:\\SmartPaging' },
    { t: 78, type: 'smartPagingEnded', vm: 'app', host: 'HV01', seconds: 68 },
  ]);
  const app = r.vms.app;
  assert.equal(app.smartPagingPeakBytes, 512 * MB);
  assert.equal(app.smartPagingSeconds, 68);
  assert.equal(app.assignedBytes, 512 * MB);
  assert.equal(app.starts, 1);
  assert.equal(app.running, true);
  assert.equal(app.smartPagingPath, 'D:\\SmartPaging');
  // The VM's series has a point at every sample where it changed: 64 MB less Smart Paging at each pass.
  const series = r.series.vms.app;
  assert.deepEqual(series.t, [0, 10, 71, 72, 73, 74, 75, 76, 77, 78]);
  assert.deepEqual(series.smartPaging.slice(1).map((b) => b / MB), [512, 448, 384, 320, 256, 192, 128, 64, 0]);
});

test('a cold start short of memory fails: Smart Paging never helps a start from Off', () => {
  const r = run(bookCase({ app: ', "state": "Off"', scenario: '{ "duration": "5m", "events": [{ "at": 10, "type": "vmStart", "vm": "app" }] }' }));
  // app is off: free = 2048 - 1536 = 512 MB < 1 GB, nothing reclaimable, and a cold start gets no Smart Paging.
  assert.deepEqual(events(r, 'vmStarted', 'vmStartFailed', 'smartPagingStarted'), [
    { t: 10, type: 'vmStartFailed', vm: 'app', host: 'HV01', reason: 'insufficient-memory' },
  ]);
  const failure = r.events.find((e) => e.type === 'vmStartFailed') as Extract<SimEvent, { type: 'vmStartFailed' }>;
  assert.match(failure.message, /1 GB/);
  assert.match(failure.message, /512 MB/);
  assert.equal(r.vms.app.running, false);
  assert.equal(r.vms.app.startFailures, 1);
  assert.equal(r.vms.app.assignedBytes, 0);
});

test('a full Smart Paging volume makes the restart fail and frees what the VM held', () => {
  const r = run(bookCase({ host: ', "volumes": { "C:": "100GB", "D:": "256MB" }' }));
  // The file would need 512 MB on D:, which has 256 MB free.
  assert.deepEqual(events(r, 'vmStarted', 'vmStartFailed', 'smartPagingStarted', 'vmStopped'), [
    { t: 10, type: 'vmStartFailed', vm: 'app', host: 'HV01', reason: 'smart-paging-disk-full' },
  ]);
  assert.equal(r.vms.app.running, false);
  assert.equal(r.vms.app.assignedBytes, 0);
  assert.equal(r.series.hosts.HV01.free.at(-1), 512 * MB);
});

test('a volume with room for the file lets the same restart through', () => {
  const r = run(bookCase({ host: ', "volumes": { "D:": "512MB" }' }));
  assert.equal(events(r, 'smartPagingStarted').length, 1);
});

test('demand that stays high keeps Smart Paging in use past the 10-minute target', () => {
  const r = run(bookCase({ demand: '[{ "at": 0, "memory": "400MB" }, { "at": 20, "memory": "1GB" }]' }));
  // After boot (70) the target is 1 GB x 1.2 = 1228.8 MB, above the 1 GB held, and no physical memory is
  // free: nothing is ballooned out, so the 512 MB file stays. 10 + 600 = 610: over target. At the end
  // (900 s) it has been in use 890 s.
  assert.deepEqual(events(r, 'smartPagingStarted', 'smartPagingEnded', 'smartPagingOverTarget'), [
    { t: 10, type: 'smartPagingStarted', vm: 'app', host: 'HV01', bytes: 512 * MB, path: 'D:\\SmartPaging' },
    { t: 610, type: 'smartPagingOverTarget', vm: 'app', host: 'HV01' },
  ]);
  assert.equal(r.vms.app.smartPagingSeconds, 890);
  assert.equal(r.vms.app.assignedBytes, 512 * MB);
});

test('when memory frees up, physical memory replaces the Smart Paging file at the balloon\'s pace, before the VM grows', () => {
  const r = run(bookCase({
    demand: '[{ "at": 0, "memory": "400MB" }, { "at": 20, "memory": "1GB" }, { "at": 200, "memory": "400MB" }]',
    scenario: '{ "duration": "10m", "events": [{ "at": 10, "type": "vmRestart", "vm": "app" }, { "at": 100, "type": "vmStop", "vm": "filler" }] }',
  }));
  // Until 100 nothing is free: app holds 512 MB + 512 MB Smart Paging, its level (the 1 GB demand).
  // 100: filler stops, 1536 MB free; app's target is 1 GB x 1.2 = 1228.8 MB. Each pass from 101 the
  // balloon takes 64 MB out of the file while hot-add puts 64 MB of physical memory in its place; the
  // rest of the 256 MB hot-add step (192 MB) grows the VM: 101: 768 MB physical + 448 MB file; 102:
  // 844.8 + 384 (only 12.8 MB short of the target then); 103..108 64 MB each: the file is deleted at
  // 108, 98 s after the restart.
  assert.deepEqual(events(r, 'smartPagingEnded'), [{ t: 108, type: 'smartPagingEnded', vm: 'app', host: 'HV01', seconds: 98 }]);
  const series = r.series.vms.app;
  const at = (t: number) => series.t.indexOf(t);
  const target = Math.floor(1.2 * GB);
  assert.deepEqual([101, 102, 108].map((t) => [series.physical[at(t)], series.smartPaging[at(t)]]), [[768 * MB, 448 * MB], [target - 384 * MB, 384 * MB], [target, 0]]);
  assert.equal(r.vms.app.assignedBytes, 512 * MB);
});

test('a restart short of the minimum fails; with smartPagingRequiresMinimum off it runs on Smart Paging', () => {
  // Host restart: app is shut down (no saved state), so it boots when the host is back; "big" (static
  // 1792 MB, off but set to Start) starts first and leaves 256 MB, under app's 512 MB minimum.
  const plan = (model: string) => `{
    "hosts": [{ "name": "HV01", "memory": "4GB", "vmOverhead": "none" }],
    "vms": [
      { "name": "big", "memory": { "startup": "1792MB" }, "state": "Off", "automaticStartAction": "Start" },
      { "name": "app", "memory": { "dynamic": true, "startup": "1GB", "minimum": "512MB" }, "automaticStopAction": "ShutDown" }
    ],
    "model": { ${model} }
  }`;
  const strict = run(plan(''));
  assert.deepEqual(events(strict, 'hostRestart', 'hostDown', 'hostUp', 'vmStopped', 'vmStarted', 'vmStartFailed'), [
    { t: 0, type: 'hostRestart', host: 'HV01' },
    { t: 0, type: 'vmStopped', vm: 'app', host: 'HV01' },
    { t: 0, type: 'hostDown', host: 'HV01' },
    { t: 0, type: 'hostUp', host: 'HV01' },
    { t: 0, type: 'vmStarted', vm: 'big', host: 'HV01', physicalBytes: 1792 * MB, smartPagingBytes: 0, restart: true, failover: false },
    { t: 0, type: 'vmStartFailed', vm: 'app', host: 'HV01', reason: 'insufficient-memory' },
  ]);
  const lenient = run(plan('"smartPagingRequiresMinimum": false'));
  assert.deepEqual(events(lenient, 'vmStarted').at(-1),
    { t: 0, type: 'vmStarted', vm: 'app', host: 'HV01', physicalBytes: 256 * MB, smartPagingBytes: 768 * MB, restart: true, failover: false });
});

// Boot storm: 8 GB for VMs, no overhead. A static 4 GB, B dynamic 4 GB startup / 1 GB minimum and
// demand, C dynamic 2 GB startup / 512 MB minimum and demand. Stop action ShutDown: after the host
// restart each VM boots at its startup memory.
const storm = (delays: [number, number, number], stop = 'ShutDown') => `{
  "hosts": [{ "name": "HV01", "memory": "10GB", "vmOverhead": "none" }],
  "vms": [
    { "name": "A", "memory": { "startup": "4GB" }, "automaticStartDelay": ${delays[0]}, "automaticStopAction": "${stop}" },
    { "name": "B", "memory": { "dynamic": true, "startup": "4GB", "minimum": "1GB" }, "automaticStartDelay": ${delays[1]}, "automaticStopAction": "${stop}" },
    { "name": "C", "memory": { "dynamic": true, "startup": "2GB", "minimum": "512MB" }, "automaticStartDelay": ${delays[2]}, "automaticStopAction": "${stop}" }
  ]
}`;

test('host restart boot storm without start delays: the last VM finds nothing and fails', () => {
  const r = run(storm([0, 0, 0]));
  // t=0: A takes 4 GB, B 4 GB (booting, nothing reclaimable), C gets 0 physical < 512 MB minimum.
  assert.deepEqual(events(r, 'vmStarted', 'vmStartFailed'), [
    { t: 0, type: 'vmStarted', vm: 'A', host: 'HV01', physicalBytes: 4 * GB, smartPagingBytes: 0, restart: true, failover: false },
    { t: 0, type: 'vmStarted', vm: 'B', host: 'HV01', physicalBytes: 4 * GB, smartPagingBytes: 0, restart: true, failover: false },
    { t: 0, type: 'vmStartFailed', vm: 'C', host: 'HV01', reason: 'insufficient-memory' },
  ]);
});

test('host restart boot storm with start delays: staggering lets every VM come back', () => {
  const r = run(storm([0, 10, 100]));
  // B boots 10..70, then balloons 64 MB/s toward 1.2 GB in passes 71..: by the pass at 100 it has given
  // back 30 x 64 = 1920 MB (holds 2176 MB). C at 100: free 1920 MB + reclaimable 2176 - 1024 = 1152 MB
  // covers its 2 GB, all physical.
  assert.deepEqual(events(r, 'vmStarted', 'vmStartFailed'), [
    { t: 0, type: 'vmStarted', vm: 'A', host: 'HV01', physicalBytes: 4 * GB, smartPagingBytes: 0, restart: true, failover: false },
    { t: 10, type: 'vmStarted', vm: 'B', host: 'HV01', physicalBytes: 4 * GB, smartPagingBytes: 0, restart: true, failover: false },
    { t: 100, type: 'vmStarted', vm: 'C', host: 'HV01', physicalBytes: 2 * GB, smartPagingBytes: 0, restart: true, failover: false },
  ]);
  // At the end B and C sit at their targets: 1 GB x 1.2 and 512 MB x 1.2.
  assert.equal(r.vms.B.assignedBytes, Math.floor(1.2 * GB));
  assert.equal(r.vms.C.assignedBytes, Math.floor(614.4 * MB));
  // Series sample the whole run; at 100 the host's VMs hold all 8 GB.
  const i = r.series.t.indexOf(100);
  assert.equal(r.series.hosts.HV01.physical[i], 8 * GB);
  assert.equal(r.series.hosts.HV01.free[i], 0);
});

test('a host restart with Smart Paging: the restart reclaims what it can and pages the rest', () => {
  // Capacity 6 GB, both VMs shut down at the restart. A static 4 GB starts first; B (4 GB startup, 1 GB
  // minimum) then has 2 GB physical and 2 GB on Smart Paging; its guest wants 1 GB, so after boot (60)
  // 2 GB drain in 32 passes (61..92).
  const r = run(`{
    "hosts": [{ "name": "HV01", "memory": "8GB", "vmOverhead": "none" }],
    "vms": [
      { "name": "A", "memory": { "startup": "4GB" }, "automaticStopAction": "ShutDown" },
      { "name": "B", "memory": { "dynamic": true, "startup": "4GB", "minimum": "1GB" }, "smartPagingFilePath": "E:\\\\sp", "automaticStopAction": "TurnOff" }
    ]
  }`);
  assert.deepEqual(events(r, 'vmStarted', 'smartPagingStarted', 'smartPagingEnded'), [
    { t: 0, type: 'vmStarted', vm: 'A', host: 'HV01', physicalBytes: 4 * GB, smartPagingBytes: 0, restart: true, failover: false },
    { t: 0, type: 'vmStarted', vm: 'B', host: 'HV01', physicalBytes: 2 * GB, smartPagingBytes: 2 * GB, restart: true, failover: false },
    { t: 0, type: 'smartPagingStarted', vm: 'B', host: 'HV01', bytes: 2 * GB, path: 'E:\\sp' },
    { t: 92, type: 'smartPagingEnded', vm: 'B', host: 'HV01', seconds: 92 },
  ]);
});

test('start actions and states decide who comes back after a host restart', () => {
  const r = run(`{
    "hosts": [{ "name": "HV01", "memory": "16GB" }],
    "vms": [
      { "name": "runs", "memory": { "startup": "1GB" } },
      { "name": "offIfRunning", "memory": { "startup": "1GB" }, "state": "Off" },
      { "name": "offStart", "memory": { "startup": "1GB" }, "state": "Off", "automaticStartAction": "Start", "automaticStartDelay": "2m" },
      { "name": "runsNothing", "memory": { "startup": "1GB" }, "automaticStartAction": "Nothing" }
    ],
    "model": { "hostBootSeconds": 30 },
    "scenario": { "duration": "10m", "events": [{ "at": "1m", "type": "hostRestart", "host": "HV01" }] }
  }`);
  // The two running VMs are saved (the default stop action), one after the other at 512 MB/s: 1 GB
  // takes 2 s, so at 62 and 64. The host goes down at 64 and is back at 94. "runs" (StartIfRunning)
  // is restored then, reading its 1 GB back in 2 s; "runsNothing" stays saved; "offStart" boots 2
  // minutes later (214); "offIfRunning" was off and stays off.
  assert.deepEqual(events(r, 'hostRestart', 'hostDown', 'hostUp', 'vmStopped', 'vmSaved', 'vmRestored', 'vmStarted', 'vmStartFailed'), [
    { t: 60, type: 'hostRestart', host: 'HV01' },
    { t: 62, type: 'vmSaved', vm: 'runs', host: 'HV01', bytes: GB, seconds: 2, path: 'C:\\ProgramData\\Microsoft\\Windows\\Hyper-V' },
    { t: 64, type: 'vmSaved', vm: 'runsNothing', host: 'HV01', bytes: GB, seconds: 4, path: 'C:\\ProgramData\\Microsoft\\Windows\\Hyper-V' },
    { t: 64, type: 'hostDown', host: 'HV01' },
    { t: 94, type: 'hostUp', host: 'HV01' },
    { t: 94, type: 'vmRestored', vm: 'runs', host: 'HV01', bytes: GB, seconds: 2 },
    { t: 214, type: 'vmStarted', vm: 'offStart', host: 'HV01', physicalBytes: GB, smartPagingBytes: 0, restart: true, failover: false },
  ]);
  assert.deepEqual(Object.fromEntries(Object.entries(r.vms).map(([n, v]) => [n, [v.running, v.saved]])),
    { runs: [true, false], offIfRunning: [false, false], offStart: [true, false], runsNothing: [false, true] });
  // Per-VM overhead follows the startup memory: 32 MB for each of the two running 1 GB VMs.
  assert.equal(r.series.hosts.HV01.overhead.at(-1), 64 * MB);
});

test('failover takes High, then Medium, then Low to the node with most free memory; NoAutoStart stays off', () => {
  // Capacities (8 GB each, no overhead): N2 holds 5 GB (3 GB free), N3 5.5 GB (2.5 GB free).
  // rootMemoryReserved 512 MB. N1 fails at 30: hi -> N2 (3 GB free, 1 GB left), med -> N3 (2.5 GB,
  // 0.5 GB left = exactly the reserve), low (2 GB) fits nowhere. nas is not started.
  const r = run(`{
    "hosts": [
      { "name": "N1", "memory": "10GB", "vmOverhead": "none" },
      { "name": "N2", "memory": "10GB", "vmOverhead": "none" },
      { "name": "N3", "memory": "10GB", "vmOverhead": "none" }
    ],
    "cluster": { "name": "CL", "rootMemoryReserved": "512MB" },
    "vms": [
      { "name": "low", "host": "N1", "memory": { "startup": "2GB" }, "clusterPriority": "Low" },
      { "name": "med", "host": "N1", "memory": { "startup": "2GB" } },
      { "name": "nas", "host": "N1", "memory": { "startup": "1GB" }, "clusterPriority": "NoAutoStart" },
      { "name": "hi", "host": "N1", "memory": { "startup": "2GB" }, "clusterPriority": "High" },
      { "name": "fill2", "host": "N2", "memory": { "startup": "5GB" } },
      { "name": "fill3", "host": "N3", "memory": { "startup": "5632MB" } }
    ],
    "scenario": { "duration": "5m", "events": [{ "at": 30, "type": "nodeFailure", "host": "N1" }] }
  }`);
  assert.deepEqual(events(r, 'nodeFailure', 'vmStarted', 'vmStartFailed'), [
    { t: 30, type: 'nodeFailure', host: 'N1' },
    { t: 30, type: 'vmStarted', vm: 'hi', host: 'N2', physicalBytes: 2 * GB, smartPagingBytes: 0, restart: false, failover: true },
    { t: 30, type: 'vmStarted', vm: 'med', host: 'N3', physicalBytes: 2 * GB, smartPagingBytes: 0, restart: false, failover: true },
    { t: 30, type: 'vmStartFailed', vm: 'low', host: 'N1', reason: 'no-capacity' },
  ]);
  assert.equal(r.vms.nas.running, false);
  assert.equal(r.vms.hi.host, 'N2');
  assert.equal(r.hosts.N1.failed, true);
  assert.equal(r.series.hosts.N1.physical.at(-1), 0);
});

test('contention: minimums kept, buffers go first, then memory shared by weight', () => {
  // 4 GB for VMs, no overhead. Three VMs, minimum 512 MB each. Demands rise at 10 to 2 GB each
  // (targets 2.4 GB): they cannot all have it. 4096 - 3 x 512 = 2560 MB above the minimums, shared
  // 60:30:10 by weight with each capped at its demand (1536 MB above its minimum):
  // heavy 1536 (capped), then 1024 left for 30:10 -> mid 768, light 256.
  const r = run(`{
    "hosts": [{ "name": "HV01", "memory": "6GB", "vmOverhead": "none" }],
    "vms": [
      { "name": "heavy", "memory": { "dynamic": true, "startup": "512MB", "minimum": "512MB", "priority": 60 }, "demand": [{ "at": 0, "memory": "512MB" }, { "at": 10, "memory": "2GB" }] },
      { "name": "mid", "memory": { "dynamic": true, "startup": "512MB", "minimum": "512MB", "priority": 30 }, "demand": [{ "at": 0, "memory": "512MB" }, { "at": 10, "memory": "2GB" }] },
      { "name": "light", "memory": { "dynamic": true, "startup": "512MB", "minimum": "512MB", "priority": 10 }, "demand": [{ "at": 0, "memory": "512MB" }, { "at": 10, "memory": "2GB" }] }
    ],
    "scenario": { "duration": "5m", "events": [] }
  }`);
  assert.equal(r.vms.heavy.assignedBytes, 2 * GB);
  assert.equal(r.vms.mid.assignedBytes, 1280 * MB);
  assert.equal(r.vms.light.assignedBytes, 768 * MB);
});

test('no scenario: every host restarts at t = 0 and the run lasts 30 minutes; with the default stop action its VMs are saved and restored', () => {
  const r = run(`{ "hosts": [{ "name": "H" , "memory": "8GB" }], "vms": [{ "name": "v", "memory": { "startup": "2GB" } }] }`);
  assert.equal(r.duration, 1800);
  // 2 GB saved at 512 MB/s: 4 s; the host is down and back at 4; the VM is restored, reading 4 s.
  assert.deepEqual(r.events.map((e) => [e.t, e.type]), [[0, 'hostRestart'], [4, 'vmSaved'], [4, 'hostDown'], [4, 'hostUp'], [4, 'vmRestored']]);
  assert.equal(r.vms.v.starts, 1);
  assert.equal(r.series.t[0], 0);
  assert.equal(r.series.t.at(-1), 1800);
});

test('a million VMs or ten years are refused with a message, never run', () => {
  const { plan } = readPlan(`{ "hosts": [{ "name": "H", "memory": "24TB" }], "vms": [{ "name": "v", "memory": { "startup": "1GB" } }] }`);
  const million = { ...plan, vms: Array.from({ length: 1_000_000 }, () => plan.vms[0]) };
  assert.throws(() => simulate(million), (e: unknown) => e instanceof SimulationRefused && /1000000 VMs × 1801 ticks/.test(e.message));
  const decade = { ...plan, scenario: { ...plan.scenario, durationSeconds: 3650 * 86400 } };
  assert.throws(() => simulate(decade), (e: unknown) => e instanceof SimulationRefused && /ticks long/.test(e.message));
  // A day of 8,000 VMs at 1 s ticks is within bounds.
  const day = { ...plan, vms: Array.from({ length: 8000 }, () => plan.vms[0]), scenario: { ...plan.scenario, durationSeconds: 86400 } };
  assert.equal(simulationRefusal(day), undefined);
});

test('running VMs that cannot all fit at t = 0: the last ones are reported, or retried by a restart at 0', () => {
  // 4 GB for VMs, no overhead: a and b (2 GB each) fit, c does not.
  const plan = (scenario: string) => `{
    "hosts": [{ "name": "H", "memory": "6GB", "vmOverhead": "none" }],
    "vms": [
      { "name": "a", "memory": { "startup": "2GB" } },
      { "name": "b", "memory": { "startup": "2GB" } },
      { "name": "c", "memory": { "startup": "2GB" } }
    ]${scenario}
  }`;
  const steady = run(plan(', "scenario": { "events": [] }'));
  assert.deepEqual(events(steady, 'vmStartFailed'), [{ t: 0, type: 'vmStartFailed', vm: 'c', host: 'H', reason: 'insufficient-memory' }]);
  assert.match((steady.events[0] as Extract<SimEvent, { type: 'vmStartFailed' }>).message, /written as Running but does not fit/);
  // The default scenario restarts H at 0: a and b are saved (4 s each) and restored at 8; c counts as
  // running, so it boots then, after them, and fails once.
  const restarted = run(plan(''));
  assert.deepEqual(events(restarted, 'vmStarted', 'vmRestored', 'vmStartFailed').map((e) => [e.t, e.type, e.vm]), [[8, 'vmRestored', 'a'], [8, 'vmRestored', 'b'], [8, 'vmStartFailed', 'c']]);
  assert.match((restarted.events.find((e) => e.type === 'vmStartFailed') as Extract<SimEvent, { type: 'vmStartFailed' }>).message, /needs 2 GB; H had 0 B free/);
});

test('contention: a weight-0 VM gets only what weighted VMs cannot use', () => {
  // 4 GB for VMs. Demands rise to 3 GB each: 4096 - 2 x 512 = 3072 MB above the minimums. "w" takes its
  // whole 2560 MB up to its demand; the 512 MB it cannot use goes to "z" (priority 0).
  const r = run(`{
    "hosts": [{ "name": "HV01", "memory": "6GB", "vmOverhead": "none" }],
    "vms": [
      { "name": "z", "memory": { "dynamic": true, "startup": "512MB", "minimum": "512MB", "priority": 0 }, "demand": [{ "at": 0, "memory": "512MB" }, { "at": 10, "memory": "3GB" }] },
      { "name": "w", "memory": { "dynamic": true, "startup": "512MB", "minimum": "512MB", "priority": 50 }, "demand": [{ "at": 0, "memory": "512MB" }, { "at": 10, "memory": "3GB" }] }
    ],
    "scenario": { "duration": "2m", "events": [] }
  }`);
  assert.equal(r.vms.w.assignedBytes, 3 * GB);
  assert.equal(r.vms.z.assignedBytes, GB);
});
