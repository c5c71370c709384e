// `hvmem advise`: from each finding to the smallest changes that remove it, each one checked by
// simulating the plan with it alone; how much room is left (headroom); how far demand can grow; and, for
// a cluster that is not N+1 safe, a placement that is. All on the one simulation engine.
// The contract is spec/format.md, "hvmem advise"; docs/advise.md says how each answer is searched.
import type { Node } from 'jsonc-parser';
import { fixTextEdits } from '../fixes';
import type { Plan } from '../plan';
import { LineIndex, type Range } from '../text';
import { changeCost, changeFix, type Change } from './changes';
import { ADVISED_CODES, Evaluator, type Finding } from './evaluate';
import { Cancelled, fixesFor, type FixOptions } from './fixes';
import { growth, type Growth } from './growth';
import { headroom, shapeOf, type Headroom } from './headroom';
import { suggestPlacement, type Placement } from './placement';

export type { Change } from './changes';
export { Cancelled } from './fixes';
export { Evaluator } from './evaluate';

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
  /** leave out headroom, growth and placement (the editor's quick fixes need only the fixes) */
  fixesOnly?: boolean;
  /** only this finding (its key), for the editor's quick fixes of one diagnostic */
  only?: (f: Finding) => boolean;
}

export interface PlanText { text: string; root: Node | undefined; plan: Plan }

export function advise(doc: PlanText, options: AdviseOptions = {}): Advice {
  const ev = new Evaluator(doc.plan);
  const lines = new LineIndex(doc.text);
  const found = ev.findings(doc.plan, '').filter((f) => ADVISED_CODES.has(f.code) && (!options.only || options.only(f)));
  const findings: AdvisedFinding[] = [];
  for (const f of dedupe(found)) {
    const fixes = fixesFor(ev, f, options).map((fix) => {
      const planFix = changeFix(fix.change);
      const edits = (fixTextEdits(doc.text, doc.plan, doc.root, planFix) ?? []).map((e) => ({ range: lines.range(e.span), newText: e.newText }));
      return { title: planFix.title, change: fix.change, cost: changeCost(fix.change), edits, resolves: fix.resolves };
    }).filter((f) => f.edits.length);
    findings.push({ code: f.code, ...(f.vm !== undefined ? { vm: f.vm } : {}), ...(f.host !== undefined ? { host: f.host } : {}), severity: f.severity, message: f.message, fixes });
  }
  if (options.fixesOnly) return { findings, headroom: null, growth: { percentUntilFirstFinding: null }, simulations: ev.simulations };
  const shape = shapeOf(doc.plan, { like: options.like, startup: options.shapeBytes });
  const room = shape ? headroom(ev, shape) : null;
  const grow = growth(ev);
  const placement = doc.plan.cluster && doc.plan.hosts.length > 1 ? suggestPlacement(ev) : undefined;
  return { findings, headroom: room, growth: grow, ...(placement ? { placement } : {}), simulations: ev.simulations };
}

/** One finding per code and VM (a VM failing twice is one finding). */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => !seen.has(f.key) && seen.add(f.key));
}

export function isCancelled(e: unknown): boolean {
  return e instanceof Cancelled;
}
