// The operations of a run as the timeline tells them: each host's state over time (restarting, failed,
// paused for a drain), the rolling update's phases node by node (the strip across the top of the chart,
// its headline and its node-by-node section), and what host restarts restored and booted. Read off the
// core's review of the result (review.ts), which the text output tells the same story from.
import { review, type MoveReview, type RestartReview, type Review, type UpdateReview } from '../../server/src/core/simulate/review';
import type { SimEvent, SimulationResult } from '../../server/src/core/simulate/types';
import { formatBytes, formatClock, formatDuration } from '../../server/src/core/units';
import { count } from '../../server/src/core/words';

/**
 * The core's review of a result, host by host: review() reads every event for each operation, which
 * for 64 restarting hosts and 16,000 events costs more than the rest of the first paint. Each
 * operation only reads events of its own host (its restart, drain or failback, the moves from or to it)
 * and of the VMs that were on it, so review() of that host's share of the events gives exactly its
 * operations; they are put back in the order of the events that began them, and each rolling update
 * takes each node's entry from that node's share (test/timeline-model.test.ts holds it to review()).
 */
export function reviewOf(result: SimulationResult): Review {
  const events = result.events;
  interface Share { events: SimEvent[]; restarts: number[]; drains: number[]; failbacks: number[] }
  const shares = new Map<string, Share>();
  const share = (host: string) => {
    let s = shares.get(host);
    if (!s) shares.set(host, (s = { events: [], restarts: [], drains: [], failbacks: [] }));
    return s;
  };
  // Every share has every update's begin and end, so each is made before the first event.
  for (const host of Object.keys(result.hosts)) share(host);
  for (const e of events) if (e.type === 'clusterUpdate') for (const host of e.nodes) share(host);
  const isStart = (e: SimEvent) => e.type === 'vmStarted' || e.type === 'vmRestored' || e.type === 'vmStartFailed';
  const starting = new Set(events.flatMap((e) => (isStart(e) && 'vm' in e ? [e.vm] : [])));
  /** the hosts each VM that starts has had an event on so far: its start belongs to each of their shares */
  const seen = new Map<string, Set<string>>();
  events.forEach((e, i) => {
    if (e.type === 'clusterUpdate' || e.type === 'clusterUpdateEnded') {
      for (const s of shares.values()) s.events.push(e);
      return;
    }
    const first = 'host' in e ? e.host : 'from' in e ? e.from : undefined;
    const second = 'to' in e && e.to !== undefined ? e.to : undefined;
    if (first === undefined) return;
    const start = isStart(e);
    const vm = 'vm' in e && starting.has(e.vm) ? e.vm : undefined;
    let hosts = vm === undefined ? undefined : seen.get(vm);
    if (vm !== undefined && !hosts) seen.set(vm, (hosts = new Set()));
    hosts?.add(first);
    if (second !== undefined) hosts?.add(second);
    const to = start && hosts ? hosts : second !== undefined ? [first, second] : [first];
    for (const host of to) {
      const s = share(host);
      if (host === first && e.type === 'hostRestart') s.restarts.push(i);
      if (host === first && e.type === 'nodeDrain') s.drains.push(i);
      if (host === first && e.type === 'nodeResumed' && e.failback) s.failbacks.push(i);
      s.events.push(e);
    }
  });
  const restarts: [number, RestartReview][] = [];
  const drains: [number, MoveReview][] = [];
  const failbacks: [number, MoveReview][] = [];
  const updatesOf = new Map<string, UpdateReview[]>();
  for (const [host, s] of shares) {
    const part = review({ ...result, events: s.events });
    s.restarts.forEach((i, k) => restarts.push([i, part.restarts[k]]));
    s.drains.forEach((i, k) => drains.push([i, part.drains[k]]));
    s.failbacks.forEach((i, k) => failbacks.push([i, part.failbacks[k]]));
    updatesOf.set(host, part.updates);
  }
  const ordered = <T>(list: [number, T][]) => list.sort((a, b) => a[0] - b[0]).map(([, x]) => x);
  const asked = events.filter((e): e is SimEvent & { type: 'clusterUpdate' } => e.type === 'clusterUpdate');
  // When and how each update ended is the same in every share; an update of no node has none.
  const ends = asked.length ? review({ ...result, events: events.filter((e) => e.type === 'clusterUpdate' || e.type === 'clusterUpdateEnded') }).updates : [];
  const updates = asked.map((u, i): UpdateReview => {
    const nodes = u.nodes.flatMap((host) => updatesOf.get(host)?.[i]?.nodes.filter((n) => n.host === host).slice(0, 1) ?? []);
    const { at, endAt, ok, seconds, stoppedAt } = ends[i];
    return { at, endAt, ok, seconds, stoppedAt, nodes };
  });
  return { restarts: ordered(restarts), drains: ordered(drains), failbacks: ordered(failbacks), updates };
}

/** "A", "A and B", "A, B, C and 2 more". */
export function names(list: readonly string[], shown = 4): string {
  const head = list.slice(0, shown);
  const more = list.length - head.length;
  if (more > 0) return `${head.join(', ')} and ${more} more`;
  return head.length > 1 ? `${head.slice(0, -1).join(', ')} and ${head.at(-1)}` : head.join('');
}

/**
 * A time the host did not take VMs as usual, shaded on its chart: restarting (from the restart, or
 * from the end of the drain that came first, until it is up), failed (to the end), or paused for a
 * drain (until it resumes, or the end; not where it is restarting). `label` is drawn on the chart,
 * `detail` is its hover text.
 */
export interface HostState {
  from: number;
  to: number;
  kind: 'restarting' | 'failed' | 'paused';
  label: string;
  detail: string;
}

export function hostStates(events: readonly SimEvent[], host: string, duration: number): HostState[] {
  const down: HostState[] = [];
  const paused: { from: number; to: number; drain?: { at: number; ok: boolean; vms: string[] } }[] = [];
  let restart: { from: number; downAt?: number; drained?: boolean } | undefined;
  let pause: (typeof paused)[number] | undefined;
  const closeRestart = (to: number) => {
    if (!restart) return;
    const { from, downAt } = restart;
    const saving = downAt !== undefined && downAt > from ? `: its VMs saved or stopped by ${formatClock(downAt)}` : '';
    const back = to < duration ? `back at ${formatClock(to)}` : 'not back by the end';
    down.push({ from, to, kind: 'restarting', label: 'restarting', detail: `${host} restarting from ${formatClock(from)}${saving}; ${back}` });
    restart = undefined;
  };
  for (const e of events) {
    if (!('host' in e) || e.host !== host) continue;
    switch (e.type) {
      case 'hostRestart': restart = { from: e.t }; break;
      case 'nodeDrain':
        pause = { from: e.t, to: duration };
        paused.push(pause);
        if (restart && restart.downAt === undefined) restart.drained = true;
        break;
      case 'nodeDrained':
      case 'drainFailed':
        if (pause) pause.drain = { at: e.t, ok: e.type === 'nodeDrained', vms: e.type === 'drainFailed' ? e.vms : [] };
        // A cluster node's restart drains it first: it restarts once the drain is over.
        if (restart?.drained) restart.from = e.t;
        break;
      case 'hostDown': restart ??= { from: e.t }; restart.downAt = e.t; break;
      case 'hostUp': closeRestart(e.t); break;
      case 'nodeResumed': if (pause) { pause.to = e.t; pause = undefined; } break;
      case 'nodeFailure': down.push({ from: e.t, to: duration, kind: 'failed', label: `down: failed at ${formatClock(e.t)}`, detail: `${host} down: failed at ${formatClock(e.t)}, to the end of the run` }); break;
    }
  }
  closeRestart(duration);
  const out = [...down];
  for (const p of paused) {
    const drain = p.drain;
    const label = drain && !drain.ok ? 'paused: drain failed' : 'paused';
    const why = !drain ? 'draining to the end' : drain.ok ? `drained by ${formatClock(drain.at)}`
      : `its drain could not move ${names(drain.vms)}`;
    const until = p.to < duration ? `until it resumes at ${formatClock(p.to)}` : 'to the end';
    const detail = `${host} paused from ${formatClock(p.from)}: ${why}; it takes no new VMs ${until}`;
    for (const [from, to] of minus([p.from, p.to], down)) out.push({ from, to, kind: 'paused', label, detail });
  }
  return out.sort((a, b) => a.from - b.from);
}

/** The parts of [from, to] outside every interval of `cut`. */
function minus([from, to]: [number, number], cut: readonly { from: number; to: number }[]): [number, number][] {
  let parts: [number, number][] = [[from, to]];
  for (const c of cut) {
    parts = parts.flatMap(([a, b]): [number, number][] => {
      if (c.to <= a || c.from >= b) return [[a, b]];
      return [...(c.from > a ? [[a, c.from] as [number, number]] : []), ...(c.to < b ? [[c.to, b] as [number, number]] : [])];
    });
  }
  return parts.filter(([a, b]) => b > a);
}

export type PhaseKind = 'drain' | 'restart' | 'failback';

/** One phase of one node in a rolling update: its time, whether it did what it should, and what happened. */
export interface Phase {
  kind: PhaseKind;
  from: number;
  to: number;
  ok: boolean;
  text: string;
}

export interface UpdateNode {
  host: string;
  ok: boolean;
  /** drawn beside the node's phases, the longest that fits: "HV-A: drain 1 min 4 s, …", "HV-A: 7 min 8 s", "HV-A" */
  labels: string[];
  phases: Phase[];
  /** what the node's turn came to, in one sentence (the section's line, the node's hover title) */
  summary: string;
}

/** A rolling update as the strip across the top of its nodes' charts draws it. */
export interface UpdateView {
  from: number;
  to: number;
  /** undefined: still running at the end */
  ok?: boolean;
  nodes: UpdateNode[];
  /** the nodes the run never reached (it stopped before them) */
  notUpdated: string[];
  /** the update's end: where it stopped, or that it was done */
  end?: { t: number; ok: boolean; text: string };
  /** every node the update was asked to do */
  planned: string[];
}

/** The part of a failed move's message after "The drain of HV-C cannot move SQL-C at 0:18:44: ". */
export function moveReason(message: string): string {
  const m = /^.*? at \d+:\d\d:\d\d: (.+)$/s.exec(message);
  return m ? m[1] : message;
}

/** A message's sentence without its full stop, to go on inside a longer one. */
function sentence(text: string): string {
  return text.replace(/\.\s*$/, '');
}

/** "4 VMs to HV-C (2) and HV-B (2), 3 live, 1 quick". */
function moved(m: MoveReview): string {
  if (!m.moves.length) return '';
  const to = new Map<string, number>();
  for (const x of m.moves) to.set(x.to, (to.get(x.to) ?? 0) + 1);
  const live = m.moves.filter((x) => x.moveType === 'live').length;
  return `${count(m.moves.length, 'VM')} to ${names([...to].map(([h, n]) => `${h} (${n})`), 6)}, ${live} live, ${m.moves.length - live} quick`;
}

function drainPhase(d: MoveReview, end: number): Phase {
  const to = d.endAt ?? end;
  const what = moved(d);
  const text = d.endAt === undefined ? `drain from ${formatClock(d.at)}, still running at the end${what ? `: ${what}` : ''}`
    : d.ok ? `drained in ${formatDuration(to - d.at)}${what ? `: ${what}` : ''}`
      : `drain failed at ${formatClock(to)}: ${names(d.stuck.map((s) => s.vm))} cannot move: ${sentence(moveReason(d.stuck[0]?.message ?? 'no room'))}${what ? `; the others moved: ${what}` : ''}`;
  return { kind: 'drain', from: d.at, to, ok: d.ok, text };
}

function restartPhase(r: RestartReview, end: number): Phase {
  const to = r.upAt ?? end;
  const downAt = r.downAt ?? r.at;
  const text = r.upAt === undefined ? `restart: down at ${formatClock(downAt)}, not back by the end`
    : `restart: down at ${formatClock(downAt)}, back at ${formatClock(r.upAt)} (${formatDuration(r.upAt - r.at)})`;
  return { kind: 'restart', from: r.at, to, ok: r.upAt !== undefined && r.failed.length === 0, text };
}

function failbackPhase(f: MoveReview): Phase {
  const back = f.moves.length ? `${count(f.moves.length, 'VM')} back in ${formatDuration(f.seconds ?? 0)}` : 'nothing to move back';
  const text = `failback: ${back}${f.stuck.length ? `; ${names(f.stuck.map((s) => s.vm))} could not move back: ${sentence(moveReason(f.stuck[0].message))}` : ''}`;
  return { kind: 'failback', from: f.at, to: f.endAt ?? f.at, ok: f.ok, text };
}

/** The rolling updates of the run, each node's drain, restart and failback, and where a run stopped. */
export function updateViews(events: readonly SimEvent[], review: Review, duration: number): UpdateView[] {
  const asked = events.filter((e): e is SimEvent & { type: 'clusterUpdate' } => e.type === 'clusterUpdate');
  return review.updates.map((u, i): UpdateView => {
    const planned = asked[i]?.nodes ?? u.nodes.map((n) => n.host);
    const nodes = u.nodes.map((n) => updateNode(n, u, duration));
    const reached = new Set(nodes.map((n) => n.host));
    const notUpdated = u.ok === false ? planned.filter((h) => !reached.has(h)) : [];
    const to = u.endAt ?? duration;
    const end = u.endAt === undefined ? undefined
      : u.ok ? { t: u.endAt, ok: true, text: `done in ${formatDuration(u.seconds ?? to - u.at)}` }
        : { t: u.endAt, ok: false, text: `stopped at ${u.stoppedAt ?? 'a node it could not drain'}` };
    return { from: u.at, to, ok: u.ok, nodes, notUpdated, end, planned };
  });
}

function updateNode(n: UpdateReview['nodes'][number], u: UpdateReview, duration: number): UpdateNode {
  const phases: Phase[] = [];
  if (n.drain) phases.push(drainPhase(n.drain, duration));
  if (n.restart) phases.push(restartPhase(n.restart, duration));
  if (n.failback) phases.push(failbackPhase(n.failback));
  const ok = phases.length > 0 && phases.every((p) => p.ok) && !!n.restart;
  const from = phases[0]?.from ?? u.at;
  const to = phases.at(-1)?.to ?? from;
  const stoppedHere = u.ok === false && u.stoppedAt === n.host;
  const short = phases.map((p) => p.kind === 'drain' ? (p.ok ? `drain ${formatDuration(p.to - p.from)}` : 'drain failed')
    : p.kind === 'restart' ? `down ${formatDuration(p.to - p.from)}` : `failback ${formatDuration(p.to - p.from)}`);
  const labels = [
    `${n.host}: ${short.join(', ')}`,
    ...(stoppedHere ? [`${n.host}: drain failed`] : ok ? [`${n.host}: ${formatDuration(to - from)}`] : []),
    n.host,
  ];
  const turn = phases.map((p) => p.text).join('; ') || 'not reached';
  const summary = `${n.host}: ${turn}${stoppedHere ? `. The run stops here: ${n.host} stays paused and the nodes after it are not updated` : ''}.`;
  return { host: n.host, ok, labels, phases, summary };
}

/** The headline of a rolling update: whether it went through, how long it took, what stopped it, and whether any VM went offline. */
export function updateHeadline(u: UpdateView, review: UpdateReview, events: readonly SimEvent[], duration: number): string[] {
  const lines: string[] = [];
  const updated = u.nodes.filter((n) => n.ok).length;
  const of = `${updated} of ${count(u.planned.length, 'node')}`;
  if (u.ok === undefined) {
    lines.push(`The rolling update from ${formatClock(u.from)} was still running at the end, after ${formatDuration(duration - u.from)}: ${of} updated.`);
  } else if (u.ok) {
    lines.push(`The rolling update went through: ${count(u.planned.length, 'node')} (${names(u.planned)}) in ${formatDuration(review.seconds ?? u.to - u.from)}, ${formatClock(u.from)} to ${formatClock(u.to)}.`);
  } else {
    const at = review.stoppedAt;
    lines.push(`The rolling update stopped at ${at ?? 'a node it could not drain'} after ${formatDuration(review.seconds ?? u.to - u.from)} (from ${formatClock(u.from)}): ${of} updated${at ? `, ${at} left paused` : ''}${u.notUpdated.length ? `, ${names(u.notUpdated)} not reached` : ''}.`);
    const stuck = review.nodes.find((n) => n.host === at)?.drain?.stuck ?? [];
    if (stuck.length) lines.push(`What stopped it: ${at}'s drain could not move ${names(stuck.map((s) => s.vm))}: ${moveReason(stuck[0].message)}`);
  }
  lines.push(offline(events, u.from, u.to));
  return lines;
}

/** Whether the update took any VM offline: stopped, saved or preempted, or paused by a quick migration. */
function offline(events: readonly SimEvent[], from: number, to: number): string {
  const down = new Set<string>();
  const quick = new Map<string, number>();
  for (const e of events) {
    if (e.t < from || e.t > to) continue;
    if (e.type === 'vmStopped' || e.type === 'vmSaved' || e.type === 'vmPreempted' || e.type === 'vmStartFailed') down.add(e.vm);
    if (e.type === 'vmMigrated' && e.moveType === 'quick' && e.seconds > 0) quick.set(e.vm, Math.max(quick.get(e.vm) ?? 0, e.seconds));
  }
  const longest = Math.max(0, ...quick.values());
  const paused = quick.size ? `quick migrations took ${names([...quick.keys()])} offline while ${quick.size === 1 ? 'it' : 'they'} moved (up to ${formatDuration(longest)} each)` : '';
  if (down.size) return `${count(down.size, 'VM')} went down during the update: ${names([...down])}${paused ? `; ${paused}` : ''}.`;
  return paused ? `No VM went down; ${paused}.` : 'No VM went down: every move was live.';
}

/** What the host restarts (not those of a rolling update, which the update tells) restored and booted. */
export function restartHeadline(restarts: readonly RestartReview[]): string[] {
  const restored = restarts.flatMap((r) => r.restored);
  const booted = restarts.flatMap((r) => r.booted);
  if (!restored.length && !booted.length) return [];
  const parts: string[] = [];
  if (restored.length) {
    const longest = Math.max(...restarts.map((r) => r.readBackSeconds));
    const readBack = restarts.filter((r) => r.restored.length).length > 1 ? `in up to ${formatDuration(longest)} per host` : `in ${formatDuration(longest)}`;
    parts.push(`restored from saved state: ${count(restored.length, 'VM')}, ${formatBytes(restored.reduce((s, v) => s + v.bytes, 0))} read back ${readBack} (${names(restored.map((v) => v.vm))})`);
  }
  if (booted.length) {
    const paging = booted.filter((b) => b.smartPagingBytes > 0).map((b) => b.vm);
    parts.push(`booted: ${count(booted.length, 'VM')}, ${paging.length} on Smart Paging${paging.length ? ` (${names(paging)})` : ''}`);
  }
  const text = parts.join('; ');
  return [`${text[0].toUpperCase()}${text.slice(1)}.`];
}

/** Whether an operation at `at` on `host` belongs to one of the rolling updates. */
export function inUpdate(review: Review, at: number, host: string): boolean {
  return review.updates.some((u) => at >= u.at && (u.endAt === undefined || at <= u.endAt) && u.nodes.some((n) => n.host === host));
}
