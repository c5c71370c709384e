import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportPowerShell, powerShellString } from '../server/src/core/export/powershell';
import { readPlan } from '../server/src/core/read';
import { fixture, importFiles } from './import-helpers';

const OPTIONS = { planFile: 'hv03.hvmem.jsonc', generatedAt: '2026-11-27T18:00:00.000Z' };

const UNITS: Record<string, number> = { '': 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** A PowerShell literal as the script writes it: $true/$false, 4GB, 512, 'text' (quotes doubled). */
function psValue(text: string): unknown {
  if (text === '$true' || text === '$false') return text === '$true';
  const size = /^(\d+)(KB|MB|GB|TB)?$/.exec(text);
  if (size) return Number(size[1]) * UNITS[size[2] ?? ''];
  const quoted = /^'((?:[^']|'')*)'$/.exec(text);
  if (quoted) return quoted[1].replace(/''/g, "'");
  throw new Error(`not a literal: ${text}`);
}

/** Reads the arguments each VM's call passes to Set-VMMemory (-Memory) and Set-VM (-Settings). */
function parseScript(script: string): Map<string, { memory: Record<string, unknown>; settings: Record<string, unknown> }> {
  const out = new Map();
  const call = /^Update-HvmemVM -Name ('(?:[^']|'')*') .*`\r\n\s+-Memory (@\{\}|\(\[ordered\]@\{ (.*) \}\)) `\r\n\s+-Settings (@\{\}|\(\[ordered\]@\{ (.*) \}\))$/gm;
  const table = (body: string | undefined) => Object.fromEntries((body ? body.split('; ') : []).map((pair) => {
    const [k, ...v] = pair.split(' = ');
    return [k, psValue(v.join(' = '))];
  }));
  for (const m of script.matchAll(call)) out.set(psValue(m[1]), { memory: table(m[3]), settings: table(m[5]) });
  return out;
}

test('round trip: an inventory imported then exported sets exactly the imported values', () => {
  const imported = importFiles(['inventory.json']);
  const script = exportPowerShell(imported.plan, OPTIONS);
  const calls = parseScript(script);
  const inventory = JSON.parse(fixture('inventory.json')) as { vms: Record<string, unknown>[] };
  assert.equal(calls.size, inventory.vms.length);
  for (const source of inventory.vms) {
    const call = calls.get(source.Name as string);
    assert.ok(call, `a call for ${source.Name}`);
    const expected: Record<string, unknown> = { DynamicMemoryEnabled: source.DynamicMemoryEnabled, StartupBytes: source.MemoryStartup };
    if (source.DynamicMemoryEnabled) {
      Object.assign(expected, { MinimumBytes: source.MemoryMinimum, MaximumBytes: source.MemoryMaximum, Buffer: source.MemoryBuffer });
    }
    expected.Priority = source.MemoryPriority;
    assert.deepEqual(call.memory, expected, `Set-VMMemory arguments of ${source.Name}`);
    assert.deepEqual(call.settings, {
      AutomaticStartAction: source.AutomaticStartAction, AutomaticStartDelay: source.AutomaticStartDelay,
      AutomaticStopAction: source.AutomaticStopAction, SmartPagingFilePath: source.SmartPagingFilePath,
    }, `Set-VM arguments of ${source.Name}`);
  }
});

test('round trip from Windows PowerShell 5.1 numeric enums', () => {
  const imported = importFiles(['get-vm-ps51.json', 'get-vmmemory.json', 'get-vmhost.json']);
  const calls = parseScript(exportPowerShell(imported.plan, OPTIONS));
  assert.deepEqual(calls.get('SQL01')?.settings, { AutomaticStartAction: 'Start', AutomaticStartDelay: 30, AutomaticStopAction: 'ShutDown', SmartPagingFilePath: 'D:\\SmartPaging' });
  assert.deepEqual(calls.get('SQL01')?.memory, { DynamicMemoryEnabled: true, StartupBytes: 4 * 1024 ** 3, MinimumBytes: 2 * 1024 ** 3, MaximumBytes: 16 * 1024 ** 3, Buffer: 25, Priority: 80 });
  assert.deepEqual(calls.get('WEB01')?.memory, { DynamicMemoryEnabled: false, StartupBytes: 2 * 1024 ** 3, Priority: 50 }, 'no minimum, maximum or buffer on a static VM');
});

test('settings the plan leaves to defaults are not touched', () => {
  const plan = readPlan(`{ "hosts": [{ "name": "H", "memory": "64GB" }], "vms": [{ "name": "V", "memory": { "startup": "2GB" } }] }`).plan;
  const call = parseScript(exportPowerShell(plan, OPTIONS)).get('V');
  assert.deepEqual(call, { memory: { StartupBytes: 2 * 1024 ** 3 }, settings: {} });
});

test('the script header: file, date, -WhatIf support, the refusal for running VMs', () => {
  const plan = readPlan(`{ "hosts": [{ "name": "H", "memory": "64GB" }], "vms": [{ "name": "V", "memory": { "startup": "2GB", "dynamic": true } }] }`).plan;
  const script = exportPowerShell(plan, OPTIONS);
  assert.match(script, /from hv03\.hvmem\.jsonc on 2026-11-27T18:00:00\.000Z/);
  assert.match(script, /^\[CmdletBinding\(SupportsShouldProcess = \$true\)\]\r$/m);
  assert.match(script, /\$PSCmdlet\.ShouldProcess\(\$Name, "Set-VMMemory/);
  assert.match(script, /if \(\[string\]\$vm\.State -ne 'Off'\)/);
  assert.match(script, /memoryChanges\.Contains\('DynamicMemoryEnabled'\)\) \{ \$needOff/);
  assert.match(script, /memoryChanges\.Contains\('StartupBytes'\)\) \{ \$needOff/);
  // Idempotent: only parameters that differ from the VM are passed on.
  assert.match(script, /if \(\$memoryNow\[\$key\] -ne \$Memory\[\$key\]\) \{ \$memoryChanges\[\$key\]/);
});

test('names with quotes and comment terminators stay inside their strings', () => {
  const plan = readPlan(`{ "hosts": [{ "name": "H", "memory": "64GB" }], "vms": [{ "name": "it's #> odd", "memory": { "startup": "2GB" }, "smartPagingFilePath": "D:\\\\O'Brien" }] }`).plan;
  const script = exportPowerShell({ ...plan }, { ...OPTIONS, planFile: 'a#>b.hvmem.jsonc' });
  assert.equal(script.indexOf('#>'), script.indexOf('\r\n#>\r\n') + 2, 'the header comment ends only at its own terminator');
  const call = parseScript(script).get("it's #> odd");
  assert.deepEqual(call?.settings, { SmartPagingFilePath: "D:\\O'Brien" });
  assert.equal(powerShellString('a\u2019b'), "'a\u2019\u2019b'");
});

test('round trip from a PowerShell script and from Terraform: the script sets what the plan says', () => {
  for (const files of [['deploy-lab.ps1'], ['main.tf', 'variables.tf', 'prod.tfvars'], ['lab-dsc.ps1']]) {
    const imported = importFiles(files, { hostMemoryBytes: 256 * 1024 ** 3 });
    const calls = parseScript(exportPowerShell(imported.plan, OPTIONS));
    assert.equal(calls.size, imported.plan.vms.length, files.join(' '));
    for (const vm of imported.plan.vms) {
      const call = calls.get(vm.name)!;
      if (vm.spans['memory.startup']) assert.equal(call.memory.StartupBytes, vm.startupBytes, `${vm.name} startup`);
      else assert.equal('StartupBytes' in call.memory, false, `${vm.name}: no startup written, none set`);
      assert.equal(call.memory.DynamicMemoryEnabled, vm.spans['memory.dynamic'] ? vm.dynamic : undefined, `${vm.name} dynamic`);
      if (vm.dynamic && vm.spans['memory.minimum']) assert.equal(call.memory.MinimumBytes, vm.minimumBytes, `${vm.name} minimum`);
      if (vm.spans.automaticStopAction) assert.equal(call.settings.AutomaticStopAction, vm.automaticStopAction, `${vm.name} stop action`);
    }
  }
});
