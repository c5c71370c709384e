// The editor commands run the bundled CLI; this checks that path without the editor.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { firstError, runCli } from '../client/src/import/run';
import { FIXTURES } from './import-helpers';

const ROOT = join(import.meta.dirname ?? __dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');

before(() => {
  if (!existsSync(CLI)) spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
});

test('runCli returns the plan on stdout and the notes on stderr', async () => {
  const r = await runCli(CLI, ['import', join(FIXTURES, 'deploy-lab.ps1')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /"name": "LAB-SQL01"/);
  assert.match(r.stderr, /deploy-lab\.ps1:41: warning: APP02: -MemoryMaximumBytes left out/);
});

test('runCli reports the exit status and firstError the reason', async () => {
  const r = await runCli(CLI, ['import', join(FIXTURES, 'nope.json')]);
  assert.equal(r.code, 2);
  assert.match(firstError(r.stderr), /nope\.json: no such file/);
  assert.equal(firstError('plan.hvmem.jsonc:3:5: error memory-order: minimum above startup\nhvmem: not exported\n'), 'plan.hvmem.jsonc:3:5: error memory-order: minimum above startup');
});

test('the manifest contributes the import and export commands and the offer setting', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const ids = pkg.contributes.commands.map((c: { command: string }) => c.command);
  const source = readFileSync(join(ROOT, 'client', 'src', 'import', 'index.ts'), 'utf8');
  for (const id of source.matchAll(/'(hvmem\.[A-Za-z]+)'/g)) {
    if (id[1].startsWith('hvmem.import.')) assert.ok(pkg.contributes.configuration.properties[id[1]], id[1]);
    else assert.ok(ids.includes(id[1]), `${id[1]} is contributed`);
  }
});
