// The timeline page's entry (bundled to dist/timeline.js). Inside VS Code it talks to the extension
// by messages (protocol.ts); in the page of `hvmem simulate --html` it reads the result embedded in
// the page and computes the views itself with the same model.
import uplotCss from 'uplot/dist/uPlot.min.css';
import css from './timeline.css';
import { TimelineModel, defaultHost } from './model';
import { RESULT_ELEMENT_ID, type FromWebview, type TimelineState, type ToWebview } from './protocol';
import { TimelineView, type Actions } from './view';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): TimelineState | undefined;
  setState(state: TimelineState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';
const style = document.createElement('style');
style.nonce = nonce;
style.textContent = `${uplotCss}\n${css}`;
document.head.append(style);
const root = document.getElementById('timeline') ?? document.body.appendChild(document.createElement('main'));

if (typeof acquireVsCodeApi === 'function') inPanel(acquireVsCodeApi());
else standalone();

function inPanel(vscode: VsCodeApi): void {
  const state: TimelineState = vscode.getState() ?? {};
  const remember = (change: TimelineState) => { Object.assign(state, change); vscode.setState(state); };
  const view = new TimelineView(root, {
    selectHost: (host) => { remember({ host }); vscode.postMessage({ type: 'selectHost', host }); },
    selectVm: (vm) => vscode.postMessage({ type: 'selectVm', vm }),
    loadAllRows: () => vscode.postMessage({ type: 'allRows' }),
    reveal: (vm) => vscode.postMessage({ type: 'reveal', vm }),
    save: (format, fileName, data) => vscode.postMessage({ type: 'export', format, fileName, data }),
    applyFix: (fix) => vscode.postMessage({ type: 'applyFix', fix }),
  });
  window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
    const m = event.data;
    switch (m.type) {
      case 'result':
        remember({ documentUri: m.documentUri, ...(m.view ? { host: m.view.host } : {}) });
        view.showResult(m.overview, m.view);
        break;
      case 'hostView': remember({ host: m.view.host }); view.showHost(m.view); break;
      case 'vmView': view.showVm(m.view); break;
      case 'rows': view.showRows(m.rows); break;
      case 'errors': view.showErrors(m.errors); break;
      case 'busy': view.setBusy(m.busy); break;
      case 'advice': view.showAdvice(m.advice); break;
    }
  });
  vscode.postMessage({ type: 'ready' });
}

function standalone(): void {
  const data = document.getElementById(RESULT_ELEMENT_ID)?.textContent;
  if (!data) return;
  const model = new TimelineModel(JSON.parse(data));
  const overview = model.overview();
  const actions: Actions = {
    selectHost: (host) => { const v = model.hostView(host); if (v) view.showHost(v); },
    selectVm: (vm) => { const v = model.vmView(vm); if (v) view.showVm(v); },
    loadAllRows: () => view.showRows(model.rows()),
    // No editor here: the nearest thing to "show me this VM" is its own chart.
    reveal: (vm) => actions.selectVm(vm),
    save: (_format, fileName, data) => download(fileName, data),
  };
  const view = new TimelineView(root, actions);
  const host = defaultHost(overview);
  view.showResult(overview, host ? model.hostView(host) ?? null : null);
}

function download(fileName: string, data: string): void {
  const a = document.createElement('a');
  a.href = data.startsWith('data:') ? data : URL.createObjectURL(new Blob([data], { type: 'text/csv' }));
  a.download = fileName;
  a.click();
}
