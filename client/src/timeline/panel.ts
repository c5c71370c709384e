// One timeline panel for one plan document: a WebviewPanel around a TimelineController. This file
// only adapts: the page's HTML, messages in and out, the language server requests with cancellation
// and progress, a fix's edits as a WorkspaceEdit, the save dialog. The behaviour lives in controller.ts.
import * as vscode from 'vscode';
import { WorkDoneProgress, type WorkDoneProgressBegin, type WorkDoneProgressEnd, type WorkDoneProgressReport } from 'vscode-languageclient';
import type { AdvisedFix } from '../../../server/src/core/advise';
import { cspNonce } from '../nonce';
import {
  AdviseRequest, COMMANDS, SimulateRequest, type AdviseParams, type AdviseResponse, type SimulateParams, type SimulateResponse,
} from '../../../server/src/protocol';
import { TIMELINE_VIEW_TYPE, type FromWebview, type TimelineState } from '../../webview/protocol';
import { TimelineController, type ApplyOutcome } from './controller';
import { panelHtml } from './html';

/** What the panel needs of the language client (vscode-languageclient's LanguageClient fits). */
export interface SimulateClient {
  sendRequest(type: typeof SimulateRequest, params: SimulateParams, token?: vscode.CancellationToken): Promise<SimulateResponse | null>;
  sendRequest(type: typeof AdviseRequest, params: AdviseParams, token?: vscode.CancellationToken): Promise<AdviseResponse | null>;
  onProgress(type: typeof WorkDoneProgress.type, token: string, handler: (p: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd) => void): vscode.Disposable;
}

/** Each advice request reports its progress under a token of its own. */
let progressTokens = 0;

export class TimelinePanel {
  private readonly controller: TimelineController;
  private running: vscode.CancellationTokenSource | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;

  static create(extensionUri: vscode.Uri, documentUri: vscode.Uri, client: SimulateClient): TimelinePanel {
    const panel = vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, titleOf(documentUri), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri));
    return new TimelinePanel(panel, extensionUri, documentUri, client, {});
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, documentUri: vscode.Uri, client: SimulateClient, state: TimelineState): TimelinePanel {
    panel.webview.options = webviewOptions(extensionUri);
    return new TimelinePanel(panel, extensionUri, documentUri, client, state);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly documentUri: vscode.Uri,
    private readonly client: SimulateClient,
    state: TimelineState,
  ) {
    const webview = panel.webview;
    this.controller = new TimelineController({
      documentUri: documentUri.toString(),
      post: (message) => void webview.postMessage(message),
      simulate: () => this.simulate(),
      advise: (progress, signal) => this.advise(progress, signal),
      applyEdits: (version, edits) => this.applyEdits(version, edits),
      reveal: (vm) => void vscode.commands.executeCommand(COMMANDS.revealInPlan, documentUri.toString(), vm),
      save: (format, fileName, bytes) => void this.save(format, fileName, bytes),
    }, { host: state.host });
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: cspNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'timeline.js')).toString(),
      title: titleOf(documentUri),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: FromWebview) => this.controller.received(m)),
      // Hidden panels are not kept alive (no retainContextWhenHidden): shown again, the page
      // reloads, says `ready`, and gets the current state from the controller.
      panel.onDidChangeViewState(() => { if (!panel.visible) this.controller.pageGone(); }),
      panel.onDidDispose(() => this.dispose()),
    );
    void this.controller.refresh();
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  scheduleRefresh(): void {
    this.controller.scheduleRefresh();
  }

  dispose(): void {
    if (this.disposables.length === 0) return;
    this.controller.dispose();
    this.running?.cancel();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }

  private async simulate(): Promise<SimulateResponse | null> {
    this.running?.cancel();
    const run = new vscode.CancellationTokenSource();
    this.running = run;
    try {
      // The server simulates the documents it has open; opening is a no-op when it already is.
      await vscode.workspace.openTextDocument(this.documentUri);
      const params: SimulateParams = { uri: this.documentUri.toString() };
      return await this.client.sendRequest(SimulateRequest, params, run.token);
    } finally {
      if (this.running === run) this.running = undefined;
      run.dispose();
    }
  }

  private async advise(progress: (step: string | undefined, percentage: number | undefined) => void, signal: AbortSignal): Promise<AdviseResponse | null> {
    if (signal.aborted) return null;
    const cancel = new vscode.CancellationTokenSource();
    const abort = () => cancel.cancel();
    signal.addEventListener('abort', abort);
    const workDoneToken = `hvmem-advice-${++progressTokens}`;
    const listening = this.client.onProgress(WorkDoneProgress.type, workDoneToken, (p) => {
      if (p.kind !== 'end') progress(p.message, p.percentage);
    });
    try {
      await vscode.workspace.openTextDocument(this.documentUri);
      return await this.client.sendRequest(AdviseRequest, { uri: this.documentUri.toString(), workDoneToken }, cancel.token);
    } finally {
      listening.dispose();
      signal.removeEventListener('abort', abort);
      cancel.dispose();
    }
  }

  /** The fix's edits as one WorkspaceEdit, refused when the plan is no longer the version they were made for. */
  private async applyEdits(version: number, edits: AdvisedFix['edits']): Promise<ApplyOutcome> {
    const document = await vscode.workspace.openTextDocument(this.documentUri);
    if (document.version !== version) return 'changed';
    const edit = new vscode.WorkspaceEdit();
    const ranges = edits.map((e) => new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character));
    edits.forEach((e, i) => edit.replace(this.documentUri, ranges[i], e.newText));
    if (!(await vscode.workspace.applyEdit(edit))) return 'failed';
    // Where the plan is in view, show what changed; the focus stays in the panel.
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.documentUri.toString());
    if (visible && ranges.length) visible.revealRange(ranges[0], vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return 'applied';
  }

  private async save(format: 'png' | 'csv', fileName: string, bytes: Uint8Array): Promise<void> {
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(this.documentUri, '..', fileName),
      filters: format === 'png' ? { 'PNG image': ['png'] } : { CSV: ['csv'] },
    });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, bytes);
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not save ${target.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}

function titleOf(uri: vscode.Uri): string {
  const base = uri.path.split('/').pop() ?? uri.toString();
  return `Timeline: ${base.replace(/\.hvmem\.jsonc?$/, '')}`;
}
