// The Advice section's view (client/webview/adviceModel.ts) of what the server's advice says of the
// samples: the fixes are the advice's, in its order, and an id names its fix of its version only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { adviceView, fixOf } from '../client/webview/adviceModel';
import { advise, type Advice } from '../server/src/core/advise';
import { analyzePlan } from '../server/src/core/analyze';

/** The advice as the panel receives it: computed by the core, then through JSON (the LSP message). */
function adviceOf(text: string): Advice {
  const a = analyzePlan(text, { scenario: false });
  return JSON.parse(JSON.stringify(advise({ text, root: a.root, plan: a.plan })));
}
const sample = (name: string) => readFileSync(`samples/${name}.hvmem.jsonc`, 'utf8');

test('the restart sample: its one finding, the fixes in the advice\'s order by title and cost, each id back to its fix', () => {
  const advice = adviceOf(sample('standalone-restart'));
  const view = adviceView(advice, 5);
  assert.equal(view.findings.length, 1);
  const [finding] = view.findings;
  assert.equal(finding.heading, 'restart-smart-paging on WEB02 (HV01)');
  assert.equal(finding.message, advice.findings[0].message);
  assert.ok(finding.message.startsWith(finding.summary), 'the summary is the start of the message');
  assert.deepEqual(finding.fixes.map((f) => [f.title, f.cost]), advice.findings[0].fixes.map((f) => [f.title, f.cost]));
  assert.equal(finding.fixes[0].title, 'Raise HV01\'s memory to 45 GB');
  assert.equal(view.summary, '1 finding, 3 fixes.');
  assert.deepEqual(view.headroom?.lines, ['HV01: no room for another']);
  assert.match(view.growth, /^Growth: \+\d+ % demand on every VM brings the first new finding \(restart-failure\)\.$/);
  assert.equal(view.placement, null, 'a standalone host has no N+1 placement');
  for (const [j, fix] of finding.fixes.entries()) assert.equal(fixOf(advice, 5, fix.id), advice.findings[0].fixes[j]);
  assert.equal(new Set(finding.fixes.map((f) => f.id)).size, 3);
  // The same fix of another version's advice: its edits are ranges in another text.
  assert.equal(fixOf(advice, 6, finding.fixes[0].id), undefined);
  assert.equal(fixOf(advice, 5, '5:0:3'), undefined);
  assert.equal(fixOf(advice, 5, '5:1:0'), undefined);
  assert.equal(fixOf(advice, 5, '5:0:0 '), undefined);
});

test('the patch night: fixes that clear other findings too, and the moves that make the cluster N+1 safe', () => {
  const advice = adviceOf(sample('patch-night'));
  const view = adviceView(advice, 1);
  assert.deepEqual(view.findings.map((f) => f.code), advice.findings.map((f) => f.code));
  assert.ok(view.findings.length >= 2);
  view.findings.forEach((f, i) => {
    assert.deepEqual(f.fixes.map((x) => `${x.title} — ${x.cost}`), advice.findings[i].fixes.map((x) => `${x.title} — ${x.cost}`));
    f.fixes.forEach((x, j) => {
      assert.equal(fixOf(advice, 1, x.id), advice.findings[i].fixes[j]);
      assert.deepEqual(x.also, advice.findings[i].fixes[j].resolves.filter((c) => c !== f.code));
    });
  });
  const drain = view.findings.find((f) => f.code === 'drain-failure')!;
  assert.deepEqual(drain.fixes[0].also, ['cluster-update-failure']);
  assert.equal(view.placement?.title, 'N+1 placement: 1 move makes the cluster survive the loss of any node (hvmem export --to moves writes them as a script):');
  assert.deepEqual(view.placement?.moves, ['1. WEB-A1: HV-A → HV-B']);
  assert.match(view.headroom!.lines.at(-1)!, /^The cluster is not N\+1 safe now: losing HV-C leaves VMs unable to run\.$/);
});

test('hosts named like members of every object are headroom lines of their own; no findings says so', () => {
  const text = `{
    "hosts": [{ "name": "__proto__", "memory": "16GB" }, { "name": "constructor", "memory": "16GB" }],
    "vms": [{ "name": "toString", "host": "__proto__", "memory": { "startup": "4GB" } }]
  }`;
  const view = adviceView(adviceOf(text), 1);
  assert.equal(view.summary, 'No findings: nothing to fix.');
  assert.deepEqual(view.findings, []);
  assert.deepEqual(view.headroom?.lines.map((l) => l.split(':')[0]), ['__proto__', 'constructor']);
});
