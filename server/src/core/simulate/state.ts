// The simulation's state: hosts, their memory pools and the VMs, as typed arrays (struct of arrays),
// with the few primitives every operation uses: what is free, holding and releasing memory, events,
// wake-ups. The operations themselves (starts, host restarts, the cluster, the balancer) are in their
// own files and change the state only through here or in plain array writes documented there.
import { simulatedCapacityBytes, vmOverheadBytes } from '../capacity';
import type { Plan, Vm } from '../plan';
import { Agenda, Phase } from './agenda';
import type { SimEvent } from './types';

/** What a VM is doing. Only RUNNING dynamic VMs that are not moving are balanced. */
export const VmPhase = {
  /** holds nothing */
  Off: 0,
  /** holds its startup memory until its boot ends */
  Booting: 1,
  Running: 2,
  /** holds its memory while it is written to disk */
  Saving: 3,
  /** holds nothing; its saved state is on disk */
  Saved: 4,
  /** holds its memory while the saved state is read back */
  Restoring: 5,
  /** quick migration: down, its memory held on the source, then on the destination */
  Moving: 6,
} as const;
export type VmPhase = typeof VmPhase[keyof typeof VmPhase];

/** Whether the VM holds memory in a pool in this phase. */
export const holdsMemory = (phase: number): boolean => phase !== VmPhase.Off && phase !== VmPhase.Saved;

/** A volume's free space as the scenario uses it: Smart Paging files and saved states take from it. */
export interface VolumeState { name: string; freeBytes: number }

export const CLUSTER_RANK: Record<Vm['clusterPriority'], number> = { High: 0, Medium: 1, Low: 2, NoAutoStart: 3 };

/** Why VMs are being moved: one group per drain, failback or single move; its moves start in order. */
export interface MoveGroup {
  purpose: 'move' | 'drain' | 'failback';
  /** the drained or resumed node (for a single move, the VM's host) */
  host: number;
  startTick: number;
  /** moves not started yet, in order: a group's moves start one after another, as slots allow */
  queue: MoveRequest[];
  running: number;
  /** VMs it could not move */
  failed: number[];
  done?: (ok: boolean) => void;
}

export interface MoveRequest { v: number; to: number; moveType: 'live' | 'quick'; group: MoveGroup }

/** A migration on its way: memory set aside on the destination, the VM frozen (live) or down (quick). */
export interface Flight {
  v: number;
  from: number;
  to: number;
  /** the destination pool, and what is set aside there (memory + overhead) */
  pool: number;
  reserved: number;
  bytes: number;
  moveType: 'live' | 'quick';
  startTick: number;
  group: MoveGroup;
  /** quick migration: the memory has gone over to the destination */
  arrived: boolean;
}

export class SimState {
  readonly plan: Plan;
  readonly vms: readonly Vm[];
  readonly dt: number;
  readonly lastTick: number;
  readonly vmCount: number;
  readonly hostCount: number;
  readonly poolCount: number;
  readonly events: SimEvent[] = [];
  readonly agenda = new Agenda();
  readonly hostIndex = new Map<string, number>();
  readonly vmIndex = new Map<string, number>();

  // ---- VMs, by VM index ----
  /** the host that owns the VM (where it is placed, or was last), -1 for a host the plan does not have */
  readonly owner: Int32Array;
  /** the pool it holds memory in, -1 when it holds none */
  readonly pool: Int32Array;
  readonly phase: Uint8Array;
  readonly dynamic: Uint8Array;
  /** settings, which a runtime resize may change */
  readonly startup: Float64Array;
  readonly minimum: Float64Array;
  readonly maximum: Float64Array;
  readonly weight: Float64Array;
  /** the guest's demand, and from it the balancer's level (demand within [min, max]) and target (with buffer) */
  readonly demand: Float64Array;
  readonly level: Float64Array;
  readonly target: Float64Array;
  /** the balancer's share for the VM in its last pass */
  readonly goal: Float64Array;
  /** memory held in physical RAM, and from a Smart Paging file */
  readonly physical: Float64Array;
  readonly smartPaging: Float64Array;
  /** the host's overhead for the running VM (on its startup memory) */
  readonly overhead: Float64Array;
  /** 1 while a live migration copies it: the balancer leaves it alone */
  readonly frozen: Uint8Array;
  /** the size of its saved state (Saving, Saved, Restoring) */
  readonly savedBytes: Float64Array;
  readonly savedVolume: (VolumeState | undefined)[];
  /** a pending automatic start's token (0: none); a start or stop makes a pending one stale */
  readonly pendingStart: Int32Array;
  /** was running (or about to start) when its host went down: StartIfRunning brings it back */
  readonly wasRunning: Uint8Array;
  /** written as Running but did not fit at t = 0 */
  readonly unplaced: Uint8Array;
  readonly unplacedWhy = new Map<number, string>();
  /** changes at every start, stop and move, so a wake-up scheduled for an earlier run is ignored */
  readonly runToken: Int32Array;
  // Smart Paging file of the current run
  readonly spSession: Int32Array;
  readonly spStartTick: Float64Array;
  readonly spFileBytes: Float64Array;
  readonly spVolume: (VolumeState | undefined)[];
  readonly spPath: (string | undefined)[];
  // summary
  readonly starts: Int32Array;
  readonly failures: Int32Array;
  readonly spPeak: Float64Array;
  readonly spSeconds: Float64Array;
  readonly migrations: Int32Array;
  readonly preemptions: Int32Array;
  readonly lastFailure: (string | undefined)[];

  // ---- pools: a host's memory, or one NUMA node's when the host does not span nodes ----
  readonly poolHost: Int32Array;
  readonly capacity: Float64Array;
  readonly poolPhysical: Float64Array;
  readonly poolOverhead: Float64Array;
  readonly poolSmartPaging: Float64Array;
  /** memory set aside for migrations arriving in the pool */
  readonly poolIncoming: Float64Array;
  /** the VMs holding memory in the pool */
  readonly poolVms: number[][];

  // ---- hosts ----
  readonly firstPool: Int32Array;
  readonly pools: Int32Array;
  /** the VMs the host owns, in plan order (then arrival) */
  readonly hostVms: number[][];
  /** lost for good (nodeFailure) */
  readonly failed: Uint8Array;
  /** restarting: shutting down, down, or not yet back */
  readonly down: Uint8Array;
  /** paused (drained): no new placement */
  readonly paused: Uint8Array;
  /** changes at every restart and failure, so a host-up scheduled before is ignored */
  readonly hostEpoch: Int32Array;
  readonly volumes: (VolumeState[] | undefined)[];
  /** when the host's disk is free for the next save or restore (they go one after another) */
  readonly diskFreeTick: Float64Array;
  /** live migrations running from or to the host */
  readonly liveMigrations: Int32Array;
  readonly hostPeak: Float64Array;
  readonly hostPeakSmartPaging: Float64Array;

  /** the tick being worked on (callbacks of the agenda read it) */
  now = 0;
  readonly flights = new Map<number, Flight>();
  readonly groups: MoveGroup[] = [];
  /** VMs the cluster could not place (failover) or took offline (preemption): started again when a node has room */
  readonly waiting: number[] = [];
  /** the node a VM was drained from, for failback (-1: none) */
  readonly drainedFrom: Int32Array;
  /** saved by its cluster when its node went down: it comes back with the node */
  readonly savedByCluster: Uint8Array;
  /** something changed that the cluster's turn should look at: a move to start, memory freed, a node back */
  clusterTurn = false;
  /** a periodic retry for waiting VMs is scheduled */
  retryScheduled = false;

  /** balancer bookkeeping, by pool: something changed (a full pass is due), VMs still moving towards their goal */
  readonly needsFull: Uint8Array;
  readonly moving: number[][];
  dirty: number[] = [];
  readonly inDirty: Uint8Array;

  /** notified of each VM whose series point must not be skipped (start, stop, move, demand) */
  onChange: (v: number, ramp: boolean) => void = () => undefined;

  constructor(plan: Plan) {
    this.plan = plan;
    this.vms = plan.vms;
    this.dt = plan.model.tickSeconds;
    this.lastTick = Math.floor(plan.scenario.durationSeconds / this.dt + 1e-9);
    const vmCount = (this.vmCount = plan.vms.length);
    const hostCount = (this.hostCount = plan.hosts.length);
    plan.hosts.forEach((h, i) => { if (!this.hostIndex.has(h.name)) this.hostIndex.set(h.name, i); });
    plan.vms.forEach((v, i) => { if (!this.vmIndex.has(v.name)) this.vmIndex.set(v.name, i); });

    this.owner = new Int32Array(vmCount).fill(-1);
    this.pool = new Int32Array(vmCount).fill(-1);
    this.phase = new Uint8Array(vmCount);
    this.dynamic = new Uint8Array(vmCount);
    this.startup = new Float64Array(vmCount);
    this.minimum = new Float64Array(vmCount);
    this.maximum = new Float64Array(vmCount);
    this.weight = new Float64Array(vmCount);
    this.demand = new Float64Array(vmCount);
    this.level = new Float64Array(vmCount);
    this.target = new Float64Array(vmCount);
    this.goal = new Float64Array(vmCount);
    this.physical = new Float64Array(vmCount);
    this.smartPaging = new Float64Array(vmCount);
    this.overhead = new Float64Array(vmCount);
    this.frozen = new Uint8Array(vmCount);
    this.savedBytes = new Float64Array(vmCount);
    this.savedVolume = new Array(vmCount).fill(undefined);
    this.pendingStart = new Int32Array(vmCount);
    this.wasRunning = new Uint8Array(vmCount);
    this.unplaced = new Uint8Array(vmCount);
    this.runToken = new Int32Array(vmCount);
    this.spSession = new Int32Array(vmCount);
    this.spStartTick = new Float64Array(vmCount);
    this.spFileBytes = new Float64Array(vmCount);
    this.spVolume = new Array(vmCount).fill(undefined);
    this.spPath = new Array(vmCount).fill(undefined);
    this.starts = new Int32Array(vmCount);
    this.failures = new Int32Array(vmCount);
    this.spPeak = new Float64Array(vmCount);
    this.spSeconds = new Float64Array(vmCount);
    this.migrations = new Int32Array(vmCount);
    this.preemptions = new Int32Array(vmCount);
    this.lastFailure = new Array(vmCount).fill(undefined);
    this.drainedFrom = new Int32Array(vmCount).fill(-1);
    this.savedByCluster = new Uint8Array(vmCount);

    this.firstPool = new Int32Array(hostCount);
    this.pools = new Int32Array(hostCount);
    let poolCount = 0;
    plan.hosts.forEach((h, i) => {
      this.firstPool[i] = poolCount;
      // With NUMA spanning off, each node is a pool of its own: a VM gets its memory inside one.
      this.pools[i] = h.numaSpanning ? 1 : Math.max(1, h.numaNodes);
      poolCount += this.pools[i];
    });
    this.poolCount = poolCount;
    this.poolHost = new Int32Array(poolCount);
    this.capacity = new Float64Array(poolCount);
    this.poolPhysical = new Float64Array(poolCount);
    this.poolOverhead = new Float64Array(poolCount);
    this.poolSmartPaging = new Float64Array(poolCount);
    this.poolIncoming = new Float64Array(poolCount);
    this.poolVms = Array.from({ length: poolCount }, () => []);
    this.needsFull = new Uint8Array(poolCount);
    this.moving = Array.from({ length: poolCount }, () => []);
    this.inDirty = new Uint8Array(poolCount);
    plan.hosts.forEach((h, i) => {
      const total = simulatedCapacityBytes(h, plan.cluster);
      for (let n = 0; n < this.pools[i]; n++) {
        const p = this.firstPool[i] + n;
        this.poolHost[p] = i;
        this.capacity[p] = Math.floor(total / this.pools[i]);
      }
    });

    this.hostVms = Array.from({ length: hostCount }, () => []);
    this.failed = new Uint8Array(hostCount);
    this.down = new Uint8Array(hostCount);
    this.paused = new Uint8Array(hostCount);
    this.hostEpoch = new Int32Array(hostCount);
    this.volumes = plan.hosts.map((h) => h.volumes?.map((v) => ({ name: v.name, freeBytes: v.freeBytes })));
    this.diskFreeTick = new Float64Array(hostCount);
    this.liveMigrations = new Int32Array(hostCount);
    this.hostPeak = new Float64Array(hostCount);
    this.hostPeakSmartPaging = new Float64Array(hostCount);

    plan.vms.forEach((vm, v) => {
      this.dynamic[v] = vm.dynamic ? 1 : 0;
      this.startup[v] = vm.startupBytes;
      this.minimum[v] = vm.minimumBytes;
      this.maximum[v] = Math.max(vm.maximumBytes, vm.minimumBytes);
      this.weight[v] = vm.priority;
      const h = this.hostIndex.get(vm.host);
      if (h !== undefined) { this.owner[v] = h; this.hostVms[h].push(v); }
    });
  }

  private lastToken = 0;

  /**
   * The whole mutable state, copied, and a function that puts it back: trials from one moment (each node
   * lost in turn) start from the same state without placing every VM again. Every array, map and scalar
   * field is covered, so a new field needs nothing here.
   */
  snapshot(): () => void {
    const self = this as unknown as Record<string, unknown>;
    const saved: [string, unknown][] = [];
    for (const [key, value] of Object.entries(self)) {
      if (UNCHANGING.has(key)) continue;
      if (ArrayBuffer.isView(value)) saved.push([key, (value as Float64Array).slice()]);
      else if (Array.isArray(value)) saved.push([key, value.map((x) => (Array.isArray(x) ? x.slice() : x))]);
      else if (value instanceof Map) saved.push([key, new Map(value)]);
      else if (typeof value !== 'object' && typeof value !== 'function') saved.push([key, value]);
    }
    const volumes = this.volumes.map((list) => list?.map((v) => v.freeBytes));
    const agenda = this.agenda.snapshot();
    return () => {
      for (const [key, value] of saved) {
        const current = self[key];
        if (ArrayBuffer.isView(current)) (current as Float64Array).set(value as Float64Array);
        else if (Array.isArray(current)) restoreList(current, value as unknown[]);
        else if (current instanceof Map) { current.clear(); for (const [k, v] of value as Map<unknown, unknown>) current.set(k, v); }
        else self[key] = value;
      }
      this.volumes.forEach((list, h) => list?.forEach((v, i) => { v.freeBytes = volumes[h]![i]; }));
      agenda();
    };
  }

  /** A number never handed out before (for wake-ups that a later change makes stale). */
  newToken(): number {
    return ++this.lastToken;
  }

  // ---- time ----

  tickOf(seconds: number): number {
    return Math.max(0, Math.ceil(seconds / this.dt - 1e-9));
  }

  time(k: number): number {
    return Math.round(k * this.dt * 1000) / 1000;
  }

  /** Ticks a transfer of `bytes` at `bytesPerSecond` takes (at least one when there is anything to move). */
  transferTicks(bytes: number, bytesPerSecond: number): number {
    return bytes > 0 ? Math.max(1, this.tickOf(bytes / bytesPerSecond)) : 0;
  }

  at(tick: number, phase: Phase, run: () => void): void {
    this.agenda.at(tick, phase, run);
  }

  emit(e: SimEvent): void {
    this.events.push(e);
  }

  hostName(h: number): string {
    return h >= 0 ? this.plan.hosts[h].name : '';
  }

  // ---- memory ----

  free(p: number): number {
    return this.capacity[p] - this.poolPhysical[p] - this.poolOverhead[p] - this.poolIncoming[p];
  }

  /** Whether a host takes new VMs: up, not lost, not paused. */
  accepts(h: number): boolean {
    return !this.failed[h] && !this.down[h] && !this.paused[h];
  }

  overheadOf(h: number, v: number): number {
    return vmOverheadBytes(this.plan.hosts[h], this.startup[v]);
  }

  /** Memory other running dynamic VMs in the pool hold above the larger of their minimum and demand. */
  reclaimable(p: number, except: number): number {
    let sum = 0;
    for (const v of this.poolVms[p]) {
      if (v === except || !this.balanced(v)) continue;
      const r = this.physical[v] - Math.max(this.minimum[v], this.demand[v]);
      if (r > 0) sum += r;
    }
    return sum;
  }

  /** Takes `amount` from other running VMs of the pool at once: lowest weight first, then plan order. */
  reclaim(p: number, except: number, amount: number): void {
    if (amount <= 0) return;
    const donors = this.poolVms[p].filter((v) => v !== except && this.balanced(v) && this.physical[v] > Math.max(this.minimum[v], this.demand[v]));
    donors.sort((a, b) => this.weight[a] - this.weight[b] || a - b);
    for (const v of donors) {
      if (amount <= 0) break;
      const take = Math.min(amount, this.physical[v] - Math.max(this.minimum[v], this.demand[v]));
      this.physical[v] -= take;
      this.poolPhysical[p] -= take;
      amount -= take;
      this.onChange(v, false);
    }
  }

  /** Whether the balancer moves the VM: running, dynamic, not being migrated. */
  balanced(v: number): boolean {
    return this.phase[v] === VmPhase.Running && this.dynamic[v] === 1 && this.frozen[v] === 0;
  }

  /** The VM begins to hold memory in pool p (physical, Smart Paging, its overhead). */
  hold(v: number, p: number, physical: number, smartPaging: number, overhead: number): void {
    this.pool[v] = p;
    this.poolVms[p].push(v);
    this.physical[v] = physical;
    this.smartPaging[v] = smartPaging;
    this.overhead[v] = overhead;
    this.poolPhysical[p] += physical;
    this.poolSmartPaging[p] += smartPaging;
    this.poolOverhead[p] += overhead;
    this.notePeak(this.poolHost[p]);
    this.markFull(p);
    this.onChange(v, false);
  }

  /** The VM gives back everything it holds (its Smart Paging memory too: the caller deals with the file). */
  releaseAll(v: number): void {
    const p = this.pool[v];
    if (p < 0) return;
    this.poolPhysical[p] -= this.physical[v];
    this.poolSmartPaging[p] -= this.smartPaging[v];
    this.poolOverhead[p] -= this.overhead[v];
    const list = this.poolVms[p];
    const i = list.indexOf(v);
    if (i >= 0) list.splice(i, 1);
    this.physical[v] = 0;
    this.smartPaging[v] = 0;
    this.overhead[v] = 0;
    this.pool[v] = -1;
    this.markFull(p);
    this.onChange(v, false);
    this.clusterTurn = true;
  }

  /** The VM changes owner (its memory, if any, stays where it is until released). */
  setOwner(v: number, h: number): void {
    const from = this.owner[v];
    if (from === h) return;
    if (from >= 0) {
      const list = this.hostVms[from];
      const i = list.indexOf(v);
      if (i >= 0) list.splice(i, 1);
    }
    this.owner[v] = h;
    if (h >= 0) this.hostVms[h].push(v);
    this.onChange(v, false);
  }

  setDemand(v: number, bytes: number): void {
    const min = this.minimum[v];
    const max = this.maximum[v];
    this.demand[v] = bytes;
    this.level[v] = Math.min(max, Math.max(min, bytes));
    this.target[v] = Math.min(max, Math.max(min, Math.floor((bytes * (100 + this.vms[v].bufferPercent)) / 100)));
    const p = this.pool[v];
    if (p >= 0 && this.phase[v] === VmPhase.Running) this.markFull(p);
    this.onChange(v, false);
  }

  markFull(p: number): void {
    this.needsFull[p] = 1;
    if (!this.inDirty[p]) { this.inDirty[p] = 1; this.dirty.push(p); }
  }

  /** Host totals over its pools. */
  hostPhysical(h: number): number { return this.sumPools(h, this.poolPhysical); }
  hostOverhead(h: number): number { return this.sumPools(h, this.poolOverhead); }
  hostSmartPaging(h: number): number { return this.sumPools(h, this.poolSmartPaging); }
  hostIncoming(h: number): number { return this.sumPools(h, this.poolIncoming); }
  hostCapacity(h: number): number { return this.sumPools(h, this.capacity); }

  private sumPools(h: number, a: Float64Array): number {
    let sum = 0;
    for (let p = this.firstPool[h], end = p + this.pools[h]; p < end; p++) sum += a[p];
    return sum;
  }

  notePeak(h: number): void {
    const used = this.hostPhysical(h) + this.hostOverhead(h) + this.hostIncoming(h);
    if (used > this.hostPeak[h]) this.hostPeak[h] = used;
    const sp = this.hostSmartPaging(h);
    if (sp > this.hostPeakSmartPaging[h]) this.hostPeakSmartPaging[h] = sp;
  }
}

/** Fields a run never changes: a snapshot leaves them out (the plan's VMs, the index of their names). */
const UNCHANGING: ReadonlySet<string> = new Set(['plan', 'vms', 'vmIndex']);

/** Puts a list back as it was, element by element (lists of lists get copies, so the snapshot stays whole). */
function restoreList(current: unknown[], saved: readonly unknown[]): void {
  current.length = saved.length;
  for (let i = 0; i < saved.length; i++) {
    const x = saved[i];
    current[i] = Array.isArray(x) ? x.slice() : x;
  }
}
