// `hvmem simulate` as a process: text summary, JSON result, exit status and one-line refusals.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runCli } from './support/baseline';
import type { SimulationResult } from '../server/src/core/simulate/types';

let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'hvmem-simulate-')); });
const write = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };

// Host restart, A and B shut down: A (static 4 GB) boots first, B (4 GB startup, 1 GB minimum) gets
// 2 GB physical and 2 GB Smart Paging in E:\sp, C (2 GB, off, start action Start) finds nothing.
const plan = `{
  "hosts": [{ "name": "HV01", "memory": "8GB", "vmOverhead": "none" }],
  "vms": [
    { "name": "A", "memory": { "startup": "4GB" }, "automaticStopAction": "ShutDown" },
    { "name": "B", "memory": { "dynamic": true, "startup": "4GB", "minimum": "1GB" }, "smartPagingFilePath": "E:\\\\sp", "automaticStopAction": "ShutDown" },
    { "name": "C", "memory": { "dynamic": true, "startup": "2GB", "minimum": "256MB" }, "state": "Off", "automaticStartAction": "Start" }
  ]
}`;

test('text: which VMs used Smart Paging, how much, how long, where; which failed and why; host peaks', () => {
  const r = runCli(['simulate', write('p.hvmem.jsonc', plan)]);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /default scenario: every host restarts at 0:00:00/);
  assert.match(r.stdout, /B on HV01 at 0:00:00: 2 GB in E:\\sp, for 1 min 32 s, deleted at 0:01:32/);
  assert.match(r.stdout, /C on HV01 at 0:00:00 \[insufficient-memory\]: needs 2 GB; HV01 had 0 B free and 0 B reclaimable/);
  assert.match(r.stdout, /HV01\s+8 GB\s+6 GB\s+6 GB \(100%\)\s+2 GB/);
});

test('json: the contract fields, events in time order', () => {
  const r = runCli(['simulate', write('p.hvmem.jsonc', plan), '--format', 'json']);
  assert.equal(r.status, 0);
  const result: SimulationResult = JSON.parse(r.stdout);
  assert.equal(result.duration, 1800);
  assert.deepEqual(result.vms.B, {
    host: 'HV01', starts: 1, startFailures: 0, running: true, assignedBytes: Math.floor(1.2 * 2 ** 30),
    demandBytes: 2 ** 30, smartPagingBytes: 0, smartPagingPeakBytes: 2 * 2 ** 30, smartPagingSeconds: 92, smartPagingPath: 'E:\\sp',
    saved: false, migrations: 0, preemptions: 0, bootSeconds: 60,
  });
  assert.equal(result.hosts.HV01.memory, 8 * 2 ** 30);
  assert.deepEqual(result.events.map((e) => e.type), [
    'hostRestart', 'vmStopped', 'vmStopped', 'hostDown', 'hostUp', 'vmStarted', 'vmStarted', 'smartPagingStarted', 'vmStartFailed', 'smartPagingEnded',
  ]);
  assert.ok(result.series.t.length <= 2001);
});

test('a plan with errors exits 1 with one line pointing at the first error', () => {
  const text = plan.replace('"startup": "4GB" }', '"startup": "4095MB" }');
  const line = text.split('\n')[3];
  const r = runCli(['simulate', write('bad.hvmem.jsonc', text)]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.ok(r.stderr.includes(`1 error and cannot be simulated; the first, at line 4, column ${line.indexOf('"4095MB"') + 1}: Startup memory 4095 MB`), r.stderr);
});

test('a VM too large for its host does not stop the simulation: it fails to start, and check explains it once', () => {
  const text = `{
  "hosts": [{ "name": "HV01", "memory": "32GB", "vmOverhead": "none" }],
  "vms": [
    { "name": "BIG", "memory": { "startup": "64GB" } },
    { "name": "SMALL", "memory": { "startup": "4GB" } }
  ]
}`;
  const file = write('infeasible.hvmem.jsonc', text);
  const sim = runCli(['simulate', file, '--format', 'json']);
  assert.equal(sim.status, 0, sim.stderr);
  const result: SimulationResult = JSON.parse(sim.stdout);
  assert.equal(result.vms.BIG.running, false);
  assert.ok(result.vms.BIG.startFailures >= 1);
  assert.equal(result.vms.SMALL.running, true);
  const check = runCli(['check', file, '--format', 'json']);
  assert.equal(check.status, 1);
  const codes = (JSON.parse(check.stdout) as { code: string }[]).map((d) => d.code);
  assert.deepEqual(codes, ['startup-exceeds-host']);
});

test('absurd plans are refused at once with one line: ten years, 20,000 VMs for a day', () => {
  const decade = write('decade.hvmem.jsonc', plan.replace(/\n}$/, ', "scenario": { "duration": "3650d", "events": [] } }'));
  let r = runCli(['simulate', decade]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /too large to simulate: the scenario is 3\.15e\+8 ticks long/);
  assert.equal(r.stderr.trim().split('\n').length, 1);

  const vms = Array.from({ length: 20_000 }, (_, i) => `{"name":"v${i}","memory":{"startup":"512MB"},"state":"Off"}`).join(',');
  const many = write('many.hvmem.jsonc', `{"hosts":[{"name":"H","memory":"24TB"}],"vms":[${vms}],"scenario":{"duration":"1d","events":[]}}`);
  r = runCli(['simulate', many]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /20000 VMs × 86401 ticks is 1\.73e\+9 VM-steps; the simulator stops at 1e\+9/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('bad usage exits 2', () => {
  assert.equal(runCli(['simulate']).status, 2);
  assert.equal(runCli(['simulate', write('p.hvmem.jsonc', plan), '--format', 'xml']).status, 2);
  const r = runCli(['simulate', join(dir, 'missing.hvmem.jsonc')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no such file/);
});
