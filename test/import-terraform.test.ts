import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors, importFiles, notesAbout } from './import-helpers';
import { GB, MB, TB } from '../server/src/core/units';

const FILES = ['main.tf', 'variables.tf', 'prod.tfvars'];
const tf = (text: string, ...more: { file: string; text: string }[]) => importFiles([{ file: 'inline.tf', text }, ...more], { hostMemoryBytes: 256 * GB });

test('hyperv_machine_instance with locals, arithmetic and the provider\'s defaults', () => {
  const r = importFiles(FILES, { hostMemoryBytes: 256 * GB });
  const dc = r.vm('DC01');
  assert.deepEqual([dc.dynamic, dc.startupBytes, dc.generation, dc.automaticStartAction, dc.automaticStartDelaySeconds, dc.automaticStopAction, dc.state],
    [false, 2 * GB, 2, 'Start', 10, 'ShutDown', 'Running']);
  const defaults = r.vm('DEFAULTS01');
  assert.deepEqual([defaults.startupBytes, defaults.generation, defaults.dynamic], [512 * MB, 2, false]);
  assert.equal(notesAbout(r, /provider's default of 512 MB/).length, 1);
});

test('for_each over a module-style input object from .tfvars (CRLF), variables across files', () => {
  const r = importFiles(FILES, { hostMemoryBytes: 256 * GB });
  const web = r.vm('prod-web');
  assert.deepEqual([web.dynamic, web.startupBytes, web.minimumBytes, web.maximumBytes, web.smartPagingFilePath, web.automaticStopAction],
    [true, 2 * GB, 1 * GB, 8 * GB, 'D:\\SmartPaging', 'Save']);
  const api = r.vm('prod-api');
  assert.deepEqual([api.startupBytes, api.minimumBytes, api.maximumBytes], [4 * GB, 512 * MB, 4 * GB], 'lookup() falls back to its default');
  assert.equal(r.plan.vms.some((v) => v.name.startsWith('dev-')), false, '.tfvars overrides the default prefix');
  assert.match(r.text, /\/\/ prod-web: from main\.tf line 28 \(hyperv_machine_instance\.app\["web"\]\)/);
});

test('unknown variables and data sources are left out, naming the value and the line', () => {
  const r = importFiles(FILES, { hostMemoryBytes: 256 * GB });
  const legacy = notesAbout(r, /var\.legacy_memory has no default and no \.tfvars value/);
  assert.equal(legacy.length, 1);
  assert.equal(legacy[0].line, 44);
  assert.equal(legacy[0].file, 'main.tf');
  assert.equal(r.vm('LEGACY01').spans['memory.startup'], undefined);
  assert.ok(r.diagnostics.some((d) => d.code === 'schema' && /startup/.test(d.message)), 'check asks for the missing startup');
});

test('count, conditionals and a tiny byte value', () => {
  const r = tf(`
variable "big" { default = true }
resource "hyperv_machine_instance" "node" {
  count                = 2
  name                 = "node\${count.index + 1}"
  dynamic_memory       = true
  memory_startup_bytes = var.big ? 8589934592 : 4294967296
  memory_minimum_bytes = 512
}`);
  assert.deepEqual(r.plan.vms.map((v) => [v.name, v.startupBytes, v.minimumBytes]), [['node1', 8 * GB, 512], ['node2', 8 * GB, 512]]);
  assert.equal(notesAbout(r, /memory_minimum_bytes is 512 bytes/).length, 2);
});

test('a dynamic VM without minimum or maximum keeps the plan\'s defaults, which are the provider\'s', () => {
  const r = tf('resource "hyperv_machine_instance" "a" {\n  name = "A"\n  dynamic_memory = true\n  memory_startup_bytes = 1073741824\n}\n');
  assert.deepEqual([r.vm('A').minimumBytes, r.vm('A').maximumBytes], [512 * MB, TB]);
  assert.deepEqual(errors(r.diagnostics), []);
});

test('a file that is not HCL: a note with its line, the other files still read', () => {
  const r = tf('resource "hyperv_machine_instance" "a" {\n  name = "A"\n  memory_startup_bytes = 1073741824\n}\n', { file: 'broken.tf', text: 'resource "x" "y" {\n  name = "unclosed\n}\n' });
  assert.equal(r.vm('A').startupBytes, GB);
  const note = notesAbout(r, /not readable as HCL/)[0];
  assert.deepEqual([note.file, note.line], ['broken.tf', 2]);
});

test('a count or for_each that cannot be told keeps its VM, once, under a placeholder', () => {
  const r = importFiles([{ file: 'lab.tf', text: 'resource "hyperv_machine_instance" "web" {\n  count = length(data.x.names)\n  name = "web-${count.index}"\n  memory_startup_bytes = 2147483648\n}\n' }], { hostMemoryBytes: 64 * 1024 ** 3 });
  assert.deepEqual(r.plan.vms.map((v) => [v.name, v.startupBytes]), [['<hyperv_machine_instance.web[*]>', 2 * 1024 ** 3]]);
  assert.ok(r.notes.some((n) => /count cannot be told .*imported once, under a placeholder/.test(n.message)));
  assert.ok(r.notes.some((n) => n.vm === '<hyperv_machine_instance.web[*]>' && /give it the VM's name/.test(n.message)));
});
