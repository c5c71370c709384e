import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeText, detectFormat } from '../server/src/core/import';
import { errors, FIXTURES, fixture, importFiles, notesAbout } from './import-helpers';
import { GB } from '../server/src/core/units';

test('each fixture is told apart by its content', () => {
  const expected: Record<string, string> = {
    'get-vm-ps51.json': 'hyperv-json', 'inventory.json': 'hyperv-json', 'legacy-sql.xml': 'hyperv-xml', 'main.tf': 'terraform',
    'prod.tfvars': 'terraform', 'deploy-lab.ps1': 'powershell', 'lab-dsc.ps1': 'dsc', 'win2022.pkr.hcl': 'packer-hcl',
    'ubuntu-legacy.json': 'packer-json', 'Vagrantfile': 'vagrant',
  };
  for (const [file, format] of Object.entries(expected)) assert.equal(detectFormat(fixture(file)), format, file);
  assert.equal(detectFormat('{ "hosts": [], "vms": [] }'), undefined, 'a plan is not a source');
  assert.equal(detectFormat('<html><body>hi</body></html>'), undefined);
  assert.equal(detectFormat('just some words\n'), undefined);
});

test('UTF-16 with a BOM (as Hyper-V writes its XML) and without one is decoded', () => {
  const bytes = readFileSync(join(FIXTURES, 'legacy-sql.xml'));
  assert.deepEqual([bytes[0], bytes[1]], [0xff, 0xfe]);
  assert.match(decodeText(bytes), /^<\?xml/);
  assert.equal(decodeText(new Uint8Array(Buffer.from('{"a":1}', 'utf16le'))), '{"a":1}');
  assert.equal(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d])), '{}');
});

test('Hyper-V XML: MB units, generation from subtype, weight as priority', () => {
  const r = importFiles(['legacy-sql.xml', 'legacy-web.xml'], { hostMemoryBytes: 64 * GB });
  const sql = r.vm('LEGACY-SQL');
  assert.deepEqual([sql.generation, sql.dynamic, sql.startupBytes, sql.minimumBytes, sql.maximumBytes, sql.bufferPercent, sql.priority],
    [2, true, 4 * GB, 2 * GB, 16 * GB, 25, 80]);
  const web = r.vm('LEGACY-WEB');
  assert.deepEqual([web.generation, web.dynamic], [1, false]);
  assert.equal(web.spans['memory.startup'], undefined, 'a size of 1.5 MB is not a whole MB: left out');
  assert.equal(notesAbout(r, /<size> "1\.5" is not a whole number of MB/)[0].line, 8);
});

test('broken XML is a note with its line, not a crash', () => {
  const r = importFiles([{ file: 'bad.xml', text: '<?xml version="1.0"?>\n<configuration>\n  <properties>\n</configuration>\n' }]);
  assert.equal(r.plan.vms.length, 0);
  assert.match(r.notes[0].message, /not well-formed XML/);
  assert.equal(r.notes[0].line, 4);
});

test('Packer HCL and JSON: memory in MB, user variables, Packer\'s defaults, nothing guessed', () => {
  const r = importFiles(['win2022.pkr.hcl', 'ubuntu-legacy.json'], { hostMemoryBytes: 64 * GB });
  const win = r.vm('pkr-win2022');
  assert.deepEqual([win.startupBytes, win.dynamic, win.generation], [4 * GB, true, 2]);
  const ubuntu = r.vm('ubuntu-2004');
  assert.deepEqual([ubuntu.startupBytes, ubuntu.generation, ubuntu.dynamic], [2 * GB, 1, false], 'ram_size through {{user `ram`}}');
  assert.equal(r.vm('packer-from-clone').spans['memory.startup'], undefined, 'a clone keeps its source VM\'s memory');
  assert.ok(notesAbout(r, /var\.unknown_mb is not declared/).length === 1);
  assert.equal(r.plan.vms.some((v) => !v.name.startsWith('<') && /stamped|build-/.test(v.name)), false, 'a name from {{timestamp}} is not guessed');
  const placeholders = r.plan.vms.filter((v) => v.name.startsWith('<vm_name of '));
  assert.equal(placeholders.length, 1, 'its VM is kept under a placeholder');
  assert.match(notesAbout(r, /imported under the placeholder <vm_name of /)[0].message, /give it the VM's name/);
  assert.equal(r.plan.vms.length, 4, 'the virtualbox builder is not imported');
});

test('Vagrantfile: global and per-machine hyperv settings, Vagrant\'s own memory rule', () => {
  const r = importFiles(['Vagrantfile'], { hostMemoryBytes: 64 * GB });
  const web = r.vm('vagrant-web');
  assert.deepEqual([web.dynamic, web.startupBytes, web.minimumBytes, web.maximumBytes], [true, 2 * GB, 2 * GB, 4 * GB],
    'maxmemory turns Dynamic Memory on; memory is startup and minimum');
  assert.deepEqual([web.automaticStartAction, web.automaticStopAction], ['StartIfRunning', 'ShutDown']);
  const db = r.vm('db');
  assert.deepEqual([db.dynamic, db.startupBytes, db.automaticStartAction, db.automaticStopAction], [false, 8 * GB, 'Nothing', 'Save']);
  assert.deepEqual(r.plan.vms.map((v) => v.name), ['vagrant-web', 'db', '<node#{i}>'], 'machines defined in a loop are not guessed: one placeholder stands for them');
  assert.equal(notesAbout(r, /inside a loop/)[0].line, 29);
  // Their memory (1024 * i) cannot be told either: it is left out, with a note, not taken from the
  // global provider block it overrides. The plan then says what to add.
  assert.equal(notesAbout(r, /memory = 1024 \* i left out/)[0].line, 31);
  assert.deepEqual(errors(r.diagnostics).map((e) => e.split(':')[0]), ['schema']);
  assert.match(errors(r.diagnostics)[0], /Missing "startup" in memory/);
});

test('a Vagrantfile without memory says the box decides', () => {
  const r = importFiles([{ file: 'Vagrantfile', text: 'Vagrant.configure("2") do |config|\n  config.vm.provider "hyperv" do |h|\n    h.vmname = "solo"\n    h.memory = ENV["MEM"]\n  end\nend\n' }]);
  assert.equal(r.vm('solo').spans['memory.startup'], undefined);
  assert.ok(notesAbout(r, /memory = ENV\["MEM"\] left out/).length === 1);
});

test('Packer HCL across files: variables.pkr.hcl, a .pkrvars.hcl value, a local block, coalesce()', () => {
  const r = importFiles([
    { file: 'variables.pkr.hcl', text: 'variable "memory" {\n  type = string\n  default = "2048"\n}\nvariable "vm_name" {\n  type = string\n  default = null\n}\n' },
    { file: 'build.pkr.hcl', text: 'local "gen" {\n  expression = 2\n}\nsource "hyperv-iso" "base" {\n  vm_name = coalesce(var.vm_name, "base-image")\n  memory = "${var.memory}"\n  generation = local.gen\n  enable_dynamic_memory = "true"\n}\n' },
    { file: 'prod.pkrvars.hcl', text: 'memory = "6144"\n' },
  ], { hostMemoryBytes: 64 * GB });
  const vm = r.vm('base-image');
  assert.deepEqual([vm.startupBytes, vm.generation, vm.dynamic], [6 * GB, 2, true]);
});

test('Vagrant: a string memory, maxmemory = nil, and a provider block with override', () => {
  const r = importFiles([{ file: 'Vagrantfile', text: 'Vagrant.configure(2) do |config|\n  config.vm.provider :hyperv do |v, override|\n    v.vmname = "box1"\n    v.maxmemory = nil\n    v.memory = "3072" # MB\n  end\nend\n' }]);
  assert.deepEqual([r.vm('box1').startupBytes, r.vm('box1').dynamic], [3 * GB, false]);
  assert.equal(r.notes.filter((n) => n.severity === 'warning').length, 1, r.notes.map((n) => n.message).join('\n'));
});
