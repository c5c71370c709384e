// What a timeline panel does, without VS Code: keep the last good simulation, answer the page's
// requests with views from the pure model, follow edits (debounced), drop answers that a newer run
// superseded, and say nothing to the page before it is `ready`. After each good simulation it asks for
// the advice (off the keystroke path: an edit cancels it) and applies a fix the page names, only to the
// version of the plan the advice is for. panel.ts adapts it to a WebviewPanel.
import type { AdviseResponse, SimulateResponse } from '../../../server/src/protocol';
import type { Advice, AdvisedFix } from '../../../server/src/core/advise';
import { adviceView, fixOf, type AdviceView } from '../../webview/adviceModel';
import { TimelineModel, defaultHost } from '../../webview/model';
import type { FromWebview, ToWebview } from '../../webview/protocol';

export type ApplyOutcome = 'applied' | 'changed' | 'failed';

export interface ControllerHost {
  readonly documentUri: string;
  post(message: ToWebview): void;
  /** run the simulation; a call supersedes the previous one (the host may cancel it) */
  simulate(): Promise<SimulateResponse | null>;
  /** work out the advice of the plan as it is now, reporting progress; `signal` cancels the request */
  advise(progress: (step: string | undefined, percentage: number | undefined) => void, signal: AbortSignal): Promise<AdviseResponse | null>;
  /** apply these edits to the plan if it is still at `version` ('changed' if not, nothing applied) */
  applyEdits(version: number, edits: AdvisedFix['edits']): Promise<ApplyOutcome>;
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
  private adviceRuns = 0;
  private adviceAbort: AbortController | undefined;
  /** the advice on the page, with its edits, and the version of the plan it was worked out for */
  private advice: { version: number; advice: Advice } | undefined;
  private adviceView: AdviceView | undefined;
  /** what became of the last fix clicked; said until the advice after it has been on the page */
  private note: { text: string; shown: boolean } | undefined;
  private applying = false;

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
    // The advice on the page is for the text before the edit: its fixes' ranges no longer fit.
    this.stopAdvice();
    if (this.note?.shown) this.note = undefined;
    if (this.adviceView) this.showAdvice({ state: 'pending' });
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
        void this.requestAdvice(response.version);
      } else {
        this.errors = response.errors.length ? response.errors : ['the plan cannot be simulated'];
      }
    } catch (e) {
      if (run !== this.runs || this.disposed) return;
      this.errors = [`the simulation failed: ${messageOf(e)}`];
    } finally {
      clearTimeout(busyTimer);
      if (run === this.runs) this.setBusy(false);
    }
    if (this.errors.length) {
      this.stopAdvice();
      this.showAdvice({ state: 'failed', error: 'No advice while the plan cannot be simulated.' });
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
        if (this.adviceView) this.post({ type: 'advice', advice: this.adviceView });
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
      case 'applyFix':
        if (typeof m.fix === 'string') void this.applyFix(m.fix);
        break;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.stopAdvice();
    if (this.timer) clearTimeout(this.timer);
  }

  /** The advice of the simulation just shown; any older request is cancelled, a late answer dropped. */
  private async requestAdvice(version: number): Promise<void> {
    this.stopAdvice();
    const abort = new AbortController();
    this.adviceAbort = abort;
    const run = this.adviceRuns;
    const current = () => run === this.adviceRuns && !this.disposed;
    this.showAdvice({ state: 'pending' });
    let response: AdviseResponse | null;
    try {
      response = await this.target.advise((step, percentage) => { if (current()) this.showAdvice({ state: 'pending', step, percentage }); }, abort.signal);
    } catch (e) {
      if (current()) this.showAdvice({ state: 'failed', error: `The advice failed: ${messageOf(e)}` });
      return;
    } finally {
      if (this.adviceAbort === abort) this.adviceAbort = undefined;
    }
    if (!current()) return;
    if (!response) {
      this.showAdvice({ state: 'failed', error: 'The language server gave no advice: edit the plan or reopen the panel to try again.' });
    } else if (!response.ok) {
      const more = response.errors.length > 1 ? ` (and ${response.errors.length - 1} more)` : '';
      this.showAdvice({ state: 'failed', error: `${response.errors[0] ?? 'The plan cannot be advised.'}${more}` });
    } else if (response.version !== version) {
      // Worked out for a newer text than the chart shows: simulate that text first.
      this.scheduleRefresh();
    } else {
      this.advice = { version, advice: response.advice };
      this.showAdvice(adviceView(response.advice, version));
    }
  }

  /** A click on a fix: its edits, to the version of the plan its advice is for and no other. */
  private async applyFix(id: string): Promise<void> {
    if (this.applying) return;
    const shown = this.advice;
    const fix = shown && fixOf(shown.advice, shown.version, id);
    if (!shown || !fix) {
      this.note = { text: 'The plan changed since this advice was worked out: nothing was applied.', shown: false };
      this.scheduleRefresh();
      return;
    }
    this.applying = true;
    let outcome: ApplyOutcome;
    try {
      outcome = await this.target.applyEdits(shown.version, fix.edits);
    } catch {
      outcome = 'failed';
    } finally {
      this.applying = false;
    }
    if (this.disposed) return;
    if (outcome === 'failed') {
      this.note = { text: `Could not apply "${fix.title}" to the plan.`, shown: false };
      if (this.adviceView) this.showAdvice(this.adviceView);
      return;
    }
    this.note = {
      text: outcome === 'applied' ? `Applied: ${fix.title}.` : 'The plan changed since this advice was worked out: nothing was applied.',
      shown: false,
    };
    // The edit also reaches the panel as a change of the document; either way one refresh follows.
    this.scheduleRefresh();
  }

  private stopAdvice(): void {
    this.advice = undefined;
    this.adviceRuns++;
    this.adviceAbort?.abort();
    this.adviceAbort = undefined;
  }

  /** Posts the section's view, with the note of the last fix clicked; the same view twice (keystrokes) once. */
  private showAdvice(view: AdviceView): void {
    if (this.note && view.state !== 'pending') this.note.shown = true;
    const next = this.note ? { ...view, note: this.note.text } : view;
    if (this.adviceView && JSON.stringify(this.adviceView) === JSON.stringify(next)) return;
    this.adviceView = next;
    this.post({ type: 'advice', advice: next });
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

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The file's bytes: a PNG from the page's data: URL, the CSV as UTF-8; undefined if the page sent something else. */
export function exportBytes(format: 'png' | 'csv', data: string): Uint8Array | undefined {
  if (typeof data !== 'string') return undefined;
  if (format === 'csv') return new TextEncoder().encode(data);
  const prefix = 'data:image/png;base64,';
  if (format !== 'png' || !data.startsWith(prefix)) return undefined;
  return Uint8Array.from(atob(data.slice(prefix.length)), (c) => c.charCodeAt(0));
}
