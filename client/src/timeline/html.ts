// The panel's page: only our own nonce'd script, loaded from dist/ through asWebviewUri. The page
// fills itself from messages.
import { escapeHtml, shellHtml } from '../../webview/shell';

export interface PanelPage {
  /** webview.cspSource */
  cspSource: string;
  nonce: string;
  /** webview.asWebviewUri(dist/timeline.js) as a string */
  scriptUri: string;
  title: string;
}

export function panelHtml(p: PanelPage): string {
  return shellHtml({
    nonce: p.nonce,
    title: p.title,
    imgSrc: `${p.cspSource} data:`,
    body: `<script nonce="${escapeHtml(p.nonce)}" src="${escapeHtml(p.scriptUri)}"></script>`,
  });
}
