// The stand-in Hyper-V cmdlets refuse what Hyper-V refuses, and the exported script's promise (which
// changes it refuses on a running VM) agrees with them change by change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPowerShell } from '../server/src/core/export/powershell';
import { readPlan } from '../server/src/core/read';
import { needsPwsh, runWithStandIns, STAND_INS, type StandInVm } from './support/pwsh';

const GB = 1024 ** 3;
const DYNAMIC = { DynamicMemoryEnabled: true, Startup: 6 * GB, Minimum: GB, Maximum: 8 * GB, Generation: 2 };
const STATIC = { DynamicMemoryEnabled: false, Startup: 2 * GB, Generation: 1 };

/** Each change: the VM it starts from, and the plan memory/settings that ask for it. */
const CASES: Record<string, { base: Partial<StandInVm>; plan: Record<string, unknown>; runningAccepted?: boolean; offAccepted?: boolean }> = {
  'toggle-dynamic': { base: STATIC, plan: { memory: { dynamic: true } }, runningAccepted: false, offAccepted: true },
  'startup-dynamic': { base: DYNAMIC, plan: { memory: { startup: '4GB' } }, runningAccepted: false, offAccepted: true },
  'startup-static': { base: STATIC, plan: { memory: { startup: '4GB' } }, runningAccepted: false, offAccepted: true },
  'startup-static-resizable': { base: { ...STATIC, Generation: 2, RuntimeMemoryResize: true }, plan: { memory: { startup: '4GB' } }, runningAccepted: true, offAccepted: true },
  'raise-minimum': { base: DYNAMIC, plan: { memory: { dynamic: true, minimum: '2GB' } }, runningAccepted: false, offAccepted: true },
  'lower-minimum': { base: DYNAMIC, plan: { memory: { dynamic: true, minimum: '512MB' } }, runningAccepted: true, offAccepted: true },
  'raise-maximum': { base: DYNAMIC, plan: { memory: { dynamic: true, maximum: '16GB' } }, runningAccepted: true, offAccepted: true },
  'lower-maximum': { base: DYNAMIC, plan: { memory: { dynamic: true, maximum: '7GB' } }, runningAccepted: false, offAccepted: true },
  'buffer': { base: DYNAMIC, plan: { memory: { dynamic: true, buffer: 50 } }, runningAccepted: true, offAccepted: true },
  'priority': { base: DYNAMIC, plan: { memory: { priority: 80 } }, runningAccepted: true, offAccepted: true },
  'start-action': { base: DYNAMIC, plan: { automaticStartAction: 'Start' }, runningAccepted: true, offAccepted: true },
  'start-delay': { base: DYNAMIC, plan: { automaticStartDelay: 60 }, runningAccepted: true, offAccepted: true },
  'stop-action': { base: DYNAMIC, plan: { automaticStopAction: 'ShutDown' }, runningAccepted: false, offAccepted: true },
  'smart-paging': { base: DYNAMIC, plan: { smartPagingFilePath: 'D:\\SP' }, runningAccepted: false, offAccepted: true },
  // Values Hyper-V rejects whatever the state (the plan reader rejects them too, so they are not exported).
  'odd-mb': { base: STATIC, plan: {}, offAccepted: false },
  'not-whole-mb': { base: STATIC, plan: {}, offAccepted: false },
  'under-32mb': { base: STATIC, plan: {}, offAccepted: false },
  'minimum-over-startup': { base: DYNAMIC, plan: {}, offAccepted: false },
  'maximum-under-startup': { base: DYNAMIC, plan: {}, offAccepted: false },
  'minimum-on-static': { base: STATIC, plan: {}, offAccepted: false },
  'minimum-with-dynamic-on': { base: STATIC, plan: {}, offAccepted: true },
  'buffer-range': { base: DYNAMIC, plan: {}, offAccepted: false },
  'priority-range': { base: DYNAMIC, plan: {}, offAccepted: false },
  'generation-1-limit': { base: { ...DYNAMIC, Generation: 1 }, plan: {}, offAccepted: false },
};

const vmsOf = (state: 'Off' | 'Running', withPlan: boolean) => Object.entries(CASES)
  .filter(([, c]) => (state === 'Off' ? c.offAccepted !== undefined : c.runningAccepted !== undefined) && (!withPlan || Object.keys(c.plan).length > 0))
  .map(([name, c]) => ({ Name: `${name}-${state}`, ComputerName: 'HV01', State: state, Assigned: 4 * GB, ...c.base }));

test('the stand-ins accept and refuse changes as Hyper-V does', needsPwsh, () => {
  const r = runWithStandIns({ ComputerName: 'HV01', Hosts: [{ Name: 'HV01', MemoryCapacity: 256 * GB }], Vms: [...vmsOf('Off', false), ...vmsOf('Running', false)] }, join(STAND_INS, 'Test-Refusals.ps1'));
  assert.equal(r.threw, null, r.stderr);
  const outcomes = new Map<string, boolean>();
  for (const line of r.output) {
    const m = /Case=([\w-]+); State=(\w+); Accepted=(True|False)/.exec(line);
    if (m) outcomes.set(`${m[1]}-${m[2]}`, m[3] === 'True');
  }
  for (const [name, c] of Object.entries(CASES)) {
    if (c.offAccepted !== undefined) assert.equal(outcomes.get(`${name}-Off`), c.offAccepted, `${name} on an Off VM`);
    if (c.runningAccepted !== undefined) assert.equal(outcomes.get(`${name}-Running`), c.runningAccepted, `${name} on a running VM`);
  }
  const refusedCalls = r.calls.filter((c) => c.Outcome.startsWith('refused'));
  assert.ok(refusedCalls.every((c) => /failed to modify|cannot|must be/.test(c.Outcome)), 'each refusal says why');
  assert.deepEqual(r.state.Vms.filter((v) => v.Name === 'odd-mb-Off').map((v) => v.Startup), [2 * GB], 'a refused call changes nothing');
});

test('the exported script refuses on a running VM exactly what Hyper-V refuses there (runtime resize of a static VM aside)', needsPwsh, () => {
  const planVms = Object.entries(CASES).filter(([, c]) => c.runningAccepted !== undefined)
    .map(([name, c]) => ({ name: `${name}-Running`, generation: c.base.Generation, memory: {}, ...c.plan }));
  const plan = readPlan(JSON.stringify({ hosts: [{ name: 'HV01', memory: '256GB' }], vms: planVms })).plan;
  const dir = mkdtempSync(join(tmpdir(), 'hvmem-refusals-'));
  const script = join(dir, 'apply.ps1');
  writeFileSync(script, '\uFEFF' + exportPowerShell(plan, { planFile: 'refusals.hvmem.jsonc', generatedAt: '2026-12-01T00:00:00Z' }));
  const r = runWithStandIns({ ComputerName: 'HV01', Hosts: [{ Name: 'HV01', MemoryCapacity: 256 * GB }], Vms: vmsOf('Running', true) }, script);
  assert.deepEqual(r.parseErrors, []);
  for (const [name, c] of Object.entries(CASES)) {
    if (c.runningAccepted === undefined) continue;
    const vm = `${name}-Running`;
    const refusedByScript = r.errors.some((e) => e.startsWith(`${vm} is Running: Hyper-V requires it off`));
    const failedInHyperV = r.errors.some((e) => e.startsWith(`${vm}: `));
    assert.equal(failedInHyperV, false, `${vm}: the script never lets Hyper-V refuse a change (${r.errors.join(' | ')})`);
    // A static VM's memory can change while it runs only where the guest supports it, which a script
    // cannot know beforehand: it asks for the VM off, as for every other static VM.
    const expected = name === 'startup-static-resizable' ? true : !c.runningAccepted;
    assert.equal(refusedByScript, expected, `${vm}: the script ${expected ? 'refuses' : 'applies'} it`);
  }
});

test('Move-ClusterVirtualMachineRole and Move-ClusterGroup move a VM role as a cluster does, and refuse what it refuses', needsPwsh, () => {
  const dir = mkdtempSync(join(tmpdir(), 'hvmem-moves-standin-'));
  const script = join(dir, 'moves.ps1');
  writeFileSync(script, [
    "$moved = Move-ClusterVirtualMachineRole -Name 'SCVMM A' -Node hv2 -MigrationType Live",
    "Write-Output \"Moved=$($moved.Name)@$($moved.OwnerNode.Name); Type=$($moved.GetType().FullName)\"",
    "$null = Move-ClusterVirtualMachineRole 'SCVMM A' HV2",
    "Move-ClusterVirtualMachineRole -Name 'A' -Node HV1",
    "Move-ClusterVirtualMachineRole -Name 'Cluster Group' -Node HV2",
    "Move-ClusterVirtualMachineRole -Name 'SCVMM A' -Node HV9",
    "Move-ClusterVirtualMachineRole -Name 'SCVMM A' -Node HV3",
    "Move-ClusterVirtualMachineRole -Name 'SCVMM A' -Node HV1 -MigrationType Quick",
    "Move-ClusterGroup -Name B -Node HV2",
    "$null = Get-ClusterGroup -Name B | Move-ClusterGroup -Node HV1",
    "Get-ClusterGroup | Where-Object { $_.Name -eq 'SCVMM A' } | ForEach-Object { Write-Output \"Owner=$($_.OwnerNode.Name)\" }",
    "Get-VM -ClusterObject (Get-ClusterResource -Name 'Virtual Machine A') | ForEach-Object { Write-Output \"Vm=$($_.Name)@$($_.ComputerName)\" }",
    "try { Move-ClusterVirtualMachineRole -Name 'SCVMM A' -Node HV1 -WhatIf } catch { Write-Output \"WhatIf=$($_.FullyQualifiedErrorId)\" }",
  ].join('\n'));
  const r = runWithStandIns({
    ComputerName: 'HV1', Cluster: { Name: 'CL' },
    Hosts: [{ Name: 'HV1', MemoryCapacity: 64 * GB }, { Name: 'HV2', MemoryCapacity: 64 * GB }, { Name: 'HV3', MemoryCapacity: 64 * GB, NodeState: 'Paused' }],
    Vms: [
      { Name: 'A', ComputerName: 'HV1', State: 'Running', Cluster: { RoleName: 'SCVMM A' } },
      { Name: 'B', ComputerName: 'HV1', State: 'Off', Cluster: { PossibleOwners: ['HV1', 'HV3'] } },
    ],
  }, script);
  assert.equal(r.threw, null, r.stderr);
  assert.deepEqual(r.output, ['Moved=SCVMM A@HV2; Type=Microsoft.FailoverClusters.PowerShell.ClusterGroup', 'Owner=HV2', 'Vm=A@HV2', 'WhatIf=NamedParameterNotFound,Move-ClusterVirtualMachineRole']);
  assert.deepEqual(r.calls.map((c) => [c.Command, c.Parameters.Name, c.Parameters.Node, c.Outcome]), [
    ['Move-ClusterVirtualMachineRole', 'SCVMM A', 'hv2', 'applied'],
    ['Move-ClusterVirtualMachineRole', 'SCVMM A', 'HV2', 'unchanged: already on HV2'],
    ['Move-ClusterVirtualMachineRole', 'A', 'HV1', 'refused: no such role'],
    ['Move-ClusterVirtualMachineRole', 'Cluster Group', 'HV2', 'refused: not a virtual machine'],
    ['Move-ClusterVirtualMachineRole', 'SCVMM A', 'HV9', 'refused: HV9 is not a node'],
    ['Move-ClusterVirtualMachineRole', 'SCVMM A', 'HV3', 'refused: HV3 is Paused'],
    ['Move-ClusterVirtualMachineRole', 'SCVMM A', 'HV1', 'refused: not modelled'],
    ['Move-ClusterGroup', 'B', 'HV2', 'refused: HV2 is not a possible owner'],
    ['Move-ClusterGroup', 'B', 'HV1', 'unchanged: already on HV1'],
  ]);
  assert.deepEqual(r.errors, [
    "An error occurred opening cluster group 'A'. The group name could not be found.",
    "The cluster group 'Cluster Group' is not a clustered virtual machine.",
    "An error occurred opening cluster node 'HV9'. The cluster node could not be found.",
    "An error occurred while moving the clustered role 'SCVMM A' to node 'HV3'. The cluster node is paused.",
    'The stand-ins model only live migration, not Quick.',
    "An error occurred while moving the clustered role 'B' to node 'HV2'. The node is not a possible owner of the resource 'Virtual Machine B'.",
  ]);
  assert.deepEqual(r.state.Vms.map((v) => [v.Name, v.ComputerName, v.State]), [['A', 'HV2', 'Running'], ['B', 'HV1', 'Off']], 'the node name as the cluster spells it; the VM keeps its state');
});
