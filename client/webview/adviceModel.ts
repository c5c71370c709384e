// The timeline's Advice section as the page draws it: the advice of `hvmem/advise` cut down to what
// is shown (findings in a line, fixes by title and cost, headroom, growth and placement in words).
// The extension keeps the full advice, edits included; the page only names a fix by its id.
import type { Advice, AdvisedFix } from '../../server/src/core/advise';
import { formatBytes } from '../../server/src/core/units';
import { count, firstSentence } from '../../server/src/core/words';

export interface AdviceFixView {
  /** names this fix of this version's advice: what the page posts back to apply it */
  id: string;
  title: string;
  cost: string;
  /** the VM's other findings it also clears */
  also: string[];
}

export interface AdviceFindingView {
  code: string;
  vm?: string;
  host?: string;
  severity: string;
  /** "restart-smart-paging on WEB02 (HV01)" */
  heading: string;
  /** the message's first sentence */
  summary: string;
  message: string;
  fixes: AdviceFixView[];
}

export interface AdviceReady {
  state: 'ready';
  findings: AdviceFindingView[];
  /** "1 finding, 3 fixes." or "No findings: nothing to fix." */
  summary: string;
  headroom: { title: string; lines: string[] } | null;
  growth: string;
  /** on a cluster that does not survive the loss of any node: the moves that make it */
  placement: { title: string; moves: string[] } | null;
  simulations: number;
}

export type AdviceView = (
  /** being worked out: `step` says what the server is on, `percentage` how far it is */
  | { state: 'pending'; step?: string; percentage?: number }
  /** one line: why there is no advice */
  | { state: 'failed'; error: string }
  | AdviceReady
) & {
  /** what the panel just did: "Applied: Raise HV01's memory to 45 GB." */
  note?: string;
};

const fixId = (version: number, finding: number, fix: number) => `${version}:${finding}:${fix}`;

/** The advice of one version of the plan as the page shows it. */
export function adviceView(advice: Advice, version: number): AdviceReady {
  const findings = advice.findings.map((f, i): AdviceFindingView => ({
    code: f.code,
    ...(f.vm !== undefined ? { vm: f.vm } : {}),
    ...(f.host !== undefined ? { host: f.host } : {}),
    severity: f.severity,
    heading: `${f.code}${f.vm !== undefined ? ` on ${f.vm}` : ''}${f.host !== undefined ? ` (${f.host})` : ''}`,
    summary: firstSentence(f.message),
    message: f.message,
    fixes: f.fixes.map((fix, j) => ({ id: fixId(version, i, j), title: fix.title, cost: fix.cost, also: fix.resolves.filter((c) => c !== f.code) })),
  }));
  const fixes = findings.reduce((n, f) => n + f.fixes.length, 0);
  return {
    state: 'ready',
    findings,
    summary: findings.length ? `${count(findings.length, 'finding')}, ${count(fixes, 'fix', 'fixes')}.` : 'No findings: nothing to fix.',
    headroom: headroomLines(advice.headroom),
    growth: advice.growth.percentUntilFirstFinding === null
      ? 'Growth: even 1000 % more demand on every VM brings no new finding.'
      : `Growth: +${advice.growth.percentUntilFirstFinding} % demand on every VM brings the first new finding${advice.growth.firstFinding ? ` (${advice.growth.firstFinding})` : ''}.`,
    placement: placementLines(advice.placement),
    simulations: advice.simulations,
  };
}

/** The fix an id of `adviceView(advice, version)` names; undefined for an id of another version's advice. */
export function fixOf(advice: Advice, version: number, id: string): AdvisedFix | undefined {
  const m = /^(-?\d+):(\d+):(\d+)$/.exec(id);
  if (!m || Number(m[1]) !== version) return undefined;
  return advice.findings[Number(m[2])]?.fixes[Number(m[3])];
}

function headroomLines(room: Advice['headroom']): AdviceReady['headroom'] {
  if (!room) return null;
  const size = `${formatBytes(room.shape.startup)}${room.shape.dynamic ? ', Dynamic Memory' : ', static'}`;
  const shape = room.shape.like !== undefined ? `like ${room.shape.like} (${size})` : `of ${size}`;
  // The record came through JSON: a host named __proto__ is an own key, and only own keys are read.
  const lines = Object.entries(room.hosts).map(([host, h]) => `${host}: ${h.more === 0 ? 'no room for another' : `room for ${h.more} more`}`);
  const c = room.cluster;
  if (c) {
    lines.push(c.survivesAnyNodeLoss
      ? `The cluster: room for ${c.more} more (each on the node with the most room), and every VM still runs after the loss of any one node${c.worstNode !== undefined ? `; the worst node to lose: ${c.worstNode}` : ''}.`
      : `The cluster is not N+1 safe now: losing ${c.worstNode ?? 'a node'} leaves VMs unable to run.`);
  }
  return { title: `Headroom: more VMs ${shape} that still come back after the scenario without Smart Paging or a failed start`, lines };
}

function placementLines(p: Advice['placement']): AdviceReady['placement'] {
  if (!p || p.survivesAnyNodeLoss) return null;
  const n = p.moves.length;
  return {
    title: !n
      ? 'N+1 placement: no move found that makes the cluster survive the loss of any node.'
      : `N+1 placement: ${count(n, 'move')} ${p.safe ? `make${n === 1 ? 's' : ''} the cluster survive the loss of any node` : 'help, but the cluster still does not survive the loss of any node'} (hvmem export --to moves writes them as a script):`,
    moves: p.moves.map((m, i) => `${i + 1}. ${m.vm}: ${m.from} → ${m.to}`),
  };
}

