// Re-reading one VM after an edit gives exactly what reading the whole plan gives.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generatePlan } from '../bench/generate';
import { analyzePlan } from '../server/src/core/analyze';
import { analyzeEdited, analyzeFull } from '../server/src/core/services/incremental';

const SAMPLES = join(import.meta.dirname, '..', 'samples');

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

// Mostly what typing inside a value looks like, sometimes punctuation that breaks the structure.
const INSERTS = ['1', '0', '5', ' ', 'x', 'G', 'M', 'B', '\n', '"', ',', '}', '{', '/', ':', 'true'];

/** Random one-character edits, each checked against a full analysis of the new text. */
function checkEdits(name: string, text: string, edits: number, seed: number): number {
  const next = random(seed);
  let state = analyzeFull(text, { scenario: false });
  let current = text;
  let incremental = 0;
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * current.length);
    const r = next();
    const edited = r < 0.2 ? current.slice(0, at) + current.slice(at + 1)
      : r < 0.8 ? current.slice(0, at) + INSERTS[Math.floor(next() * INSERTS.length)] + current.slice(at)
        : current.slice(0, at) + String(Math.floor(next() * 10)) + current.slice(at + 1);
    const after = analyzeEdited(state, edited, { scenario: false });
    const reference = analyzePlan(edited, { scenario: false });
    assert.deepEqual(after.analysis.diagnostics, reference.diagnostics, `${name}, edit ${i} at ${at}`);
    assert.deepEqual(after.analysis.plan, reference.plan, `${name}, edit ${i} at ${at}: plan`);
    if (after.incremental) {
      incremental++;
      assert.deepEqual(after.analysis.root, reference.root, `${name}, edit ${i}: syntax tree`);
    }
    // Edits that read cleanly stay half the time, so edits build on edits.
    if (!reference.diagnostics.some((d) => d.code === 'syntax') && next() < 0.5) { state = after; current = edited; }
  }
  return incremental;
}

for (const file of ['standalone-restart.hvmem.jsonc', 'mistakes.hvmem.jsonc', 'cluster.hvmem.jsonc']) {
  test(`random edits of ${file}`, () => {
    const incremental = checkEdits(file, readFileSync(join(SAMPLES, file), 'utf8'), 300, file.length);
    console.log(`${file}: ${incremental} of 300 edits re-read one VM`);
    assert.ok(incremental > 30, `only ${incremental} of 300 edits took the fast path`);
  });
}

test('random edits of a generated plan with 200 VMs', () => {
  const incremental = checkEdits('generated', generatePlan(200, 8), 200, 7);
  assert.ok(incremental > 100, `only ${incremental} of 200 edits took the fast path`);
});

test('typing a new key character by character, through broken states, re-reads only that VM', () => {
  const text = generatePlan(50, 4);
  const at = text.indexOf('"demand"', text.indexOf('"VM25"'));
  const typed = '"automaticStartDelay": "90s", ';
  let state = analyzeFull(text, {});
  for (let n = 1; n <= typed.length; n++) {
    const edited = text.slice(0, at) + typed.slice(0, n) + text.slice(at);
    state = analyzeEdited(state, edited, {});
    assert.equal(state.incremental, true, `after typing ${JSON.stringify(typed.slice(0, n))}`);
    assert.deepEqual(state.analysis.diagnostics, analyzePlan(edited).diagnostics, `after typing ${JSON.stringify(typed.slice(0, n))}`);
  }
  assert.equal(state.analysis.plan.vms[25].automaticStartDelaySeconds, 90);
});

test('an edit across two VMs is read in full', () => {
  const text = generatePlan(3, 1);
  const edited = text.replace('"VM0"', '"VM0x"').replace('"VM2"', '"VM2x"');
  const after = analyzeEdited(analyzeFull(text, {}), edited, {});
  assert.equal(after.incremental, false);
  assert.deepEqual(after.analysis.diagnostics, analyzePlan(edited).diagnostics);
});

test('findings of VMs before the edit that point at a host after it move with the host', () => {
  // Hosts written after the VMs: a VM that does not fit has related information on the host's memory.
  const text = `{
  "vms": [
    { "name": "BIG", "host": "HV01", "memory": { "startup": "60GB" } },
    { "name": "DYN", "host": "HV01", "memory": { "dynamic": true, "startup": "8GB", "minimum": "2GB" }, "demand": "4GB" },
    { "name": "EDITED", "host": "HV01", "memory": { "startup": "4GB" } },
    { "name": "AFTER", "host": "HV01", "memory": { "startup": "3GB", "minimum": "1GB" } }
  ],
  "hosts": [ { "name": "HV01", "memory": "48GB", "reserve": "2GB", "volumes": { "C:": "80GB", "D:": "1GB" } } ]
}`;
  let state = analyzeFull(text, { scenario: false });
  assert.ok(state.analysis.diagnostics.some((d) => d.code === 'startup-exceeds-host' && d.related?.length), 'the plan has a finding with related information');
  let current = text;
  for (const [from, to] of [['"4GB" } }', '"40GB" } }'], ['"40GB" } }', '"4GB" } }'], ['"EDITED"', '"EDITED-LONGER-NAME"'], ['"EDITED-LONGER-NAME"', '"E"']]) {
    const edited = current.replace(from, to);
    assert.notEqual(edited, current);
    state = analyzeEdited(state, edited, { scenario: false });
    assert.equal(state.incremental, true, `${from} → ${to}`);
    const reference = analyzePlan(edited, { scenario: false });
    assert.deepEqual(state.analysis.diagnostics, reference.diagnostics, `${from} → ${to}`);
    assert.deepEqual(state.analysis.plan, reference.plan, `${from} → ${to}: plan`);
    current = edited;
  }
});
