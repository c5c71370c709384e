// The cluster: where a VM may be placed (possible and preferred owners, anti-affinity, room), live and
// quick migrations queued per host, drains, failback, rolling updates, failover with preemption, and
// the VMs waiting for a node. docs/simulation.md ("The cluster") states the rules.
import { formatBytes, formatClock } from '../units';
import { Phase } from './agenda';
import { endSmartPaging, fail, start, stop } from './starts';
import { CLUSTER_RANK, holdsMemory, SimState, VmPhase, type Flight, type MoveGroup, type MoveRequest } from './state';
import type { MigrationFailureReason, MoveType } from './types';

// ---- placement ----------------------------------------------------------------------------------

export interface Placement { host: number; pool: number }

/** Whether a VM may run on host h at all: a possible owner, and no enforced anti-affinity conflict. */
function allowed(s: SimState, v: number, h: number): MigrationFailureReason | undefined {
  const vm = s.vms[v];
  if (vm.possibleOwners && !vm.possibleOwners.includes(s.plan.hosts[h].name)) return 'not-possible-owner';
  if (s.plan.cluster?.enforcedAntiAffinity && sharesClass(s, v, h)) return 'anti-affinity';
  return undefined;
}

/** Whether another VM of one of v's anti-affinity classes runs (or is arriving) on host h. */
function sharesClass(s: SimState, v: number, h: number): boolean {
  const classes = s.vms[v].antiAffinityClasses;
  if (!classes.length) return false;
  const on = (w: number) => w !== v && classes.some((c) => s.vms[w].antiAffinityClasses.includes(c));
  for (const w of s.hostVms[h]) if (holdsMemory(s.phase[w]) && on(w)) return true;
  for (const f of s.flights.values()) if (f.to === h && on(f.v)) return true;
  return false;
}

/**
 * What each pool could reclaim, remembered while many VMs are placed at one instant (a failover): only
 * the pool that takes a VM must be worked out again. NaN: not known yet.
 */
export class RoomCache {
  private readonly reclaimable: Float64Array;
  constructor(count: number) { this.reclaimable = new Float64Array(count).fill(NaN); }
  get(s: SimState, p: number, v: number): number {
    // A VM's own pool is never a candidate here, so what others could give does not depend on which VM asks.
    if (Number.isNaN(this.reclaimable[p])) this.reclaimable[p] = s.reclaimable(p, v);
    return this.reclaimable[p];
  }
  changed(p: number): void { this.reclaimable[p] = NaN; }
}

/** The pool of host h with the most room (free + reclaimable) for VM v, and that room. */
function bestPool(s: SimState, v: number, h: number, cache?: RoomCache): { pool: number; room: number; free: number } {
  let pool = s.firstPool[h];
  let room = -Infinity;
  let free = -Infinity;
  for (let p = s.firstPool[h]; p < s.firstPool[h] + s.pools[h]; p++) {
    const f = s.free(p);
    const r = f + (cache ? cache.get(s, p, v) : s.reclaimable(p, v));
    if (r > room) { pool = p; room = r; free = f; }
  }
  return { pool, room, free };
}

/**
 * Where the cluster places VM v needing `need(h)` bytes on host h: preferred owners first, in their
 * order; then nodes without a VM of its anti-affinity classes (a preference unless enforced); then the
 * node with the most free memory; plan order breaks ties. Only nodes that accept VMs, may own it and
 * have room. `busy` leaves out nodes whose migration slots are full.
 */
export function place(s: SimState, v: number, need: (h: number) => number, except = -1, busy?: (h: number) => boolean, cache?: RoomCache): Placement | undefined {
  const vm = s.vms[v];
  let best: { h: number; pool: number; free: number; conflict: boolean } | undefined;
  for (const name of vm.preferredOwners) {
    const h = s.hostIndex.get(name);
    if (h === undefined || h === except || !s.accepts(h) || allowed(s, v, h) || busy?.(h)) continue;
    const b = bestPool(s, v, h, cache);
    if (b.room >= need(h)) return { host: h, pool: b.pool };
  }
  for (let h = 0; h < s.hostCount; h++) {
    if (h === except || !s.accepts(h) || allowed(s, v, h) || busy?.(h)) continue;
    const b = bestPool(s, v, h, cache);
    if (b.room < need(h)) continue;
    const conflict = sharesClass(s, v, h);
    if (!best || (best.conflict && !conflict) || (best.conflict === conflict && b.free > best.free)) best = { h, pool: b.pool, free: b.free, conflict };
  }
  return best && { host: best.h, pool: best.pool };
}

/** The most any node that may take v could give it (for messages), or -Infinity when no node is up. */
function mostRoom(s: SimState, v: number, except: number, cache?: RoomCache): number {
  let most = -Infinity;
  for (let h = 0; h < s.hostCount; h++) if (h !== except && s.accepts(h) && !allowed(s, v, h)) most = Math.max(most, bestPool(s, v, h, cache).room);
  return most;
}

const coldNeed = (s: SimState, v: number) => (h: number) => s.startup[v] + s.overheadOf(h, v);
const heldNeed = (s: SimState, v: number) => (h: number) => s.physical[v] + s.smartPaging[v] + s.overheadOf(h, v);

// ---- failover, preemption, waiting VMs ---------------------------------------------------------

/** A node is lost: its VMs start cold elsewhere by priority (no Smart Paging), preempting lower ones for High and Medium. */
export function nodeFailure(s: SimState, h: number, k: number): void {
  s.emit({ t: s.time(k), type: 'nodeFailure', host: s.hostName(h) });
  for (const f of [...s.flights.values()]) if (f.from === h || f.to === h) abortMigration(s, f.v, k, f.from === h ? 'the source node was lost' : 'the destination node was lost');
  for (const g of s.groups) if (g.host === h && g.purpose !== 'move') { for (const r of g.queue) g.failed.push(r.v); g.queue.length = 0; }
  const lost = s.hostVms[h].slice();
  const active: number[] = [];
  for (const v of lost) {
    // A VM that was running, about to start, or waiting for a node after a preemption is started elsewhere.
    if (holdsMemory(s.phase[v]) || s.pendingStart[v] !== 0 || s.unplaced[v] || s.waiting.includes(v)) active.push(v);
    s.unplaced[v] = 0;
    removeWaiting(s, v);
    if (s.phase[v] !== VmPhase.Saved) stop(s, v, k);
  }
  s.failed[h] = 1;
  s.hostEpoch[h]++;
  for (let p = s.firstPool[h]; p < s.firstPool[h] + s.pools[h]; p++) s.moving[p].length = 0;
  const toStart = active.filter((v) => s.vms[v].clusterPriority !== 'NoAutoStart').sort(byPriority(s));
  const cache = new RoomCache(s.poolCount);
  for (const v of toStart) {
    if (placeAndStart(s, v, k, h, cache)) continue;
    const most = mostRoom(s, v, h, cache);
    const message = most === -Infinity
      ? `no other node is up to take it after ${s.hostName(h)} failed`
      : `no node can take its ${formatBytes(s.startup[v])} startup memory (plus overhead) while keeping its root reserve (the larger of the host's reserve and the cluster's RootMemoryReserved)${preemptNote(s, v)}; the most any node could give was ${formatBytes(Math.max(0, most))}`;
    fail(s, v, h, k, 'no-capacity', message);
    wait(s, v, k);
  }
  // The rest are moved, off, to the node with the most free memory (they never ran there). Moving a VM
  // that is off changes no pool's memory, so what each pool could give is worked out once.
  const started = new Set(toStart);
  for (const v of lost) {
    if (started.has(v)) continue;
    let best = -1;
    let bestFree = -Infinity;
    for (let c = 0; c < s.hostCount; c++) {
      if (s.failed[c] || allowed(s, v, c)) continue;
      const free = bestPool(s, v, c, cache).free;
      if (free > bestFree) { best = c; bestFree = free; }
    }
    if (best >= 0) s.setOwner(v, best);
  }
}

const byPriority = (s: SimState) => (a: number, b: number) => CLUSTER_RANK[s.vms[a].clusterPriority] - CLUSTER_RANK[s.vms[b].clusterPriority] || a - b;

function preemptNote(s: SimState, v: number): string {
  const rank = CLUSTER_RANK[s.vms[v].clusterPriority];
  return rank <= CLUSTER_RANK.Medium ? ', even by taking lower-priority VMs offline' : '';
}

/**
 * A cold start of v on the node the cluster picks; for a High or Medium VM with no room anywhere, lower-
 * priority VMs are taken offline on the node that needs the least memory preempted. `except`: a node
 * not to use (the one that failed).
 */
export function placeAndStart(s: SimState, v: number, k: number, except = -1, cache?: RoomCache): boolean {
  const need = coldNeed(s, v);
  let target = place(s, v, need, except, undefined, cache);
  if (!target) {
    target = preempt(s, v, k, except);
    // Preemption changed what the pools hold: what was remembered no longer holds.
    if (target && cache) for (let p = 0; p < s.poolCount; p++) cache.changed(p);
  }
  if (!target) return false;
  s.setOwner(v, target.host);
  const started = start(s, v, target.host, k, 'failover');
  if (cache && s.pool[v] >= 0) cache.changed(s.pool[v]);
  return started;
}

function preempt(s: SimState, v: number, k: number, except: number): Placement | undefined {
  const rank = CLUSTER_RANK[s.vms[v].clusterPriority];
  if (rank > CLUSTER_RANK.Medium) return undefined;
  let best: { host: number; pool: number; victims: number[]; bytes: number; free: number } | undefined;
  for (let h = 0; h < s.hostCount; h++) {
    if (h === except || !s.accepts(h) || allowed(s, v, h)) continue;
    const need = s.startup[v] + s.overheadOf(h, v);
    for (let p = s.firstPool[h]; p < s.firstPool[h] + s.pools[h]; p++) {
      // Lowest priority first; within one priority the VM holding most goes first (fewer VMs go down).
      const candidates = s.poolVms[p].filter((w) => CLUSTER_RANK[s.vms[w].clusterPriority] > rank && !s.flights.has(w)
        && (s.phase[w] === VmPhase.Running || s.phase[w] === VmPhase.Booting));
      candidates.sort((a, b) => CLUSTER_RANK[s.vms[b].clusterPriority] - CLUSTER_RANK[s.vms[a].clusterPriority]
        || s.physical[b] + s.smartPaging[b] - s.physical[a] - s.smartPaging[a] || a - b);
      const victims: number[] = [];
      let freed = 0;
      let lostReclaim = 0;
      const reclaimable = s.reclaimable(p, v);
      for (const w of candidates) {
        if (s.free(p) + freed + reclaimable - lostReclaim >= need) break;
        victims.push(w);
        freed += s.physical[w] + s.overhead[w];
        if (s.balanced(w)) lostReclaim += Math.max(0, s.physical[w] - Math.max(s.minimum[w], s.demand[w]));
      }
      if (s.free(p) + freed + reclaimable - lostReclaim < need || !victims.length) continue;
      const bytes = victims.reduce((sum, w) => sum + s.physical[w], 0);
      const free = s.free(p);
      if (!best || bytes < best.bytes || (bytes === best.bytes && (victims.length < best.victims.length || (victims.length === best.victims.length && free > best.free)))) {
        best = { host: h, pool: p, victims, bytes, free };
      }
    }
  }
  if (!best) return undefined;
  for (const w of best.victims) {
    stop(s, w, k, false);
    s.preemptions[w]++;
    s.emit({ t: s.time(k), type: 'vmPreempted', vm: s.vms[w].name, host: s.hostName(best.host), for: s.vms[v].name });
    wait(s, w, k);
  }
  return { host: best.host, pool: best.pool };
}

/** v waits for a node with room: tried again whenever memory frees up, and every model.clusterRetrySeconds. */
function wait(s: SimState, v: number, k: number): void {
  if (!s.waiting.includes(v)) s.waiting.push(v);
  scheduleRetry(s, k);
}

export function removeWaiting(s: SimState, v: number): void {
  const i = s.waiting.indexOf(v);
  if (i >= 0) s.waiting.splice(i, 1);
}

function scheduleRetry(s: SimState, k: number): void {
  if (s.retryScheduled || !s.waiting.length) return;
  s.retryScheduled = true;
  s.at(k + Math.max(1, s.tickOf(s.plan.model.clusterRetrySeconds)), Phase.Cluster, () => {
    s.retryScheduled = false;
    s.clusterTurn = true;
  });
}

/** Waiting VMs, by priority, each started where there is room now; a failed retry says nothing new. */
function retryWaiting(s: SimState, k: number, cache: RoomCache): void {
  if (!s.waiting.length) return;
  for (const v of s.waiting.slice().sort(byPriority(s))) {
    if (s.phase[v] !== VmPhase.Off || s.pendingStart[v] !== 0) { removeWaiting(s, v); continue; }
    if (placeAndStart(s, v, k, -1, cache)) removeWaiting(s, v);
  }
  scheduleRetry(s, k);
}

// ---- migrations -----------------------------------------------------------------------------------

export function newGroup(s: SimState, purpose: MoveGroup['purpose'], host: number, k: number, done?: (ok: boolean) => void): MoveGroup {
  const group: MoveGroup = { purpose, host, startTick: k, queue: [], running: 0, failed: [], done };
  s.groups.push(group);
  s.clusterTurn = true;
  return group;
}

export function request(s: SimState, group: MoveGroup, v: number, to: number, moveType: MoveType): void {
  group.queue.push({ v, to, moveType, group } satisfies MoveRequest);
  s.clusterTurn = true;
}

/** The move type a drain or failback uses: live at or above the cluster's MoveTypeThreshold, quick below. */
export function moveTypeOf(s: SimState, v: number): MoveType {
  const threshold = s.plan.cluster?.moveTypeThreshold ?? 'Medium';
  return CLUSTER_RANK[s.vms[v].clusterPriority] <= CLUSTER_RANK[threshold] ? 'live' : 'quick';
}

/** The cluster's turn in a tick: start the moves that can start, finish groups, retry waiting VMs. */
export function clusterTurn(s: SimState, k: number): void {
  while (s.clusterTurn) {
    s.clusterTurn = false;
    // Within one turn nothing is balanced: what pools could reclaim changes only where a move begins.
    let cache = new RoomCache(s.poolCount);
    for (const group of s.groups.slice()) {
      while (group.queue.length) {
        const outcome = tryMove(s, group.queue[0], k, cache);
        if (outcome === 'wait') break;
        group.queue.shift();
      }
      if (!group.queue.length && group.running === 0) {
        finishGroup(s, group, k);
        // What the group's end sets off (a restart, the next drain) may change any pool.
        cache = new RoomCache(s.poolCount);
      }
    }
    retryWaiting(s, k, cache);
  }
}

function finishGroup(s: SimState, group: MoveGroup, k: number): void {
  s.groups.splice(s.groups.indexOf(group), 1);
  const ok = group.failed.length === 0;
  if (group.purpose === 'drain') {
    s.emit(ok ? { t: s.time(k), type: 'nodeDrained', host: s.hostName(group.host), seconds: s.time(k - group.startTick) }
      : { t: s.time(k), type: 'drainFailed', host: s.hostName(group.host), vms: group.failed.map((v) => s.vms[v].name) });
  }
  group.done?.(ok);
}

const liveSlotFree = (s: SimState, h: number) => s.liveMigrations[h] < s.plan.hosts[h].maxMigrations;

function tryMove(s: SimState, r: MoveRequest, k: number, cache: RoomCache): 'started' | 'failed' | 'wait' {
  const { v, group } = r;
  const from = s.owner[v];
  const phase = s.phase[v];
  if (from < 0 || s.failed[from]) return 'failed';
  if (phase === VmPhase.Saving || phase === VmPhase.Restoring || phase === VmPhase.Moving || s.flights.has(v)) return 'wait';
  const offline = !holdsMemory(phase);
  const need = offline ? () => 0 : heldNeed(s, v);
  const live = !offline && r.moveType === 'live';
  if (live && !liveSlotFree(s, from)) return 'wait';
  let target: Placement | undefined;
  if (r.to >= 0) {
    const refused: MigrationFailureReason | undefined = !s.accepts(r.to) ? 'destination-unavailable' : allowed(s, v, r.to);
    if (refused) return refuse(s, r, k, refused, r.to);
    const b = bestPool(s, v, r.to, cache);
    if (b.room < need(r.to)) return refuse(s, r, k, 'no-room', r.to, b.room);
    if (live && !liveSlotFree(s, r.to)) return 'wait';
    target = { host: r.to, pool: b.pool };
  } else {
    target = place(s, v, need, from, live ? (h) => !liveSlotFree(s, h) : undefined, cache);
    if (!target) {
      // Room somewhere, but every node with room is busy migrating: wait for a slot.
      if (live && place(s, v, need, from, undefined, cache)) return 'wait';
      const most = mostRoom(s, v, from, cache);
      if (most > -Infinity) return refuse(s, r, k, 'no-room', -1, most);
      // No node may take it at all: say why (none up, or none it may run on).
      let reason: MigrationFailureReason = 'destination-unavailable';
      for (let h = 0; h < s.hostCount; h++) if (h !== from && s.accepts(h)) reason = allowed(s, v, h) ?? reason;
      return refuse(s, r, k, reason, -1);
    }
  }
  if (offline) {
    // An offline VM changes owner at once: nothing to copy.
    s.setOwner(v, target.host);
    s.migrations[v]++;
    if (group.purpose === 'drain') s.drainedFrom[v] = from;
    s.emit({ t: s.time(k), type: 'vmMigrated', vm: s.vms[v].name, from: s.hostName(from), to: s.hostName(target.host), moveType: r.moveType, seconds: 0, purpose: group.purpose });
    return 'started';
  }
  begin(s, r, from, target, k);
  cache.changed(target.pool);
  return 'started';
}

function refuse(s: SimState, r: MoveRequest, k: number, reason: MigrationFailureReason, to: number, room?: number): 'failed' {
  const { v, group } = r;
  const from = s.owner[v];
  const name = s.vms[v].name;
  const dest = to >= 0 ? s.hostName(to) : undefined;
  const bytes = s.physical[v] + s.smartPaging[v];
  const owners = s.vms[v].possibleOwners?.join(', ') ?? '';
  const why: Record<MigrationFailureReason, string> = {
    'no-room': `${dest ? `${dest} has no` : s.vms[v].possibleOwners ? `no node it may run on (its possible owners: ${owners}) has` : 'no node has'} room for the ${formatBytes(bytes)} it holds plus overhead${room !== undefined && room > -Infinity ? ` (${dest ? 'it' : 'the best one'} could give ${formatBytes(Math.max(0, room))})` : ''}`,
    'destination-unavailable': dest ? `${dest} is ${s.failed[to] ? 'lost' : s.down[to] ? 'restarting' : 'paused'}` : 'no other node is up and active',
    'not-possible-owner': dest ? `${dest} is not one of its possible owners (${owners})` : `none of its possible owners (${owners}) is another active node`,
    'anti-affinity': dest ? `${dest} runs a VM of its anti-affinity class, and the cluster enforces anti-affinity` : 'every other active node runs a VM of its anti-affinity class, and the cluster enforces anti-affinity',
    'vm-not-running': 'it is not running',
    aborted: 'the move was stopped',
  };
  const what = group.purpose === 'drain' ? `The drain of ${s.hostName(group.host)} cannot move ${name}` : group.purpose === 'failback' ? `Failback to ${s.hostName(group.host)} cannot move ${name}` : `${name} cannot move${dest ? ` to ${dest}` : ''}`;
  const message = `${what} at ${formatClock(s.time(k))}: ${why[reason]}.`;
  group.failed.push(v);
  s.emit({ t: s.time(k), type: 'vmMigrationFailed', vm: name, from: s.hostName(from), ...(dest ? { to: dest } : {}), reason, message, purpose: group.purpose });
  return 'failed';
}

function begin(s: SimState, r: MoveRequest, from: number, target: Placement, k: number): void {
  const { v, group } = r;
  const to = target.host;
  const p = target.pool;
  const bytes = s.physical[v] + s.smartPaging[v];
  const reserved = bytes + s.overheadOf(to, v);
  if (reserved > s.free(p)) s.reclaim(p, -1, reserved - s.free(p));
  s.poolIncoming[p] += reserved;
  s.markFull(p);
  s.notePeak(to);
  const flight: Flight = { v, from, to, pool: p, reserved, bytes, moveType: r.moveType, startTick: k, group, arrived: false };
  s.flights.set(v, flight);
  group.running++;
  s.pendingStart[v] = 0;
  s.emit({ t: s.time(k), type: 'vmMigrationStarted', vm: s.vms[v].name, from: s.hostName(from), to: s.hostName(to), moveType: r.moveType, bytes, purpose: group.purpose });
  if (r.moveType === 'live') {
    s.liveMigrations[from]++;
    s.liveMigrations[to]++;
    s.frozen[v] = 1;
    s.markFull(s.pool[v]);
    s.at(k + s.transferTicks(bytes, s.plan.model.migrationBytesPerSecond), Phase.TransferDone, () => { if (s.flights.get(v) === flight) arrive(s, flight, s.now, true); });
  } else {
    // Quick migration: saved on the source, then restored on the destination; down meanwhile.
    const half = s.transferTicks(bytes, s.plan.model.saveRestoreBytesPerSecond);
    s.phase[v] = VmPhase.Moving;
    s.markFull(s.pool[v]);
    s.at(k + half, Phase.TransferDone, () => { if (s.flights.get(v) === flight) arrive(s, flight, s.now, false); });
    s.at(k + 2 * half, Phase.TransferDone, () => { if (s.flights.get(v) === flight) land(s, flight, s.now); });
  }
}

/** The memory goes over: the source frees it (and any Smart Paging file), the destination holds it. */
function arrive(s: SimState, f: Flight, k: number, done: boolean): void {
  const v = f.v;
  if (s.smartPaging[v] > 0 || s.spFileBytes[v] > 0) endSmartPaging(s, v, k);
  s.releaseAll(v);
  s.poolIncoming[f.pool] -= f.reserved;
  s.setOwner(v, f.to);
  s.hold(v, f.pool, f.bytes, 0, s.overheadOf(f.to, v));
  f.arrived = true;
  if (done) land(s, f, k);
}

function land(s: SimState, f: Flight, k: number): void {
  const v = f.v;
  s.flights.delete(v);
  if (f.moveType === 'live') {
    s.liveMigrations[f.from]--;
    s.liveMigrations[f.to]--;
    s.frozen[v] = 0;
  } else {
    s.phase[v] = VmPhase.Running;
  }
  s.markFull(f.pool);
  s.migrations[v]++;
  if (f.group.purpose === 'drain') s.drainedFrom[v] = f.from;
  if (f.group.purpose === 'failback') s.drainedFrom[v] = -1;
  f.group.running--;
  s.clusterTurn = true;
  s.emit({ t: s.time(k), type: 'vmMigrated', vm: s.vms[v].name, from: s.hostName(f.from), to: s.hostName(f.to), moveType: f.moveType, seconds: s.time(k - f.startTick), purpose: f.group.purpose });
}

/**
 * A migration on its way stops (the VM stops or reboots, a node is lost): what was set aside on the
 * destination is freed and the VM stays where its memory is. A quick migration whose memory already
 * went over simply ends there.
 */
export function abortMigration(s: SimState, v: number, k: number, why = 'the VM stopped or restarted'): void {
  const f = s.flights.get(v);
  if (!f) return;
  if (f.arrived) { land(s, f, k); return; }
  s.flights.delete(v);
  s.poolIncoming[f.pool] -= f.reserved;
  s.markFull(f.pool);
  if (f.moveType === 'live') {
    s.liveMigrations[f.from]--;
    s.liveMigrations[f.to]--;
    s.frozen[v] = 0;
  } else {
    s.phase[v] = VmPhase.Running;
  }
  if (s.pool[v] >= 0) s.markFull(s.pool[v]);
  f.group.running--;
  f.group.failed.push(v);
  s.clusterTurn = true;
  s.emit({ t: s.time(k), type: 'vmMigrationFailed', vm: s.vms[v].name, from: s.hostName(f.from), to: s.hostName(f.to), reason: 'aborted', message: `${s.vms[v].name}'s move from ${s.hostName(f.from)} to ${s.hostName(f.to)} stopped at ${formatClock(s.time(k))}: ${why}.`, purpose: f.group.purpose });
}

// ---- drain, resume, rolling update ------------------------------------------------------------------

/** Pause node h and move its VMs away, High first; `done` gets whether every VM moved. */
export function drain(s: SimState, h: number, k: number, done?: (ok: boolean) => void): void {
  s.paused[h] = 1;
  s.emit({ t: s.time(k), type: 'nodeDrain', host: s.hostName(h) });
  const group = newGroup(s, 'drain', h, k, done);
  for (const v of s.hostVms[h].slice().sort(byPriority(s))) request(s, group, v, -1, moveTypeOf(s, v));
}

/** Node h takes VMs again; with failback, the VMs drained from it move back. */
export function resume(s: SimState, h: number, failback: boolean, k: number, done?: (ok: boolean) => void): void {
  s.paused[h] = 0;
  s.emit({ t: s.time(k), type: 'nodeResumed', host: s.hostName(h), failback });
  s.clusterTurn = true;
  if (!failback) { done?.(true); return; }
  const group = newGroup(s, 'failback', h, k, done);
  const back: number[] = [];
  for (let v = 0; v < s.vmCount; v++) if (s.drainedFrom[v] === h && s.owner[v] !== h) back.push(v);
  for (const v of back.sort(byPriority(s))) request(s, group, v, h, moveTypeOf(s, v));
}
