// One timeline panel for one plan document. It asks the language server for the simulation, turns
// the result into views with the pure model (so only what is drawn is posted), and follows the
// document's edits. The page gets nothing before it says `ready`; then it gets the current state.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { SIMULATE_METHOD, COMMANDS, type SimulateParams, type SimulateResponse } from '../../../server/src/protocol';
import { TimelineModel, defaultHost } from '../../webview/model';
import { TIMELINE_VIEW_TYPE, type FromWebview, type TimelineState, type ToWebview } from '../../webview/protocol';
import { panelHtml } from './html';

/** What the panel needs of the language client (vscode-languageclient's LanguageClient fits). */
export interface SimulateClient {
  sendRequest<R>(method: string, params: unknown, token?: vscode.CancellationToken): Promise<R>;
}

/** Edits come in bursts while typing: simulate once the burst settles. */
export const REFRESH_DELAY_MS = 400;
/** Below this a simulation is not worth a progress indicator. */
const BUSY_AFTER_MS = 250;

export class TimelinePanel {
  private ready = false;
  private model: TimelineModel | undefined;
  private host: string | undefined;
  private errors: string[] = [];
  private busy = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: vscode.CancellationTokenSource | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  static create(extensionUri: vscode.Uri, documentUri: vscode.Uri, client: SimulateClient): TimelinePanel {
    const panel = vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, titleOf(documentUri), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
    });
    return new TimelinePanel(panel, extensionUri, documentUri, client, undefined);
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, documentUri: vscode.Uri, client: SimulateClient, state: TimelineState): TimelinePanel {
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
    return new TimelinePanel(panel, extensionUri, documentUri, client, state.host);
  }

  readonly onDidDispose: vscode.Event<void>;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly documentUri: vscode.Uri,
    private readonly client: SimulateClient,
    host: string | undefined,
  ) {
    this.host = host;
    const webview = panel.webview;
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'timeline.js')).toString(),
      title: titleOf(documentUri),
    });
    const disposed = new vscode.EventEmitter<void>();
    this.onDidDispose = disposed.event;
    this.disposables.push(
      disposed,
      webview.onDidReceiveMessage((m: FromWebview) => this.received(m)),
      // Hidden panels are not kept alive: a shown-again page reloads and says `ready` again.
      panel.onDidChangeViewState(() => { if (!panel.visible) this.ready = false; }),
      panel.onDidDispose(() => { this.dispose(); disposed.fire(); }),
    );
    void this.simulate();
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  /** The document changed: simulate again once the edits settle. */
  scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.simulate(); }, REFRESH_DELAY_MS);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.running?.cancel();
    this.running?.dispose();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }

  private async simulate(): Promise<void> {
    this.running?.cancel();
    const run = new vscode.CancellationTokenSource();
    this.running = run;
    const busyTimer = setTimeout(() => this.setBusy(true), BUSY_AFTER_MS);
    try {
      // The server simulates documents it has open; opening it here is a no-op when it already is.
      await vscode.workspace.openTextDocument(this.documentUri);
      const params: SimulateParams = { uri: this.documentUri.toString() };
      const response = await this.client.sendRequest<SimulateResponse>(SIMULATE_METHOD, params, run.token);
      if (run.token.isCancellationRequested || this.disposed) return;
      if (response.ok) {
        this.model = new TimelineModel(response.result);
        if (!this.host || !response.result.hosts[this.host]) this.host = defaultHost(this.model.overview());
        this.errors = [];
        this.postResult();
      } else {
        this.errors = response.errors.length ? response.errors : ['the plan cannot be simulated'];
      }
      this.post({ type: 'errors', errors: this.errors });
    } catch (e) {
      if (run.token.isCancellationRequested || this.disposed) return;
      this.errors = [`the simulation failed: ${e instanceof Error ? e.message : String(e)}`];
      this.post({ type: 'errors', errors: this.errors });
    } finally {
      clearTimeout(busyTimer);
      if (this.running === run) {
        this.running = undefined;
        this.setBusy(false);
      }
      run.dispose();
    }
  }

  private received(m: FromWebview): void {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        if (this.model) this.postResult();
        if (this.errors.length) this.post({ type: 'errors', errors: this.errors });
        if (this.busy) this.post({ type: 'busy', busy: true });
        break;
      case 'selectHost': {
        const view = this.model?.hostView(m.host);
        if (view) { this.host = m.host; this.post({ type: 'hostView', view }); }
        break;
      }
      case 'selectVm': {
        const view = this.model?.vmView(m.vm);
        if (view) this.post({ type: 'vmView', view });
        break;
      }
      case 'reveal':
        void vscode.commands.executeCommand(COMMANDS.revealInPlan, this.documentUri.toString(), m.vm);
        break;
      case 'export':
        void this.save(m.format, m.fileName, m.data);
        break;
    }
  }

  private postResult(): void {
    if (!this.model) return;
    const view = this.host ? this.model.hostView(this.host) ?? null : null;
    this.post({ type: 'result', documentUri: this.documentUri.toString(), overview: this.model.overview(), view });
  }

  private setBusy(busy: boolean): void {
    if (this.busy === busy) return;
    this.busy = busy;
    this.post({ type: 'busy', busy });
  }

  private post(message: ToWebview): void {
    if (this.ready && !this.disposed) void this.panel.webview.postMessage(message);
  }

  private async save(format: 'png' | 'csv', fileName: string, data: string): Promise<void> {
    let bytes: Uint8Array;
    if (format === 'png') {
      const prefix = 'data:image/png;base64,';
      if (!data.startsWith(prefix)) return;
      bytes = Buffer.from(data.slice(prefix.length), 'base64');
    } else {
      bytes = Buffer.from(data, 'utf8');
    }
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

function titleOf(uri: vscode.Uri): string {
  const base = uri.path.split('/').pop() ?? uri.toString();
  return `Timeline: ${base.replace(/\.hvmem\.jsonc?$/, '')}`;
}
