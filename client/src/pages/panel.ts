// The page sharing panel: one per window, showing the latest report. The browser code is
// dist/pages.js (client/webview/pages.ts); the report reaches it only as a message, never as HTML.
import * as vscode from 'vscode';
import { cspNonce } from '../nonce';
import type { FromPanel, PageScanReport, ToPanel } from './protocol';
import { savePageScan, usePageScanInPlan } from './usePlan';

export class PageSharingPanel {
  private static current: PageSharingPanel | undefined;
  private ready = false;

  static show(extensionUri: vscode.Uri, report: PageScanReport): void {
    if (!PageSharingPanel.current) PageSharingPanel.current = new PageSharingPanel(extensionUri);
    PageSharingPanel.current.report = report;
    PageSharingPanel.current.saved = undefined;
    PageSharingPanel.current.panel.reveal(undefined, true);
    PageSharingPanel.current.post();
  }

  private report: PageScanReport | undefined;
  /** where the shown report was last saved */
  private saved: vscode.Uri | undefined;
  private readonly panel: vscode.WebviewPanel;

  private constructor(extensionUri: vscode.Uri) {
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    this.panel = vscode.window.createWebviewPanel('hvmem.pageSharing', 'Page Sharing', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [dist],
    });
    this.panel.webview.html = html(this.panel.webview, vscode.Uri.joinPath(dist, 'pages.js'));
    this.panel.webview.onDidReceiveMessage((m: FromPanel) => void this.received(m));
    this.panel.onDidDispose(() => { PageSharingPanel.current = undefined; });
  }

  private async received(m: FromPanel): Promise<void> {
    const report = this.report;
    try {
      if (m?.type === 'ready') { this.ready = true; this.post(); return; }
      if (!report) return;
      const saved = m?.type === 'saveJson' ? await savePageScan(report, this.saved) : m?.type === 'useInPlan' ? await usePageScanInPlan(report, this.saved) : undefined;
      // A new scan may have come in meanwhile: the file belongs to the report it was saved from.
      if (saved && report === this.report) { this.saved = saved; this.post(); }
    } catch (e) {
      void vscode.window.showErrorMessage(`Page sharing: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private post(): void {
    if (!this.ready || !this.report) return;
    const saved = this.saved && vscode.workspace.asRelativePath(this.saved);
    void this.panel.webview.postMessage({ type: 'report', report: this.report, ...(saved ? { saved } : {}) } satisfies ToPanel);
  }
}

function html(webview: vscode.Webview, script: vscode.Uri): string {
  const nonce = cspNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Page Sharing</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 20px 20px; }
  h1 { font-size: 1.3em; font-weight: 600; }
  h2 { font-size: 1.1em; font-weight: 600; margin-top: 1.6em; }
  .bar { display: flex; height: 22px; border: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, transparent)); margin: 4px 0 6px; }
  .bar > div { height: 100%; }
  .zero { background: var(--vscode-charts-blue); }
  .within { background: var(--vscode-charts-green); }
  .across { background: var(--vscode-charts-orange); }
  .unique { background: var(--vscode-charts-lines, var(--vscode-descriptionForeground)); opacity: 0.6; }
  .legend { display: flex; flex-wrap: wrap; gap: 4px 18px; color: var(--vscode-descriptionForeground); }
  .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; vertical-align: middle; }
  table { border-collapse: collapse; margin-top: 8px; }
  th, td { text-align: right; padding: 2px 12px 2px 0; }
  th:first-child, td:first-child { text-align: left; }
  th { font-weight: 600; color: var(--vscode-descriptionForeground); }
  .note { color: var(--vscode-descriptionForeground); }
  .actions { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
  button { font: inherit; color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: 1px solid var(--vscode-contrastBorder, transparent); padding: 2px 8px; cursor: pointer; }
  button:hover { background: var(--vscode-button-hoverBackground, var(--vscode-button-background)); }
  button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
</style>
</head>
<body>
<main id="root"><p class="note">Waiting for the scan…</p></main>
<script nonce="${nonce}" src="${webview.asWebviewUri(script)}"></script>
</body>
</html>`;
}
