// When diagnostics are computed and published: a document just opened is checked at once, edits wait
// for a pause in typing, and a large plan gets two publishes (its static findings at once, then the
// scenario's). The timers come from the runtime, so this runs the same in Node and in a web worker.
import type { PlanDiagnostic } from '../core/diagnostics';
import type { CachedPlan } from './documents';
import type { RuntimeTimer } from './runtime';

/**
 * Up to this many VMs the scenario runs before diagnostics are published (one publish per
 * version). Larger plans get two: the static findings at once, then everything with the scenario's.
 */
export const SCENARIO_INLINE_MAX_VMS = 200;

/**
 * A large plan's scenario runs this long after its static findings are out, if no keystroke came
 * meanwhile: it takes a few hundred milliseconds on thousands of VMs and would hold the next keystroke
 * back, so it waits for a pause in typing. Clients may set it (`scenarioDelayMs`, tests use 0).
 */
export const SCENARIO_DELAY_MS = 500;

export interface ValidationTarget {
  /** the current analysis of an open document, or undefined once it is closed */
  plan(uri: string): CachedPlan | undefined;
  /** the open document's version, without analysing it */
  version(uri: string): number | undefined;
  /** sends the diagnostics of a version (`complete`: the scenario's included); resolves once they are written out */
  publish(uri: string, plan: CachedPlan, diagnostics: readonly PlanDiagnostic[], complete: boolean): Promise<void>;
  error(message: string): void;
}

export class DiagnosticsScheduler {
  private readonly pending = new Map<string, { dispose(): void }>();
  private readonly justOpened = new Set<string>();

  private scenarioDelayMs = SCENARIO_DELAY_MS;

  constructor(private readonly target: ValidationTarget, private readonly timer: RuntimeTimer, private delayMs: number) {}

  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  setScenarioDelay(ms: number): void {
    this.scenarioDelayMs = ms;
  }

  opened(uri: string): void {
    this.justOpened.add(uri);
  }

  /** The document's text changed: check at once if it was just opened, else after a pause in typing. */
  changed(uri: string): void {
    this.schedule(uri, this.justOpened.delete(uri) ? 0 : this.delayMs);
  }

  /** Everything is stale (new settings): check every given document at once. */
  all(uris: Iterable<string>): void {
    for (const uri of uris) this.schedule(uri, 0);
  }

  closed(uri: string): void {
    this.cancel(uri);
    this.justOpened.delete(uri);
  }

  private schedule(uri: string, delayMs: number): void {
    this.cancel(uri);
    this.pending.set(uri, this.timer.schedule(this.guarded(() => this.validate(uri)), delayMs));
  }

  private cancel(uri: string): void {
    this.pending.get(uri)?.dispose();
    this.pending.delete(uri);
  }

  private guarded(fn: () => void): () => void {
    return () => {
      try { fn(); } catch (e) { this.target.error(`validation failed: ${e instanceof Error ? e.stack : String(e)}`); }
    };
  }

  private validate(uri: string): void {
    this.pending.delete(uri);
    const p = this.target.plan(uri);
    // A file the plan names is still being read: publishing now would flash "cannot be read" for a
    // moment. The runtime's change of files validates the plan again.
    if (!p || p.readsPending) return;
    if (!p.scenarioPending || p.analysis.plan.vms.length <= SCENARIO_INLINE_MAX_VMS) {
      void this.target.publish(uri, p, p.completeDiagnostics(), true);
      return;
    }
    // A large plan: the static findings at once (with the last scenario findings carried over), the
    // fresh scenario findings once typing pauses (a new keystroke clears this timer, and the version
    // check catches the rest). The wait starts when the static findings are written out: a message goes
    // out in two writes, and a simulation between them would hold the first publish back.
    this.target.publish(uri, p, p.provisionalDiagnostics(), false).then(() => {
      if (this.pending.has(uri) || this.target.version(uri) !== p.version) return;
      this.pending.set(uri, this.timer.schedule(this.guarded(() => {
        this.pending.delete(uri);
        if (this.target.version(uri) === p.version) void this.target.publish(uri, p, p.completeDiagnostics(), true);
      }), this.scenarioDelayMs));
    }, () => undefined);
  }
}
