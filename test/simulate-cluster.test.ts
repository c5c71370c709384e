// Clusters as they are run (spec sections 7.2, 7.3): drain, live and quick migration, failback, rolling
// updates, restarts of a node, preemption, the placement floor, owners and anti-affinity. Hand-computed:
// nodes of 10 GB with the 2 GB reserve (larger than the 512 MB RootMemoryReserved, so 8 GB for VMs), no
// overhead; live migration 1 GB/s, save and restore 512 MB/s, at most 2 live migrations per host.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzePlan } from '../server/src/core/analyze';
import { readPlan } from '../server/src/core/read';
import { simulate } from '../server/src/core/simulate';
import type { SimEvent, SimulationResult } from '../server/src/core/simulate/types';
import { GB } from '../server/src/core/units';

function run(text: string): SimulationResult {
  const { plan, diagnostics } = readPlan(text);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), [], 'the test plan must read without errors');
  return simulate(plan);
}

/** Events of the given types as [t, type, subject…], short enough to read as a timeline. */
function timeline(result: SimulationResult, ...types: SimEvent['type'][]): unknown[][] {
  return result.events.filter((e) => types.includes(e.type)).map((e) => {
    switch (e.type) {
      case 'vmMigrationStarted': return [e.t, e.type, e.vm, `${e.from}->${e.to}`, e.moveType, e.purpose];
      case 'vmMigrated': return [e.t, e.type, e.vm, `${e.from}->${e.to}`, e.seconds];
      case 'vmMigrationFailed': return [e.t, e.type, e.vm, e.reason, e.purpose];
      case 'nodeDrained': return [e.t, e.type, e.host, e.seconds];
      case 'drainFailed': return [e.t, e.type, e.host, e.vms.join(',')];
      case 'vmPreempted': return [e.t, e.type, e.vm, e.host, e.for];
      case 'clusterUpdateEnded': return [e.t, e.type, e.ok, e.seconds, e.stoppedAt];
      case 'vmStarted': return [e.t, e.type, e.vm, e.host, e.failover];
      case 'vmStartFailed': return [e.t, e.type, e.vm, e.reason];
      case 'vmSaved': case 'vmRestored': return [e.t, e.type, e.vm, e.seconds];
      default: return [e.t, e.type, 'vm' in e ? e.vm : 'host' in e ? e.host : ''];
    }
  });
}

const cluster = (vms: string, events: string, extra = { hosts: '', cluster: '', model: '' }) => `{
  "hosts": [
    { "name": "N1", "memory": "10GB", "vmOverhead": "none" ${extra.hosts} },
    { "name": "N2", "memory": "10GB", "vmOverhead": "none" ${extra.hosts} }
  ],
  "cluster": { "name": "CL" ${extra.cluster} },
  "vms": [${vms}],
  "model": { ${extra.model} },
  "scenario": { "duration": "5m", "events": [${events}] }
}`;
const no = { hosts: '', cluster: '', model: '' };

// N1: V (dynamic, 6 GB startup, 1 GB minimum, guest demand 1 GB: holds its 1.2 GB target).
// N2: filler, static 5 GB: 3 GB free.
const drainCase = (events: string) => cluster(`
  { "name": "V", "host": "N1", "memory": { "dynamic": true, "startup": "6GB", "minimum": "1GB" } },
  { "name": "filler", "host": "N2", "memory": { "startup": "5GB" } }`, events);

test('a drain moves the memory the VM holds, where its startup memory would not fit', () => {
  // 1.2 GB live at 1 GB/s: 1.2 s, 2 ticks.
  const r = run(drainCase('{ "at": 10, "type": "nodeDrain", "host": "N1" }'));
  assert.deepEqual(timeline(r, 'nodeDrain', 'vmMigrationStarted', 'vmMigrated', 'nodeDrained', 'drainFailed'), [
    [10, 'nodeDrain', 'N1'],
    [10, 'vmMigrationStarted', 'V', 'N1->N2', 'live', 'drain'],
    [12, 'vmMigrated', 'V', 'N1->N2', 2],
    [12, 'nodeDrained', 'N1', 2],
  ]);
  assert.deepEqual([r.vms.V.host, r.vms.V.running, r.vms.V.migrations, r.hosts.N1.paused], ['N2', true, 1, true]);
  // While the move runs both nodes count it: N2 sets 1.2 GB aside at 10, N1 frees it at 12.
  const at = (t: number) => r.series.t.indexOf(t);
  assert.equal(r.series.hosts.N2.incoming[at(11)], Math.floor(1.2 * GB));
  assert.equal(r.series.hosts.N1.physical[at(11)], Math.floor(1.2 * GB));
  assert.equal(r.series.hosts.N2.free[at(11)], 3 * GB - Math.floor(1.2 * GB));
  // The same VM losing its node would need its whole 6 GB startup: no room.
  const failed = run(drainCase('{ "at": 10, "type": "nodeFailure", "host": "N1" }'));
  assert.deepEqual(timeline(failed, 'vmStarted', 'vmStartFailed'), [[10, 'vmStartFailed', 'V', 'no-capacity']]);
});

test('a drain that cannot place a VM fails: the VM stays, running, and the node stays paused', () => {
  const text = cluster(`
    { "name": "big", "host": "N1", "memory": { "startup": "6GB" } },
    { "name": "filler", "host": "N2", "memory": { "startup": "5GB" } }`, '{ "at": 10, "type": "nodeDrain", "host": "N1" }');
  const r = run(text);
  assert.deepEqual(timeline(r, 'vmMigrationStarted', 'vmMigrationFailed', 'nodeDrained', 'drainFailed'), [
    [10, 'vmMigrationFailed', 'big', 'no-room', 'drain'],
    [10, 'drainFailed', 'N1', 'big'],
  ]);
  const failure = r.events.find((e) => e.type === 'vmMigrationFailed') as Extract<SimEvent, { type: 'vmMigrationFailed' }>;
  assert.equal(failure.message, 'The drain of N1 cannot move big at 0:00:10: no node has room for the 6 GB it holds plus overhead (the best one could give 3 GB).');
  assert.deepEqual([r.vms.big.host, r.vms.big.running, r.hosts.N1.paused], ['N1', true, true]);
  const d = analyzePlan(text).diagnostics.find((x) => x.code === 'drain-failure')!;
  assert.equal(d.severity, 'error');
  assert.equal(text.slice(d.span.start, d.span.end), '"big"');
});

test('live at or above the move type threshold, quick below; moves wait for a live migration slot, in priority order', () => {
  // hi (High) and med (Medium) live-migrate (2 GB: 2 s), lo (Low) quick-migrates: saved (4 s) and
  // restored (4 s) on N2, down for 8 s.
  const vms = `
    { "name": "lo", "host": "N1", "memory": { "startup": "2GB" }, "clusterPriority": "Low" },
    { "name": "med", "host": "N1", "memory": { "startup": "2GB" } },
    { "name": "hi", "host": "N1", "memory": { "startup": "2GB" }, "clusterPriority": "High" }`;
  const two = run(cluster(vms, '{ "at": 10, "type": "nodeDrain", "host": "N1" }'));
  assert.deepEqual(timeline(two, 'vmMigrationStarted', 'vmMigrated', 'nodeDrained'), [
    [10, 'vmMigrationStarted', 'hi', 'N1->N2', 'live', 'drain'],
    [10, 'vmMigrationStarted', 'med', 'N1->N2', 'live', 'drain'],
    [10, 'vmMigrationStarted', 'lo', 'N1->N2', 'quick', 'drain'],
    [12, 'vmMigrated', 'hi', 'N1->N2', 2],
    [12, 'vmMigrated', 'med', 'N1->N2', 2],
    [18, 'vmMigrated', 'lo', 'N1->N2', 8],
    [18, 'nodeDrained', 'N1', 8],
  ]);
  // One live migration at a time: med waits for hi (12), and lo, behind med, starts with it.
  const one = run(cluster(vms, '{ "at": 10, "type": "nodeDrain", "host": "N1" }', { ...no, hosts: ', "maxMigrations": 1' }));
  assert.deepEqual(timeline(one, 'vmMigrationStarted', 'vmMigrated', 'nodeDrained'), [
    [10, 'vmMigrationStarted', 'hi', 'N1->N2', 'live', 'drain'],
    [12, 'vmMigrated', 'hi', 'N1->N2', 2],
    [12, 'vmMigrationStarted', 'med', 'N1->N2', 'live', 'drain'],
    [12, 'vmMigrationStarted', 'lo', 'N1->N2', 'quick', 'drain'],
    [14, 'vmMigrated', 'med', 'N1->N2', 2],
    [20, 'vmMigrated', 'lo', 'N1->N2', 8],
    [20, 'nodeDrained', 'N1', 10],
  ]);
  // With the threshold at High, med quick-migrates too.
  const high = run(cluster(vms, '{ "at": 10, "type": "nodeDrain", "host": "N1" }', { ...no, cluster: ', "moveTypeThreshold": "High"' }));
  assert.deepEqual(timeline(high, 'vmMigrationStarted').map((e) => [e[2], e[4]]), [['hi', 'live'], ['med', 'quick'], ['lo', 'quick']]);
});

test('resume with failback brings the drained VMs home; a failback without room is reported', () => {
  const back = run(drainCase('{ "at": 10, "type": "nodeDrain", "host": "N1" }, { "at": 100, "type": "nodeResume", "host": "N1" }'));
  assert.deepEqual(timeline(back, 'nodeResumed', 'vmMigrationStarted', 'vmMigrated'), [
    [10, 'vmMigrationStarted', 'V', 'N1->N2', 'live', 'drain'],
    [12, 'vmMigrated', 'V', 'N1->N2', 2],
    [100, 'nodeResumed', 'N1'],
    [100, 'vmMigrationStarted', 'V', 'N2->N1', 'live', 'failback'],
    [102, 'vmMigrated', 'V', 'N2->N1', 2],
  ]);
  assert.deepEqual([back.vms.V.host, back.hosts.N1.paused], ['N1', false]);
  // Without failback it stays on N2.
  const stays = run(drainCase('{ "at": 10, "type": "nodeDrain", "host": "N1" }, { "at": 100, "type": "nodeResume", "host": "N1", "failback": false }'));
  assert.equal(stays.vms.V.host, 'N2');
  // A VM that grew while away: N2 is larger (18 GB for VMs); V's guest grows to 10 GB there (it holds
  // its 12 GB target). Back home it would need 12 GB; N1 has 8 GB.
  const text = `{
    "hosts": [{ "name": "N1", "memory": "10GB", "vmOverhead": "none" }, { "name": "N2", "memory": "20GB", "vmOverhead": "none" }],
    "cluster": { "name": "CL" },
    "vms": [{ "name": "V", "host": "N1", "memory": { "dynamic": true, "startup": "2GB", "minimum": "1GB", "maximum": "16GB" }, "demand": [{ "at": 0, "memory": "1GB" }, { "at": 20, "memory": "10GB" }] }],
    "scenario": { "duration": "5m", "events": [{ "at": 10, "type": "nodeDrain", "host": "N1" }, { "at": 100, "type": "nodeResume", "host": "N1" }] }
  }`;
  const failed = run(text);
  assert.deepEqual(timeline(failed, 'vmMigrated', 'vmMigrationFailed'), [[12, 'vmMigrated', 'V', 'N1->N2', 2], [100, 'vmMigrationFailed', 'V', 'no-room', 'failback']]);
  const failure = failed.events.find((e) => e.type === 'vmMigrationFailed') as Extract<SimEvent, { type: 'vmMigrationFailed' }>;
  assert.equal(failure.message, 'Failback to N1 cannot move V at 0:01:40: N1 has no room for the 12 GB it holds plus overhead (it could give 8 GB).');
  assert.equal(failed.vms.V.host, 'N2');
  const d = analyzePlan(text).diagnostics.find((x) => x.code === 'failback-failure')!;
  assert.equal([d.severity, text.slice(d.span.start, d.span.end)].join(' '), 'warning "V"');
});

test('a rolling update drains, restarts and resumes each node with failback, one after the other', () => {
  // a (High, 2 GB) on N1, b (2 GB) on N2; nodes restart in 30 s. N1: drained 10..12, restarted (down
  // at 12, back at 42), a back 42..44; then N2: drained 44..46, down 46, back 76, b back 76..78.
  const r = run(cluster(`
    { "name": "a", "host": "N1", "memory": { "startup": "2GB" }, "clusterPriority": "High" },
    { "name": "b", "host": "N2", "memory": { "startup": "2GB" } }`,
  '{ "at": 10, "type": "clusterUpdate" }', { ...no, model: '"hostBootSeconds": 30' }));
  assert.deepEqual(timeline(r, 'clusterUpdate', 'nodeDrain', 'vmMigrated', 'nodeDrained', 'hostRestart', 'hostDown', 'hostUp', 'nodeResumed', 'clusterUpdateEnded'), [
    [10, 'clusterUpdate', ''],
    [10, 'nodeDrain', 'N1'],
    [12, 'vmMigrated', 'a', 'N1->N2', 2],
    [12, 'nodeDrained', 'N1', 2],
    [12, 'hostRestart', 'N1'],
    [12, 'hostDown', 'N1'],
    [42, 'hostUp', 'N1'],
    [42, 'nodeResumed', 'N1'],
    [44, 'vmMigrated', 'a', 'N2->N1', 2],
    [44, 'nodeDrain', 'N2'],
    [46, 'vmMigrated', 'b', 'N2->N1', 2],
    [46, 'nodeDrained', 'N2', 2],
    [46, 'hostRestart', 'N2'],
    [46, 'hostDown', 'N2'],
    [76, 'hostUp', 'N2'],
    [76, 'nodeResumed', 'N2'],
    [78, 'vmMigrated', 'b', 'N1->N2', 2],
    [78, 'clusterUpdateEnded', true, 68, undefined],
  ]);
  assert.deepEqual([r.vms.a.host, r.vms.b.host, r.vms.a.running, r.vms.b.running], ['N1', 'N2', true, true]);
});

test('a rolling update stops at the node whose drain fails, and says so on the event', () => {
  // "pinned" may only run on N2: N1 is updated, N2's drain fails, the run stops there.
  const text = cluster(`
    { "name": "a", "host": "N1", "memory": { "startup": "2GB" } },
    { "name": "pinned", "host": "N2", "memory": { "startup": "2GB" }, "possibleOwners": ["N2"] }`,
  '{ "at": 10, "type": "clusterUpdate" }');
  const r = run(text);
  assert.deepEqual(timeline(r, 'vmMigrationFailed', 'drainFailed', 'clusterUpdateEnded'), [
    [14, 'vmMigrationFailed', 'pinned', 'not-possible-owner', 'drain'],
    [14, 'drainFailed', 'N2', 'pinned'],
    [14, 'clusterUpdateEnded', false, 4, 'N2'],
  ]);
  const failure = r.events.find((e) => e.type === 'vmMigrationFailed') as Extract<SimEvent, { type: 'vmMigrationFailed' }>;
  assert.match(failure.message, /none of its possible owners \(N2\) is another active node/);
  const diagnostics = analyzePlan(text).diagnostics;
  const update = diagnostics.find((d) => d.code === 'cluster-update-failure')!;
  assert.equal(text.slice(update.span.start, update.span.end), '"clusterUpdate"');
  assert.match(update.message, /The rolling update stops at N2 \(0:00:14, 4 s in\): its drain cannot move pinned/);
  assert.ok(diagnostics.some((d) => d.code === 'drain-failure'));
});

test('restarting a cluster node drains it first; what cannot move is saved and comes back with the node', () => {
  const r = run(cluster(`
    { "name": "a", "host": "N1", "memory": { "startup": "2GB" } },
    { "name": "pinned", "host": "N1", "memory": { "startup": "2GB" }, "possibleOwners": ["N1"], "automaticStartAction": "Nothing" }`,
  '{ "at": 10, "type": "hostRestart", "host": "N1" }'));
  // a moves live (10..12); pinned cannot: when the drain ends (12) the cluster saves it (4 s, 16), the
  // node goes down and comes back at 16 and restores pinned, whatever its own start action says.
  assert.deepEqual(timeline(r, 'hostRestart', 'nodeDrain', 'vmMigrated', 'vmMigrationFailed', 'drainFailed', 'vmSaved', 'hostDown', 'hostUp', 'vmRestored'), [
    [10, 'hostRestart', 'N1'],
    [10, 'nodeDrain', 'N1'],
    [10, 'vmMigrationFailed', 'pinned', 'not-possible-owner', 'drain'],
    [12, 'vmMigrated', 'a', 'N1->N2', 2],
    [12, 'drainFailed', 'N1', 'pinned'],
    [16, 'vmSaved', 'pinned', 4],
    [16, 'hostDown', 'N1'],
    [16, 'hostUp', 'N1'],
    [16, 'vmRestored', 'pinned', 4],
  ]);
  // No failback: a stays where the drain put it. The node is active again.
  assert.deepEqual([r.vms.a.host, r.vms.pinned.host, r.vms.pinned.running, r.hosts.N1.paused], ['N2', 'N1', true, false]);
});

test('preemption: a High VM that finds no room takes a lower-priority VM offline, which starts again when room returns', () => {
  // N1 fails at 10: hi (High, 4 GB) finds 2 GB free on N2. Lower than High there: lo (Low, 4 GB) and
  // med2 (Medium, 2 GB); lowest first: taking lo gives 6 GB. At 100 med2 stops: 4 GB free, lo is back.
  const text = cluster(`
    { "name": "hi", "host": "N1", "memory": { "startup": "4GB" }, "clusterPriority": "High" },
    { "name": "lo", "host": "N2", "memory": { "startup": "4GB" }, "clusterPriority": "Low" },
    { "name": "med2", "host": "N2", "memory": { "startup": "2GB" } }`,
  '{ "at": 10, "type": "nodeFailure", "host": "N1" }, { "at": 100, "type": "vmStop", "vm": "med2" }');
  const r = run(text);
  assert.deepEqual(timeline(r, 'vmPreempted', 'vmStarted', 'vmStartFailed'), [
    [10, 'vmPreempted', 'lo', 'N2', 'hi'],
    [10, 'vmStarted', 'hi', 'N2', true],
    [100, 'vmStarted', 'lo', 'N2', true],
  ]);
  assert.deepEqual([r.vms.lo.preemptions, r.vms.lo.running, r.vms.hi.host], [1, true, 'N2']);
  const d = analyzePlan(text).diagnostics.find((x) => x.code === 'preempted')!;
  assert.equal(text.slice(d.span.start, d.span.end), '"lo"');
  assert.match(d.message, /At 0:00:10 the cluster takes lo offline on N2 to make room for hi, which has a higher priority: it starts again at 0:01:40/);
  // A Low VM never preempts: with the priorities the other way round, hi (now Low) stays off.
  const low = run(text.replace('"clusterPriority": "High"', '"clusterPriority": "Low"'));
  assert.deepEqual(timeline(low, 'vmPreempted', 'vmStarted', 'vmStartFailed').slice(0, 1), [[10, 'vmStartFailed', 'hi', 'no-capacity']]);
});

test('the placement floor is the larger of the reserve and RootMemoryReserved, not their sum', () => {
  // An 8 GB VM fails over onto an empty node with 8 GB for VMs: it fits (the old sum of 2 GB + 512 MB did not).
  const r = run(cluster('{ "name": "v", "host": "N1", "memory": { "startup": "8GB" } }', '{ "at": 10, "type": "nodeFailure", "host": "N1" }'));
  assert.deepEqual(timeline(r, 'vmStarted', 'vmStartFailed'), [[10, 'vmStarted', 'v', 'N2', true]]);
  // A RootMemoryReserved of 3 GB is larger than the reserve: 7 GB for VMs, in the checks and the simulation alike.
  const text = cluster('{ "name": "v", "host": "N1", "memory": { "startup": "8GB" } }', '', { ...no, cluster: ', "rootMemoryReserved": "3GB"' });
  const d = analyzePlan(text).diagnostics.find((x) => x.code === 'startup-exceeds-host')!;
  assert.match(d.message, /capacity for VMs \(7 GB = 10 GB − 3 GB cluster RootMemoryReserved\)/);
  assert.equal(run(cluster('{ "name": "v", "host": "N1", "memory": { "startup": "7GB" } }', '', { ...no, cluster: ', "rootMemoryReserved": "3GB"' })).hosts.N1.capacity, 7 * GB);
});

const three = (vms: string, extra = '') => `{
  "hosts": [
    { "name": "N1", "memory": "10GB", "vmOverhead": "none" },
    { "name": "N2", "memory": "10GB", "vmOverhead": "none" },
    { "name": "N3", "memory": "10GB", "vmOverhead": "none" }
  ],
  "cluster": { "name": "CL" ${extra} },
  "vms": [${vms}],
  "scenario": { "duration": "2m", "events": [{ "at": 10, "type": "nodeFailure", "host": "N1" }] }
}`;
// N2 has 7 GB free, N3 6 GB.
const fillers = `{ "name": "f2", "host": "N2", "memory": { "startup": "1GB" } }, { "name": "f3", "host": "N3", "memory": { "startup": "2GB" } }`;
const landed = (r: SimulationResult, vm: string) => (r.events.find((e) => e.type === 'vmStarted' && e.vm === vm) as Extract<SimEvent, { type: 'vmStarted' }> | undefined)?.host;

test('failover honours possible and preferred owners', () => {
  // By free memory v would go to N2; its possible owners leave N3.
  assert.equal(landed(run(three(`{ "name": "v", "host": "N1", "memory": { "startup": "2GB" } }, ${fillers}`)), 'v'), 'N2');
  assert.equal(landed(run(three(`{ "name": "v", "host": "N1", "memory": { "startup": "2GB" }, "possibleOwners": ["N1", "N3"] }, ${fillers}`)), 'v'), 'N3');
  // Preferred owners are tried first, in their order.
  assert.equal(landed(run(three(`{ "name": "v", "host": "N1", "memory": { "startup": "2GB" }, "preferredOwners": ["N3", "N2"] }, ${fillers}`)), 'v'), 'N3');
  // No possible owner left: it cannot start.
  const none = run(three(`{ "name": "v", "host": "N1", "memory": { "startup": "2GB" }, "possibleOwners": ["N1"] }, ${fillers}`));
  assert.deepEqual(timeline(none, 'vmStarted', 'vmStartFailed').filter((e) => e[2] === 'v'), [[10, 'vmStartFailed', 'v', 'no-capacity']]);
});

test('anti-affinity: a preference the cluster gives up only for room, a rule when enforced', () => {
  // v and f2 share the class SQL: v avoids N2 though N2 has more free memory.
  const sql = (f3 = '2GB') => `{ "name": "v", "host": "N1", "memory": { "startup": "2GB" }, "antiAffinityClass": "SQL" },
    { "name": "f2", "host": "N2", "memory": { "startup": "1GB" }, "antiAffinityClass": "SQL" },
    { "name": "f3", "host": "N3", "memory": { "startup": "${f3}" } }`;
  assert.equal(landed(run(three(sql())), 'v'), 'N3');
  // N3 full (7 GB used, 1 GB free): as a preference it lands on N2 after all; as a rule it cannot start.
  assert.equal(landed(run(three(sql('7GB'))), 'v'), 'N2');
  const rule = run(three(sql('7GB'), ', "enforcedAntiAffinity": true'));
  assert.deepEqual(timeline(rule, 'vmStarted', 'vmStartFailed').filter((e) => e[2] === 'v'), [[10, 'vmStartFailed', 'v', 'no-capacity']]);
});
