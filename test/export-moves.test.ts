// `hvmem export --to moves` as a process: which plans it refuses and why, what it says when there is
// nothing to move or the moves are not enough, and the script's header and calls for the moves
// `hvmem advise` suggests (the script itself runs in test/powershell-moves.test.ts).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportMoves } from '../server/src/core/export/moves';
import { readPlan } from '../server/src/core/read';
import { runCli } from './support/baseline';
import { MOVES_PLAN, NO_MOVE_PLAN, PARTIAL_PLAN, placementOf } from './moves-fixture';

const ROOT = join(import.meta.dirname ?? __dirname, '..');
let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'hvmem-export-moves-')); });
const write = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };

test('a plan that is not a cluster: exit 1, one line that says why, nothing written', () => {
  const out = join(dir, 'standalone.ps1');
  const r = runCli(['export', join(ROOT, 'samples', 'standalone-restart.hvmem.jsonc'), '--to', 'moves', '-o', out]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^hvmem: \S+standalone-restart\.hvmem\.jsonc: not a failover cluster \(the plan has no "cluster"\): [^\n]*\n$/);
  assert.equal(existsSync(out), false);
});

test('a cluster of one node: exit 1, there is no node to move to', () => {
  const plan = write('one.hvmem.jsonc', JSON.stringify({ cluster: { name: 'CL1' }, hosts: [{ name: 'N1', memory: '64GB' }], vms: [{ name: 'A', host: 'N1', memory: { startup: '4GB' } }] }));
  const r = runCli(['export', plan, '--to', 'moves']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^hvmem: \S+: a cluster of one node cannot survive the loss of it/);
});

test('a plan with errors that stop the simulation: exit 1 with the first, as hvmem advise says it', () => {
  const plan = join(ROOT, 'samples', 'mistakes.hvmem.jsonc');
  const r = runCli(['export', plan, '--to', 'moves']);
  const advise = runCli(['advise', plan]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /the plan has \d+ errors to fix first; the first, at line \d+, column \d+: /);
  assert.equal(r.stderr, advise.stderr);
});

test('a cluster that survives the loss of any node: exit 0, a note on stderr, and a script that moves nothing', () => {
  const plan = join(ROOT, 'samples', 'cluster.hvmem.jsonc');
  assert.equal(placementOf(plan).survivesAnyNodeLoss, true, 'the sample survives the loss of any one node');
  const out = join(dir, 'nothing.ps1');
  const r = runCli(['export', plan, '--to', 'moves', '-o', out]);
  assert.equal(r.status, 0);
  assert.match(r.stderr, /^hvmem: \S+cluster\.hvmem\.jsonc: the cluster survives the loss of any one node: the script moves nothing\n$/);
  const script = readFileSync(out, 'utf8');
  assert.match(script, /^\uFEFF<#/);
  assert.doesNotMatch(script, /Move-Cluster/);
  assert.match(script, /Write-Host 'hvmem: [^']*nothing to move'/);
});

test('no move found: exit 1, no script', () => {
  assert.deepEqual(placementOf(write('none.hvmem.jsonc', NO_MOVE_PLAN)), { survivesAnyNodeLoss: false, moves: [], safe: false });
  const out = join(dir, 'none.ps1');
  const r = runCli(['export', join(dir, 'none.hvmem.jsonc'), '--to', 'moves', '-o', out]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^hvmem: \S+: no move found that makes the cluster survive the loss of any one node; run 'hvmem advise /);
  assert.equal(existsSync(out), false);
});

test('moves that help but are not enough: written, with a warning on stderr, in the header and when run', () => {
  const plan = write('partial.hvmem.jsonc', PARTIAL_PLAN);
  const placement = placementOf(plan);
  assert.ok(placement.moves.length > 0 && !placement.safe, 'the fixture has moves that are not enough');
  const r = runCli(['export', plan, '--to', 'moves']);
  assert.equal(r.status, 0);
  assert.match(r.stderr, new RegExp(`^hvmem: warning: \\S+: after these ${placement.moves.length} move\\(s\\) the cluster still does not survive the loss of every node`));
  assert.match(r.stdout, /^ {4}WARNING: after these moves the cluster still does not survive the loss of every node; run\r$/m);
  assert.match(r.stdout, /^Write-Warning 'hvmem: after these moves the cluster still does not survive the loss of every node'\r$/m);
});

test('the script makes the moves hvmem advise lists, in its order, with the plan\'s names quoted', () => {
  const plan = write('moves.hvmem.jsonc', MOVES_PLAN);
  const placement = placementOf(plan);
  assert.ok(placement.moves.length >= 2 && placement.safe, 'the fixture needs at least two moves, which make it safe');
  const r = runCli(['export', plan, '--to', 'moves']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const calls = [...r.stdout.matchAll(/^Move-HvmemVM -Step (\d+) -Name ('(?:[^']|'')*') -From ('(?:[^']|'')*') -To ('(?:[^']|'')*')\r$/gm)].map((m) => m.slice(1));
  assert.deepEqual(calls, placement.moves.map((m, i) => [String(i + 1), quote(m.vm), quote(m.from), quote(m.to)]));
  assert.match(r.stdout, /^#Requires -Modules FailoverClusters, Hyper-V\r$/m);
  assert.match(r.stdout, /^\[CmdletBinding\(SupportsShouldProcess = \$true\)\]\r$/m);
  assert.match(r.stdout, /^ {4}\[string\] \$Cluster = 'CL-MOVES'\r$/m);
  assert.match(r.stdout, /from moves\.hvmem\.jsonc on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  assert.match(r.stdout, /by simulating the loss of each node of the plan, one node at a time/);
  placement.moves.forEach((m, i) => assert.match(r.stdout, new RegExp(`^# ${i + 1} of ${placement.moves.length}: the plan puts ${escape(m.vm)} on ${escape(m.from)}\\r$`, 'm')));
});

test('exportMoves: a VM that moves twice is said to be where the move before put it; names cannot end the help block', () => {
  const plan = readPlan(JSON.stringify({ cluster: { name: "CL'X #>" }, hosts: [{ name: 'N1', memory: '64GB' }, { name: 'N2', memory: '64GB' }], vms: [] })).plan;
  const script = exportMoves(plan, [{ vm: 'A#>', from: 'N1', to: 'N2' }, { vm: 'B', from: 'N2', to: 'N1' }, { vm: 'A#>', from: 'N2', to: 'N1' }],
    { planFile: 'x.hvmem.jsonc', generatedAt: '2026-12-01T00:00:00Z', safe: true });
  assert.match(script, /^# 1 of 3: the plan puts A# > on N1\r$/m);
  assert.match(script, /^# 3 of 3: move 1 puts A# > on N2\r$/m);
  assert.match(script, /^ {4}\[string\] \$Cluster = 'CL''X #>'\r$/m);
  assert.equal(script.indexOf('#>'), script.indexOf('\r\n#>\r\n') + 2, 'the help block ends once, where it should');
  const local = exportMoves({ ...plan, cluster: { ...plan.cluster!, name: '' } }, [{ vm: 'B', from: 'N2', to: 'N1' }], { planFile: 'x', generatedAt: 'now', safe: true });
  assert.match(local, /^ {4}\[string\] \$Cluster = ''\r$/m);
  assert.match(local, /default: the cluster of this computer/);
});

test('--to takes powershell or moves', () => {
  const r = runCli(['export', join(ROOT, 'samples', 'cluster.hvmem.jsonc'), '--to', 'move']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--to must be one of powershell, moves, not 'move'/);
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
