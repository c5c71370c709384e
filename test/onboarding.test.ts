// What a newcomer starts from: the templates of "New plan…" are plans without errors whose scenario
// tells its story, and the status bar's outcome says what the simulation found in a few words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzePlan } from '../server/src/core/analyze';
import { readPlan } from '../server/src/core/read';
import { simulate } from '../server/src/core/simulate';
import { PLAN_TEMPLATES } from '../client/src/onboarding/templates';
import { outcomeOf } from '../client/src/onboarding/outcome';
import { TimelineModel } from '../client/webview/model';

test('each template is a plan without errors, and its scenario has something to show', () => {
  assert.deepEqual(PLAN_TEMPLATES.map((t) => t.id), ['standalone', 'cluster']);
  for (const t of PLAN_TEMPLATES) {
    const analysis = analyzePlan(t.text);
    assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === 'error'), [], t.id);
    assert.match(t.fileName, /\.hvmem\.jsonc$/);
    assert.match(t.text, /^\/\/ /, 'it explains itself in a comment');
    const headline = new TimelineModel(simulate(analysis.plan)).overview().headline;
    assert.ok(headline.length >= 3, `${t.id}: ${headline.join(' | ')}`);
  }
  const standalone = analyzePlan(PLAN_TEMPLATES[0].text);
  assert.deepEqual(standalone.diagnostics.map((d) => d.code), ['restart-smart-paging'], 'the reboot puts one VM on Smart Paging: a warning to read');
  const cluster = new TimelineModel(simulate(analyzePlan(PLAN_TEMPLATES[1].text).plan)).overview().headline;
  assert.ok(cluster.some((l) => /failed over/.test(l)) && cluster.some((l) => /stayed off/.test(l)), cluster.join(' | '));
});

test('the outcome in the status bar', () => {
  const result = (file: string) => simulate(readPlan(readFileSync(`samples/${file}`, 'utf8')).plan);
  assert.deepEqual(outcomeOf({ ok: true, version: 1, result: result('standalone-restart.hvmem.jsonc') }),
    { text: '$(warning) 1 on Smart Paging', tooltip: "Simulated the plan's scenario: 7 VMs. Click for the timeline.", level: 'warning' });
  assert.deepEqual(outcomeOf({ ok: true, version: 1, result: result('cluster.hvmem.jsonc') }),
    { text: '$(warning) 1 short of demand', tooltip: "Simulated the plan's scenario: 10 VMs, 1 node lost. Click for the timeline.", level: 'warning' });
  const calm = simulate(readPlan('{ "hosts": [{ "name": "H", "memory": "8GB" }], "vms": [{ "name": "a", "memory": { "startup": "1GB" } }] }').plan);
  assert.equal(outcomeOf({ ok: true, version: 1, result: calm }).text, '$(pass) All VMs start');
  const big = simulate(readPlan('{ "hosts": [{ "name": "H", "memory": "8GB" }], "vms": [{ "name": "a", "memory": { "startup": "16GB" } }] }').plan);
  assert.deepEqual([outcomeOf({ ok: true, version: 1, result: big }).text, outcomeOf({ ok: true, version: 1, result: big }).level], ['$(error) 1 failed to start', 'error']);
  assert.deepEqual(outcomeOf({ ok: false, version: 2, errors: ['line 1, column 2: a', 'line 3, column 4: b'] }),
    { text: '$(circle-slash) Cannot simulate: 2 errors', tooltip: 'line 1, column 2: a\nline 3, column 4: b', level: 'error' });
});
