// hvmem import and hvmem export as a user runs them: a process, its output, its exit status.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES } from './import-helpers';

const ROOT = join(import.meta.dirname ?? __dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const hvmem = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT });
const fx = (name: string) => join(FIXTURES, name);
let dir = '';

before(() => {
  if (!existsSync(CLI)) spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'hvmem-import-'));
});

test('import writes a plan that check accepts, notes on stderr', () => {
  const plan = join(dir, 'hv03.hvmem.jsonc');
  const r = hvmem('import', fx('inventory.json'), '-o', plan);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^inventory\.json:\d+: warning: TEST01: MemoryMinimum is 512 bytes/m);
  assert.match(r.stderr, /imported 3 VM\(s\) and 1 host\(s\)/);
  const check = hvmem('check', plan, '--format', 'json');
  const findings = JSON.parse(check.stdout) as { code: string; severity: string }[];
  assert.ok(findings.some((f) => f.code === 'size-suspicious'));
  assert.deepEqual(findings.filter((f) => f.severity === 'error' && !['memory-floor', 'memory-alignment'].includes(f.code)), []);
});

test('import prints to stdout and takes --host-memory for Get-VM output alone', () => {
  const r = hvmem('import', fx('get-vm-ps7-single.json'), '--host-memory', '96GB', '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  const plan = JSON.parse(r.stdout);
  assert.deepEqual(plan.hosts, [{ name: 'HV02', memory: '96GB' }]);
});

test('import: bad input is one line on stderr and exit 2', () => {
  const notes = join(dir, 'notes.txt');
  writeFileSync(notes, 'shopping list: eggs, milk\n');
  for (const [args, message] of [
    [[fx('missing.json')], /missing\.json: no such file/],
    [[notes], /notes\.txt: not a kind of file hvmem can import/],
    [[], /no file given/],
    [[fx('inventory.json'), '--host-memory', 'lots'], /--host-memory "lots" is not a size/],
    [[fx('inventory.json'), '--format', 'yaml'], /--format must be one of jsonc, json/],
  ] as const) {
    const r = hvmem('import', ...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr.split('\n')[0], message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('export writes a PowerShell script with the plan\'s name and a BOM', () => {
  const plan = join(dir, 'hv01.hvmem.jsonc');
  assert.equal(hvmem('import', fx('get-vm-ps51.json'), fx('get-vmmemory.json'), fx('get-vmhost.json'), '-o', plan).status, 0);
  const script = join(dir, 'apply.ps1');
  const r = hvmem('export', plan, '--to', 'powershell', '-o', script);
  assert.equal(r.status, 0, r.stderr);
  const text = readFileSync(script, 'utf8');
  assert.equal(text.charCodeAt(0), 0xfeff);
  assert.match(text, /from hv01\.hvmem\.jsonc on \d{4}-\d\d-\d\dT/);
  assert.match(text, /Update-HvmemVM -Name 'SQL01'/);
});

test('export refuses a plan Hyper-V would reject, and bad usage', () => {
  const bad = join(dir, 'bad.hvmem.jsonc');
  writeFileSync(bad, '{ "hosts": [{ "name": "H", "memory": "64GB" }], "vms": [{ "name": "V", "memory": { "startup": "lots" } }] }');
  const r = hvmem('export', bad, '--to', 'powershell');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad\.hvmem\.jsonc:1:\d+: error size-invalid/);
  assert.equal(r.stdout, '');
  assert.equal(hvmem('export', bad).status, 2);
  assert.match(hvmem('export', bad, '--to', 'bash').stderr, /--to must be one of powershell/);
});

test('an imported live inventory checks clean and simulates', () => {
  const plan = join(dir, 'hv01-sim.hvmem.jsonc');
  assert.equal(hvmem('import', fx('get-vm-ps51.json'), fx('get-vmmemory.json'), fx('get-vmhost.json'), '-o', plan).status, 0);
  const check = hvmem('check', plan, '--format', 'json');
  const errors = (JSON.parse(check.stdout) as { severity: string; code: string }[]).filter((d) => d.severity === 'error');
  assert.deepEqual(errors, []);
  const sim = hvmem('simulate', plan, '--format', 'json');
  assert.equal(sim.status, 0, sim.stderr);
  const result = JSON.parse(sim.stdout) as { vms: Record<string, { host: string }> };
  assert.deepEqual(Object.keys(result.vms).sort(), ['DC01', 'SQL01', 'WEB01']);
  assert.equal(result.vms.SQL01.host, 'HV01');
});
