// The language server: LSP handlers of a few lines each over the core's editor features. Its entry
// gives it the connection and a runtime (timers, file reading): server/src/server.ts for Node,
// server/src/web/server.ts for a web worker.
import {
  CodeLensRefreshRequest, Command, ErrorCodes, ResponseError, TextDocuments, TextDocumentSyncKind, CodeActionKind,
  type CodeLens, type CompletionItem, type Connection, type Hover, type MarkupContent, type MarkedString,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  codeLenses, doComplete, doHover, documentSymbols, findDefinition, findReferences, occurrenceAt, quickFixes, rename,
} from '../core/services';
import { Advisor } from '../core/advise';
import { AdviseRequest, COMMANDS, SimulateRequest, WORKSPACE_TRUST_NOTIFICATION, type AdviseResponse, type SimulateResponse, type WorkspaceTrustParams } from '../protocol';
import { AdviceScheduler, adviseStepwise } from './advice';
import { documentLines, toCodeAction, toCompletionItem, toDiagnostic, toDocumentSymbol, toTextEdits } from './convert';
import { PlanCache, type CachedPlan } from './documents';
import { createJsonService, JsonDocuments } from './jsonService';
import { runSafe } from './runner';
import { registerImportExport } from './tools';
import { analyzeOptions, DEFAULT_SETTINGS, readSettings, type Settings } from './settings';
import type { ServerRuntime } from './runtime';
import { DiagnosticsScheduler } from './validation';

/**
 * Pause after the last keystroke before diagnostics are computed, so typing stays smooth on big
 * plans. Clients may set it with the initialization option `validationDelayMs` (benchmarks use 0).
 */
const VALIDATION_DELAY_MS = 200;

export function startServer(connection: Connection, runtime: ServerRuntime): void {
  const documents = new TextDocuments(TextDocument);
  const plans = new PlanCache((uri, folders) => runtime.sharingScanReader?.(uri, folders));
  const json = createJsonService();
  const jsonDocuments = new JsonDocuments(json);
  const log = { error: (m: string) => connection.console.error(m) };
  let settings: Settings = DEFAULT_SETTINGS;
  let pullConfiguration = false;
  let docsUri = runtime.docsUri;
  let refreshCodeLens = false;
  let serverProgress = false;

  const plan = (uri: string): CachedPlan | undefined => {
    const document = documents.get(uri);
    return document && plans.get(document);
  };

  const refreshLenses = () => { if (refreshCodeLens) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined); };

  const advice = new AdviceScheduler({
    plan,
    version: (uri) => documents.get(uri)?.version,
    refreshLenses,
    progress: async (title) => {
      if (!serverProgress) return undefined;
      const reporter = await connection.window.createWorkDoneProgress();
      reporter.begin(title, 0, undefined, false);
      return { report: (message, percentage) => reporter.report(percentage, message), done: () => reporter.done() };
    },
    error: log.error,
  }, runtime.timer);

  const validation = new DiagnosticsScheduler({
    plan,
    version: (uri) => documents.get(uri)?.version,
    publish: async (uri, p, diagnostics, complete) => {
      const lines = documentLines(documents.get(uri)!);
      await connection.sendDiagnostics({ uri, version: p.version, diagnostics: diagnostics.map((d) => toDiagnostic(d, lines, uri, docsUri)) });
      if (complete) advice.published(uri, p);
    },
    error: log.error,
  }, runtime.timer, VALIDATION_DELAY_MS);

  const applySettings = (raw: unknown): void => {
    settings = readSettings(raw);
    plans.setOptions(analyzeOptions(settings));
    validation.all(documents.all().map((d) => d.uri));
    refreshLenses();
  };

  connection.onInitialize((params) => {
    pullConfiguration = !!params.capabilities.workspace?.configuration;
    refreshCodeLens = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    serverProgress = !!params.capabilities.window?.workDoneProgress;
    const init = params.initializationOptions as { settings?: unknown; validationDelayMs?: unknown; scenarioDelayMs?: unknown; adviceDelayMs?: unknown; workspaceTrusted?: unknown; docsUri?: unknown } | undefined;
    // A runtime without files of its own (the web worker) learns from the client where the docs are.
    if (!docsUri && typeof init?.docsUri === 'string') docsUri = init.docsUri;
    if (init?.settings) { settings = readSettings(init.settings); plans.setOptions(analyzeOptions(settings)); }
    plans.setScanAccess({ trusted: init?.workspaceTrusted !== false, workspaceFolders: params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []) });
    if (typeof init?.validationDelayMs === 'number' && init.validationDelayMs >= 0) validation.setDelay(init.validationDelayMs);
    if (typeof init?.scenarioDelayMs === 'number' && init.scenarioDelayMs >= 0) validation.setScenarioDelay(init.scenarioDelayMs);
    if (typeof init?.adviceDelayMs === 'number' && init.adviceDelayMs >= 0) advice.setDelay(init.adviceDelayMs);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['"', ':', ' '], resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentSymbolProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        codeLensProvider: { resolveProvider: false },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
      },
      serverInfo: { name: 'hvmem-language-server' },
    };
  });
  connection.onInitialized(() => {
    if (pullConfiguration) connection.workspace.getConfiguration('hvmem').then(applySettings, () => undefined);
  });
  connection.onDidChangeConfiguration((change) => {
    if (pullConfiguration) connection.workspace.getConfiguration('hvmem').then(applySettings, () => undefined);
    else applySettings((change.settings as { hvmem?: unknown } | undefined)?.hvmem);
  });

  runtime.onFilesChanged?.(() => {
    plans.filesChanged();
    validation.all(documents.all().map((d) => d.uri));
  });

  connection.onNotification(WORKSPACE_TRUST_NOTIFICATION, (p: WorkspaceTrustParams) => {
    plans.setScanAccess({ ...plans.scanAccess, trusted: p.trusted !== false });
    validation.all(documents.all().map((d) => d.uri));
  });

  documents.onDidOpen((e) => validation.opened(e.document.uri));
  documents.onDidChangeContent((e) => validation.changed(e.document.uri));
  documents.onDidClose((e) => {
    validation.closed(e.document.uri);
    advice.closed(e.document.uri);
    plans.delete(e.document.uri);
    jsonDocuments.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover((params, token) => runSafe(log, 'hover', token, null, async () => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    const p = plans.get(document);
    const offset = p.lines.offsetAt(params.position);
    const ours = doHover(p, offset);
    if (ours && occurrenceAt(p.analysis.plan, offset)) return { contents: markdown(ours.markdown), range: p.lines.range(ours.span) };
    const theirs = await json.doHover(document, params.position, jsonDocuments.get(document));
    const parts = [ours?.markdown, hoverText(theirs)].filter((s): s is string => !!s);
    if (!parts.length) return null;
    return { contents: markdown(parts.join('\n\n---\n\n')), range: ours ? p.lines.range(ours.span) : theirs?.range };
  }));

  connection.onCompletion((params, token) => runSafe(log, 'completion', token, null, async () => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    const p = plans.get(document);
    const ours = doComplete(p, p.lines.offsetAt(params.position)).map((c) => toCompletionItem(c, p.lines));
    const theirs = await json.doComplete(document, params.position, jsonDocuments.get(document));
    const labels = new Set(ours.map((c) => c.label));
    const items: CompletionItem[] = [...ours, ...(theirs?.items ?? []).filter((c) => !labels.has(c.label))];
    return { isIncomplete: !!theirs?.isIncomplete, items };
  }));

  connection.onCodeAction((params, token) => runSafe(log, 'code actions', token, [], () => {
    if (params.context.only && !params.context.only.some((k) => k === CodeActionKind.QuickFix || k === CodeActionKind.Empty)) return [];
    const p = plan(params.textDocument.uri);
    if (!p) return [];
    const start = p.lines.offsetAt(params.range.start);
    const end = p.lines.offsetAt(params.range.end);
    // The scenario's findings carry fixes checked by simulation: the complete list, as published.
    const here = p.completeDiagnostics().filter((d) => d.span.start <= end && start <= d.span.end);
    return quickFixes(p, here).map((f) => toCodeAction(f, p.lines, params.textDocument.uri, docsUri));
  }));

  connection.onDocumentSymbol((params, token) => runSafe(log, 'symbols', token, [], () => {
    const p = plan(params.textDocument.uri);
    return p ? documentSymbols(p.analysis.plan).map((s) => toDocumentSymbol(s, p.lines)) : [];
  }));

  connection.onDefinition((params, token) => runSafe(log, 'definition', token, null, () => {
    const p = plan(params.textDocument.uri);
    const target = p && findDefinition(p.analysis.plan, p.lines.offsetAt(params.position));
    return target ? { uri: params.textDocument.uri, range: p.lines.range(target.span) } : null;
  }));

  connection.onReferences((params, token) => runSafe(log, 'references', token, [], () => {
    const p = plan(params.textDocument.uri);
    if (!p) return [];
    return findReferences(p.analysis.plan, p.lines.offsetAt(params.position))
      .filter((r) => params.context.includeDeclaration || !r.declaration)
      .map((r) => ({ uri: params.textDocument.uri, range: p.lines.range(r.span) }));
  }));

  connection.onPrepareRename((params, token) => runSafe(log, 'prepare rename', token, null, () => {
    const p = plan(params.textDocument.uri);
    const at = p && occurrenceAt(p.analysis.plan, p.lines.offsetAt(params.position));
    return at ? { range: p.lines.range(at.span), placeholder: at.name } : null;
  }));

  connection.onRenameRequest((params, token) => runSafe(log, 'rename', token, null, () => {
    const p = plan(params.textDocument.uri);
    if (!p) return null;
    const result = rename(p.analysis.plan, p.lines.offsetAt(params.position), params.newName);
    // A refusal goes back as an error so the editor shows its message.
    if (!result.ok) return new ResponseError(ErrorCodes.InvalidRequest, result.message);
    return { changes: { [params.textDocument.uri]: toTextEdits(result.edits, p.lines) } };
  }));

  connection.onCodeLens((params, token) => runSafe(log, 'code lens', token, [], () => {
    if (!settings.codeLens.enabled) return [];
    const p = plan(params.textDocument.uri);
    if (!p) return [];
    return codeLenses(p).map((l): CodeLens => ({
      range: p.lines.range(l.span),
      command: l.action === 'simulate' ? Command.create(l.title, COMMANDS.showTimeline, params.textDocument.uri) : Command.create(l.title, ''),
    }));
  }));

  connection.onDocumentFormatting((params, token) => runSafe(log, 'formatting', token, [], () => {
    const document = documents.get(params.textDocument.uri);
    return document ? json.format(document, undefined, params.options) : [];
  }));
  connection.onDocumentRangeFormatting((params, token) => runSafe(log, 'formatting', token, [], () => {
    const document = documents.get(params.textDocument.uri);
    return document ? json.format(document, params.range, params.options) : [];
  }));

  connection.onRequest(SimulateRequest, (params, token) => runSafe(log, 'simulate', token, null, (): SimulateResponse | null => {
    const document = documents.get(params.uri);
    if (!document) return { ok: false, version: -1, errors: ['The plan is not open in the editor.'] };
    const progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
    progress.begin('Simulating the plan');
    try {
      const p = plans.get(document);
      const result = p.simulateNow();
      return result ? { ok: true, version: p.version, result } : { ok: false, version: p.version, errors: p.simulationErrors() };
    } finally {
      progress.done();
    }
  }));

  connection.onRequest(AdviseRequest, (params, token) => runSafe(log, 'advise', token, null, async (): Promise<AdviseResponse | null> => {
    const document = documents.get(params.uri);
    if (!document) return { ok: false, version: -1, errors: ['The plan is not open in the editor.'] };
    const p = plans.get(document);
    const shared = params.like === undefined && params.shapeBytes === undefined;
    const advisor = shared ? p.advisor : p.advisor && new Advisor(p.advisor.doc, { like: params.like, shapeBytes: params.shapeBytes });
    if (!advisor) return { ok: false, version: p.version, errors: p.simulationErrors().length ? p.simulationErrors() : ['The plan cannot be simulated.'] };
    if (params.like !== undefined && !p.analysis.plan.vms.some((v) => v.name === params.like)) return { ok: false, version: p.version, errors: [`The plan has no VM named "${params.like}".`] };
    const progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
    progress.begin('Hyper-V Memory: advice', 0, undefined, true);
    try {
      const changed = () => documents.get(params.uri)?.version !== p.version;
      // A zero-delay timer between steps lets cancellations and edits in.
      const pause = () => new Promise<void>((resolve) => { runtime.timer.schedule(resolve, 0); });
      const result = await adviseStepwise(advisor, p, shared ? p.headroom : undefined, pause, () => token.isCancellationRequested || changed(), (m, pct) => progress.report(pct, m));
      if (!result) return token.isCancellationRequested ? null : { ok: false, version: p.version, errors: ['The plan changed while the advice was computed.'] };
      if (shared && result.headroom && !p.headroom) p.headroom = result.headroom;
      return { ok: true, version: p.version, advice: result };
    } finally {
      progress.done();
    }
  }));

  registerImportExport(connection, documents, plans, runtime, log);

  documents.listen(connection);
  connection.listen();
}

function markdown(value: string): MarkupContent {
  return { kind: 'markdown', value };
}

function hoverText(hover: Hover | null | undefined): string | undefined {
  if (!hover) return undefined;
  const c = hover.contents;
  const one = (m: MarkedString) => (typeof m === 'string' ? m : m.value);
  if (Array.isArray(c)) return c.map(one).join('\n\n') || undefined;
  return (typeof c === 'object' && 'kind' in c ? c.value : one(c)) || undefined;
}
