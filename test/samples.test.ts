// The samples are golden files: their diagnostics, rendered under each line, must equal the reviewed baselines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderBaseline, ROOT } from './support/baseline';

const samples = readdirSync(join(ROOT, 'samples')).filter((f) => f.endsWith('.hvmem.jsonc')).sort();

test('there are samples to check', () => assert.ok(samples.length >= 3));

for (const name of samples) {
  test(`sample ${name} matches its baseline`, () => {
    const expected = readFileSync(join(ROOT, 'samples', 'baselines', name.replace('.hvmem.jsonc', '.txt')), 'utf8');
    assert.equal(renderBaseline(join('samples', name)), expected, 'run `npm run baselines` and review the diff if the change is intended');
  });
}
