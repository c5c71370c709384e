// scripts/Export-HvmemInventory.ps1, the script administrators run on their hosts, run in PowerShell
// against the stand-in Hyper-V and FailoverClusters cmdlets (test/powershell/): one host, a cluster, the
// Windows PowerShell 5.1 shapes, and memory sampling. Its output goes through `hvmem import` as a user
// would run it, and the plan's values must equal the stand-ins' state (the round trip).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { needsPwsh, runWithStandIns, withDefaults, type StandInState, type StandInVm } from './support/pwsh';

const ROOT = join(import.meta.dirname ?? __dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const INVENTORY = join(ROOT, 'scripts', 'Export-HvmemInventory.ps1');
const GB = 1024 ** 3;
const MB = 1024 ** 2;
let dir = '';

before(() => {
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'hvmem-inventory-'));
});

const hvmem = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

const SIZES: Record<string, number> = { MB, GB, TB: 1024 * GB };
/** A plan size ("4GB", "1026MB", or bytes) in bytes. */
const bytes = (v: unknown) => (typeof v === 'number' ? v : Number(/^(\d+)(MB|GB|TB)$/.exec(String(v))![1]) * SIZES[/^(\d+)(MB|GB|TB)$/.exec(String(v))![2]]);

const VMS: StandInVm[] = [
  { Name: 'SQL01', State: 'Running', Generation: 2, DynamicMemoryEnabled: true, Startup: 4 * GB, Minimum: 2 * GB, Maximum: 16 * GB, Buffer: 25, Priority: 80,
    Assigned: 6 * GB, Demand: 5 * GB, AutomaticStartAction: 'Start', AutomaticStartDelay: 30, AutomaticStopAction: 'ShutDown', SmartPagingFilePath: 'D:\\SP' },
  { Name: 'WEB (blue)', State: 'Off', Generation: 1, Startup: 2 * GB, AutomaticStopAction: 'TurnOff' },
  { Name: 'FILE01', State: 'Saved', Generation: 2, DynamicMemoryEnabled: true, Startup: 1026 * MB, Minimum: 512 * MB, Maximum: 4 * GB, Buffer: 5, Priority: 0, AutomaticStartAction: 'Nothing' },
  { Name: "O'Brien \u03A9", State: 'Paused', Generation: 2, Startup: 8 * GB, Assigned: 8 * GB, Priority: 100, SmartPagingFilePath: 'C:\\ClusterStorage\\Volume1\\SP' },
];

function oneHost(mode: 'ps7' | 'ps51'): StandInState {
  return {
    ComputerName: 'HV01', Mode: mode,
    Hosts: [{ Name: 'HV01', MemoryCapacity: 256 * GB, LogicalProcessorCount: 32, NumaSpanningEnabled: false, NumaNodes: 2, MemoryReserveMB: 4096, SystemDrive: 'C:',
      Volumes: [{ Name: 'C:\\', FreeSpace: 80 * GB }, { Name: 'C:\\ClusterStorage\\Volume1\\', FreeSpace: 1024 * GB }, { Name: '\\\\?\\Volume{0b1c}\\', FreeSpace: GB }, { Name: 'E:\\', FreeSpace: 0, DriveType: 5 }] }],
    Vms: VMS.map((v) => ({ ...v, ComputerName: 'HV01' })),
  };
}

interface PlanJson { hosts: Record<string, unknown>[]; cluster?: Record<string, unknown>; vms: Record<string, any>[] }

/** Runs the inventory, then `hvmem import` on its output; returns the plan (JSONC read) and the import's stderr. */
function inventoryToPlan(state: StandInState, name: string, parameters: Record<string, unknown> = {}, importArgs: string[] = []) {
  const json = join(dir, `${name}.json`);
  const r = runWithStandIns(state, INVENTORY, { Path: json, ...parameters });
  assert.deepEqual(r.parseErrors, []);
  assert.equal(r.threw, null, r.threw ?? '');
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.incompatible, [], 'nothing Windows PowerShell 5.1 lacks');
  assert.deepEqual(r.calls.filter((c) => /^Set-|^set |^New-/.test(c.Command)), [], 'the inventory changes nothing');
  const planPath = join(dir, `${name}.hvmem.jsonc`);
  const imported = hvmem('import', json, '-o', planPath, ...importArgs);
  assert.equal(imported.status, 0, imported.stderr);
  const text = readFileSync(planPath, 'utf8');
  return { plan: parse(text) as PlanJson, text, stderr: imported.stderr, json: readFileSync(json, 'utf8'), run: r, planPath };
}

/** What a plan VM must say for a stand-in VM. */
function expectedVm(v: Required<StandInVm>, host: string): Record<string, unknown> {
  const memory: Record<string, unknown> = { dynamic: v.DynamicMemoryEnabled, startup: v.Startup };
  if (v.DynamicMemoryEnabled) Object.assign(memory, { minimum: v.Minimum, maximum: v.Maximum, buffer: v.Buffer });
  memory.priority = v.Priority;
  const holdsMemory = !['Off', 'Saved', 'Hibernated'].includes(v.State);
  return {
    name: v.Name, host, generation: v.Generation, memory, state: holdsMemory ? 'Running' : 'Off',
    automaticStartAction: v.AutomaticStartAction, automaticStartDelay: v.AutomaticStartDelay, automaticStopAction: v.AutomaticStopAction,
    smartPagingFilePath: v.SmartPagingFilePath, ...(holdsMemory && v.Demand ? { demand: v.Demand } : {}),
  };
}

/** A plan VM with its sizes in bytes, to compare with the stand-ins. */
function inBytes(vm: Record<string, any>): Record<string, unknown> {
  const memory = Object.fromEntries(Object.entries(vm.memory).map(([k, v]) => [k, ['startup', 'minimum', 'maximum'].includes(k) ? bytes(v) : v]));
  return { ...vm, memory, ...(typeof vm.demand === 'string' || typeof vm.demand === 'number' ? { demand: bytes(vm.demand) } : {}) };
}

function assertRoundTrip(plan: PlanJson, vms: Required<StandInVm>[]) {
  assert.equal(plan.vms.length, vms.length);
  for (const v of vms) {
    const vm = plan.vms.find((p) => p.name === v.Name && p.host === v.ComputerName);
    assert.ok(vm, `${v.Name} is in the plan`);
    const { clusterPriority, possibleOwners, preferredOwners, antiAffinityClass, ...memoryPart } = inBytes(vm);
    assert.deepEqual(memoryPart, expectedVm(v, v.ComputerName), `${v.Name} as the stand-in has it`);
    void clusterPriority; void possibleOwners; void preferredOwners; void antiAffinityClass;
  }
}

for (const mode of ['ps7', 'ps51'] as const) {
  test(`one host (${mode === 'ps7' ? 'PowerShell 7' : 'Windows PowerShell 5.1 shapes'}): the inventory imports into a plan equal to the host`, needsPwsh, () => {
    const state = oneHost(mode);
    const { plan, run, stderr } = inventoryToPlan(state, `one-${mode}`);
    assert.doesNotMatch(stderr, /warning/, 'nothing is left out');
    assert.deepEqual(plan.hosts, [{ name: 'HV01', memory: '256GB', reserve: '4GB', numaNodes: 2, numaSpanning: false, systemDrive: 'C:', volumes: { 'C:': '80GB', 'C:\\ClusterStorage\\Volume1': '1TB' } }]);
    assert.equal(plan.cluster, undefined, 'a standalone host has no cluster');
    assertRoundTrip(plan, run.state.Vms);
  });
}

for (const mode of ['ps7', 'ps51'] as const) {
  test(`Get-VM, Get-VMMemory and Get-VMHost | ConvertTo-Json (${mode === 'ps7' ? 'PowerShell 7, -EnumsAsStrings' : 'Windows PowerShell 5.1: numeric enums, { value, Count }'}) import as the host is`, needsPwsh, () => {
    const state = oneHost(mode);
    const files: string[] = [];
    for (const [name, command] of [['vm', 'Get-VM'], ['memory', 'Get-VMMemory -VMName *'], ['host', 'Get-VMHost']]) {
      const path = join(dir, `${mode}-${name}.json`);
      const r = runWithStandIns(state, join(ROOT, 'test', 'powershell', 'Write-Json.ps1'), { Command: command, Path: path, ...(mode === 'ps7' ? { EnumsAsStrings: true } : { NoEnumerate: true }) });
      assert.equal(r.threw, null, r.threw ?? '');
      files.push(path);
    }
    const vmJson = readFileSync(files[0], 'utf8');
    if (mode === 'ps51') {
      assert.match(vmJson, /^\{\s*"value":\s*\[/, 'an array kept whole is written as { value, Count }, as Windows PowerShell 5.1 does');
      assert.match(vmJson, /"AutomaticStopAction":\s*4/, 'enums as numbers');
    } else {
      assert.match(vmJson, /"AutomaticStopAction":\s*"ShutDown"/, 'enums as names');
    }
    const planPath = join(dir, `${mode}-cmdlets.hvmem.jsonc`);
    const imported = hvmem('import', ...files, '-o', planPath);
    assert.equal(imported.status, 0, imported.stderr);
    assertRoundTrip(parse(readFileSync(planPath, 'utf8')) as PlanJson, state.Vms.map(withDefaults));
  });
}

function cluster(): StandInState {
  const node = (name: string) => ({ Name: name, MemoryCapacity: 128 * GB, NumaNodes: 2, SystemDrive: 'C:', Volumes: [{ Name: 'C:\\', FreeSpace: 100 * GB }, { Name: 'C:\\ClusterStorage\\Volume1\\', FreeSpace: 2048 * GB }] });
  const vm = (name: string, host: string, role: StandInVm['Cluster'], extra: Partial<StandInVm> = {}): StandInVm => ({
    Name: name, ComputerName: host, State: 'Running', Generation: 2, Startup: 8 * GB, Assigned: 8 * GB, SmartPagingFilePath: `C:\\ClusterStorage\\Volume1\\${name}`, Cluster: role, ...extra,
  });
  return {
    ComputerName: 'HV-A',
    Cluster: { Name: 'CL01', RootMemoryReserved: 1024, ClusterEnforcedAntiAffinity: 1, MoveTypeThreshold: 3000 },
    Hosts: [node('HV-A'), node('HV-B'), node('HV-C')],
    Vms: [
      vm('SQL-A', 'HV-A', { Priority: 3000, PreferredOwners: ['HV-A', 'HV-B'], PossibleOwners: ['HV-A', 'HV-B'], AntiAffinityClassNames: ['SQL'] }, { AutomaticStopAction: 'ShutDown' }),
      vm('SQL-B', 'HV-B', { Priority: 3000, PreferredOwners: ['HV-B'], AntiAffinityClassNames: ['SQL', 'Tier1'] }),
      vm('APP-C', 'HV-C', { Priority: 1000 }, { DynamicMemoryEnabled: true, Minimum: 2 * GB, Maximum: 16 * GB, Demand: 6 * GB }),
      vm('BUILD', 'HV-C', { Priority: 0, PossibleOwners: ['HV-C', 'HV-A', 'HV-B'] }, { State: 'Off' }),
      vm('MED', 'HV-A', {}),
      vm('LOCAL', 'HV-B', null),
    ],
  };
}

const ROLES: Record<string, Record<string, unknown>> = {
  'SQL-A': { clusterPriority: 'High', possibleOwners: ['HV-A', 'HV-B'], preferredOwners: ['HV-A', 'HV-B'], antiAffinityClass: 'SQL' },
  'SQL-B': { clusterPriority: 'High', preferredOwners: ['HV-B'], antiAffinityClass: ['SQL', 'Tier1'] },
  'APP-C': { clusterPriority: 'Low' },
  BUILD: { clusterPriority: 'NoAutoStart' },
  MED: { clusterPriority: 'Medium' },
  LOCAL: {},
};

const roleOf = (vm: Record<string, unknown>) => Object.fromEntries(['clusterPriority', 'possibleOwners', 'preferredOwners', 'antiAffinityClass'].filter((k) => k in vm).map((k) => [k, vm[k]]));

test('a cluster (-Cluster): every node, the cluster settings, each role\'s priority, owners and anti-affinity classes', needsPwsh, () => {
  const state = cluster();
  const { plan, run, stderr } = inventoryToPlan(state, 'cluster', { Cluster: 'CL01' });
  assert.doesNotMatch(stderr, /warning: (?!host)/, stderr);
  assert.deepEqual(plan.cluster, { name: 'CL01', rootMemoryReserved: '1GB', moveTypeThreshold: 'High', enforcedAntiAffinity: true });
  assert.deepEqual(plan.hosts.map((h) => [h.name, h.memory]), [['HV-A', '128GB'], ['HV-B', '128GB'], ['HV-C', '128GB']]);
  assertRoundTrip(plan, run.state.Vms);
  for (const vm of plan.vms) assert.deepEqual(roleOf(vm), ROLES[vm.name], `${vm.name}'s cluster role`);
  // Reading the cluster is read-only: no owner, priority or parameter was set.
  assert.deepEqual(run.calls.filter((c) => c.Outcome === 'applied'), []);
});

test('a cluster node without -Cluster: that host, its VMs\' roles and the cluster settings', needsPwsh, () => {
  const { plan } = inventoryToPlan(cluster(), 'cluster-node', { ComputerName: 'HV-B' });
  assert.deepEqual(plan.hosts.map((h) => h.name), ['HV-B']);
  assert.deepEqual(plan.vms.map((v) => v.name), ['SQL-B', 'LOCAL']);
  assert.deepEqual(roleOf(plan.vms[0]), ROLES['SQL-B']);
  assert.equal(plan.cluster?.name, 'CL01');
});

test('measured demand: -SampleSeconds samples the Dynamic Memory counters; import takes p95, another percentile or the steps; simulate uses it', needsPwsh, () => {
  const state = oneHost('ps7');
  const pressures = [50, 60, 70, 80, 100, 120];
  Object.assign(state.Vms[0], { Samples: pressures.map((p) => [4096, p]) });
  // A name Get-Counter cannot hold as it is: its instance is "web [blue]".
  Object.assign(state.Vms[1], { State: 'Running', DynamicMemoryEnabled: true, Startup: 2 * GB, Minimum: GB, Maximum: 4 * GB, Samples: [[2048, 90], [2048, 110]] });
  const { plan, text, json, run, planPath } = inventoryToPlan(state, 'sampled', { SampleSeconds: 60, SampleInterval: 10 });
  const counter = run.calls.find((c) => c.Command === 'Get-Counter');
  assert.deepEqual(counter?.Parameters.Counter, ['\\Hyper-V Dynamic Memory VM(*)\\Physical Memory', '\\Hyper-V Dynamic Memory VM(*)\\Current Pressure']);
  assert.deepEqual([counter?.Parameters.SampleInterval, counter?.Parameters.MaxSamples], [10, 6]);
  const samples = JSON.parse(json).vms[0].MemorySamples;
  assert.deepEqual(samples.PressurePercent, pressures);
  assert.deepEqual(samples.PhysicalMemoryBytes, pressures.map(() => 4096 * MB));
  // Demand per sample: physical x pressure / 100, rounded up to whole MB.
  const demandMb = pressures.map((p) => Math.ceil((4096 * p) / 100));
  const sorted = [...demandMb].sort((a, b) => a - b);
  const sql = plan.vms.find((v) => v.name === 'SQL01')!;
  assert.equal(bytes(sql.demand), sorted[Math.ceil(0.95 * sorted.length) - 1] * MB, 'p95, nearest rank');
  assert.match(text, /\/\/ information: demand 4\.8 GB is the 95th percentile \(nearest rank\) of 6 sample\(s\) of physical memory x pressure every 10 s from 2026-11-20T\d\d:00:00Z/);
  assert.equal(bytes(plan.vms.find((v) => v.name === 'WEB (blue)')!.demand), Math.ceil(2048 * 1.1) * MB, 'the VM whose counter instance is renamed is matched');
  const simulated = JSON.parse(hvmem('simulate', planPath, '--format', 'json').stdout);
  assert.equal(simulated.vms.SQL01.demandBytes, bytes(sql.demand), 'the simulation runs on the measured demand');

  const p50 = inventoryToPlan(state, 'sampled-p50', { SampleSeconds: 60, SampleInterval: 10 }, ['--demand', 'p50']).plan;
  assert.equal(bytes(p50.vms.find((v) => v.name === 'SQL01')!.demand), sorted[2] * MB);
  const steps = inventoryToPlan(state, 'sampled-steps', { SampleSeconds: 60, SampleInterval: 10 }, ['--demand', 'steps']);
  const stepped = steps.plan.vms.find((v) => v.name === 'SQL01')!.demand as { at: number; memory: string }[];
  assert.deepEqual(stepped.map((s) => [s.at, bytes(s.memory)]), demandMb.map((d, i) => [i * 10, d * MB]));
  const last = JSON.parse(hvmem('simulate', steps.planPath, '--format', 'json').stdout);
  assert.equal(last.vms.SQL01.demandBytes, demandMb[demandMb.length - 1] * MB, 'the last measured step is the demand at the end');
});

test('the whole loop on a cluster: inventory, import, check, export, and the script finds everything already as planned', needsPwsh, () => {
  const state = cluster();
  const { planPath, run } = inventoryToPlan(state, 'loop', { Cluster: 'CL01' });
  const check = JSON.parse(hvmem('check', planPath, '--format', 'json').stdout) as { code: string; severity: string; message: string }[];
  assert.deepEqual(check.filter((d) => d.code === 'schema'), [], 'every key the import writes is a plan key');
  const script = join(dir, 'loop.ps1');
  const exported = hvmem('export', planPath, '--to', 'powershell', '-o', script);
  assert.equal(exported.status, 0, exported.stderr);
  const again = runWithStandIns(run.state, script, { UsePlanHostNames: true });
  assert.deepEqual(again.errors, []);
  assert.deepEqual(again.calls.filter((c) => /^Set-|^set /.test(c.Command)), [], 'nothing to change: the plan is the cluster');
  assert.match(again.information.join('\n'), new RegExp(`0 VM\\(s\\) changed, ${state.Vms.length} already as planned`));
  // One change on the cluster shows up as exactly that change.
  const moved = structuredClone(run.state);
  moved.Vms.find((v) => v.Name === 'SQL-A')!.Cluster!.Priority = 1000;
  moved.Cluster!.MoveTypeThreshold = 2000;
  const fix = runWithStandIns(moved, script, { UsePlanHostNames: true });
  assert.deepEqual(fix.calls.filter((c) => /^Set-|^set /.test(c.Command)).map((c) => [c.Command, c.Outcome]),
    [['Set-ClusterParameter', 'applied'], ['set ClusterGroup.Priority', 'applied']]);
  assert.equal(fix.state.Vms.find((v) => v.Name === 'SQL-A')!.Cluster!.Priority, 3000);
});
