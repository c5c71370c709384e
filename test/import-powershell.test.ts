import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors, importFiles, notesAbout } from './import-helpers';
import { GB, MB } from '../server/src/core/units';

const script = (text: string) => importFiles([{ file: 'inline.ps1', text }], { hostMemoryBytes: 64 * GB });

test('a deployment script: New-VM defaults, Set-VMMemory, Set-VM, variables and param() defaults', () => {
  const r = importFiles(['deploy-lab.ps1'], { hostMemoryBytes: 128 * GB });
  const sql = r.vm('LAB-SQL01');
  assert.deepEqual([sql.dynamic, sql.startupBytes, sql.minimumBytes, sql.maximumBytes, sql.bufferPercent, sql.priority, sql.generation],
    [true, 4 * GB, 2 * GB, 16 * GB, 25, 80, 2]);
  assert.deepEqual([sql.automaticStartAction, sql.automaticStartDelaySeconds, sql.automaticStopAction, sql.smartPagingFilePath],
    ['Start', 45, 'ShutDown', 'D:\\Smart Paging']);
  assert.equal(r.vm('WEB01').startupBytes, 2 * GB, '$webStartup = 2048MB resolved');
  assert.equal(r.vm('WEB02').startupBytes, 512 * MB, 'New-VM\'s default');
  assert.equal(r.vm('WEB02').generation, 1, 'New-VM\'s default generation');
  assert.equal(r.vm('WEB02').automaticStopAction, 'Save', 'Set-VM after Get-VM in a pipeline, -Param:value');
  assert.equal(r.vm('APP01').dynamic, true, '-DynamicMemoryEnabled:$true');
  assert.equal(r.vm('APP01').maximumBytes, 4 * GB, 'hex literal');
  assert.equal(r.vm('APP02').startupBytes, 1536 * MB, 'splatted hashtable, 1.5GB');
  assert.equal(r.plan.vms.some((v) => v.name === 'NotAVm'), false, 'block comments are skipped');
  assert.equal(r.plan.vms.some((v) => /LOOP/.test(v.name)), false, 'loop variables are not guessed');
  // Names that cannot be told keep their VMs, under the expression that names them.
  assert.deepEqual(r.plan.vms.map((v) => v.name).filter((n) => n.startsWith('<')), ['<$name>', '<( Get-VM | Select-Object -First 1 ) .Name>']);
  assert.equal(r.vm('<$name>').startupBytes, GB);
  assert.match(r.text, /\/\/ warning: the VM's name cannot be told \(\$name is a loop variable\); its settings are imported under the placeholder <\$name>: give it the VM's name \[deploy-lab\.ps1 line 43\]/);
  assert.equal(r.plan.vms.length, 7);
});

test('-MinimumByte 512: an abbreviated parameter, a tiny value imported as written and flagged', () => {
  const r = importFiles(['deploy-lab.ps1'], { hostMemoryBytes: 128 * GB });
  assert.equal(r.vm('APP01').minimumBytes, 512);
  assert.equal(notesAbout(r, /-MinimumBytes is 512 bytes/)[0].line, 28);
  assert.ok(r.diagnostics.some((d) => d.code === 'size-suspicious'));
});

test('expressions and unknown variables are left out with a note naming the value and its line', () => {
  const r = importFiles(['deploy-lab.ps1'], { hostMemoryBytes: 128 * GB });
  const byLine = (line: number) => r.notes.filter((n) => n.line === line).map((n) => n.message);
  assert.ok(byLine(40).some((m) => /-Buffer left out: .*Get-Random.* is an expression/.test(m)));
  assert.ok(byLine(41).some((m) => /-MemoryMaximumBytes left out: \$SqlMax \* 2 is an expression/.test(m)));
  assert.ok(byLine(41).some((m) => /-SmartPagingFilePath left out: \$unknownFolder is not assigned/.test(m)));
  assert.ok(byLine(41).some((m) => /\$Unset is a script parameter without a default/.test(m)));
  assert.ok(byLine(43).some((m) => /\$name is a loop variable/.test(m)));
  assert.equal(r.vm('APP01').spans['memory.buffer'], undefined);
  assert.equal(r.vm('APP02').spans['smartPagingFilePath'], undefined);
  assert.match(r.text, /\/\/ warning: -MemoryMaximumBytes left out: \$SqlMax \* 2 is an expression \[deploy-lab\.ps1 line 41\]/);
});

test('CRLF line endings and backtick continuations keep line numbers', () => {
  const r = script('# one\r\nNew-VM -Name A `\r\n  -MemoryStartupBytes 2GB\r\nSet-VMMemory -VMName A -StartupBytes $nope\r\n');
  assert.equal(r.vm('A').startupBytes, 2 * GB);
  assert.equal(r.notes.find((n) => /\$nope/.test(n.message))?.line, 4);
  assert.deepEqual(errors(r.diagnostics), []);
});

test('static and dynamic switches of Set-VM; names that are lists', () => {
  const r = script("Set-VM -Name 'a','b' -DynamicMemory -MemoryMinimumBytes 1GB -MemoryStartupBytes 2GB -MemoryMaximumBytes 4GB\nSet-VM b -StaticMemory");
  assert.deepEqual([r.vm('a').dynamic, r.vm('a').minimumBytes], [true, 1 * GB]);
  assert.equal(r.vm('b').dynamic, false);
});

test('a DSC configuration: VMHyperV and xVMHyperV with the resource\'s own startup rule', () => {
  const r = importFiles(['lab-dsc.ps1'], { hostMemoryBytes: 64 * GB });
  const dc = r.vm('DC01');
  assert.deepEqual([dc.dynamic, dc.startupBytes, dc.generation, dc.state], [false, 2 * GB, 2, 'Running']);
  const file = r.vm('FILE01');
  assert.deepEqual([file.dynamic, file.startupBytes, file.minimumBytes, file.maximumBytes, file.generation], [true, 1 * GB, 1 * GB, 4 * GB, 1],
    'no StartupMemory: 512 MB raised to the minimum; generation defaults to 1');
  const print = r.vm('PRINT01');
  assert.deepEqual([print.dynamic, print.startupBytes], [false, 1 * GB], 'equal startup, minimum and maximum: static');
  assert.equal(r.plan.vms.some((v) => v.name === 'OLD01'), false, 'Ensure = Absent is not imported');
  assert.ok(notesAbout(r, /\$Node\.VMName is not assigned/).length === 1);
  assert.equal(r.vm('<$Node.VMName>').spans['memory.startup'], undefined, 'a placeholder keeps what can be read, and no more');
  assert.deepEqual(errors(r.diagnostics).map((e) => e.split(':')[0]), ['schema'], 'check asks for the startup memory it lacks');
});

test('DSC default startup lowered to a maximum under 512 MB', () => {
  const r = script("Configuration C { Node localhost { VMHyperV Small { Name = 'S'; MaximumMemory = 256MB } } }");
  assert.deepEqual([r.vm('S').startupBytes, r.vm('S').dynamic], [256 * MB, true]);
});

test('hashtable properties, function parameters, $using: and pasted en dashes', () => {
  const r = script([
    "$cfg = @{ Ram = 2GB; Max = 6GB }",
    "function New-LabVm { param([string] $Name = 'FROM-FUNCTION', [long] $Ram = 1GB); New-VM -Name $Name -MemoryStartupBytes $Ram }",
    "New-VM -Name 'CFG01' -MemoryStartupBytes $cfg.Ram",
    "Set-VMMemory \u2013VMName 'CFG01' \u2013DynamicMemoryEnabled $true \u2013MaximumBytes $cfg.Max",
    "Set-VMMemory -VMName 'CFG01' -Buffer $cfg.Missing",
    "$VMName = 'REMOTE01'",
    "Invoke-Command -ComputerName hv2 -ScriptBlock { New-VM -Name $using:VMName -MemoryStartupBytes 3GB }",
  ].join('\n'));
  assert.deepEqual([r.vm('CFG01').startupBytes, r.vm('CFG01').dynamic, r.vm('CFG01').maximumBytes], [2 * GB, true, 6 * GB]);
  assert.equal(r.vm('REMOTE01').startupBytes, 3 * GB);
  assert.equal(r.plan.vms.some((v) => v.name === 'FROM-FUNCTION'), false, 'a function parameter\'s default is not the value of every call');
  assert.equal(notesAbout(r, /\$Name is a function parameter/).length, 1);
  assert.equal(notesAbout(r, /\$cfg\.Missing is not a key/).length, 1);
  assert.deepEqual(r.plan.vms.map((v) => v.name), ['<$Name>', 'CFG01', 'REMOTE01'], 'the function\'s VM under a placeholder');
  assert.equal(r.plan.vms.length, 3);
});

test('foreach over a literal list of hashtables runs once per element', () => {
  const r = script([
    '$Servers = @(',
    '    @{Name="SRV-DC-01"; RAM=4GB},',
    '    @{Name="SRV-MGMT-01"; RAM=8GB}',
    ')',
    'foreach ($Server in $Servers) {',
    '    New-VM -Name $Server.Name -MemoryStartupBytes $Server.RAM -Generation 2',
    '    Set-VMMemory -VMName $Server.Name -DynamicMemoryEnabled $true -MaximumBytes $Server.RAM',
    '}',
    "foreach ($n in 'A1', 'A2') { New-VM $n -MemoryStartupBytes 1GB }",
    'foreach ($x in (Get-Content names.txt)) { New-VM $x }',
  ].join('\r\n'));
  assert.deepEqual(r.plan.vms.map((v) => [v.name, v.startupBytes, v.maximumBytes]),
    [['SRV-DC-01', 4 * GB, 4 * GB], ['SRV-MGMT-01', 8 * GB, 8 * GB], ['A1', GB, GB], ['A2', GB, GB], ['<$x>', 512 * MB, 512 * MB]]);
  assert.equal(notesAbout(r, /\$x is a loop variable/)[0].line, 10);
  assert.match(r.text, /\/\/ SRV-DC-01: from inline\.ps1 line 6 \(New-VM\); inline\.ps1 line 7 \(Set-VMMemory\)/);
});

test('strings and paths as PowerShell builds them: $(…), ${name}, "$name_suffix", "$table.Key", Join-Path; variables in any case', () => {
  const r = script([
    "$Prefix = 'LAB'; $cfg = @{ Name = 'CFG' }; $root = 'D:\\Hyper-V\\'",
    '$paging = Join-Path $root \'SP\'',
    'New-VM -Name "$($prefix)-A" -MemoryStartupBytes $(2GB)',
    'New-VM -Name "${PREFIX}_B" -MemoryStartupBytes 1GB',
    'New-VM -Name "$($cfg.Name)-C" -MemoryStartupBytes 1GB',
    'Set-VM -Name "$($prefix)-A" -SmartPagingFilePath $paging',
    "Set-VM -Name \"${prefix}_B\" -SmartPagingFilePath (Join-Path -Path 'E:\\' -ChildPath 'X')",
    'New-VM -Name "$prefix_D" -MemoryStartupBytes 1GB',
    'New-VM -Name "$cfg.Name-E" -MemoryStartupBytes 1GB',
  ].join('\n'));
  assert.deepEqual(r.plan.vms.map((v) => v.name), ['LAB-A', 'LAB_B', 'CFG-C', '<"$prefix_D">', '<"$cfg.Name-E">']);
  assert.equal(r.vm('LAB-A').startupBytes, 2 * GB);
  assert.equal(r.vm('LAB-A').smartPagingFilePath, 'D:\\Hyper-V\\SP');
  assert.equal(r.vm('LAB_B').smartPagingFilePath, 'E:\\X');
  assert.match(notesAbout(r, /prefix_D/)[0].message, /is the variable prefix_D, which is not assigned \(a name runs on through "_"\): write \$\{prefix\}_D/);
  assert.match(notesAbout(r, /cfg\.Name-E/)[0].message, /is a hashtable, and a string expands the variable alone/);
  assert.equal(r.vm('<"$prefix_D">').startupBytes, GB, 'a VM whose name cannot be told keeps its settings');
});

test('a DSC configuration\'s param() defaults name its VMs, in whatever case they are written', () => {
  const r = script("Configuration Lab {\n  param([string] $VmName = 'DC01', [long] $Ram = 2GB)\n  Node localhost { VMHyperV dc { Name = $VMNAME; StartupMemory = $ram; VhdPath = 'x' } }\n}");
  assert.deepEqual([r.vm('DC01').startupBytes], [2 * GB]);
  assert.equal(notesAbout(r, /parameter \$VmName is read at its default "DC01"/).length, 1);
});

test('a Boolean parameter takes $true, $false or a number, never text, as PowerShell binds it', () => {
  const r = script("New-VM A\nSet-VMMemory A -DynamicMemoryEnabled 'false'\nNew-VM B\nSet-VMMemory B -DynamicMemoryEnabled 1\nNew-VM C\nSet-VMMemory C -DynamicMemoryEnabled:$false");
  assert.deepEqual(['A', 'B', 'C'].map((n) => r.vm(n).dynamic), [false, true, false], "A keeps New-VM's static memory");
  assert.match(notesAbout(r, /refuses text for a Boolean parameter/)[0].message, /-DynamicMemoryEnabled "false" left out/);
});

test('blocks nested deeper than PowerShell parses: read up to there, with a warning at the line', () => {
  const deep = script(`New-VM -Name before -MemoryStartupBytes 1GB\n${'{\n'.repeat(3001)}New-VM -Name after -MemoryStartupBytes 1GB\n`);
  assert.match(deep.text, /"name": "before"/);
  assert.doesNotMatch(deep.text, /"name": "after"/);
  assert.match(deep.text, /\/\/ warning: blocks nest deeper than 3000 levels here, which PowerShell itself refuses \("the script is too complex"\); the script is read only up to this line \[inline\.ps1 line 3002\]/);
  // As deep as PowerShell still parses: everything is read, nothing said.
  const nested = script(`New-VM -Name before -MemoryStartupBytes 1GB\n${'{'.repeat(3000)}\nNew-VM -Name inside -MemoryStartupBytes 1GB\n${'}'.repeat(3000)}\nNew-VM -Name after -MemoryStartupBytes 1GB\n`);
  assert.match(nested.text, /"name": "inside"/);
  assert.match(nested.text, /"name": "after"/);
  assert.doesNotMatch(nested.text, /nest deeper/);
});

test('loops nested over long lists are not unrolled past a budget; short ones still are', () => {
  const list = Array.from({ length: 1000 }, (_, k) => k).join(',');
  const r = script(`foreach ($a in ${list}) { foreach ($b in ${list}) {\n  New-VM -Name "vm-$a-$b" -MemoryStartupBytes 1GB\n} }\nforeach ($s in 'x','y') { New-VM -Name "small-$s" -MemoryStartupBytes 1GB }\n`);
  assert.doesNotMatch(r.text, /"name": "vm-0-0"/);
  assert.match(r.text, /placeholder <"vm-\$a-\$b">/);
  assert.match(r.text, /"name": "small-x"/);
  assert.match(r.text, /"name": "small-y"/);
  // One level of 1,000 is within the budget: every VM.
  const one = script(`foreach ($a in ${list}) { New-VM -Name "one-$a" -MemoryStartupBytes 1GB }\n`);
  assert.equal((one.text.match(/"name": "one-\d+"/g) ?? []).length, 1000);
});
