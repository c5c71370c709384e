// Plans a newcomer writes or imports: a host without its memory, a host named in the wrong case,
// a host committed past its capacity. The message says what to add, a quick fix adds it, and the
// code lens says whether the plan can be simulated and by how much a host is over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzePlan } from '../server/src/core/analyze';
import { codeLenses, quickFixes, type PlanDocument, type TextEdit } from '../server/src/core/services';

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}
const documentOf = (text: string): PlanDocument => ({ text, analysis: analyzePlan(text, { scenario: false }) });
const errors = (text: string) => analyzePlan(text, { scenario: false }).diagnostics.filter((d) => d.severity === 'error');

// What `hvmem import` makes of Get-VM JSON without Get-VMHost: the host has no memory.
const IMPORTED = `{
  "hosts": [
    // HV01: from get-vm.json line 2 (the host of SQL01)
    {
      "name": "HV01"
    }
  ],
  "vms": [
    { "name": "SQL01", "host": "HV01", "memory": { "startup": "4GB" } },
    { "name": "WEB01", "host": "HV01", "memory": { "dynamic": true, "startup": "14GB", "minimum": "1GB" } }
  ]
}
`;

test('a host without memory: the message says what to add, a quick fix adds a placeholder that lets the plan run', () => {
  const doc = documentOf(IMPORTED);
  const missing = doc.analysis.diagnostics.find((d) => d.code === 'schema')!;
  assert.equal(missing.message, 'Missing "memory": Installed physical memory. Add "memory": a size such as "512MB", "4GB", "1.5TB".');
  const [fix] = quickFixes(doc, [missing]);
  assert.equal(fix.title, 'Add "memory": "32GB" (a placeholder to edit)', 'room for 18 GB of startup memory and the 2 GB reserve, in whole 16 GB');
  assert.equal(fix.preferred, true);
  const fixed = applyEdits(IMPORTED, fix.edits);
  assert.match(fixed, /\{\n {6}"name": "HV01",\n {6}"memory": "32GB"\n {4}\}/, 'on its own line, indented like its neighbour');
  assert.deepEqual(errors(fixed), []);
  assert.match(fixed, /\/\/ HV01: from get-vm.json line 2/, 'comments stay');
});

test('other missing keys get a placeholder too: a VM\'s name and memory, an event\'s time', () => {
  const text = '{ "hosts": [{ "name": "VM1", "memory": "8GB" }], "vms": [{ "host": "VM1" }], "scenario": { "events": [{ "type": "hostRestart", "host": "VM1" }] } }';
  const doc = documentOf(text);
  const titles = quickFixes(doc, doc.analysis.diagnostics.filter((d) => d.message.startsWith('Missing'))).map((f) => f.title);
  assert.deepEqual(titles.sort(), [
    'Add "at": "90s" (a placeholder to edit)',
    'Add "memory": { "startup": "2GB" } (a placeholder to edit)',
    'Add "name": "VM2" (a placeholder to edit)',
  ], 'VM1 is taken (by the host), so the VM is VM2');
  let fixed = text;
  for (let i = 0; i < 3; i++) {
    const d = documentOf(fixed);
    const next = quickFixes(d, d.analysis.diagnostics.filter((x) => x.message.startsWith('Missing')))[0];
    if (!next) break;
    fixed = applyEdits(fixed, next.edits);
  }
  assert.deepEqual(errors(fixed), [], fixed);
});

test('a host named in another case: "did you mean H1?", and the quick fix takes it', () => {
  const text = '{ "hosts": [{ "name": "H1", "memory": "8GB" }, { "name": "H2", "memory": "8GB" }], "vms": [{ "name": "a", "host": "h1", "memory": { "startup": "2GB" } }], "scenario": { "events": [{ "at": 10, "type": "vmRestart", "vm": "A" }] } }';
  const doc = documentOf(text);
  const wrong = doc.analysis.diagnostics.filter((d) => d.code === 'unknown-reference');
  assert.deepEqual(wrong.map((d) => d.message), [
    'There is no host named "h1": did you mean "H1"? Windows ignores case in host names; a plan matches them exactly.',
    'There is no VM named "A": did you mean "a"?',
  ]);
  const fixes = quickFixes(doc, wrong);
  assert.deepEqual(fixes.map((f) => f.title), ['Change to "H1"', 'Change to "a"']);
  assert.deepEqual(errors(applyEdits(text, fixes.flatMap((f) => f.edits))), []);
  assert.match(errors('{ "hosts": [{ "name": "H1", "memory": "8GB" }], "vms": [{ "name": "a", "host": "H9", "memory": { "startup": "2GB" } }] }')[0].message,
    /^There is no host named "H9"\. Hosts: H1\.$/, 'no suggestion when no name matches');
});

test('no Simulate lens while the plan cannot be simulated; it says why, and comes back once fixed', () => {
  const lenses = codeLenses(documentOf(IMPORTED));
  assert.deepEqual(lenses.map((l) => [l.title, l.action]), [
    ['Simulate after fixing the error: Missing "memory"', undefined],
    // 4 GB + 14 GB startup and their overhead (32 MB + 8 MB for each GB past the first: 56 MB + 136 MB)
    ['HV01: 18.2 GB committed; its memory is missing', undefined],
  ]);
  const fixed = applyEdits(IMPORTED, quickFixes(documentOf(IMPORTED), documentOf(IMPORTED).analysis.diagnostics)[0].edits);
  assert.deepEqual(codeLenses(documentOf(fixed)).map((l) => l.action), ['simulate', undefined]);
  // A capacity error does not block: the VM is simulated as failing to start.
  const tooBig = '{ "hosts": [{ "name": "H", "memory": "32GB" }], "vms": [{ "name": "big", "memory": { "startup": "64GB" } }] }';
  assert.equal(codeLenses(documentOf(tooBig))[0].action, 'simulate');
});

test('the host lens says by how much a host is committed past its capacity', () => {
  const text = '{ "hosts": [{ "name": "H", "memory": "48GB" }], "vms": [{ "name": "a", "memory": { "startup": "30GB" } }, { "name": "b", "memory": { "startup": "16GB" } }] }';
  // 30 GB + 16 GB startup, 264 MB + 152 MB overhead, against 48 GB − 2 GB reserve
  assert.equal(codeLenses(documentOf(text))[1].title, 'H: 46.4 GB of 46 GB committed: over by 416 MB');
  const restart = readFileSync('samples/standalone-restart.hvmem.jsonc', 'utf8');
  assert.equal(codeLenses(documentOf(restart))[1].title, 'HV01: 46.5 GB of 38 GB committed: over by 8.5 GB', 'why the VMs that boot restart on Smart Paging');
  const cluster = readFileSync('samples/cluster.hvmem.jsonc', 'utf8');
  assert.match(codeLenses(documentOf(cluster))[1].title, /^HV-A: [\d.]+ GB of 126 GB committed$/);
});
