import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors, importFiles, notesAbout } from './import-helpers';
import { GB, MB } from '../server/src/core/units';

test('Windows PowerShell 5.1 Get-VM output: numeric enums, BOM, CRLF, an array', () => {
  const r = importFiles(['get-vm-ps51.json', 'get-vmhost.json']);
  assert.deepEqual(errors(r.diagnostics), []);
  const sql = r.vm('SQL01');
  assert.equal(sql.dynamic, true);
  assert.equal(sql.startupBytes, 4 * GB);
  assert.equal(sql.minimumBytes, 2 * GB);
  assert.equal(sql.maximumBytes, 16 * GB);
  assert.equal(sql.automaticStartAction, 'Start');
  assert.equal(sql.automaticStopAction, 'ShutDown');
  assert.equal(sql.automaticStartDelaySeconds, 30);
  assert.equal(sql.smartPagingFilePath, 'D:\\SmartPaging');
  assert.equal(sql.state, 'Running');
  assert.deepEqual(sql.demand, [{ atSeconds: 0, bytes: 5 * GB + 300 * MB }], 'MemoryDemand becomes the demand');
  const web = r.vm('WEB01');
  assert.equal(web.dynamic, false);
  assert.equal(web.generation, 1);
  assert.equal(web.state, 'Off');
  assert.equal(web.automaticStartAction, 'StartIfRunning');
  assert.equal(web.automaticStopAction, 'Save');
  assert.equal(web.spans['memory.minimum'], undefined, 'a static VM gets no minimum');
  const dc = r.vm('DC01');
  assert.equal(dc.state, 'Off', 'a Saved VM holds no memory: planned as Off');
  assert.equal(dc.automaticStartAction, 'Nothing');
  assert.equal(dc.automaticStopAction, 'TurnOff');
  assert.equal(notesAbout(r, /Saved is planned as Off/).length, 1);
  assert.equal(r.plan.hosts[0].memoryBytes, 256 * GB);
  assert.equal(r.plan.hosts[0].numaSpanning, false);
  assert.equal(sql.host, 'HV01');
});

test('PowerShell 7 output with enums as names, one VM as a bare object', () => {
  const r = importFiles(['get-vm-ps7-single.json'], { hostMemoryBytes: 64 * GB });
  assert.deepEqual(errors(r.diagnostics), []);
  const app = r.vm('APP01');
  assert.equal(app.automaticStartAction, 'StartIfRunning');
  assert.equal(app.automaticStopAction, 'ShutDown');
  assert.equal(app.state, 'Running');
  assert.equal(app.minimumBytes, 1 * GB);
  assert.equal(r.plan.hosts[0].name, 'HV02', 'the host takes the VM\'s ComputerName');
  assert.equal(r.plan.hosts[0].memoryBytes, 64 * GB);
});

test('the { value, Count } wrapper of ConvertTo-Json -InputObject', () => {
  const r = importFiles(['get-vm-wrapped.json']);
  assert.equal(r.vm('FS01').startupBytes, 8 * GB);
});

test('Get-VMMemory merges into Get-VM by name: buffer and priority', () => {
  const r = importFiles(['get-vm-ps51.json', 'get-vmmemory.json', 'get-vmhost.json']);
  assert.equal(r.plan.vms.length, 3);
  assert.equal(r.vm('SQL01').bufferPercent, 25);
  assert.equal(r.vm('SQL01').priority, 80);
  assert.equal(r.vm('WEB01').spans['memory.buffer'], undefined, 'no buffer on a static VM');
  assert.match(r.text, /\/\/ SQL01: from get-vm-ps51\.json line \d+ \(object 1\); get-vmmemory\.json line \d+ \(object 1\)/);
});

test('the combined inventory: host memory, reserve, NUMA, volumes, every VM', () => {
  const r = importFiles(['inventory.json']);
  const host = r.plan.hosts[0];
  assert.equal(host.name, 'HV03');
  assert.equal(host.memoryBytes, 128 * GB);
  assert.equal(host.reserveBytes, 4 * GB);
  assert.equal(host.numaNodes, 2);
  assert.deepEqual(host.volumes?.map((v) => [v.name, v.freeBytes]), [['C:', 80 * GB], ['D:', 1200 * GB]]);
  assert.equal(r.vm('EXCH01').priority, 100);
  assert.equal(r.vm('RDS01').bufferPercent, 30);
  assert.equal(r.vm('RDS01').automaticStartDelaySeconds, 60);
  assert.equal(r.vm('TEST01').automaticStartAction, 'Nothing');
});

test('a tiny byte value is imported as written and flagged by the checker', () => {
  const r = importFiles(['inventory.json']);
  assert.equal(r.vm('TEST01').minimumBytes, 512);
  assert.equal(notesAbout(r, /MemoryMinimum is 512 bytes/).length, 1);
  assert.ok(r.diagnostics.some((d) => d.code === 'size-suspicious'), 'check reports size-suspicious');
});

test('an export with too shallow a -Depth: type names are noted, never read as values', () => {
  const r = importFiles(['inventory-shallow.json']);
  assert.equal(notesAbout(r, /too small a -Depth/).length, 3, r.notes.map((n) => n.message).join('\n'));
  assert.equal(r.vm('A2').spans['memory.dynamic'], undefined);
  assert.equal(r.vm('A2').startupBytes, 2 * GB);
  assert.equal(r.plan.vms.some((v) => v.name === 'A1'), false);
});

test('without a host figure the host is written without memory, and check asks for it', () => {
  const r = importFiles(['get-vm-ps51.json']);
  assert.deepEqual(r.plan.hosts.map((h) => h.name), ['HV01'], 'named by the VMs\' ComputerName');
  assert.equal(r.vm('SQL01').host, 'HV01');
  assert.equal(notesAbout(r, /host HV01: the sources do not give its memory/).length, 1);
  assert.ok(r.diagnostics.some((d) => d.severity === 'error' && d.code === 'schema' && /"memory"/.test(d.message)));
  const none = importFiles([{ file: 'a.ps1', text: 'New-VM -Name A -MemoryStartupBytes 1GB' }], { hostName: 'HV09' });
  assert.deepEqual(none.plan.hosts.map((h) => h.name), ['HV09']);
  const filled = importFiles(['get-vm-ps51.json', 'get-vm-ps7-single.json'], { hostMemoryBytes: 128 * GB });
  assert.deepEqual(filled.plan.hosts.map((h) => [h.name, h.memoryBytes]), [['HV01', 128 * GB], ['HV02', 128 * GB]], 'every host without a figure');
  assert.equal(filled.vm('APP01').host, 'HV02');
  assert.deepEqual(errors(filled.diagnostics), []);
});

test('--format json writes plain JSON with the same values', () => {
  const jsonc = importFiles(['inventory.json']);
  const json = importFiles(['inventory.json'], { format: 'json' });
  const parsed = JSON.parse(json.text);
  assert.equal(parsed.vms.length, 3);
  assert.deepEqual(json.plan.vms.map((v) => [v.name, v.startupBytes, v.minimumBytes]), jsonc.plan.vms.map((v) => [v.name, v.startupBytes, v.minimumBytes]));
});

test('scripts/Export-HvmemInventory.ps1 writes the keys the importer reads', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const script = readFileSync(join(import.meta.dirname ?? __dirname, '..', 'scripts', 'Export-HvmemInventory.ps1'), 'utf8');
  // The ordered table that holds `line`, up to its first closing brace.
  const keysOf = (line: string) => {
    const from = script.lastIndexOf('[ordered]@{', script.indexOf(line));
    const body = script.slice(from, script.indexOf('}', script.indexOf(line)));
    return [...body.matchAll(/^\s+(\w+)\s+=/gm)].map((m) => m[1]);
  };
  const vmKeys = keysOf('MemoryStartup        = [long]$memory.Startup');
  const hostKeys = keysOf('MemoryCapacity        = [long]$vmHost.MemoryCapacity');
  assert.ok(vmKeys.length >= 15 && hostKeys.length >= 6, `${vmKeys} / ${hostKeys}`);
  // Build an inventory with exactly the script's keys and check each lands in the plan.
  const inventory = {
    hvmemInventory: 2,
    hosts: [Object.fromEntries(hostKeys.map((k) => [k, k === 'Name' ? 'H' : k === 'SystemDrive' ? 'D:' : k === 'Volumes' ? [{ Name: 'D:', FreeBytes: 10 * GB }] : /Enabled/.test(k) ? false : k === 'NumaNodeCount' ? 2 : 64 * GB]))],
    vms: [Object.fromEntries(vmKeys.map((k) => [k, k === 'Name' ? 'V' : k === 'ComputerName' ? 'H' : k === 'State' ? 'Off' : k === 'DynamicMemoryEnabled' ? true : /Action$/.test(k) ? (k.includes('Start') ? 'Start' : 'TurnOff') : k === 'SmartPagingFilePath' ? 'E:\\SP' : k === 'Generation' ? 1 : /Buffer|Priority|Delay/.test(k) ? 33 : 2 * GB]))],
  };
  const r = importFiles([{ file: 'script.json', text: JSON.stringify(inventory) }]);
  assert.deepEqual(r.notes.filter((n) => n.severity === 'warning'), []);
  const vm = r.vm('V');
  assert.deepEqual([vm.generation, vm.state, vm.dynamic, vm.startupBytes, vm.bufferPercent, vm.priority, vm.automaticStartAction, vm.automaticStartDelaySeconds, vm.automaticStopAction, vm.smartPagingFilePath],
    [1, 'Off', true, 2 * GB, 33, 33, 'Start', 33, 'TurnOff', 'E:\\SP']);
  const host = r.plan.hosts[0];
  assert.deepEqual([host.memoryBytes, host.numaNodes, host.numaSpanning, host.systemDrive, host.volumes?.length], [64 * GB, 2, false, 'D:', 1]);
});

test('the same VM name on two hosts stays two VMs, and check reports the clash', () => {
  const text = JSON.stringify([
    { Name: 'DC', ComputerName: 'HV01', MemoryStartup: 2 * GB },
    { Name: 'DC', ComputerName: 'HV02', MemoryStartup: 4 * GB },
    { Name: 'HV01', ComputerName: 'HV01', MemoryCapacity: 64 * GB },
    { Name: 'HV02', ComputerName: 'HV02', MemoryCapacity: 64 * GB },
  ]);
  const r = importFiles([{ file: 'cluster.json', text }]);
  assert.deepEqual(r.plan.vms.map((v) => [v.name, v.host, v.startupBytes]), [['DC', 'HV01', 2 * GB], ['DC', 'HV02', 4 * GB]]);
  assert.ok(r.diagnostics.some((d) => d.code === 'duplicate-name'));
});
