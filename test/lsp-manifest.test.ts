// The extension manifest's editor parts: files it names exist, and settings match what the server reads.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MODEL_DEFAULTS } from '../server/src/core/model';

const ROOT = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const contributes = pkg.contributes;

test('the grammar, language configuration and schema it names exist', () => {
  const [grammar] = contributes.grammars;
  assert.equal(JSON.parse(readFileSync(join(ROOT, grammar.path), 'utf8')).scopeName, grammar.scopeName);
  assert.ok(contributes.languages.some((l: { id: string }) => l.id === grammar.language));
  for (const l of contributes.languages) assert.ok(existsSync(join(ROOT, l.configuration)), l.configuration);
  // the schema is written by the build
  for (const v of contributes.jsonValidation) assert.equal(v.url, './dist/hvmem.schema.json');
});

test('there is a setting for every model parameter, and no other', () => {
  const settings = Object.keys(contributes.configuration.properties).filter((k) => k.startsWith('hvmem.model.')).map((k) => k.slice('hvmem.model.'.length));
  assert.deepEqual(settings.sort(), Object.keys(MODEL_DEFAULTS).sort());
});

test('the settings the server reads are contributed', () => {
  for (const key of ['hvmem.codeLens.enabled', 'hvmem.scenarioDiagnostics.enabled', 'hvmem.trace.server']) {
    assert.ok(contributes.configuration.properties[key], key);
  }
});
