// `hvmem advise`: from each finding to the smallest changes that remove it, each one checked by
// simulating the plan with it alone; how much room is left (headroom); how far demand can grow; and, for
// a cluster that is not N+1 safe, a placement that is. All on the one simulation engine.
// The contract is spec/format.md, "hvmem advise"; docs/advise.md says how each answer is searched.
// `Advisor` gives the answers one at a time, so an editor can compute them between keystrokes;
// `advise` gives them all at once.
import type { Node } from 'jsonc-parser';
import type { PlanDiagnostic } from '../diagnostics';
import { fixTextEdits, type PlanFix } from '../fixes';
import type { Plan } from '../plan';
import { nameRecord } from '../records';
import { LineIndex, type Range, type Span } from '../text';
import { changeCost, changeFix, type Change } from './changes';
import { ADVISED_CODES, Evaluator, finding, type Finding } from './evaluate';
import { Cancelled, fixesFor, type FixOptions } from './fixes';
import { growth, type Growth } from './growth';
import { clusterHeadroom, moreOnHost, shapeOf, shapeSummary, type Headroom, type Shape } from './headroom';
import { suggestPlacement, type Placement } from './placement';

export type { Change } from './changes';
export type { Finding } from './evaluate';
export type { Growth } from './growth';
export type { Headroom } from './headroom';
export type { Placement } from './placement';
export { Cancelled } from './fixes';
export { ADVISED_CODES, Evaluator } from './evaluate';

export interface AdvisedFix {
  title: string;
  change: Change;
  /** what it costs, in a few words */
  cost: string;
  edits: { range: Range; newText: string }[];
  resolves: string[];
}

export interface AdvisedFinding {
  code: string;
  vm?: string;
  host?: string;
  severity: string;
  message: string;
  fixes: AdvisedFix[];
}

export interface Advice {
  findings: AdvisedFinding[];
  headroom: Headroom | null;
  growth: Growth;
  /** clusters: whether the plan survives the loss of any node, and moves that would make it */
  placement?: Placement;
  /** how many simulations the advice took */
  simulations: number;
}

export interface AdviseOptions extends FixOptions {
  like?: string;
  shapeBytes?: number;
  /** leave out headroom, growth and placement */
  fixesOnly?: boolean;
}

export interface PlanText { text: string; root: Node | undefined; plan: Plan }

/** A fix with its edits as offsets too, for the editor's quick fixes. */
export interface DetailedFix extends AdvisedFix {
  fix: PlanFix;
  spanEdits: { span: Span; newText: string }[];
}

/** The advice of one version of a plan, answer by answer; every answer shares one evaluator's memo. */
export class Advisor {
  readonly ev: Evaluator;
  private readonly lines: LineIndex;
  private found?: Finding[];
  private readonly fixed = new Map<string, DetailedFix[]>();
  private shapeCache?: { shape: Shape | undefined };

  constructor(readonly doc: PlanText, private readonly options: AdviseOptions = {}) {
    this.ev = new Evaluator(doc.plan);
    this.lines = new LineIndex(doc.text);
  }

  /** The findings advice is given for: the scenario's of the advised codes and the capacity errors, one per code and VM. */
  findings(): Finding[] {
    if (!this.found) {
      const seen = new Set<string>();
      this.found = this.ev.findings(this.doc.plan, '').filter((f) => ADVISED_CODES.has(f.code) && !seen.has(f.key) && !!seen.add(f.key));
    }
    return this.found;
  }

  /** The finding a diagnostic of this plan's text is (same code, same VM), if advice is given for it. */
  findingOf(d: PlanDiagnostic): Finding | undefined {
    if (!ADVISED_CODES.has(d.code)) return undefined;
    const key = finding(this.doc.plan, d).key;
    return this.findings().find((f) => f.key === key);
  }

  /** The fixes of one finding, ranked, each with its edits (computed once). */
  fixes(f: Finding, cancelled?: () => boolean): DetailedFix[] {
    const known = this.fixed.get(f.key);
    if (known) return known;
    const out: DetailedFix[] = [];
    for (const fix of fixesFor(this.ev, f, { ...this.options, cancelled: cancelled ?? this.options.cancelled })) {
      const planFix = changeFix(fix.change);
      const spanEdits = fixTextEdits(this.doc.text, this.doc.plan, this.doc.root, planFix) ?? [];
      if (!spanEdits.length) continue;
      const edits = spanEdits.map((e) => ({ range: this.lines.range(e.span), newText: e.newText }));
      out.push({ title: planFix.title, change: fix.change, cost: changeCost(fix.change), edits, resolves: fix.resolves, fix: planFix, spanEdits });
    }
    this.fixed.set(f.key, out);
    return out;
  }

  /** What headroom is counted in: `--like`, `--shape`, or the VM of median startup. */
  shape(): Shape | undefined {
    this.shapeCache ??= { shape: shapeOf(this.doc.plan, { like: this.options.like, startup: this.options.shapeBytes }) };
    return this.shapeCache.shape;
  }

  /** How many more VMs of the shape one host takes (see headroom.ts). */
  hostHeadroom(host: string): number {
    const shape = this.shape();
    return shape ? moreOnHost(this.ev, shape, host) : 0;
  }

  /** On a cluster of two nodes or more: how many more still survive the loss of any node. */
  clusterHeadroom(): Headroom['cluster'] {
    const shape = this.shape();
    const plan = this.doc.plan;
    return shape && plan.cluster && plan.hosts.length > 1 ? clusterHeadroom(this.ev, shape) : undefined;
  }

  growth(): Growth {
    return growth(this.ev);
  }

  placement(): Placement | undefined {
    const plan = this.doc.plan;
    return plan.cluster && plan.hosts.length > 1 ? suggestPlacement(this.ev) : undefined;
  }

  /** The findings with their fixes, as the contract writes them. */
  advisedFindings(): AdvisedFinding[] {
    return this.findings().map((f) => ({
      code: f.code, ...(f.vm !== undefined ? { vm: f.vm } : {}), ...(f.host !== undefined ? { host: f.host } : {}),
      severity: f.severity, message: f.message,
      fixes: this.fixes(f).map(({ title, change, cost, edits, resolves }) => ({ title, change, cost, edits, resolves })),
    }));
  }

  /** Headroom from per-host counts already found (the editor computes them one host at a time). */
  headroom(more: (host: string) => number = (h) => this.hostHeadroom(h), cluster: () => Headroom['cluster'] = () => this.clusterHeadroom()): Headroom | null {
    const shape = this.shape();
    if (!shape) return null;
    const hosts: Headroom['hosts'] = nameRecord();
    for (const host of this.doc.plan.hosts) if (!Object.hasOwn(hosts, host.name)) hosts[host.name] = { more: more(host.name) };
    const c = cluster();
    return { shape: shapeSummary(shape), hosts, ...(c ? { cluster: c } : {}) };
  }
}

export function advise(doc: PlanText, options: AdviseOptions = {}): Advice {
  const advisor = new Advisor(doc, options);
  const findings = advisor.advisedFindings();
  if (options.fixesOnly) return { findings, headroom: null, growth: { percentUntilFirstFinding: null }, simulations: advisor.ev.simulations };
  const room = advisor.headroom();
  const grow = advisor.growth();
  const placement = advisor.placement();
  return { findings, headroom: room, growth: grow, ...(placement ? { placement } : {}), simulations: advisor.ev.simulations };
}

export function isCancelled(e: unknown): boolean {
  return e instanceof Cancelled;
}
