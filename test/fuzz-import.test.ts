// Property tests of import: every kind of source, damaged byte by byte, is read without throwing and
// without hanging, and what comes out is always a plan that reads without a syntax error, with notes
// that say something. Seeded from the import fixtures; `npm run fuzz` runs it longer.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { decodeText, importPlan } from '../server/src/core/import';
import { readPlan } from '../server/src/core/read';
import { mutation } from './support/arbitraries';
import { fuzz } from './support/fuzz';

const FILE = 'test/fuzz-import.test.ts';
const FIXTURES = join(import.meta.dirname, 'fixtures', 'import');
const sources = readdirSync(FIXTURES).map((file) => ({ file, text: decodeText(readFileSync(join(FIXTURES, file))) }));

function checkImport(inputs: { file: string; text: string }[]): void {
  const where = () => `\n--- sources ---\n${inputs.map((i) => `${i.file}:\n${i.text.slice(0, 3000)}`).join('\n')}`;
  const result = importPlan(inputs);
  const syntax = readPlan(result.text).diagnostics.filter((d) => d.code === 'syntax');
  assert.deepEqual(syntax.map((d) => d.message), [], `the imported plan does not read:\n${result.text.slice(0, 3000)}${where()}`);
  for (const note of result.notes) assert.ok(note.message.length > 0 && !/\bundefined\b|\[object /.test(note.message), `note "${note.message}"${where()}`);
  assert.equal(importPlan(inputs).text, result.text, `two imports differ${where()}`);
}

const source = fc.constantFrom(...sources);

fuzz('every kind of source, damaged: read without throwing, a plan that reads', { runs: 1200, file: FILE }, [source, mutation], (s, damage) => {
  checkImport([{ file: s.file, text: damage(s.text) }]);
});

fuzz('several damaged sources together (HCL files cross-reference)', { runs: 200, file: FILE }, [fc.array(fc.tuple(source, mutation), { minLength: 2, maxLength: 4 })], (pairs) => {
  checkImport(pairs.map(([s, damage]) => ({ file: s.file, text: damage(s.text) })));
});
