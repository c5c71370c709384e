// The TextMate grammar, run by the same engine VS Code uses: sizes, durations and enum values get
// their own scopes, and the enum list stays in step with the schema.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { loadWASM, OnigScanner, OnigString } from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar } from 'vscode-textmate';
import { CLUSTER_PRIORITIES, EVENT_TYPES, START_ACTIONS, STOP_ACTIONS, VM_OVERHEADS, VM_STATES } from '../server/src/core/schema';

const GRAMMAR = join(import.meta.dirname, '..', 'syntaxes', 'hvmem.tmLanguage.json');
let grammar: IGrammar;

before(async () => {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('vscode-oniguruma/release/onig.wasm'));
  await loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner: (s: string[]) => new OnigScanner(s), createOnigString: (s: string) => new OnigString(s) }),
    loadGrammar: async () => parseRawGrammar(readFileSync(GRAMMAR, 'utf8'), GRAMMAR),
  });
  grammar = (await registry.loadGrammar('source.hvmem'))!;
});

/** Each token's text with its innermost scope, over all lines. */
function tokens(text: string): [string, string][] {
  let state = INITIAL;
  const out: [string, string][] = [];
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) {
      const piece = line.slice(t.startIndex, t.endIndex);
      if (piece.trim()) out.push([piece, t.scopes[t.scopes.length - 1]]);
    }
    state = r.ruleStack;
  }
  return out;
}

const scopeOf = (text: string, piece: string) => tokens(text).find(([p]) => p === piece)?.[1];

test('sizes: number and unit', () => {
  const text = '{ "memory": { "startup": "4 GB", "maximum": "1.5TiB" } }';
  assert.equal(scopeOf(text, '4'), 'constant.numeric.size.hvmem');
  assert.equal(scopeOf(text, 'GB'), 'keyword.other.unit.size.hvmem');
  assert.equal(scopeOf(text, 'TiB'), 'keyword.other.unit.size.hvmem');
  assert.equal(scopeOf(text, 'startup'), 'support.type.property-name.hvmem');
});

test('durations', () => {
  assert.equal(scopeOf('{ "at": "1h30m" }', '1h30m'), 'constant.numeric.duration.hvmem');
});

test('enum values, and names that are not', () => {
  const text = '{ "state": "Off", "name": "SQL01", "type": "nodeFailure" }';
  assert.equal(scopeOf(text, 'Off'), 'constant.language.enum.hvmem');
  assert.equal(scopeOf(text, 'nodeFailure'), 'constant.language.enum.hvmem');
  assert.equal(scopeOf(text, 'SQL01'), 'string.quoted.double.hvmem');
});

test('comments, numbers and constants (JSONC)', () => {
  const text = '{\n  // a note\n  "memory": 4096, /* bytes */ "dynamic": true\n}';
  assert.equal(scopeOf(text, ' a note'), 'comment.line.double-slash.hvmem');
  assert.equal(scopeOf(text, '4096'), 'constant.numeric.hvmem');
  assert.equal(scopeOf(text, 'true'), 'constant.language.hvmem');
  assert.equal(scopeOf(text, ' bytes '), 'comment.block.hvmem');
});

test('every enum value of the schema is highlighted as one', () => {
  const values = [...START_ACTIONS, ...STOP_ACTIONS, ...VM_STATES, ...CLUSTER_PRIORITIES, ...EVENT_TYPES, ...VM_OVERHEADS];
  for (const v of values) assert.equal(scopeOf(`{ "x": "${v}" }`, v), 'constant.language.enum.hvmem', v);
});
