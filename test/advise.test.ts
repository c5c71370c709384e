// Advice on hand-computed plans: for each kind of fix, a plan where it is the answer, its minimal value
// worked out on paper, and the proof: applied to the text, the plan checks clean of that finding, and one
// step less does not. Headroom and growth likewise: n fits, n + 1 does not. No overhead unless said.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { BOOK_CASE } from './support/plans';
import { advise, type Advice } from '../server/src/core/advise';
import { analyzePlan } from '../server/src/core/analyze';
import { applyEdits } from './lspSession';
import { GB, MB } from '../server/src/core/units';

function adviceOf(text: string, options: Parameters<typeof advise>[1] = {}): Advice {
  const a = analyzePlan(text, { scenario: false });
  return advise({ text, root: a.root, plan: a.plan }, options);
}

/** The plan's text with the fix's edits applied. */
function applied(text: string, fix: Advice['findings'][number]['fixes'][number]): string {
  return applyEdits(text, fix.edits.map((e) => ({ range: e.range, newText: e.newText })));
}

/** Checks: the fix removes the finding and adds no error; the same change one step smaller does not remove it. */
function proves(text: string, finding: Advice['findings'][number], fix: Advice['findings'][number]['fixes'][number], oneStepLess?: string): void {
  const after = analyzePlan(applied(text, fix)).diagnostics;
  const before = analyzePlan(text).diagnostics;
  assert.ok(!after.some((d) => d.code === finding.code && d.about?.vm === finding.vm), `${fix.title}: ${finding.code} is gone`);
  const newErrors = after.filter((d) => d.severity === 'error' && !before.some((b) => b.code === d.code && b.message === d.message));
  assert.deepEqual(newErrors.map((d) => d.message), [], `${fix.title}: no new error`);
  if (oneStepLess !== undefined) {
    const less = analyzePlan(oneStepLess).diagnostics;
    assert.ok(less.some((d) => d.code === finding.code && d.about?.vm === finding.vm), `${fix.title}: one step less keeps ${finding.code}`);
  }
}

/** The value as JSON carries it (the advice's name-keyed records have no prototype). */
const plain = (x: unknown) => JSON.parse(JSON.stringify(x));
const summary = (a: Advice) => a.findings.map((f) => [f.code, f.vm, f.fixes.map((x) => x.title)]);

test('restart-smart-paging: 2 GB more host memory, B\'s startup down to the 2 GB left, or stop action Save', () => {
  const a = adviceOf(BOOK_CASE);
  // +2 GB: 4 GB free for B's 4 GB (+1 GB leaves 1 GB on Smart Paging). Startup 2 GB fits the 2 GB left
  // exactly (2,050 MB would need 2 MB of file). A delay does not help: A never gives memory back.
  // Save: B is saved with its 1.2 GB and restored beside A (5.2 GB of 6). TurnOff is like ShutDown.
  assert.deepEqual(summary(a), [['restart-smart-paging', 'B', ["Raise HV01's memory to 10 GB", "Lower B's startup memory to 2 GB", "Set B's stop action to Save"]]]);
  const [memory, startup, save] = a.findings[0].fixes;
  assert.deepEqual([memory.change, memory.cost], [{ kind: 'hostMemory', target: 'HV01', from: 8 * GB, to: 10 * GB }, '+2 GB on HV01']);
  proves(BOOK_CASE, a.findings[0], memory, BOOK_CASE.replace('"8GB"', '"9GB"'));
  assert.deepEqual(startup.change, { kind: 'vmStartup', target: 'B', from: 4 * GB, to: 2 * GB });
  proves(BOOK_CASE, a.findings[0], startup, BOOK_CASE.replace('"startup": "4GB", "minimum"', '"startup": "2050MB", "minimum"'));
  assert.equal(applied(BOOK_CASE, save).includes('"automaticStopAction": "Save"'), true);
  proves(BOOK_CASE, a.findings[0], save);
});

test('restart-failure: C boots once B has booted (60 s later), or 1 GB more memory lets it restart on Smart Paging', () => {
  // 8 GB for VMs, all shut down at the restart. A (4 GB) and B (4 GB, booting until 60 s) take it all; C
  // (2 GB startup, 512 MB minimum) finds nothing. From 60 s B is running and could give back 3 GB (above
  // its 1 GB demand): C starts then. At 59 s B still boots. With 1 GB more host memory C gets 1 GB
  // physical, above its minimum: a Smart Paging restart (a warning), not a failure.
  const text = `{
  "hosts": [{ "name": "HV01", "memory": "10GB", "vmOverhead": "none" }],
  "vms": [
    { "name": "A", "memory": { "startup": "4GB" }, "automaticStopAction": "ShutDown" },
    { "name": "B", "memory": { "dynamic": true, "startup": "4GB", "minimum": "1GB" }, "automaticStopAction": "ShutDown" },
    { "name": "C", "memory": { "dynamic": true, "startup": "2GB", "minimum": "512MB" }, "automaticStopAction": "ShutDown", "smartPagingFilePath": "E:\\\\sp" }
  ]
}`;
  const a = adviceOf(text);
  assert.deepEqual(summary(a), [['restart-failure', 'C', ["Raise HV01's memory to 11 GB", 'Start C 1 min later (automaticStartDelay 1 min)']]]);
  const [memory, delay] = a.findings[0].fixes;
  assert.deepEqual(memory.resolves, ['restart-failure']);
  proves(text, a.findings[0], memory);
  assert.deepEqual(delay.change, { kind: 'startDelay', target: 'C', from: 0, to: 60 });
  assert.equal(delay.cost, 'C boots 1 min later');
  assert.match(applied(text, delay), /"automaticStartDelay": "1m"/);
  proves(text, a.findings[0], delay, text.replace('"automaticStopAction": "ShutDown", "smartPagingFilePath"', '"automaticStopAction": "ShutDown", "automaticStartDelay": 59, "smartPagingFilePath"'));
});

test('restart-failure short of the minimum: a 256 MB minimum lets Smart Paging bridge it', () => {
  // 2 GB for VMs: "big" (1,792 MB, off, set to Start) boots first and leaves 256 MB; app (1 GB startup,
  // 512 MB minimum) needs its minimum in physical memory. Minimum 256 MB: 256 MB physical, 768 MB file.
  const text = `{
  "hosts": [{ "name": "HV01", "memory": "4GB", "vmOverhead": "none" }],
  "vms": [
    { "name": "big", "memory": { "startup": "1792MB" }, "state": "Off", "automaticStartAction": "Start" },
    { "name": "app", "memory": { "dynamic": true, "startup": "1GB", "minimum": "512MB" }, "automaticStopAction": "ShutDown", "smartPagingFilePath": "E:\\\\sp" }
  ]
}`;
  const a = adviceOf(text);
  assert.deepEqual(summary(a), [['restart-failure', 'app', ["Raise HV01's memory to 5 GB", "Lower app's minimum memory to 256 MB"]]]);
  const minimum = a.findings[0].fixes[1];
  assert.deepEqual(minimum.change, { kind: 'vmMinimum', target: 'app', from: 512 * MB, to: 256 * MB });
  proves(text, a.findings[0], minimum, text.replace('"minimum": "512MB"', '"minimum": "258MB"'));
});

test('a VM too large for its host: more memory, or another host', () => {
  // H1 has 6 GB for VMs (8 − 2 reserve); big needs 7 GB: 1 GB more. H2 (14 GB for VMs) takes it.
  const text = `{
  "hosts": [{ "name": "H1", "memory": "8GB", "vmOverhead": "none" }, { "name": "H2", "memory": "16GB", "vmOverhead": "none" }],
  "vms": [{ "name": "big", "host": "H1", "memory": { "startup": "7GB" } }]
}`;
  const a = adviceOf(text);
  assert.deepEqual(summary(a), [['startup-exceeds-host', 'big', ["Raise H1's memory to 9 GB", "Lower big's startup memory to 6 GB", 'Place big on H2']]]);
  for (const fix of a.findings[0].fixes) proves(text, a.findings[0], fix);
});

test('failover-capacity: 1 GB more on the node that would take it, or a smaller VM', () => {
  // 8 GB for VMs on each node (the 2 GB reserve is larger than the 512 MB RootMemoryReserved). big (6 GB)
  // on A; B holds 3 GB (5 free), C 4 GB (4 free): if A fails, big fits nowhere. +1 GB on B or +2 GB on C
  // makes room; big at 5 GB fits B. A higher priority would only preempt b1 instead: not offered.
  const text = `{
  "hosts": [
    { "name": "A", "memory": "10GB", "vmOverhead": "none" },
    { "name": "B", "memory": "10GB", "vmOverhead": "none" },
    { "name": "C", "memory": "10GB", "vmOverhead": "none" }
  ],
  "cluster": { "name": "CL" },
  "vms": [
    { "name": "big", "host": "A", "memory": { "startup": "6GB" } },
    { "name": "b1", "host": "B", "memory": { "startup": "3GB" } },
    { "name": "c1", "host": "C", "memory": { "startup": "4GB" } }
  ],
  "scenario": { "events": [] }
}`;
  const a = adviceOf(text);
  assert.deepEqual(summary(a), [['failover-capacity', 'big', ["Raise B's memory to 11 GB", "Raise C's memory to 12 GB", "Lower big's startup memory to 5 GB"]]]);
  for (const fix of a.findings[0].fixes) proves(text, a.findings[0], fix);
  proves(text, a.findings[0], a.findings[0].fixes[2], text.replace('"startup": "6GB"', '"startup": "5122MB"'));
  // It is not N+1 safe, and no move of big fits another node: the placement search says so.
  assert.deepEqual(a.placement, { survivesAnyNodeLoss: false, moves: [], safe: false });
  assert.deepEqual(a.headroom?.cluster, { more: 0, survivesAnyNodeLoss: false, worstNode: 'A' });
});

test('drain-failure and the rolling update it stops: another possible owner, or room on the one it has', () => {
  const text = `{
  "hosts": [
    { "name": "N1", "memory": "10GB", "vmOverhead": "none" },
    { "name": "N2", "memory": "10GB", "vmOverhead": "none" },
    { "name": "N3", "memory": "10GB", "vmOverhead": "none" }
  ],
  "cluster": { "name": "CL" },
  "vms": [
    { "name": "pinned", "host": "N2", "memory": { "startup": "4GB" }, "possibleOwners": ["N2", "N1"] },
    { "name": "n1", "host": "N1", "memory": { "startup": "5GB" } }
  ],
  "scenario": { "duration": "30m", "events": [{ "at": 10, "type": "nodeDrain", "host": "N2" }] }
}`;
  // Draining N2: pinned (4 GB) may go only to N1, which has 3 GB free: +1 GB on N1, or adding N3 to its
  // owners, or a 3 GB pinned.
  const a = adviceOf(text);
  const drain = a.findings.find((f) => f.code === 'drain-failure')!;
  assert.deepEqual(drain.fixes.map((f) => f.title), ["Raise N1's memory to 11 GB", "Lower pinned's startup memory to 3 GB", "Add N3 to pinned's possible owners"]);
  for (const fix of drain.fixes) proves(text, drain, fix);
});

test('headroom: n more VMs of the shape fit a host and n + 1 do not; on a cluster, after the loss of any node', () => {
  // 14 GB for VMs, a holds 4 GB: five more static 2 GB VMs fill it (14 GB), a sixth does not fit.
  const host = adviceOf('{ "hosts": [{ "name": "H", "memory": "16GB", "vmOverhead": "none" }], "vms": [{ "name": "a", "memory": { "startup": "4GB" } }] }', { shapeBytes: 2 * GB });
  assert.deepEqual(plain(host.headroom), { shape: { startup: 2 * GB, dynamic: false }, hosts: { H: { more: 5 } } });
  // Three nodes of 8 GB for VMs, 4 GB used on each. One more 2 GB VM (on N1) and any node's loss still
  // fits (N1's 4 GB VM to N2, its 2 GB one to N3). Two more (N1 and N2): losing N3, its 4 GB VM finds 2 GB
  // free on each of the others.
  const nodes = [1, 2, 3].map((i) => `{ "name": "N${i}", "memory": "10GB", "vmOverhead": "none" }`).join(', ');
  const vms = [1, 2, 3].map((i) => `{ "name": "v${i}", "host": "N${i}", "memory": { "startup": "4GB" } }`).join(', ');
  const cluster = adviceOf(`{ "hosts": [${nodes}], "cluster": { "name": "CL" }, "vms": [${vms}], "scenario": { "events": [] } }`, { shapeBytes: 2 * GB });
  assert.deepEqual(cluster.headroom?.cluster, { more: 1, survivesAnyNodeLoss: true, worstNode: 'N1' });
  assert.deepEqual(plain(cluster.headroom?.hosts), { N1: { more: 2 }, N2: { more: 2 }, N3: { more: 2 } });
});

test('growth: the first whole percent of demand growth that brings a new finding', () => {
  // 14 GB for VMs; s (static 8 GB, its demand unwritten: it already uses all) leaves 6 GB to d (demand
  // 4 GB). At +50 % d's guest wants exactly 6 GB and gets it; at +51 % it wants 6.04 GB: memory-pressure.
  const a = adviceOf(`{
  "hosts": [{ "name": "H", "memory": "16GB", "vmOverhead": "none" }],
  "vms": [
    { "name": "s", "memory": { "startup": "8GB" } },
    { "name": "d", "memory": { "dynamic": true, "startup": "2GB", "minimum": "1GB", "maximum": "8GB" }, "demand": "4GB" }
  ],
  "scenario": { "duration": "5m", "events": [] }
}`);
  assert.deepEqual(a.growth, { percentUntilFirstFinding: 51, firstFinding: 'memory-pressure' });
});

test('an N+1 placement for the patch-night cluster: one move, after which any node can be lost', async () => {
  const { readFileSync } = await import('node:fs');
  const text = readFileSync('samples/patch-night.hvmem.jsonc', 'utf8');
  const a = adviceOf(text);
  assert.deepEqual(a.placement, { survivesAnyNodeLoss: false, moves: [{ vm: 'WEB-A1', from: 'HV-A', to: 'HV-B' }], safe: true });
  const moved = text.replace('{ "name": "WEB-A1", "host": "HV-A"', '{ "name": "WEB-A1", "host": "HV-B"');
  assert.ok(!analyzePlan(moved).diagnostics.some((d) => d.code === 'failover-capacity'));
  assert.ok(a.simulations > 0);
});
