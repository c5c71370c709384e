// The advice in the editor, off the keystroke path: once a version's diagnostics (the scenario's
// included) are out and typing has paused, its fixes are searched finding by finding and its headroom
// host by host, one step per timer tick, so requests and keystrokes get in between; an edit stops it
// (the next step sees a new version). When the headroom is complete the code lenses are refreshed. The
// hvmem/advise request runs the same steps for the panel, with its progress and cancellation.
import type { Advice, Advisor, Headroom } from '../core/advise';
import type { CachedPlan } from './documents';
import type { RuntimeTimer } from './runtime';

/** The advice starts this long after the diagnostics it builds on are out, if no keystroke came. */
export const ADVICE_DELAY_MS = 300;
/**
 * Plans up to this many VMs get their advice without asking (the panel's request has no limit). A step
 * holds the server's one thread: up to a few tens of milliseconds here, so a keystroke after a pause
 * never waits long; larger plans (up to 1,000 VMs) search a finding's fixes when its light bulb is opened.
 */
export const BACKGROUND_ADVICE_MAX_VMS = 300;
/** Background advice shows progress once it has run this long (short runs would only blink). */
const PROGRESS_AFTER_MS = 1000;

export interface Progress {
  report(message: string, percentage: number): void;
  done(): void;
}

export interface AdviceTarget {
  plan(uri: string): CachedPlan | undefined;
  version(uri: string): number | undefined;
  /** the code lenses changed (the headroom is in) */
  refreshLenses(): void;
  /** a progress indicator the server starts, where the client supports it */
  progress(title: string): Promise<Progress | undefined>;
  error(message: string): void;
}

/** One step of the advice: a finding's fixes, a host's headroom, the cluster's. */
type Step = { label: string; run: () => void };

/** Every finding's fixes, one step each. */
function fixSteps(advisor: Advisor): Step[] {
  return advisor.findings().map((f) => ({ label: `fixes for ${f.code}${f.vm ? ` on ${f.vm}` : ''}`, run: () => void advisor.fixes(f) }));
}

/** The headroom, host by host, then the cluster's; the last step hands it over. */
function headroomSteps(p: CachedPlan, advisor: Advisor, into: (h: Headroom) => void): Step[] {
  const more = new Map<string, number>();
  const out: Step[] = p.analysis.plan.hosts.map((host) => ({ label: `headroom of ${host.name}`, run: () => void more.set(host.name, advisor.hostHeadroom(host.name)) }));
  let cluster: Headroom['cluster'];
  if (p.analysis.plan.cluster && p.analysis.plan.hosts.length > 1) out.push({ label: 'headroom of the cluster', run: () => { cluster = advisor.clusterHeadroom(); } });
  out.push({ label: 'headroom', run: () => { const h = advisor.headroom((name) => more.get(name) ?? 0, () => cluster); if (h) into(h); } });
  return out;
}

export class AdviceScheduler {
  private readonly running = new Map<string, { dispose(): void }>();

  constructor(private readonly target: AdviceTarget, private readonly timer: RuntimeTimer, private delayMs = ADVICE_DELAY_MS) {}

  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  /** A version's complete diagnostics are out: work out its advice once typing pauses. */
  published(uri: string, p: CachedPlan): void {
    this.cancel(uri);
    if (!p.scenarioPending || p.headroom || p.analysis.plan.vms.length > BACKGROUND_ADVICE_MAX_VMS) return;
    const advisor = p.advisor;
    if (!advisor) return;
    const todo = [...fixSteps(advisor), ...headroomSteps(p, advisor, (h) => { p.headroom = h; })];
    const started = Date.now();
    let progress: Promise<Progress | undefined> | undefined;
    let i = 0;
    const next = (ms: number) => this.running.set(uri, this.timer.schedule(() => {
      this.running.delete(uri);
      if (this.target.version(uri) !== p.version || !this.target.plan(uri)) { void progress?.then((x) => x?.done()); return; }
      try {
        todo[i].run();
      } catch (e) {
        this.target.error(`advice failed: ${e instanceof Error ? e.stack : String(e)}`);
        void progress?.then((x) => x?.done());
        return;
      }
      i++;
      if (i === todo.length) {
        void progress?.then((x) => x?.done());
        this.target.refreshLenses();
        return;
      }
      if (!progress && Date.now() - started > PROGRESS_AFTER_MS) progress = this.target.progress('Hyper-V Memory: advice');
      void progress?.then((x) => x?.report(todo[i].label, Math.round((i / todo.length) * 100)));
      next(0);
    }, ms));
    next(this.delayMs);
  }

  closed(uri: string): void {
    this.cancel(uri);
  }

  private cancel(uri: string): void {
    this.running.get(uri)?.dispose();
    this.running.delete(uri);
  }
}

/**
 * The whole advice for the panel, a step at a time (`pause` lets other messages in between); stops with
 * undefined when `stop` says so (the request was cancelled, or the document changed). `known`: the
 * headroom the background advice already found for this advisor.
 */
export async function adviseStepwise(advisor: Advisor, p: CachedPlan, known: Headroom | undefined, pause: () => Promise<void>, stop: () => boolean, report: (message: string, percentage: number) => void): Promise<Advice | undefined> {
  let headroom: Headroom | null = known ?? null;
  let growth: Advice['growth'] = { percentUntilFirstFinding: null };
  let placement: Advice['placement'];
  const todo: Step[] = [
    ...fixSteps(advisor),
    ...(known ? [] : headroomSteps(p, advisor, (h) => { headroom = h; })),
    { label: 'growth', run: () => { growth = advisor.growth(); } },
    { label: 'N+1 placement', run: () => { placement = advisor.placement(); } },
  ];
  for (let i = 0; i < todo.length; i++) {
    await pause();
    if (stop()) return undefined;
    report(todo[i].label, Math.round((i / todo.length) * 100));
    todo[i].run();
  }
  return { findings: advisor.advisedFindings(), headroom, growth, ...(placement ? { placement } : {}), simulations: advisor.ev.simulations };
}
