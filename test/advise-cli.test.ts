// `hvmem advise` as a process: the report a person reads, the JSON the contract names (its edits,
// applied, make `hvmem check` clean of the finding), the exit statuses and one-line refusals.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runCli } from './support/baseline';
import { BOOK_CASE } from './support/plans';
import { applyEdits } from './lspSession';
import type { Advice } from '../server/src/core/advise';

let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'hvmem-advise-')); });
const write = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };

test('text: each finding with its fixes and what they cost, then headroom and growth', () => {
  const file = write('p.hvmem.jsonc', BOOK_CASE);
  const r = runCli(['advise', file]);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^Advice for .*p\.hvmem\.jsonc \(\d+ simulations\)\./);
  assert.match(r.stdout, /restart-smart-paging on B \(HV01\): In the scenario B restarts/);
  assert.match(r.stdout, /  1\. Raise HV01's memory to 10 GB: \+2 GB on HV01\n  2\. Lower B's startup memory to 2 GB: B starts with 2 GB less\n  3\. Set B's stop action to Save: B is saved at a host restart/);
  // The default shape is the VM of median startup (the first of the two in the middle: A, 4 GB static).
  // A copy of A is saved and restored with its 4 GB beside A's: 8 GB of 6, so it cannot come back.
  assert.match(r.stdout, /Headroom: more VMs like A \(4 GB\) that still come back without Smart Paging or a failed start:\n  HV01: 0/);
  assert.match(r.stdout, /Growth: \+\d+ % demand on every VM brings the first new finding|Growth: even 1000 % more demand/);
});

test('json: the contract; every fix\'s edits, applied to the file, leave hvmem check without the finding', () => {
  const file = write('p.hvmem.jsonc', BOOK_CASE);
  const r = runCli(['advise', file, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const advice: Advice = JSON.parse(r.stdout);
  assert.deepEqual(advice.findings.map((f) => [f.code, f.vm, f.host]), [['restart-smart-paging', 'B', 'HV01']]);
  const fixes = advice.findings[0].fixes;
  assert.deepEqual(fixes.map((f) => f.change.kind), ['hostMemory', 'vmStartup', 'stopAction']);
  assert.deepEqual(fixes[0].change, { kind: 'hostMemory', target: 'HV01', from: 8 * 1024 ** 3, to: 10 * 1024 ** 3 });
  assert.deepEqual(fixes[0].resolves, ['restart-smart-paging']);
  for (const fix of fixes) {
    const fixed = write(`fixed-${fix.change.kind}.hvmem.jsonc`, applyEdits(BOOK_CASE, fix.edits));
    const check = runCli(['check', fixed, '--format', 'json']);
    assert.equal(check.status, 0, `${fix.title}: ${check.stdout}`);
    assert.deepEqual(JSON.parse(check.stdout).filter((d: { code: string }) => d.code === 'restart-smart-paging'), [], fix.title);
  }
  assert.deepEqual(advice.headroom, { shape: { startup: 4 * 1024 ** 3, dynamic: false, like: 'A' }, hosts: { HV01: { more: 0 } } });
  assert.ok(advice.simulations > 3, `${advice.simulations} simulations`);
  assert.equal(advice.placement, undefined, 'no placement for a plan without a cluster');
});

test('--shape and --like choose what headroom counts; bad values are refused in one line', () => {
  const file = write('p.hvmem.jsonc', BOOK_CASE);
  const small = JSON.parse(runCli(['advise', file, '--shape', '512MB', '--format', 'json']).stdout) as Advice;
  assert.deepEqual(small.headroom?.shape, { startup: 512 * 1024 ** 2, dynamic: false });
  const like = JSON.parse(runCli(['advise', file, '--like', 'B', '--format', 'json']).stdout) as Advice;
  assert.deepEqual(like.headroom?.shape, { startup: 4 * 1024 ** 3, dynamic: true, like: 'B' });
  for (const [args, message] of [
    [['--shape', '3MB'], /--shape 3MB: a VM's memory is at least 32MB and a whole even number of MB/],
    [['--shape', 'lots'], /--shape lots: /],
    [['--like', 'nobody'], /--like nobody: the plan has no VM of that name/],
    [['--like', 'A', '--shape', '1GB'], /--like and --shape cannot go together/],
    [['--format', 'xml'], /--format must be one of text, json/],
  ] as const) {
    const r = runCli(['advise', file, ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
});

test('exit 1 with the first error when the plan cannot be simulated; exit 0 when only a VM is too large', () => {
  const broken = write('broken.hvmem.jsonc', BOOK_CASE.replace('"name": "B"', '"name": "A"'));
  const r = runCli(['advise', broken]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /the plan has 1 error to fix first; the first, at line \d+, column \d+: Another VM is already named "A"/);
  const tooLarge = write('large.hvmem.jsonc', `{
  "hosts": [{ "name": "H1", "memory": "8GB", "vmOverhead": "none" }, { "name": "H2", "memory": "16GB", "vmOverhead": "none" }],
  "vms": [{ "name": "big", "host": "H1", "memory": { "startup": "7GB" } }]
}`);
  const large = runCli(['advise', tooLarge, '--format', 'json']);
  assert.equal(large.status, 0, large.stderr);
  assert.deepEqual((JSON.parse(large.stdout) as Advice).findings[0].fixes.map((f) => f.title), ["Raise H1's memory to 9 GB", "Lower big's startup memory to 6 GB", 'Place big on H2']);
  const missing = runCli(['advise', join(dir, 'nope.hvmem.jsonc')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope\.hvmem\.jsonc: /);
});

test('a clean plan: nothing to fix, and the room it has', () => {
  const file = write('clean.hvmem.jsonc', `{
  "hosts": [{ "name": "H", "memory": "16GB", "vmOverhead": "none" }],
  "vms": [{ "name": "A", "memory": { "startup": "2GB" } }]
}`);
  const r = runCli(['advise', file]);
  assert.equal(r.status, 0, r.stderr);
  // 14 GB for VMs: A and 6 more copies of it (14 GB) come back; the 7th does not fit.
  assert.match(r.stdout, /No findings: nothing to fix\./);
  assert.match(r.stdout, /H: 6\n/);
});
