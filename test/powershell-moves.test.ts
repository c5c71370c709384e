// The script `hvmem export --to moves` writes, run in PowerShell against the stand-in FailoverClusters
// and Hyper-V cmdlets (test/powershell/): -WhatIf moves nothing and says what it would move, a run makes
// exactly the moves `hvmem advise` lists, in its order, after which the cluster survives the loss of any
// node; a second run moves nothing; a VM where the moves do not expect it stops them.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { exportMoves, type VmMove } from '../server/src/core/export/moves';
import { readPlan } from '../server/src/core/read';
import type { Plan } from '../server/src/core/plan';
import { clusterState, MOVES_OBJECT, MOVES_PLAN, placementOf } from './moves-fixture';
import { needsPwsh, pwsh, runWithStandIns, STAND_INS, type StandInCall, type StandInResult, type StandInState } from './support/pwsh';

const ROOT = join(import.meta.dirname ?? __dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const GB = 1024 ** 3;
let dir = '';

before(() => {
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'hvmem-moves-ps-'));
});

/** `hvmem export --to moves` as a user runs it, into a file; with the moves `hvmem advise` lists. */
function exportScript(planText: string, name: string): { script: string; moves: VmMove[]; plan: Plan } {
  const planPath = join(dir, `${name}.hvmem.jsonc`);
  const script = join(dir, `${name}.moves.ps1`);
  writeFileSync(planPath, planText);
  const r = spawnSync(process.execPath, [CLI, 'export', planPath, '--to', 'moves', '-o', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const placement = placementOf(planPath);
  assert.ok(!placement.survivesAnyNodeLoss && placement.safe && placement.moves.length > 0, `${name}: moves that make the cluster safe`);
  return { script, moves: placement.moves, plan: readPlan(planText).plan };
}

const moveCalls = (calls: StandInCall[]) => calls.filter((c) => c.Command.startsWith('Move-'));
const hosts = (state: StandInState) => Object.fromEntries(state.Vms.map((v) => [v.Name, v.ComputerName]));
const roleName = (state: StandInState, vm: string) => state.Vms.find((v) => v.Name === vm)?.Cluster?.RoleName ?? vm;

/** Where each VM is after the moves, as the plan would place it. */
function afterMoves(state: StandInState, moves: VmMove[]): Record<string, string | undefined> {
  const at = hosts(state);
  for (const m of moves) at[m.vm] = m.to;
  return at;
}

function noErrors(r: StandInResult) {
  assert.deepEqual(r.parseErrors, [], 'PowerShell parses the script without errors');
  assert.deepEqual(r.incompatible, [], 'nothing Windows PowerShell 5.1 would not run');
  assert.equal(r.threw, null);
  assert.deepEqual(r.errors, []);
}

/** -WhatIf, a run, a second run of a plan's moves script, each checked from the stand-ins' calls and state. */
function exercise(planText: string, name: string, adjust: (s: StandInState) => void = () => {}) {
  const { script, moves, plan } = exportScript(planText, name);
  const initial = clusterState(plan);
  adjust(initial);

  const whatIf = runWithStandIns(initial, script, { WhatIf: true });
  noErrors(whatIf);
  assert.equal(whatIf.exitCode, 0);
  assert.deepEqual(moveCalls(whatIf.calls), [], '-WhatIf moves nothing');
  assert.deepEqual(hosts(whatIf.state), hosts(initial));
  const said = whatIf.stdout.split(/\r?\n/).filter((l) => l.startsWith('What if: '));
  assert.deepEqual(said, moves.map((m, i) => {
    const role = roleName(initial, m.vm);
    return `What if: Performing the operation "move ${i + 1} of ${moves.length}: Move-ClusterVirtualMachineRole -Node ${m.to} -MigrationType Live" on target "${m.vm}${role !== m.vm ? ` (role ${role})` : ''}".`;
  }), '-WhatIf says each move, in order');
  assert.match(whatIf.information.join('\n'), new RegExp(`hvmem: 0 of ${moves.length} move\\(s\\) made, 0 already made, ${moves.length} not made \\(-WhatIf or declined\\), 0 failed, 0 not attempted`));

  const run = runWithStandIns(initial, script);
  noErrors(run);
  assert.equal(run.exitCode, 0);
  assert.deepEqual(run.calls, moves.map((m) => ({
    Command: 'Move-ClusterVirtualMachineRole', Parameters: { Name: roleName(initial, m.vm), Node: m.to, MigrationType: 'Live' }, Outcome: 'applied',
  })), 'exactly the moves, in order, each a live migration; nothing else is changed');
  assert.deepEqual(hosts(run.state), afterMoves(initial, moves));
  assert.deepEqual(run.state.Vms.map((v) => v.State), initial.Vms.map((v) => v.State ?? 'Off'), 'every VM keeps its state');
  assert.match(run.information.join('\n'), new RegExp(`hvmem: ${moves.length} of ${moves.length} move\\(s\\) made, 0 already made, 0 not made \\(-WhatIf or declined\\), 0 failed`));

  const again = runWithStandIns(run.state, script);
  noErrors(again);
  assert.equal(again.exitCode, 0);
  assert.deepEqual(moveCalls(again.calls), [], 'a second run moves nothing');
  assert.match(again.information.join('\n'), new RegExp(`hvmem: 0 of ${moves.length} move\\(s\\) made, ${moves.length} already made`));
  return { script, moves, plan, initial, run };
}

test('a plan that needs several moves: -WhatIf, a run that makes them in order (a role named otherwise than its VM), a second run', needsPwsh, () => {
  const { moves, run } = exercise(MOVES_PLAN, 'moves', (s) => { s.Vms.find((v) => v.Name === 'db*')!.Cluster = { RoleName: 'SCVMM db* Resources' }; });
  assert.ok(moves.some((m) => m.vm === 'db*'), 'the renamed role is among the moves');
  // The cluster as the moves leave it, written back into the plan, survives the loss of any node.
  const moved = hosts(run.state);
  const after = { ...MOVES_OBJECT, vms: MOVES_OBJECT.vms.map((v) => ({ ...v, host: moved[v.name]! })) };
  const file = join(dir, 'after.hvmem.jsonc');
  writeFileSync(file, JSON.stringify(after));
  assert.equal(placementOf(file).survivesAnyNodeLoss, true, 'after the moves the plan survives the loss of any one node');
});

test('the patch-night sample: its move as a live migration, in Windows PowerShell 5.1 too', needsPwsh, () => {
  exercise(readFileSync(join(ROOT, 'samples', 'patch-night.hvmem.jsonc'), 'utf8'), 'patch-night', (s) => { s.Mode = 'ps51'; });
});

test('the script passes the Windows PowerShell 5.1 check', needsPwsh, () => {
  const { script } = exportScript(MOVES_PLAN, 'ps51');
  const r = pwsh(['-File', join(STAND_INS, 'Test-WindowsPowerShell51.ps1'), '-Path', script]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '', 'nothing Windows PowerShell 5.1 would not run');
});

test('a VM on a third node: its move is refused, the moves after it are not attempted, exit 1', needsPwsh, () => {
  const { script, moves, plan } = exportScript(MOVES_PLAN, 'third');
  const state = clusterState(plan);
  const first = moves[0];
  const third = plan.hosts.map((h) => h.name).find((h) => h !== first.from && h !== first.to)!;
  state.Vms.find((v) => v.Name === first.vm)!.ComputerName = third;
  const r = runWithStandIns(state, script);
  assert.equal(r.exitCode, 1);
  assert.deepEqual(moveCalls(r.calls), [], 'nothing moves');
  assert.deepEqual(hosts(r.state), hosts(state));
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].startsWith(`${first.vm} is on ${third}, not on ${first.from}: move 1 to ${first.to} not made.`), true, r.errors[0]);
  const rest = moves.slice(1).map((m, i) => `${i + 2} (${m.vm} to ${m.to})`).join('; ');
  assert.deepEqual(r.warnings, [`hvmem: not attempted, since move 1 was refused and the moves after it assume it was made: ${rest}`]);
  assert.match(r.information.join('\n'), new RegExp(`hvmem: 0 of ${moves.length} move\\(s\\) made, 0 already made, 0 not made \\(-WhatIf or declined\\), 1 failed, ${moves.length - 1} not attempted`));
});

test('a move the cluster refuses (the target node is paused) stops the moves after it', needsPwsh, () => {
  const { script, moves, plan } = exportScript(MOVES_PLAN, 'paused');
  const state = clusterState(plan);
  state.Hosts.find((h) => h.Name === moves[0].to)!.NodeState = 'Paused';
  const r = runWithStandIns(state, script);
  assert.equal(r.exitCode, 1);
  assert.deepEqual(moveCalls(r.calls).map((c) => c.Outcome), [`refused: ${moves[0].to} is Paused`], 'the first move is tried, and only it');
  assert.deepEqual(hosts(r.state), hosts(state));
  assert.match(r.errors.join('\n'), new RegExp(`^${escape(moves[0].vm)}: move 1 to ${escape(moves[0].to)} failed: .*The cluster node is paused\\.`));
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0], /^hvmem: not attempted, since move 1 failed and the moves after it assume it was made: 2 /);
});

test('-Confirm: a declined move is not made, and neither are the moves after it', needsPwsh, () => {
  const { script, moves, plan } = exportScript(MOVES_PLAN, 'confirm');
  const state = clusterState(plan);
  const r = runWithStandIns(state, script, { Confirm: true }, 'N\n');
  assert.equal((r.stdout.match(/Are you sure you want to perform this action\?/g) ?? []).length, 1, r.stdout);
  assert.equal(r.exitCode, 0, 'declining is not a failure');
  assert.deepEqual(moveCalls(r.calls), []);
  assert.match(r.warnings.join('\n'), /since move 1 was declined and the moves after it assume it was made: 2 /);
  assert.match(r.information.join('\n'), new RegExp(`0 of ${moves.length} move\\(s\\) made, 0 already made, 1 not made \\(-WhatIf or declined\\), 0 failed, ${moves.length - 1} not attempted`));
});

test('a VM already on its target counts as made; a VM that moves twice is followed through -WhatIf; a VM that is off moves with Move-ClusterGroup', needsPwsh, () => {
  const plan = readPlan(JSON.stringify({ cluster: { name: 'CL3' }, hosts: ['N1', 'N2', 'N3'].map((name) => ({ name, memory: '64GB' })), vms: [] })).plan;
  const moves: VmMove[] = [{ vm: 'C', from: 'N1', to: 'N2' }, { vm: 'A', from: 'N1', to: 'N2' }, { vm: 'B', from: 'N2', to: 'N3' }, { vm: 'A', from: 'N2', to: 'N3' }];
  const script = join(dir, 'crafted.ps1');
  writeFileSync(script, '\uFEFF' + exportMoves(plan, moves, { planFile: 'crafted.hvmem.jsonc', generatedAt: '2026-12-01T00:00:00Z', safe: true }));
  const state: StandInState = {
    ComputerName: 'N1', Cluster: { Name: 'CL3' }, Hosts: ['N1', 'N2', 'N3'].map((Name) => ({ Name, MemoryCapacity: 64 * GB })),
    Vms: [
      { Name: 'A', ComputerName: 'N1', State: 'Running', Cluster: {} },
      { Name: 'B', ComputerName: 'N2', State: 'Off', Cluster: {} },
      { Name: 'C', ComputerName: 'n2', State: 'Running', Cluster: {} },
    ],
  };
  const whatIf = runWithStandIns(state, script, { WhatIf: true });
  noErrors(whatIf);
  assert.deepEqual(whatIf.stdout.split(/\r?\n/).filter((l) => l.startsWith('What if: ')), [
    'What if: Performing the operation "move 2 of 4: Move-ClusterVirtualMachineRole -Node N2 -MigrationType Live" on target "A".',
    'What if: Performing the operation "move 3 of 4: Move-ClusterGroup -Node N3 (the VM is not running)" on target "B".',
    'What if: Performing the operation "move 4 of 4: Move-ClusterVirtualMachineRole -Node N3 -MigrationType Live" on target "A".',
  ]);
  assert.match(whatIf.information.join('\n'), /0 of 4 move\(s\) made, 1 already made, 3 not made/);

  const run = runWithStandIns(state, script);
  noErrors(run);
  assert.equal(run.exitCode, 0);
  assert.deepEqual(run.calls.map((c) => [c.Command, c.Parameters.Name, c.Parameters.Node, c.Outcome]), [
    ['Move-ClusterVirtualMachineRole', 'A', 'N2', 'applied'],
    ['Move-ClusterGroup', 'B', 'N3', 'applied'],
    ['Move-ClusterVirtualMachineRole', 'A', 'N3', 'applied'],
  ]);
  assert.deepEqual(hosts(run.state), { A: 'N3', B: 'N3', C: 'n2' });
  assert.equal(run.state.Vms.find((v) => v.Name === 'B')!.State, 'Off', 'moving the role does not start the VM');
  assert.match(run.information.join('\n'), /3 of 4 move\(s\) made, 1 already made, 0 not made \(-WhatIf or declined\), 0 failed, 0 not attempted/);
});

test('a cluster that cannot be reached: every move fails at the first, said once, exit 1', needsPwsh, () => {
  const { script, moves, plan } = exportScript(MOVES_PLAN, 'unreachable');
  const r = runWithStandIns(clusterState(plan), script, { Cluster: 'ELSEWHERE' });
  assert.equal(r.exitCode, 1);
  assert.deepEqual(moveCalls(r.calls), []);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0], /: move 1 to .* not made: Failed to connect to cluster 'ELSEWHERE'/);
  assert.match(r.information.join('\n'), new RegExp(`0 of ${moves.length} move\\(s\\) made, 0 already made, 0 not made \\(-WhatIf or declined\\), 1 failed, ${moves.length - 1} not attempted`));
});

test('a cluster that survives the loss of any node: the script runs, moves nothing and says so', needsPwsh, () => {
  const planPath = join(ROOT, 'samples', 'cluster.hvmem.jsonc');
  const script = join(dir, 'nothing.ps1');
  const r = spawnSync(process.execPath, [CLI, 'export', planPath, '--to', 'moves', '-o', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const run = runWithStandIns({ ...clusterState(readPlan(readFileSync(planPath, 'utf8')).plan), Mode: 'ps51' }, script);
  noErrors(run);
  assert.equal(run.exitCode, 0);
  assert.deepEqual(run.calls, []);
  assert.deepEqual(run.information, ['hvmem: the cluster survives the loss of any one node as the plan places its VMs: nothing to move']);
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
