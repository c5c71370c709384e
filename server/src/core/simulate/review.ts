// What the scenario did, per operation, read off the result's events: each host restart (what was
// saved, how long the host was down, what was restored and what booted), each drain and failback (what
// moved where, how long it took, what could not move), and the rolling update node by node. The text
// output, hovers, code lenses and the timeline all tell the same story from here.
import type { MoveType, SimEvent, SimEventOf, SimulationResult } from './types';

export interface RestartReview {
  host: string;
  at: number;
  /** VMs saved before the host went down, and their memory */
  saved: { vm: string; bytes: number }[];
  /** VMs shut down or turned off by their stop action (or whose save did not fit its disk) */
  stopped: string[];
  downAt?: number;
  upAt?: number;
  /** restores: each VM's memory read back, and from the first restore's start to the last's end */
  restored: { vm: string; bytes: number; seconds: number }[];
  readBackSeconds: number;
  /** boots of VMs that were stopped; which of them on Smart Paging */
  booted: { vm: string; smartPagingBytes: number }[];
  failed: { vm: string; message: string }[];
}

export interface MoveReview {
  purpose: 'drain' | 'failback';
  host: string;
  at: number;
  endAt?: number;
  /** whether every VM moved (a drain that failed leaves its node paused) */
  ok: boolean;
  seconds?: number;
  moves: { vm: string; from: string; to: string; moveType: MoveType; seconds: number }[];
  stuck: { vm: string; message: string }[];
}

export interface UpdateReview {
  at: number;
  endAt?: number;
  ok?: boolean;
  seconds?: number;
  stoppedAt?: string;
  nodes: { host: string; drain?: MoveReview; restart?: RestartReview; failback?: MoveReview }[];
}

export interface Review {
  restarts: RestartReview[];
  drains: MoveReview[];
  failbacks: MoveReview[];
  updates: UpdateReview[];
}

type Of<T extends SimEvent['type']> = SimEventOf<T>;

export function review(result: SimulationResult): Review {
  const events = result.events;
  const restarts = events.filter((e): e is Of<'hostRestart'> => e.type === 'hostRestart').map((e) => restartReview(events, e));
  const drains = events.filter((e): e is Of<'nodeDrain'> => e.type === 'nodeDrain').map((e) => drainReview(events, e));
  const failbacks = events.filter((e): e is Of<'nodeResumed'> => e.type === 'nodeResumed' && e.failback).map((e) => failbackReview(events, e));
  const updates = events.filter((e): e is Of<'clusterUpdate'> => e.type === 'clusterUpdate').map((u) => {
    const end = events.find((e): e is Of<'clusterUpdateEnded'> => e.type === 'clusterUpdateEnded' && e.t >= u.t);
    const within = (x: { at: number }) => x.at >= u.t && (!end || x.at <= end.t);
    const nodes = u.nodes.map((host) => ({
      host,
      drain: drains.find((d) => d.host === host && within(d)),
      restart: restarts.find((r) => r.host === host && within(r)),
      failback: failbacks.find((f) => f.host === host && within(f)),
    })).filter((n) => n.drain || n.restart || n.failback || !end?.stoppedAt);
    return { at: u.t, endAt: end?.t, ok: end?.ok, seconds: end?.seconds, stoppedAt: end?.stoppedAt, nodes };
  });
  return { restarts, drains, failbacks, updates };
}

function restartReview(events: readonly SimEvent[], start: Of<'hostRestart'>): RestartReview {
  const host = start.host;
  const next = events.find((e) => e.type === 'hostRestart' && e.host === host && e.t > start.t)?.t ?? Infinity;
  const down = events.find((e) => e.type === 'hostDown' && e.host === host && e.t >= start.t && e.t < next);
  const up = down && events.find((e) => e.type === 'hostUp' && e.host === host && e.t >= down.t && e.t < next);
  const out: RestartReview = { host, at: start.t, saved: [], stopped: [], downAt: down?.t, upAt: up?.t, restored: [], readBackSeconds: 0, booted: [], failed: [] };
  const affected = new Set<string>();
  const until = down?.t ?? next;
  for (const e of events) {
    if (e.t < start.t || e.t > until) continue;
    if (e.type === 'vmSaved' && e.host === host) { out.saved.push({ vm: e.vm, bytes: e.bytes }); affected.add(e.vm); }
    if (e.type === 'vmStopped' && e.host === host && !affected.has(e.vm)) { out.stopped.push(e.vm); affected.add(e.vm); }
  }
  if (!up) return out;
  const seen = new Set<string>();
  let firstRead = Infinity;
  let lastRead = -Infinity;
  for (const e of events) {
    if (e.t < up.t || e.t >= next || (e.type !== 'vmRestored' && e.type !== 'vmStarted' && e.type !== 'vmStartFailed') || !affected.has(e.vm) || seen.has(e.vm)) continue;
    if (e.type === 'vmRestored') {
      out.restored.push({ vm: e.vm, bytes: e.bytes, seconds: e.seconds });
      firstRead = Math.min(firstRead, e.t);
      lastRead = Math.max(lastRead, e.t + e.seconds);
    } else if (e.type === 'vmStarted') {
      out.booted.push({ vm: e.vm, smartPagingBytes: e.smartPagingBytes });
    } else {
      out.failed.push({ vm: e.vm, message: e.message });
    }
    seen.add(e.vm);
  }
  out.readBackSeconds = out.restored.length ? Math.round((lastRead - firstRead) * 1000) / 1000 : 0;
  return out;
}

function drainReview(events: readonly SimEvent[], start: Of<'nodeDrain'>): MoveReview {
  const end = events.find((e): e is Of<'nodeDrained'> | Of<'drainFailed'> => (e.type === 'nodeDrained' || e.type === 'drainFailed') && e.host === start.host && e.t >= start.t);
  const until = end?.t ?? Infinity;
  const out: MoveReview = { purpose: 'drain', host: start.host, at: start.t, endAt: end?.t, ok: end?.type === 'nodeDrained', seconds: end ? end.t - start.t : undefined, moves: [], stuck: [] };
  for (const e of events) {
    if (e.t < start.t || e.t > until) continue;
    if (e.type === 'vmMigrated' && e.purpose === 'drain' && e.from === start.host) out.moves.push({ vm: e.vm, from: e.from, to: e.to, moveType: e.moveType, seconds: e.seconds });
    if (e.type === 'vmMigrationFailed' && e.purpose === 'drain' && e.from === start.host) out.stuck.push({ vm: e.vm, message: e.message });
  }
  return out;
}

function failbackReview(events: readonly SimEvent[], start: Of<'nodeResumed'>): MoveReview {
  const next = events.find((e) => e.type === 'nodeDrain' && e.host === start.host && e.t > start.t)?.t ?? Infinity;
  const out: MoveReview = { purpose: 'failback', host: start.host, at: start.t, ok: true, moves: [], stuck: [] };
  let last = start.t;
  for (const e of events) {
    if (e.t < start.t || e.t >= next) continue;
    if (e.type === 'vmMigrated' && e.purpose === 'failback' && e.to === start.host) { out.moves.push({ vm: e.vm, from: e.from, to: e.to, moveType: e.moveType, seconds: e.seconds }); last = e.t; }
    if (e.type === 'vmMigrationFailed' && e.purpose === 'failback' && e.to === start.host) { out.stuck.push({ vm: e.vm, message: e.message }); last = e.t; }
  }
  out.ok = out.stuck.length === 0;
  out.endAt = last;
  out.seconds = last - start.t;
  return out;
}
