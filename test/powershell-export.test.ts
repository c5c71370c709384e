// The script `hvmem export --to powershell` writes, run in PowerShell against the stand-in Hyper-V
// cmdlets (test/powershell/): -WhatIf changes nothing and says what it would do, a run applies exactly
// what the plan writes, a second run changes nothing, running VMs are refused where Hyper-V needs them
// off, and the script parses without errors (PSScriptAnalyzer is not reachable: test/powershell/README.md).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { readPlan } from '../server/src/core/read';
import type { Plan, Vm } from '../server/src/core/plan';
import { needsPwsh, runWithStandIns, withDefaults, type StandInState, type StandInVm } from './support/pwsh';
import { draws, random } from './support/plans';

const ROOT = join(import.meta.dirname ?? __dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const GB = 1024 ** 3;
const MB = 1024 ** 2;
let dir = '';

before(() => {
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'hvmem-export-ps-'));
});

/** `hvmem export` as a user runs it, into a file. */
function exportScript(planText: string, name: string): string {
  const planPath = join(dir, `${name}.hvmem.jsonc`);
  const scriptPath = join(dir, `${name}.apply-memory.ps1`);
  writeFileSync(planPath, planText);
  const r = spawnSync(process.execPath, [CLI, 'export', planPath, '--to', 'powershell', '-o', scriptPath], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return scriptPath;
}

/** The stand-in properties a plan VM's written settings set, as Hyper-V holds them. */
function planned(vm: Vm): Partial<StandInVm> {
  const written = (key: string) => vm.spans[key] !== undefined && !vm.invalid.has(key);
  const out: Partial<StandInVm> = {};
  if (written('memory.dynamic')) out.DynamicMemoryEnabled = vm.dynamic;
  if (written('memory.startup')) out.Startup = vm.startupBytes;
  if (vm.dynamic && written('memory.minimum')) out.Minimum = vm.minimumBytes;
  if (vm.dynamic && written('memory.maximum')) out.Maximum = vm.maximumBytes;
  if (vm.dynamic && written('memory.buffer')) out.Buffer = vm.bufferPercent;
  if (written('memory.priority')) out.Priority = vm.priority;
  if (written('automaticStartAction')) out.AutomaticStartAction = vm.automaticStartAction;
  if (written('automaticStartDelay')) out.AutomaticStartDelay = Math.round(vm.automaticStartDelaySeconds);
  if (written('automaticStopAction')) out.AutomaticStopAction = vm.automaticStopAction;
  if (written('smartPagingFilePath')) out.SmartPagingFilePath = vm.smartPagingFilePath;
  return out;
}

const GROUP_PRIORITY: Record<string, number> = { High: 3000, Medium: 2000, Low: 1000, NoAutoStart: 0 };

/** The cluster role settings the plan writes for a VM, as the cluster holds them. */
function plannedRole(plan: Plan, vm: Vm): Record<string, unknown> {
  if (!plan.cluster) return {};
  const written = (key: string) => vm.spans[key] !== undefined;
  const out: Record<string, unknown> = {};
  if (written('clusterPriority')) out.Priority = GROUP_PRIORITY[vm.clusterPriority];
  if (written('preferredOwners')) out.PreferredOwners = vm.preferredOwners;
  if (written('possibleOwners')) out.PossibleOwners = vm.possibleOwners;
  if (written('antiAffinityClass')) out.AntiAffinityClassNames = vm.antiAffinityClasses;
  return out;
}

/** A fresh role as the cluster reports it: Medium, no preferred owners, every node possible, no classes. */
function roleNow(role: StandInVm['Cluster'], nodes: string[]): Record<string, unknown> {
  return { Priority: role?.Priority ?? 2000, PreferredOwners: role?.PreferredOwners ?? [], PossibleOwners: role?.PossibleOwners ?? nodes, AntiAffinityClassNames: role?.AntiAffinityClassNames ?? [] };
}

/** Each plan VM as New-VM leaves it (static, 512 MB, Off), on its plan host; and one VM the plan does not name. */
function freshState(plan: Plan): StandInState {
  return {
    ComputerName: plan.hosts[0].name,
    Cluster: plan.cluster ? { Name: plan.cluster.name || 'CL', RootMemoryReserved: 512 } : null,
    Hosts: plan.hosts.map((h) => ({ Name: h.name, MemoryCapacity: h.memoryBytes, NumaNodes: 1, Volumes: [{ Name: 'C:\\', FreeSpace: 100 * GB }] })),
    Vms: [
      ...plan.vms.map((vm) => ({ Name: vm.name, ComputerName: vm.host || plan.hosts[0].name, Generation: vm.generation, State: 'Off', Cluster: plan.cluster ? {} : null })),
      { Name: 'NOT-IN-PLAN', ComputerName: plan.hosts[0].name, Generation: 2, State: 'Off', DynamicMemoryEnabled: true, Startup: 2 * GB, Minimum: GB, Maximum: 4 * GB },
      // what an unescaped wildcard in a plan's name (db*, web[1]) would also match
      { Name: 'db-other', ComputerName: plan.hosts[0].name, Generation: 2, State: 'Off' },
      { Name: 'web1', ComputerName: plan.hosts[0].name, Generation: 2, State: 'Off' },
    ],
  };
}

const byName = (vms: StandInVm[], name: string, host?: string) => {
  const found = vms.filter((v) => v.Name === name && (!host || v.ComputerName === host));
  assert.equal(found.length, 1, `one stand-in VM ${name}`);
  return found[0];
};

const SETTABLE = ['DynamicMemoryEnabled', 'Startup', 'Minimum', 'Maximum', 'Buffer', 'Priority', 'AutomaticStartAction', 'AutomaticStartDelay', 'AutomaticStopAction', 'SmartPagingFilePath'] as const;

/** -WhatIf, a run, a second run: what each must do, checked from the stand-ins' state and calls. */
function exerciseScript(plan: Plan, script: string, params: Record<string, unknown>) {
  const initial = freshState(plan);
  const nodes = plan.hosts.map((h) => h.name);
  const roleDiffers = (vm: Vm) => Object.entries(plannedRole(plan, vm)).some(([k, v]) => JSON.stringify(roleNow(byName(initial.Vms, vm.name).Cluster, nodes)[k]) !== JSON.stringify(v));
  const expectChanged = plan.vms.filter((vm) => roleDiffers(vm) || SETTABLE.some((k) => planned(vm)[k] !== undefined && planned(vm)[k] !== (withDefaults(byName(initial.Vms, vm.name)) as unknown as Record<string, unknown>)[k]));

  const whatIf = runWithStandIns(initial, script, { ...params, WhatIf: true });
  assert.deepEqual(whatIf.parseErrors, [], 'PowerShell parses the script without errors');
  assert.equal(whatIf.threw, null);
  assert.deepEqual(whatIf.errors, []);
  assert.equal(whatIf.exitCode, 0);
  assert.deepEqual(whatIf.calls.filter((c) => /^Set-|^set /.test(c.Command)), [], '-WhatIf sets nothing');
  assert.deepEqual(strip(whatIf.state.Vms), strip(initial.Vms.map(withDefaults)), '-WhatIf changes nothing');
  for (const vm of expectChanged) {
    const lines = whatIf.stdout.split(/\r?\n/).filter((l) => l.endsWith(` on target "${vm.name}".`)).join('\n');
    const before = withDefaults(byName(initial.Vms, vm.name)) as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(planned(vm))) {
      if (before[key] === value) continue;
      assert.ok(lines.includes(`-${PARAMETER[key]} ${shown(key, value)}`), `-WhatIf says it would set ${vm.name}'s ${PARAMETER[key]} to ${shown(key, value)}:\n${lines}`);
    }
  }
  assert.match(whatIf.information.join('\n'), new RegExp(`0 VM\\(s\\) changed, ${plan.vms.length - expectChanged.length} already as planned, ${expectChanged.length} not changed \\(-WhatIf`));

  const run = runWithStandIns(initial, script, params);
  assert.deepEqual(run.errors, [], 'no VM is refused or fails');
  assert.equal(run.exitCode, 0);
  for (const vm of plan.vms) {
    const before = withDefaults(byName(initial.Vms, vm.name, vm.host || undefined)) as unknown as Record<string, unknown>;
    const after = byName(run.state.Vms, vm.name, vm.host || undefined) as unknown as Record<string, unknown>;
    const wanted = planned(vm) as Record<string, unknown>;
    for (const key of SETTABLE) {
      assert.equal(after[key], key in wanted ? wanted[key] : before[key], `${vm.name}.${key}: ${key in wanted ? 'as the plan writes' : 'untouched: the plan leaves it to defaults'}`);
    }
  }
  for (const vm of plan.vms) {
    const role = roleNow(byName(run.state.Vms, vm.name, vm.host || undefined).Cluster, nodes);
    for (const [key, value] of Object.entries(plannedRole(plan, vm))) assert.deepEqual(role[key], value, `${vm.name}'s role ${key}`);
  }
  if (plan.cluster) {
    const c = plan.cluster;
    const after = run.state.Cluster!;
    if (c.spans['cluster.rootMemoryReserved']) assert.equal(after.RootMemoryReserved, c.rootMemoryReservedBytes / MB, 'the cluster\'s RootMemoryReserved (MB)');
    if (c.spans['cluster.enforcedAntiAffinity']) assert.equal(after.ClusterEnforcedAntiAffinity, c.enforcedAntiAffinity ? 1 : 0);
    if (c.spans['cluster.moveTypeThreshold']) assert.equal(after.MoveTypeThreshold, GROUP_PRIORITY[c.moveTypeThreshold]);
  }
  for (const other of ['NOT-IN-PLAN', 'db-other', 'web1']) {
    assert.deepEqual(strip([byName(run.state.Vms, other)]), strip([byName(whatIf.state.Vms, other)]), `${other}, which the plan does not name, is left alone`);
  }
  assert.ok(run.calls.filter((c) => /^Set-|^set /.test(c.Command)).every((c) => c.Outcome === 'applied'));
  assert.match(run.information.join('\n'), new RegExp(`${expectChanged.length} VM\\(s\\) changed, ${plan.vms.length - expectChanged.length} already as planned, 0 not changed`));

  const again = runWithStandIns(run.state, script, params);
  assert.equal(again.exitCode, 0);
  assert.deepEqual(again.calls.filter((c) => /^Set-|^set /.test(c.Command)), [], 'a second run sets nothing');
  assert.match(again.information.join('\n'), new RegExp(`0 VM\\(s\\) changed, ${plan.vms.length} already as planned`));
  return run;
}

/** The cmdlet parameter that sets each stand-in property. */
const PARAMETER: Record<string, string> = {
  DynamicMemoryEnabled: 'DynamicMemoryEnabled', Startup: 'StartupBytes', Minimum: 'MinimumBytes', Maximum: 'MaximumBytes', Buffer: 'Buffer', Priority: 'Priority',
  AutomaticStartAction: 'AutomaticStartAction', AutomaticStartDelay: 'AutomaticStartDelay', AutomaticStopAction: 'AutomaticStopAction', SmartPagingFilePath: 'SmartPagingFilePath',
};

/** A value as the script's -WhatIf shows it: 4GB, 1026MB, $true, 'text' with quotes doubled. */
function shown(key: string, value: unknown): string {
  if (['Startup', 'Minimum', 'Maximum'].includes(key)) {
    const bytes = value as number;
    return bytes % GB === 0 ? `${bytes / GB}GB` : `${bytes / MB}MB`;
  }
  if (typeof value === 'boolean') return `$${value}`;
  if (key === 'AutomaticStartAction' || key === 'AutomaticStopAction' || key === 'SmartPagingFilePath') return `'${String(value).replace(/'/g, "''")}'`;
  return String(value);
}

const strip = (vms: StandInVm[]) => vms.map((v) => Object.fromEntries(SETTABLE.map((k) => [k, (v as unknown as Record<string, unknown>)[k]]).concat([['Name', v.Name], ['State', v.State]])));

test('the standalone sample: -WhatIf, a run that applies the plan, a second run that changes nothing', needsPwsh, () => {
  const text = readFileSync(join(ROOT, 'samples', 'standalone-restart.hvmem.jsonc'), 'utf8');
  const script = exportScript(text, 'standalone');
  const header = readFileSync(script, 'utf8');
  assert.match(header, /^\uFEFF<#/);
  assert.match(header, /from standalone\.hvmem\.jsonc on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  exerciseScript(readPlan(text).plan, script, {});
});

test('the cluster sample, each VM addressed on its plan host (-UsePlanHostNames)', needsPwsh, () => {
  const text = readFileSync(join(ROOT, 'samples', 'cluster.hvmem.jsonc'), 'utf8');
  exerciseScript(readPlan(text).plan, exportScript(text, 'cluster'), { UsePlanHostNames: true });
});

/** Names a script must quote and match exactly: quotes, wildcards, `$(…)`, backticks, `#`, non-ASCII. */
const NAMES = ['web[1]', 'db*', "it's", 'O\u2019Brien', '$(Get-Date)', 'a`b', '#x', '\u03A9mega', '__proto__', 'two  spaces', 'semi;colon', '-dash', 'plain'];
const FOLDERS = ["D:\\Hyper-V\\O'Brien", 'E:\\\u03A9', 'D:\\$x', 'D:\\a`b', 'C:\\ClusterStorage\\Volume1\\SP', 'D:\\SP\\'];

function generatedPlan(seed: number): string {
  const r = random(seed);
  const { int, pick, evenMb } = draws(r);
  const maybe = <T extends object>(p: number, o: T): T | object => (r() < p ? o : {});
  const vms = NAMES.map((name) => {
    const dynamic = r() < 0.6;
    const startup = evenMb(512, 8192);
    const memory = dynamic
      ? { dynamic: true, startup: `${startup}MB`, ...maybe(0.8, { minimum: `${evenMb(32, startup)}MB` }), ...maybe(0.8, { maximum: `${startup + evenMb(0, 8192)}MB` }), ...maybe(0.5, { buffer: int(5, 200) }), ...maybe(0.5, { priority: int(0, 100) }) }
      : { ...maybe(0.5, { dynamic: false }), startup: `${startup}MB`, ...maybe(0.5, { priority: int(0, 100) }) };
    return {
      name, generation: pick([1, 2]), memory,
      ...maybe(0.5, { automaticStartAction: pick(['Nothing', 'StartIfRunning', 'Start']) }),
      ...maybe(0.5, { automaticStartDelay: int(0, 600) }),
      ...maybe(0.5, { automaticStopAction: pick(['TurnOff', 'Save', 'ShutDown']) }),
      ...maybe(0.5, { smartPagingFilePath: pick(FOLDERS) }),
    };
  });
  return JSON.stringify({ hosts: [{ name: 'HV-GEN', memory: '1TB' }], vms }, null, 2);
}

test('a generated cluster plan: roles\' priorities, owners and anti-affinity classes, and the cluster\'s settings', needsPwsh, () => {
  const r = random(7);
  const nodes = ['HV-A', 'hv-b', "HV'C"];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const vms = NAMES.slice(0, 8).map((name, i) => ({
    name, host: nodes[i % 3], memory: { startup: '2GB' },
    ...(r() < 0.8 ? { clusterPriority: pick(['High', 'Medium', 'Low', 'NoAutoStart']) } : {}),
    ...(r() < 0.6 ? { preferredOwners: [nodes[i % 3], nodes[(i + 1) % 3]] } : {}),
    ...(r() < 0.5 ? { possibleOwners: [nodes[i % 3], nodes[(i + 2) % 3]] } : {}),
    ...(r() < 0.6 ? { antiAffinityClass: pick(['SQL', ["it's", 'Tier 1'], ['\u03A9']]) } : {}),
  }));
  const text = JSON.stringify({
    cluster: { name: 'CL-GEN', rootMemoryReserved: '1GB', moveTypeThreshold: 'High', enforcedAntiAffinity: true },
    hosts: nodes.map((name) => ({ name, memory: '256GB' })), vms,
  }, null, 2);
  const plan = readPlan(text).plan;
  assert.deepEqual(readPlan(text).diagnostics.filter((d) => d.severity === 'error'), []);
  exerciseScript(plan, exportScript(text, 'generated-cluster'), { UsePlanHostNames: true });
});

for (const seed of [1, 2]) {
  test(`a generated plan (seed ${seed}) with names and folders that need quoting: -WhatIf, run, run again`, needsPwsh, () => {
    const text = generatedPlan(seed);
    const plan = readPlan(text).plan;
    assert.equal(plan.vms.length, NAMES.length);
    exerciseScript(plan, exportScript(text, `generated-${seed}`), {});
  });
}

test('running VMs: refused where Hyper-V needs them off, changed where it does not, as the stand-ins do', needsPwsh, () => {
  const text = readFileSync(join(ROOT, 'samples', 'standalone-restart.hvmem.jsonc'), 'utf8');
  const plan = readPlan(text).plan;
  const script = exportScript(text, 'running');
  const state = freshState(plan);
  const set = (name: string, values: Partial<StandInVm>) => Object.assign(byName(state.Vms, name), values);
  // SQL01: static, startup, stop action and Smart Paging folder differ: each needs it off.
  set('SQL01', { State: 'Running', Startup: 8 * GB, Assigned: 8 * GB });
  // APP01: lower minimum, higher maximum, another buffer: Hyper-V takes them while it runs.
  set('APP01', { State: 'Running', DynamicMemoryEnabled: true, Startup: 8 * GB, Minimum: 4 * GB, Maximum: 8 * GB, Buffer: 10 });
  // DC01: only the start action differs.
  set('DC01', { State: 'Running', Startup: 2 * GB, AutomaticStartAction: 'Nothing' });
  // WEB01: its minimum would rise; WEB02 would turn Dynamic Memory on; both need it off. TEST01 is saved.
  set('WEB01', { State: 'Running', DynamicMemoryEnabled: true, Startup: 6 * GB, Minimum: 512 * MB, Maximum: 8 * GB, AutomaticStartDelay: 20, SmartPagingFilePath: 'D:\\Hyper-V\\SmartPaging' });
  set('WEB02', { State: 'Paused', Startup: 6 * GB });
  set('TEST01', { State: 'Saved' });
  const run = runWithStandIns(state, script);
  assert.equal(run.exitCode, 1, 'exit code 1 when a VM was refused');
  const refused = Object.fromEntries(run.errors.map((e) => [e.split(' ')[0], e]));
  assert.deepEqual(Object.keys(refused).sort(), ['SQL01', 'TEST01', 'WEB01', 'WEB02']);
  assert.match(refused.SQL01, /SQL01 is Running: Hyper-V requires it off to change its startup memory, change its automatic stop action, move its Smart Paging folder\. Stop it and run the script again\./);
  assert.match(refused.WEB01, /WEB01 is Running: Hyper-V requires it off to [^.]*raise its minimum/);
  assert.match(refused.WEB02, /WEB02 is Paused: .* turn Dynamic Memory on/);
  assert.match(refused.TEST01, /TEST01 is Saved: /);
  for (const name of ['SQL01', 'WEB01', 'WEB02', 'TEST01']) {
    assert.deepEqual(strip([byName(run.state.Vms, name)]), strip([withDefaults(byName(state.Vms, name))]), `${name} is left as it was`);
    assert.equal(run.calls.filter((c) => c.Parameters.VMName === name && c.Command.startsWith('Set-')).length, 0, `no Set- call is tried on ${name}`);
  }
  const app = byName(run.state.Vms, 'APP01');
  assert.deepEqual([app.Minimum, app.Maximum, app.Buffer], [2 * GB, 16 * GB, 20], 'APP01 changed while it runs');
  assert.equal(byName(run.state.Vms, 'DC01').AutomaticStartAction, 'Start');
  assert.equal(byName(run.state.Vms, 'APP02').Startup, 8 * GB, 'APP02, off, is changed');
  assert.match(run.information.join('\n'), /3 VM\(s\) changed, 0 already as planned, 0 not changed \(-WhatIf or declined\), 4 refused, 0 failed/);
});

test('-Confirm asks once per change, and a declined change is not made', needsPwsh, () => {
  const text = JSON.stringify({ hosts: [{ name: 'HV01', memory: '64GB' }], vms: [
    { name: 'A', memory: { startup: '2GB' }, automaticStartAction: 'Start' },
    { name: 'B', memory: { startup: '4GB' } },
  ] });
  const plan = readPlan(text).plan;
  // Yes to A's memory, no to A's settings, yes to B's memory.
  const r = runWithStandIns(freshState(plan), exportScript(text, 'confirm'), { Confirm: true }, 'Y\nN\nY\n');
  assert.equal((r.stdout.match(/Are you sure you want to perform this action\?/g) ?? []).length, 3, r.stdout);
  assert.deepEqual(r.state.Vms.filter((v) => v.Name === 'A' || v.Name === 'B').map((v) => [v.Name, v.Startup, v.AutomaticStartAction]),
    [['A', 2 * GB, 'StartIfRunning'], ['B', 4 * GB, 'StartIfRunning']]);
});
