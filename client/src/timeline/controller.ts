// What a timeline panel does, without VS Code: keep the last good simulation, answer the page's
// requests with views from the pure model, follow edits (debounced), drop answers that a newer run
// superseded, and say nothing to the page before it is `ready`. panel.ts adapts it to a WebviewPanel.
import type { SimulateResponse } from '../../../server/src/protocol';
import { TimelineModel, defaultHost } from '../../webview/model';
import type { FromWebview, ToWebview } from '../../webview/protocol';

export interface ControllerHost {
  readonly documentUri: string;
  post(message: ToWebview): void;
  /** run the simulation; a call supersedes the previous one (the host may cancel it) */
  simulate(): Promise<SimulateResponse | null>;
  reveal(vm: string): void;
  save(format: 'png' | 'csv', fileName: string, bytes: Uint8Array): void;
}

export interface ControllerOptions {
  /** the host selected before (restored panel) */
  host?: string;
  /** edits come in bursts while typing: simulate once the burst settles */
  refreshDelayMs?: number;
  /** below this a simulation is not worth a progress indicator */
  busyAfterMs?: number;
}

export class TimelineController {
  private ready = false;
  private model: TimelineModel | undefined;
  private host: string | undefined;
  private errors: string[] = [];
  private busy = false;
  private runs = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private readonly refreshDelayMs: number;
  private readonly busyAfterMs: number;

  constructor(private readonly target: ControllerHost, options: ControllerOptions = {}) {
    this.host = options.host;
    this.refreshDelayMs = options.refreshDelayMs ?? 400;
    this.busyAfterMs = options.busyAfterMs ?? 250;
  }

  /** The page went away (panel hidden): it will say `ready` again when it is back. */
  pageGone(): void {
    this.ready = false;
  }

  scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.refresh(); }, this.refreshDelayMs);
  }

  async refresh(): Promise<void> {
    const run = ++this.runs;
    const busyTimer = setTimeout(() => this.setBusy(true), this.busyAfterMs);
    try {
      const response = await this.target.simulate();
      if (run !== this.runs || this.disposed) return;
      if (!response) {
        // The server answers null when the request was cancelled or failed inside.
        this.errors = ['the language server gave no simulation; edit the plan or reopen the panel to try again'];
      } else if (response.ok) {
        this.model = new TimelineModel(response.result);
        if (!this.host || !this.model.hostNames().includes(this.host)) this.host = defaultHost(this.model.overview());
        this.errors = [];
        this.postResult();
      } else {
        this.errors = response.errors.length ? response.errors : ['the plan cannot be simulated'];
      }
    } catch (e) {
      if (run !== this.runs || this.disposed) return;
      this.errors = [`the simulation failed: ${e instanceof Error ? e.message : String(e)}`];
    } finally {
      clearTimeout(busyTimer);
      if (run === this.runs) this.setBusy(false);
    }
    this.post({ type: 'errors', errors: this.errors });
  }

  received(m: FromWebview): void {
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
      case 'allRows':
        if (this.model) this.post({ type: 'rows', rows: this.model.rows() });
        break;
      case 'reveal':
        this.target.reveal(m.vm);
        break;
      case 'export': {
        const bytes = exportBytes(m.format, m.data);
        if (bytes) this.target.save(m.format, m.fileName, bytes);
        break;
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private postResult(): void {
    if (!this.model) return;
    const view = this.host ? this.model.hostView(this.host) ?? null : null;
    this.post({ type: 'result', documentUri: this.target.documentUri, overview: this.model.overview(), view });
  }

  private setBusy(busy: boolean): void {
    if (this.busy === busy) return;
    this.busy = busy;
    this.post({ type: 'busy', busy });
  }

  private post(message: ToWebview): void {
    if (this.ready && !this.disposed) this.target.post(message);
  }
}

/** The file's bytes: a PNG from the page's data: URL, the CSV as UTF-8; undefined if the page sent something else. */
export function exportBytes(format: 'png' | 'csv', data: string): Uint8Array | undefined {
  if (typeof data !== 'string') return undefined;
  if (format === 'csv') return new TextEncoder().encode(data);
  const prefix = 'data:image/png;base64,';
  if (format !== 'png' || !data.startsWith(prefix)) return undefined;
  return Uint8Array.from(atob(data.slice(prefix.length)), (c) => c.charCodeAt(0));
}
