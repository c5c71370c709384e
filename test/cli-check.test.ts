// `hvmem check` as a process: exit status, text and JSON output, errors on standard error.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runCli } from './support/baseline';

let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'hvmem-check-')); });
const write = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };

test('a clean plan exits 0 and prints nothing', () => {
  const p = write('ok.hvmem.jsonc', '{ "hosts": [{ "name": "h", "memory": "8GB" }], "vms": [{ "name": "a", "memory": { "startup": "2GB" } }], "scenario": { "events": [] } }');
  const r = runCli(['check', p]);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, '');
  assert.equal(r.status, 0);
});

test('errors exit 1 with file:line:column, severity and code', () => {
  const p = write('bad.hvmem.jsonc', '{\n  "hosts": [{ "name": "h", "memory": "8GB" }],\n  "vms": [{ "name": "a", "memory": { "startup": "1025MB" } }]\n}\n');
  const r = runCli(['check', p]);
  assert.equal(r.status, 1);
  const column = '  "vms": [{ "name": "a", "memory": { "startup": "1025MB" } }]'.indexOf('"1025MB"') + 1;
  assert.ok(r.stdout.startsWith(`${p}:3:${column}: error memory-alignment: Startup memory 1025 MB`), r.stdout);
});

test('JSON output carries 0-based LSP ranges', () => {
  const p = write('bad2.hvmem.jsonc', '{\n  "hosts": [{ "name": "h", "memory": "8GB" }],\n  "vms": [{ "name": "a", "memory": { "startup": "1025MB" } }]\n}\n');
  const r = runCli(['check', p, '--format', 'json']);
  assert.equal(r.status, 1);
  const rows = JSON.parse(r.stdout);
  assert.deepEqual(rows.map((x: { code: string }) => x.code), ['memory-alignment']);
  const start = '  "vms": [{ "name": "a", "memory": { "startup": "1025MB" } }]'.indexOf('"1025MB"');
  assert.deepEqual(rows[0].range, { start: { line: 2, character: start }, end: { line: 2, character: start + 8 } });
  assert.equal(rows[0].file, p);
  assert.equal(rows[0].severity, 'error');
});

test('warnings alone exit 0', () => {
  const p = write('warn.hvmem.jsonc', '{ "hosts": [{ "name": "h", "memory": "8GB" }], "vms": [{ "name": "a", "memory": { "startup": "2GB", "minimum": "1GB" } }], "scenario": { "events": [] } }');
  const r = runCli(['check', p]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /warning dynamic-only/);
});

test('several plans are checked in one run', () => {
  const a = write('a.hvmem.jsonc', '{ "hosts": [{ "name": "h", "memory": "8GB" }], "vms": [{ "name": "a", "memory": { "startup": "33MB" } }] }');
  const b = write('b.hvmem.jsonc', '{ "hosts": [{ "name": "h", "memory": "8GB" }], "vms": [{ "name": "a", "memory": { "startup": "16MB" } }] }');
  const r = runCli(['check', a, b, '--format', 'json']);
  const rows = JSON.parse(r.stdout);
  assert.deepEqual(rows.map((x: { file: string; code: string }) => [x.file, x.code]), [[a, 'memory-alignment'], [b, 'memory-floor']]);
});

for (const [name, args, pattern] of [
  ['a missing file', ['check', '/nonexistent/plan.hvmem.jsonc'], /^hvmem: \/nonexistent\/plan\.hvmem\.jsonc: no such file\n$/],
  ['a folder', ['check', '.'], /is a folder/],
  ['no plan', ['check'], /no plan given/],
  ['an unknown option', ['check', 'x', '--colour'], /Unknown option '--colour'/],
  ['a bad format', ['check', 'x', '--format', 'xml'], /--format must be one of text, json/],
  ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
] as const) {
  test(`${name} exits 2 with one line on stderr and no stack trace`, () => {
    const r = runCli([...args]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
}
