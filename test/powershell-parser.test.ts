// hvmem's PowerShell importer checked against PowerShell itself. For every PowerShell fixture and a
// seeded corpus of generated scripts (splatting, backticks, here-strings, comments, `$var` and `$($var)`,
// abbreviations, en dashes, positions, param() defaults, Join-Path):
// - PowerShell's parser and parameter binder (test/powershell/Get-VmCommandArguments.ps1) say which
//   parameters each New-VM / Set-VM / Set-VMMemory call binds, with its constant values: the importer
//   must read the same calls, the same parameters and the same values;
// - running the generated scripts against the stand-in cmdlets gives the VMs PowerShell creates: every
//   value the importer writes must equal them, and every value it leaves out must carry a note.
// Where the two may differ by design, the difference is listed in LIMITS with the reason.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { powerShellCalls, type ReadValue } from '../server/src/core/import/powershell';
import { importPlan } from '../server/src/core/import';
import { readPlan } from '../server/src/core/read';
import type { Vm } from '../server/src/core/plan';
import { FIXTURES } from './import-helpers';
import { needsPwsh, pwsh, STAND_INS, type StandInCall, type StandInVm } from './support/pwsh';
import { draws, random } from './support/plans';

const GB = 1024 ** 3;
let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'hvmem-ps-corpus-')); });

/** A script that creates and configures a few VMs, written in the many ways people write PowerShell. */
export function corpusScript(seed: number): string {
  const r = random(seed);
  const { int, pick } = draws(r);
  const lines: string[] = [`# corpus script ${seed}`];
  const usesParam = r() < 0.5;
  if (usesParam) lines.push('param(', "    [string] $Prefix = 'LAB',", '    [long] $Memory = 4GB', ')');
  else lines.push("$prefix = 'LAB'", '$memory = 4GB');
  lines.push("$tier_name = 'T1'", "$root = 'D:\\Hyper-V'", pick(["$folder = Join-Path $root 'SmartPaging'", "$folder = Join-Path -Path 'D:\\VMs' -ChildPath 'SP'", "$folder = Join-Path 'E:' 'SP'"]));
  const dash = () => pick(['-', '-', '-', '\u2013', '\u2014']);
  /** Between two parameters of one command: a space or a backtick continuation. */
  const cont = () => pick([' ', ' ', ' `\n    ']);
  const noise = () => pick([
    '# New-VM -Name commented -MemoryStartupBytes 1GB',
    "<# Set-VMMemory -VMName blockcommented -StartupBytes 2GB #>",
    "$doc = @'\nNew-VM -Name inHereString -MemoryStartupBytes 8GB\n'@",
    '$note = @"\nSet-VM -Name $prefix-inHereString -AutomaticStopAction TurnOff\n"@',
    "Write-Output 'New-VM -Name inAString'",
    '',
  ]);
  for (let i = 1; i <= int(1, 3); i++) {
    lines.push(noise());
    const literal = pick([`vm${i}`, `LAB-vm${i}`, `LAB_vm${i}`, `T1-vm${i}`]);
    const name = {
      [`vm${i}`]: pick([`'vm${i}'`, `"vm${i}"`, `vm${i}`]),
      [`LAB-vm${i}`]: pick([`"$prefix-vm${i}"`, `"$PREFIX-vm${i}"`, `"$($prefix)-vm${i}"`, `('LAB-vm${i}')`]),
      [`LAB_vm${i}`]: pick([`"\${prefix}_vm${i}"`, `"$($Prefix)_vm${i}"`]),
      [`T1-vm${i}`]: `"$tier_name-vm${i}"`,
    }[literal];
    const gb = pick([1, 2, 4]);
    // A hex literal of 2 GB or more needs L to be an Int64 (0x80000000 alone is a negative Int32).
    const size = (n: number) => pick([`${n}GB`, `${n * 1024}MB`, `0x${(n * GB).toString(16)}${n * GB >= 2 ** 31 ? 'L' : ''}`, `'${n}GB'`, `(${n}GB)`, `${n}gb`]);
    const startup = gb === 4 ? pick(['$memory', '$($memory)', '$Memory', size(4)]) : size(gb);
    const generation = pick([1, 2]);
    const cmd = pick(['New-VM', 'new-vm', 'Hyper-V\\New-VM']);
    lines.push(pick([
      `${cmd} ${dash()}Name ${name} ${dash()}MemoryStartupBytes ${startup} ${dash()}Generation ${generation}`,
      `${cmd} ${name} ${startup} -Generation ${generation}`,
      `${cmd} -Name:${name}${cont()}-MemoryStartup ${startup} -Gen ${generation}`,
      `${cmd} -name ${name} -memorystartupbytes ${startup}${cont()}-generation ${generation}`,
    ]));
    if (r() < 0.7) {
      const min = size(gb / 2 >= 1 ? gb / 2 : 1).replace(/'/g, '');
      const minimum = gb === 1 ? pick(['512MB', '0x20000000']) : min;
      const max = size(gb * 4);
      const buffer = int(5, 100);
      const priority = int(0, 100);
      const target = pick([`-VMName ${name}`, `${name}`]);
      lines.push(pick([
        `Set-VMMemory ${target} -DynamicMemoryEnabled $true -MinimumBytes ${minimum} -MaximumBytes ${max}${cont()}-Buffer ${buffer} -Priority ${priority}`,
        `Set-VMMemory ${target} -Dyn:$true -Min ${minimum} -MaximumB ${max} -Buf ${buffer} -Pri ${priority}`,
        `$m${i} = @{\n    VMName = ${name}\n    DynamicMemoryEnabled = $true\n    MinimumBytes = ${minimum}; MaximumBytes = ${max}\n}\nSet-VMMemory @m${i} -Buffer ${buffer}`,
        `Get-VM -Name ${name} | Set-VMMemory -DynamicMemoryEnabled $true -MinimumBytes ${minimum} -MaximumBytes ${max} -Priority ${priority}`,
      ]));
    }
    if (r() < 0.7) {
      const start = pick(['Start', "'Nothing'", '"StartIfRunning"', 'start']);
      const stop = pick(['ShutDown', "'TurnOff'", 'Save']);
      const folder = pick(["'D:\\SP'", '$folder', `"$root\\SP${i}"`, "(Join-Path $root 'SP')", `"$($root)\\x"`]);
      lines.push(pick([
        `Set-VM -Name ${name} -AutomaticStartAction ${start} -AutomaticStartDelay ${int(0, 300)}${cont()}-AutomaticStopAction ${stop} -SmartPagingFilePath ${folder}`,
        `Set-VM ${name} -AutomaticStopAction:${stop.replace(/'/g, '')} -SmartPaging ${folder}`,
        `Get-VM ${name} | Set-VM -AutomaticStartDelay ${int(0, 300)} -AutomaticStartAction ${start}`,
      ]));
    }
  }
  lines.push(noise(), '');
  return lines.join('\n');
}

interface OracleArgument { text: string | null; value?: unknown }
interface OracleCall { command: string; line: number; parameters: Record<string, OracleArgument>; splats: string[]; bindingErrors: string[] }
interface OracleResource { resource: string; line: number; properties: Record<string, OracleArgument> }
interface OracleFile { file: string; parseErrors: string[]; calls: OracleCall[]; resources: OracleResource[] }

/** PowerShell's reading of each file, in one pwsh run. */
function oracle(files: string[]): OracleFile[] {
  const r = pwsh(['-File', join(STAND_INS, 'Get-VmCommandArguments.ps1'), ...files]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const COMMON = new Set(['Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction', 'ErrorVariable', 'WarningVariable',
  'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable', 'WhatIf', 'Confirm']);

/** A constant as the importer holds it, for comparison: sizes it reads as numbers, everything else as is. */
function same(ours: ReadValue, theirs: unknown): boolean {
  if (Array.isArray(theirs)) return Array.isArray(ours) && ours.length === theirs.length && theirs.every((t, i) => same(ours[i], t));
  return ours === theirs;
}

/** Differences between PowerShell's reading of one file and the importer's, one line each. */
function compareCalls(text: string, theirs: OracleFile): string[] {
  const out: string[] = [];
  const ours = powerShellCalls(text);
  // Calls are matched by command, line and their order on the line (`New-VM a; New-VM b`).
  const keyed = <T extends { command: string; line: number }>(calls: T[]) => {
    const seen = new Map<string, number>();
    return new Map(calls.map((c) => {
      const k = `${c.command.toLowerCase()}@${c.line}`;
      seen.set(k, (seen.get(k) ?? 0) + 1);
      return [`${k}#${seen.get(k)}`, c] as const;
    }));
  };
  const byKey = keyed(ours);
  const theirCalls = keyed([...theirs.calls, ...theirs.resources.map((r) => ({ command: r.resource, line: r.line, parameters: r.properties, splats: [] as string[], bindingErrors: [] as string[] }))]);
  for (const [k, call] of theirCalls) {
    const mine = byKey.get(k);
    byKey.delete(k);
    if (!mine) { out.push(`line ${call.line}: ${call.command} is not read`); continue; }
    for (const [name, arg] of Object.entries(call.parameters)) {
      if (COMMON.has(name)) continue;
      const value = mine.parameters[name];
      if (value === undefined) { out.push(`line ${call.line}: ${call.command} -${name} (${arg.text}) is not read`); continue; }
      if ('value' in arg && !same(value, arg.value)) out.push(`line ${call.line}: ${call.command} -${name} ${arg.text}: PowerShell ${JSON.stringify(arg.value)}, hvmem ${JSON.stringify(value)}`);
    }
    for (const name of Object.keys(mine.parameters)) {
      if (!(name in call.parameters) && call.splats.length === 0) out.push(`line ${call.line}: ${call.command} -${name} is read but PowerShell binds no such parameter (${call.bindingErrors.join('; ') || 'not bound'})`);
    }
  }
  for (const extra of byKey.values()) out.push(`line ${extra.line}: ${extra.command} is read but PowerShell sees no such call`);
  return out;
}

const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);

test('the importer reads every call, parameter and constant as PowerShell\'s parser and binder do', needsPwsh, () => {
  const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.ps1')).map((f) => join(FIXTURES, f));
  const corpus = SEEDS.map((seed) => {
    const path = join(dir, `corpus-${seed}.ps1`);
    writeFileSync(path, corpusScript(seed));
    return path;
  });
  const differences: string[] = [];
  for (const file of oracle([...fixtures, ...corpus])) {
    assert.deepEqual(file.parseErrors, [], `${file.file} parses`);
    for (const d of compareCalls(readFileSync(file.file, 'utf8'), file)) differences.push(`${file.file.replace(dir, '<corpus>')}: ${d}`);
  }
  assert.deepEqual(differences, []);
});

/** The plan field each parameter sets, and the stand-in property that holds it. */
const FIELDS: { param: Record<string, string[]>; span: string; prop: keyof StandInVm; of: (vm: Vm) => unknown }[] = [
  { param: { 'New-VM': ['MemoryStartupBytes'], 'Set-VM': ['MemoryStartupBytes'], 'Set-VMMemory': ['StartupBytes'] }, span: 'memory.startup', prop: 'Startup', of: (v) => v.startupBytes },
  { param: { 'Set-VM': ['MemoryMinimumBytes'], 'Set-VMMemory': ['MinimumBytes'] }, span: 'memory.minimum', prop: 'Minimum', of: (v) => v.minimumBytes },
  { param: { 'Set-VM': ['MemoryMaximumBytes'], 'Set-VMMemory': ['MaximumBytes'] }, span: 'memory.maximum', prop: 'Maximum', of: (v) => v.maximumBytes },
  { param: { 'Set-VM': ['DynamicMemory', 'StaticMemory'], 'Set-VMMemory': ['DynamicMemoryEnabled'] }, span: 'memory.dynamic', prop: 'DynamicMemoryEnabled', of: (v) => v.dynamic },
  { param: { 'Set-VMMemory': ['Buffer'] }, span: 'memory.buffer', prop: 'Buffer', of: (v) => v.bufferPercent },
  { param: { 'Set-VMMemory': ['Priority'] }, span: 'memory.priority', prop: 'Priority', of: (v) => v.priority },
  { param: { 'New-VM': ['Generation'] }, span: 'generation', prop: 'Generation', of: (v) => v.generation },
  { param: { 'Set-VM': ['AutomaticStartAction'] }, span: 'automaticStartAction', prop: 'AutomaticStartAction', of: (v) => v.automaticStartAction },
  { param: { 'Set-VM': ['AutomaticStartDelay'] }, span: 'automaticStartDelay', prop: 'AutomaticStartDelay', of: (v) => v.automaticStartDelaySeconds },
  { param: { 'Set-VM': ['AutomaticStopAction'] }, span: 'automaticStopAction', prop: 'AutomaticStopAction', of: (v) => v.automaticStopAction },
  { param: { 'Set-VM': ['SmartPagingFilePath'] }, span: 'smartPagingFilePath', prop: 'SmartPagingFilePath', of: (v) => v.smartPagingFilePath },
];

interface CorpusRun { Script: string; Vms: Required<StandInVm>[]; Calls: StandInCall[]; Errors: string[] }

/** Differences between the VMs PowerShell made running a script and the plan the importer wrote for it. */
function compareOutcome(text: string, run: CorpusRun): string[] {
  const out: string[] = [];
  const imported = importPlan([{ file: 'corpus.ps1', text }], { hostMemoryBytes: 1024 * GB });
  const plan = readPlan(imported.text).plan;
  const made = new Map(run.Vms.map((v) => [v.Name, v]));
  const planned = new Map(plan.vms.map((v) => [v.name, v]));
  for (const name of made.keys()) if (!planned.has(name)) out.push(`${name}: PowerShell creates it, the plan does not have it`);
  for (const name of planned.keys()) if (!made.has(name)) out.push(`${name}: in the plan, but PowerShell creates no such VM`);
  for (const [name, vm] of planned) {
    const truth = made.get(name);
    if (!truth) continue;
    const noted = imported.notes.filter((n) => n.vm === name && n.severity === 'warning').map((n) => n.message);
    const calls = run.Calls.filter((c) => c.Outcome === 'applied' && (c.Parameters.VMName === name || c.Parameters.Name === name));
    for (const f of FIELDS) {
      const static_ = !truth.DynamicMemoryEnabled && ['memory.minimum', 'memory.maximum', 'memory.buffer'].includes(f.span);
      if (static_) continue;
      if (vm.spans[f.span] !== undefined) {
        if (f.of(vm) !== truth[f.prop]) out.push(`${name} ${f.span}: PowerShell ${JSON.stringify(truth[f.prop])}, the plan ${JSON.stringify(f.of(vm))}`);
        continue;
      }
      const set = calls.some((c) => (f.param[c.Command] ?? []).some((p) => p in c.Parameters));
      if (set && !noted.some((m) => f.param[Object.keys(f.param)[0]].some((p) => m.includes(p)) || Object.values(f.param).flat().some((p) => m.includes(`-${p}`)))) {
        out.push(`${name} ${f.span}: PowerShell sets it to ${JSON.stringify(truth[f.prop])}; the plan leaves it out without a note`);
      }
    }
  }
  return out;
}

test('run against the stand-ins, the generated scripts make exactly the VMs the importer plans', needsPwsh, () => {
  const corpus = SEEDS.map((seed) => {
    const path = join(dir, `run-${seed}.ps1`);
    writeFileSync(path, corpusScript(seed));
    return path;
  });
  const statePath = join(dir, 'empty-host.json');
  const resultPath = join(dir, 'corpus-result.json');
  writeFileSync(statePath, JSON.stringify({ ComputerName: 'HV01', Hosts: [{ Name: 'HV01', MemoryCapacity: 1024 * GB }], Vms: [] }));
  const r = pwsh(['-File', join(STAND_INS, 'Invoke-Corpus.ps1'), '-State', statePath, '-Result', resultPath, ...corpus]);
  assert.equal(r.status, 0, r.stderr);
  const runs = JSON.parse(readFileSync(resultPath, 'utf8')) as CorpusRun[];
  const differences: string[] = [];
  for (const run of runs) {
    const text = readFileSync(run.Script, 'utf8');
    assert.deepEqual(run.Errors, [], `${run.Script} runs without errors:\n${text}`);
    assert.ok(run.Vms.length > 0);
    for (const d of compareOutcome(text, run)) differences.push(`${run.Script.replace(dir, '<corpus>')}: ${d}`);
  }
  assert.deepEqual(differences, []);
});
