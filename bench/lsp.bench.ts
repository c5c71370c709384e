// The language server's edit loop: from a one-character edit to fresh diagnostics (no debounce),
// on plans of 1,000 and 8,000 VMs, beside vscode-json-languageservice validating the same text.
// In process (the cache and conversion the server runs) and over stdio (the bundled server).
import { getLanguageService, TextDocument as JsonTextDocument } from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { planSchema } from '../server/src/core/schema';
import { analyzeFull } from '../server/src/core/services/incremental';
import { LineIndex } from '../server/src/core/text';
import { documentLines, toDiagnostic } from '../server/src/lsp/convert';
import { PlanCache } from '../server/src/lsp/documents';
import { Session } from '../test/lspSession';
import { typingBench } from './generate';
import { row, timeBest, timeBestAsync } from './util';

export async function run(): Promise<void> {
  const json = getLanguageService({});
  json.configure({ validate: true, allowComments: true, schemas: [{ uri: 'hvmem://schema', fileMatch: ['*'], schema: planSchema() as never }] });
  const wire = await Session.start(null, { validationDelayMs: 0, scenarioDelayMs: 0 });
  try {
    for (const vmCount of [1000, 8000]) {
      const { text, at } = typingBench(vmCount);
      // Insertions and deletions move everything after them, as typing does; every run is a new version.
      const changes = () => {
        let k = 0;
        return () => (++k % 2 ? { start: at, end: at, text: ' ' } : { start: at, end: at + 1, text: '' });
      };
      const uri = `file:///bench/${vmCount}.hvmem.jsonc`;

      const document = TextDocument.create(uri, 'hvmem', 1, text);
      const plans = new PlanCache();
      plans.setOptions({});
      plans.get(document);
      const nextChange = changes();
      const edit = () => {
        const c = nextChange();
        TextDocument.update(document, [{ range: { start: document.positionAt(c.start), end: document.positionAt(c.end) }, text: c.text }], document.version + 1);
      };
      const ours = timeBest(() => {
        edit();
        const lines = documentLines(document);
        plans.get(document).analysis.diagnostics.map((d) => toDiagnostic(d, lines, uri, undefined));
      }, 7);
      const withScenario = timeBest(() => {
        edit();
        const lines = documentLines(document);
        plans.get(document).completeDiagnostics().map((d) => toDiagnostic(d, lines, uri, undefined));
      }, 3);
      const full = timeBest(() => {
        edit();
        const a = analyzeFull(document.getText(), {});
        const lines = new LineIndex(document.getText());
        a.analysis.diagnostics.map((d) => toDiagnostic(d, lines, uri, undefined));
      }, 3);
      const jsonDoc = JsonTextDocument.create(uri, 'json', 1, text);
      const nextJsonChange = changes();
      const jsonMs = await timeBestAsync(async () => {
        const c = nextJsonChange();
        JsonTextDocument.update(jsonDoc, [{ range: { start: jsonDoc.positionAt(c.start), end: jsonDoc.positionAt(c.end) }, text: c.text }], jsonDoc.version + 1);
        await json.doValidation(jsonDoc, json.parseJSONDocument(jsonDoc), { comments: 'ignore', trailingCommas: 'ignore' });
      }, 3);

      const opened = await wire.open(text);
      const lines = new LineIndex(text);
      const nextWireChange = changes();
      // Timed to the first publish (the static findings); the second (with the scenario's) is awaited
      // untimed, so it does not delay the next edit.
      let overStdio = Infinity;
      for (let i = 0; i < 7; i++) {
        const c = nextWireChange();
        const t0 = performance.now();
        await wire.edit(opened.uri, lines.range(c), c.text);
        overStdio = Math.min(overStdio, performance.now() - t0);
        await wire.diagnosticsFor(opened.uri, wire.versionOf(opened.uri), 2);
      }
      await wire.close(opened.uri);

      const goal = vmCount <= 1000 ? (ours <= jsonMs ? '(goal ≤ JSON service: met)' : '(goal ≤ JSON service: missed)') : (ours < 100 ? '(goal < 100 ms: met)' : '(goal < 100 ms: missed)');
      row('baseline: vscode-json-languageservice parse + validate', jsonMs);
      row('hvmem server, edit → diagnostics (in process)', ours, jsonMs, goal);
      row('hvmem server, edit → diagnostics (over stdio)', overStdio, jsonMs, vmCount > 1000 ? (overStdio < 100 ? '(< 100 ms)' : '(over 100 ms)') : '');
      row('  then with the scenario\'s findings (second publish)', withScenario, jsonMs);
      row('  for comparison: full re-read + rules (no reuse)', full, jsonMs);
    }
  } finally {
    await wire.stop();
  }
}
