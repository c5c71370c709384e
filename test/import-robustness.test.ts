// Bad input is a note, never a crash: every fixture cut short at many points, and odd bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { importPlan } from '../server/src/core/import';
import { readPlan } from '../server/src/core/read';
import { FIXTURES, fixture } from './import-helpers';

test('every fixture cut short anywhere imports without throwing, into a plan that reads', () => {
  for (const name of readdirSync(FIXTURES)) {
    const text = fixture(name);
    const step = Math.max(1, Math.floor(text.length / 60));
    for (let end = 0; end <= text.length; end += step) {
      let result;
      try {
        result = importPlan([{ file: name, text: text.slice(0, end) }]);
      } catch (e) {
        assert.fail(`${name} cut at ${end}: ${(e as Error).stack}`);
      }
      const read = readPlan(result.text);
      assert.deepEqual(read.diagnostics.filter((d) => d.code === 'syntax'), [], `${name} cut at ${end} gives a plan that parses`);
    }
  }
});

test('names and paths with quotes, newlines and comment markers stay inside their strings', () => {
  const text = JSON.stringify([{ Name: 'a"b\n// c */', MemoryStartup: 1073741824, SmartPagingFilePath: 'D:\\x"y' }]);
  const r = importPlan([{ file: 'odd\nname.json', text }]);
  const plan = readPlan(r.text).plan;
  assert.equal(plan.vms[0].name, 'a"b\n// c */');
  assert.equal(plan.vms[0].smartPagingFilePath, 'D:\\x"y');
});

test('deep nesting and huge numbers do not take the importer down', () => {
  const deep = '['.repeat(5000) + ']'.repeat(5000);
  assert.doesNotThrow(() => importPlan([{ file: 'deep.json', text: `{"MemoryStartup": ${deep}}` }]));
  const r = importPlan([{ file: 'big.json', text: '{"Name":"X","MemoryStartup":1e400,"MemoryMinimum":-5}' }]);
  assert.match(r.notes.map((n) => n.message).join('\n'), /MemoryStartup .* is not a whole number of bytes/);
  assert.doesNotThrow(() => importPlan([{ file: 'deep.tf', text: 'locals { a = ' + '('.repeat(3000) + '1' + ')'.repeat(3000) + ' }' }]));
  assert.doesNotThrow(() => importPlan([{ file: 'deep.ps1', text: 'New-VM -Name a -MemoryStartupBytes ' + '('.repeat(3000) + '1GB' + ')'.repeat(3000) }]));
});
