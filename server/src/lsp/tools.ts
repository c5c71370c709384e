// Import and export as requests, for clients that cannot run the CLI (the extension in the browser):
// the same core calls, refusals and notes as `hvmem import` and `hvmem export --to powershell`.
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { exportBlockers, exportPowerShell, SCRIPT_FILE_PREFIX } from '../core/export/powershell';
import { decodeText, importPlan, noteLine, unrecognisedMessage } from '../core/import';
import { ExportRequest, ImportRequest, type ExportResponse, type ImportResponse } from '../protocol';
import type { PlanCache } from './documents';
import { runSafe, type Logger } from './runner';
import type { ServerRuntime } from './runtime';

export function registerImportExport(connection: Connection, documents: TextDocuments<TextDocument>, plans: PlanCache, runtime: ServerRuntime, log: Logger): void {
  const failed = (what: string) => ({ ok: false as const, error: `${what} failed inside the language server (see its output)` });

  connection.onRequest(ImportRequest, (params, token) => runSafe(log, 'import', token, failed('The import'), (): ImportResponse => {
    const result = importPlan(params.sources.map((s) => ({ file: s.file, text: decodeText(fromBase64(s.base64)) })));
    if (result.unrecognised.length > 0) return { ok: false, error: unrecognisedMessage(result.unrecognised[0]) };
    return { ok: true, text: result.text, notes: result.notes.map(noteLine), summary: `imported ${result.vmCount} VM(s) and ${result.hostCount} host(s)` };
  }));

  connection.onRequest(ExportRequest, (params, token) => runSafe(log, 'export', token, failed('The export'), (): ExportResponse => {
    const document = documents.get(params.uri);
    if (!document) return { ok: false, error: 'The plan is not open in the editor.' };
    const p = plans.get(document);
    const blocking = exportBlockers(p.analysis.diagnostics);
    if (blocking.length > 0) {
      const at = p.lines.positionAt(blocking[0].span.start);
      return { ok: false, error: `${params.planFile}:${at.line + 1}:${at.character + 1}: error ${blocking[0].code}: ${blocking[0].message}` };
    }
    const script = exportPowerShell(p.analysis.plan, { planFile: params.planFile, generatedAt: new Date().toISOString(), productVersion: runtime.productVersion });
    return { ok: true, fileText: SCRIPT_FILE_PREFIX + script };
  }));
}

function fromBase64(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}
