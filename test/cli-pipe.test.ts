// `hvmem … | head`: the reader closes the pipe after the first bytes. The CLI stops quietly, exit 0
// and nothing on stderr, where it used to die with an EPIPE stack trace on its next write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');

/** Runs the CLI, reads its first chunk of output and closes the pipe, as `| head -c 100` does. */
function closeEarly(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string; first: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let first = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.stdout.setEncoding('utf8').once('data', (d: string) => { first = d.slice(0, 100); child.stdout.destroy(); });
    child.on('exit', (code, signal) => resolve({ code, signal, stderr, first }));
  });
}

/** A plan whose JSON result is megabytes: far more than a pipe holds, so writing goes on after the close. */
function bigPlan(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hvmem-pipe-'));
  const vms = Array.from({ length: 400 }, (_, i) => ({
    name: `vm${i}`, host: `H${i % 4}`, memory: { dynamic: true, startup: '1GB', minimum: '256MB', maximum: '4GB' },
    demand: [{ at: 0, memory: '512MB' }, { at: 600, memory: '3GB' }, { at: 1200, memory: '1GB' }],
  }));
  const file = join(dir, 'big.hvmem.jsonc');
  writeFileSync(file, JSON.stringify({ hosts: [0, 1, 2, 3].map((i) => ({ name: `H${i}`, memory: '256GB' })), vms }));
  return file;
}

test('a closed pipe ends simulate --format json quietly', async () => {
  const r = await closeEarly(['simulate', bigPlan(), '--format', 'json']);
  assert.match(r.first, /^\{"duration":/, 'it did write until the pipe closed');
  assert.equal(r.stderr, '');
  assert.deepEqual([r.code, r.signal], [0, null]);
});

test('a closed pipe ends check of many plans quietly', async () => {
  const plan = bigPlan();
  const r = await closeEarly(['check', ...Array.from({ length: 20 }, () => plan), '--format', 'json']);
  assert.equal(r.stderr, '');
  assert.deepEqual([r.code, r.signal], [0, null]);
});
