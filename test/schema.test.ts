// The shipped JSON Schema is generated from the reader's field table; editors using it must agree with the checker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getLanguageService, TextDocument } from 'vscode-json-languageservice';
import { planSchema } from '../server/src/core/schema';
import { analyzePlan } from '../server/src/core/analyze';
import { ROOT } from './support/baseline';

const service = getLanguageService({});
service.configure({ validate: true, allowComments: true, schemas: [{ uri: 'hvmem://schema', fileMatch: ['*.hvmem.jsonc'], schema: planSchema() as never }] });

async function schemaProblems(text: string) {
  const doc = TextDocument.create('file:///x.hvmem.jsonc', 'jsonc', 1, text);
  const found = await service.doValidation(doc, service.parseJSONDocument(doc), { comments: 'ignore', trailingCommas: 'ignore' });
  return found.map((d) => ({ line: d.range.start.line, message: d.message }));
}

test('the built schema is the one the field table generates', () => {
  assert.deepEqual(JSON.parse(readFileSync(join(ROOT, 'dist', 'hvmem.schema.json'), 'utf8')), JSON.parse(JSON.stringify(planSchema())));
});

for (const name of ['standalone-restart', 'cluster']) {
  test(`the schema accepts the clean sample ${name}`, async () => {
    assert.deepEqual(await schemaProblems(readFileSync(join(ROOT, 'samples', `${name}.hvmem.jsonc`), 'utf8')), []);
  });
}

test('the schema flags what the checker flags as schema problems', async () => {
  const text = readFileSync(join(ROOT, 'samples', 'mistakes.hvmem.jsonc'), 'utf8');
  const lines = (ds: { line: number }[]) => [...new Set(ds.map((d) => d.line))].sort((a, b) => a - b);
  const ours = analyzePlan(text, { scenario: false });
  const { LineIndex } = await import('../server/src/core/text');
  const index = new LineIndex(text);
  const oursSchema = ours.diagnostics.filter((d) => d.code === 'schema' || d.code === 'size-invalid').map((d) => ({ line: index.positionAt(d.span.start).line }));
  const theirs = await schemaProblems(text);
  for (const line of lines(oursSchema)) assert.ok(lines(theirs).includes(line), `the JSON service misses line ${line + 1}`);
});

test('every documented key has a description and sizes say they are sizes', () => {
  const walk = (s: Record<string, unknown>, path: string) => {
    assert.ok(typeof s.description === 'string' && s.description.length > 5, `${path} has a description`);
    for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Record<string, unknown>>)) walk(v, `${path}.${k}`);
    if (s.items) walk(s.items as Record<string, unknown>, `${path}[]`);
  };
  walk(planSchema(), 'plan');
});
