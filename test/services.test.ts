// The editor features as plain functions, over the samples: every quick fix on every diagnostic.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyzePlan } from '../server/src/core/analyze';
import type { PlanDiagnostic } from '../server/src/core/diagnostics';
import { doComplete, FIXABLE_CODES, quickFixes, rename, type PlanDocument, type TextEdit } from '../server/src/core/services';
import { analyzeOptions, readSettings } from '../server/src/lsp/settings';
import { MB } from '../server/src/core/units';

const SAMPLES = join(import.meta.dirname, '..', 'samples');

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

const documentOf = (text: string): PlanDocument => ({ text, analysis: analyzePlan(text, { scenario: false }) });
const count = (ds: readonly PlanDiagnostic[], code: string) => ds.filter((d) => d.code === code).length;
const comments = (text: string) => text.match(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g) ?? [];

describe('every quick fix on the samples removes its diagnostic and keeps comments', () => {
  for (const file of readdirSync(SAMPLES).filter((f) => f.endsWith('.hvmem.jsonc'))) {
    const text = readFileSync(join(SAMPLES, file), 'utf8');
    const doc = documentOf(text);
    for (const d of doc.analysis.diagnostics.filter((x) => FIXABLE_CODES.includes(x.code))) {
      for (const fix of quickFixes(doc, [d])) {
        test(`${file}: ${d.code} at ${d.span.start}: ${fix.title}`, () => {
          const fixed = applyEdits(text, fix.edits);
          const after = analyzePlan(fixed, { scenario: false }).diagnostics;
          assert.ok(count(after, d.code) < count(doc.analysis.diagnostics, d.code), `${d.code} still there:\n${fixed}`);
          assert.equal(count(after, 'syntax'), 0);
          assert.deepEqual(comments(fixed), comments(text));
        });
      }
    }
  }

  test('the samples offer a fix for each code the issue asks for', () => {
    const text = readFileSync(join(SAMPLES, 'mistakes.hvmem.jsonc'), 'utf8');
    const doc = documentOf(text);
    const fixed = new Set(quickFixes(doc, doc.analysis.diagnostics).map((f) => f.diagnostic.code));
    for (const code of ['memory-alignment', 'memory-order', 'size-suspicious', 'dynamic-only', 'smart-paging-system-drive', 'duplicate-name']) {
      assert.ok(fixed.has(code), code);
    }
  });
});

describe('quick fix details', () => {
  const vm = (memory: string, extra = '') => `{\n  "hosts": [ { "name": "HV01", "memory": "64GB" } ],\n  "vms": [\n    { "name": "A", "smartPagingFilePath": "D:\\\\SP",${extra} "memory": ${memory} }\n  ]\n}\n`;
  const fixesFor = (text: string, code: string) => {
    const doc = documentOf(text);
    return quickFixes(doc, doc.analysis.diagnostics.filter((d) => d.code === code)).map((f) => ({ title: f.title, preferred: !!f.preferred, text: applyEdits(text, f.edits) }));
  };

  test('rounding offers both even neighbours, the nearer one preferred', () => {
    const fixes = fixesFor(vm('{ "startup": "4101.5MB" }'), 'memory-alignment');
    assert.deepEqual(fixes.map((f) => [f.title, f.preferred]), [['Round to 4102MB', true], ['Round to 4100MB', false]]);
    // an odd whole number of MB is as near to both: rounding down keeps the plan within its hosts
    assert.deepEqual(fixesFor(vm('{ "startup": "4099MB" }'), 'memory-alignment').map((f) => [f.title, f.preferred]), [['Round to 4098MB', true], ['Round to 4100MB', false]]);
  });

  test('a defaulted minimum above startup is written out equal to startup', () => {
    const [fix] = fixesFor(vm('{ "dynamic": true, "startup": "256MB" }'), 'memory-order');
    assert.match(fix.text, /"memory": \{ "dynamic": true, "startup": "256MB", "minimum": "256MB" \}/);
    assert.deepEqual(analyzePlan(fix.text, { scenario: false }).diagnostics, []);
  });

  test('Dynamic Memory already written as false is switched, not added', () => {
    const [fix] = fixesFor(vm('{ "dynamic": false, "startup": "4GB", "minimum": "2GB" }'), 'dynamic-only');
    assert.match(fix.text, /"dynamic": true, "startup"/);
    assert.equal(fix.text.split('"dynamic"').length, 2);
  });

  test('the Smart Paging folder goes to the data volume with the most free space', () => {
    const text = `{ "hosts": [ { "name": "HV01", "memory": "64GB", "volumes": { "C:": "900GB", "E:": "100GB", "F:": "300GB" } } ],\n  "vms": [ { "name": "A", "memory": { "dynamic": true, "minimum": "1GB", "startup": "4GB" } } ] }`;
    const [fix] = fixesFor(text, 'smart-paging-system-drive');
    assert.match(fix.text, /"memory": \{[^}]*\}, "smartPagingFilePath": "F:\\\\Hyper-V\\\\Smart Paging" \}/);
  });

  test('a duplicate gets the first free suffix', () => {
    const text = `{ "hosts": [ { "name": "HV01", "memory": "64GB" } ], "vms": [\n { "name": "A", "memory": { "startup": "1GB" } },\n { "name": "A-2", "memory": { "startup": "1GB" } },\n { "name": "A", "memory": { "startup": "1GB" } } ] }`;
    assert.match(fixesFor(text, 'duplicate-name')[0].text, /"name": "A-3"/);
  });
});

describe('rename', () => {
  test('a new name with quotes in it is escaped', () => {
    const text = '{ "hosts": [ { "name": "HV01", "memory": "64GB" } ], "vms": [ { "name": "A", "host": "HV01", "memory": { "startup": "1GB" } } ] }';
    const r = rename(documentOf(text).analysis.plan, text.indexOf('HV01'), 'say "hi"');
    assert.ok(r.ok);
    const renamed = applyEdits(text, r.edits);
    assert.equal(renamed.split('"say \\"hi\\""').length - 1, 2);
    assert.deepEqual(analyzePlan(renamed).diagnostics, []);
  });
});

describe('settings', () => {
  test('model defaults in settings are read with units; unreadable ones are skipped', () => {
    const options = analyzeOptions(readSettings({ model: { addRatePerSecond: '128MB', bootSeconds: '2m', tickSeconds: -1, removeRatePerSecond: 'fast' }, scenarioDiagnostics: { enabled: false } }));
    assert.deepEqual(options, { modelDefaults: { addRatePerSecond: 128 * MB, bootSeconds: 120 }, scenario: false });
  });

  test('settings reach the plan, and the plan\'s own model wins', () => {
    const options = analyzeOptions(readSettings({ model: { bootSeconds: 90, hostBootSeconds: '3m' } }));
    const text = '{ "hosts": [], "vms": [], "model": { "hostBootSeconds": 30 } }';
    const { model } = analyzePlan(text, options).plan;
    assert.equal(model.bootSeconds, 90);
    assert.equal(model.hostBootSeconds, 30);
  });
});

describe('snippets carry any host name', () => {
  /** What the editor inserts when every placeholder keeps its default (LSP snippet syntax). */
  const expand = (snippet: string) => snippet.replace(/\$\{\d+:((?:\\.|[^\\}])*)\}|\$\d+/g, (_, text: string | undefined) => (text ?? '').replace(/\\(.)/g, '$1'));
  for (const name of ['HV"01', "a$'b$&c", 'x}y\\z', 'constructor']) {
    test(JSON.stringify(name), () => {
      const text = `{ "hosts": [ { "name": ${JSON.stringify(name)}, "memory": "64GB" }, { "name": "B", "memory": "64GB" } ], "vms": [\n], "scenario": { "events": [\n] } }`;
      const doc = documentOf(text);
      const vm = doComplete(doc, text.indexOf('\n]')).find((c) => c.label === 'New VM (static memory)')!;
      assert.equal(JSON.parse(expand(vm.insertText)).host, name);
      for (const event of doComplete(doc, text.lastIndexOf('\n]')).filter((c) => /host/.test(c.insertText))) {
        assert.equal(JSON.parse(expand(event.insertText)).host, name, event.label);
      }
    });
  }
});
