// Property tests of the editor's path: after any sequence of edits, re-reading only the edited VM
// (core/services/incremental.ts) gives exactly what a full analysis of the new text gives; and over
// LSP, with keystrokes sent as ranges, the published diagnostics are what `hvmem check` reports.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { analyzePlan } from '../server/src/core/analyze';
import { analyzeEdited, analyzeFull } from '../server/src/core/services/incremental';
import { LineIndex } from '../server/src/core/text';
import fc from 'fast-check';
import { applyEdit, planText, textEdit } from './support/arbitraries';
import { fuzz } from './support/fuzz';
import { Session } from './lspSession';

const FILE = 'test/fuzz-incremental.test.ts';
const indented = planText.filter((t) => t.includes('\n'));
const edits = fc.array(textEdit, { minLength: 1, maxLength: 20 });

fuzz('incremental analysis equals a full one after every edit', { runs: 300, file: FILE }, [indented, edits], (text, sequence) => {
  let state = analyzeFull(text, { scenario: false });
  let current = text;
  for (const [i, edit] of sequence.entries()) {
    current = applyEdit(current, edit).text;
    state = analyzeEdited(state, current, { scenario: false });
    const reference = analyzePlan(current, { scenario: false });
    const where = `edit ${i}, text:\n${current.slice(0, 4000)}`;
    assert.deepEqual(state.analysis.diagnostics, reference.diagnostics, where);
    assert.deepEqual(state.analysis.plan, reference.plan, `plan after ${where}`);
  }
});

let session: Session;
before(async () => { session = await Session.start(null, { validationDelayMs: 0 }); });
after(async () => { await session.stop(); });

const SEVERITIES = ['', 'error', 'warning', 'information', 'hint'];

fuzz('the language server\'s diagnostics after keystrokes are check\'s', { runs: 30, file: FILE }, [indented, edits], async (text, sequence) => {
  const { uri } = await session.open(text);
  let current = text;
  try {
    for (const [i, edit] of sequence.entries()) {
      const lines = new LineIndex(current);
      const { text: next, start, end } = applyEdit(current, edit);
      const published = await session.edit(uri, { start: lines.positionAt(start), end: lines.positionAt(end) }, edit.insert);
      current = next;
      const nextLines = new LineIndex(current);
      const expected = analyzePlan(current).diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.message, range: nextLines.range(d.span) }));
      const got = published.map((d) => ({ severity: SEVERITIES[d.severity!], code: d.code, message: d.message, range: d.range }));
      assert.deepEqual(got, expected, `edit ${i}, text:\n${current.slice(0, 4000)}`);
    }
  } finally {
    await session.close(uri);
  }
});
