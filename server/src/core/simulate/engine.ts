// The simulation engine: hosts and VMs as arrays (struct of arrays), one balancer pass per tick, and
// the scenario's events. docs/simulation.md describes the rules; this file follows them.
//
// Each tick k (time k × tickSeconds): first the balancer pass covering the tick just past, then what
// happens at k, in this order: Smart Paging target checks, demand steps, scenario events (file order),
// hosts coming back, boots ending, automatic starts. The state after tick k is what the series show.
//
// Speed: a host is balanced only while something on it can change (an input changed, or a VM is still
// moving towards its goal); ticks where no host can change are skipped up to the next wake-up. The
// `reference` option balances every host every tick instead; both give the same result (tested).
import { simulatedCapacityBytes, startNeedBytes, vmOverheadBytes, volumeOf } from '../capacity';
import type { Plan, Vm } from '../plan';
import { formatBytes, formatClock } from '../units';
import { Scratch, shareOut } from './balance';
import { TimedHeap, type Timed } from './heap';
import { nameRecord, own } from '../records';
import type { HostSummary, Series, SimEvent, SimulationResult, StartFailureReason, VmSummary } from './types';

export interface EngineOptions {
  /** balance every host on every tick (the plain, slow reading of the rules), for tests */
  reference?: boolean;
  /** leave `series` empty (the scenario diagnostics do not need it) */
  series?: boolean;
  /** how often a ramping VM's own series gets a point; default duration / MAX_VM_RAMP_SAMPLES, 0: every sample */
  vmSampleSeconds?: number;
}

const OFF = 0;
const BOOTING = 1;
const RUNNING = 2;

/** Series are sampled at most this many times over the scenario (and never more often than a tick). */
export const MAX_SAMPLES = 2000;
/** While a VM ramps towards its goal, its own series gets a point at most every duration / this. */
export const MAX_VM_RAMP_SAMPLES = 100;

const CLUSTER_RANK: Record<Vm['clusterPriority'], number> = { High: 0, Medium: 1, Low: 2, NoAutoStart: 3 };

interface VolumeState { name: string; freeBytes: number }
interface Wake extends Timed { vm: number; token: number }
interface HostWake extends Timed { host: number; token: number }
interface DemandStep { tick: number; vm: number; bytes: number }

export class Engine {
  private readonly dt: number;
  private readonly lastTick: number;
  private readonly reference: boolean;
  private readonly withSeries: boolean;
  private readonly nV: number;
  private readonly nH: number;
  private readonly vms: readonly Vm[];

  // VM state, indexed by VM.
  private readonly host: Int32Array;
  private readonly state: Uint8Array;
  private readonly dynamic: Uint8Array;
  private readonly phys: Float64Array;
  private readonly sp: Float64Array;
  private readonly demand: Float64Array;
  private readonly minimum: Float64Array;
  private readonly maximum: Float64Array;
  private readonly startup: Float64Array;
  private readonly level: Float64Array;
  private readonly target: Float64Array;
  private readonly weight: Float64Array;
  private readonly goal: Float64Array;
  private readonly overhead: Float64Array;
  private readonly pendingStart: Int32Array;
  private readonly wasRunning: Uint8Array;
  /** written as Running but did not fit at t = 0: a restart or failover at 0 still counts it as running */
  private readonly unplaced: Uint8Array;
  private readonly unplacedWhy = new Map<number, string>();
  private readonly spSession: Int32Array;
  /** changes at every start and stop, so a boot end scheduled for an earlier run is ignored */
  private readonly runToken: Int32Array;
  private readonly spStartTick: Float64Array;
  private readonly spFileBytes: Float64Array;
  private readonly spVolume: (VolumeState | undefined)[];
  // VM summary.
  private readonly starts: Int32Array;
  private readonly failures: Int32Array;
  private readonly spPeak: Float64Array;
  private readonly spSeconds: Float64Array;
  private readonly lastFailure: (string | undefined)[];
  private readonly spPath: (string | undefined)[];

  // Host state, indexed by host.
  private readonly hostVms: number[][];
  private readonly capacity: Float64Array;
  private readonly hostPhys: Float64Array;
  private readonly hostOv: Float64Array;
  private readonly hostSP: Float64Array;
  private readonly hostPeak: Float64Array;
  private readonly hostPeakSP: Float64Array;
  private readonly failed: Uint8Array;
  private readonly down: Uint8Array;
  private readonly hostEpoch: Int32Array;
  private readonly volumes: (VolumeState[] | undefined)[];
  // Balancer bookkeeping: hosts with work to do, and per host the VMs still moving towards their goal.
  private readonly needsFull: Uint8Array;
  private readonly moving: number[][];
  private readonly dirty: number[] = [];
  private readonly inDirty: Uint8Array;
  private readonly balanced: Int32Array;
  private readonly scratch = new Scratch();

  // Wake-ups.
  private readonly demandSteps: DemandStep[];
  private demandNext = 0;
  private eventNext = 0;
  private readonly bootEnds = new TimedHeap<Wake>();
  private readonly autoStarts = new TimedHeap<Wake>();
  private readonly hostUps = new TimedHeap<HostWake>();
  private readonly overTarget = new TimedHeap<Wake>();
  private seq = 0;

  private readonly events: SimEvent[] = [];
  private readonly hostIndex = new Map<string, number>();
  private readonly vmIndex = new Map<string, number>();
  private readonly series: Series;
  private readonly changed: number[] = [];
  private readonly isChanged: Uint8Array;
  /** the VM's next point may not be thinned: it shows a start, stop, demand change or Smart Paging end */
  private readonly mustRecord: Uint8Array;
  private readonly sampleEvery: number;
  private readonly vmSampleSeconds: number;

  constructor(private readonly plan: Plan, options: EngineOptions = {}) {
    this.dt = plan.model.tickSeconds;
    this.lastTick = Math.floor(plan.scenario.durationSeconds / this.dt + 1e-9);
    this.reference = options.reference ?? false;
    this.withSeries = options.series ?? true;
    this.vms = plan.vms;
    const nV = (this.nV = plan.vms.length);
    const nH = (this.nH = plan.hosts.length);
    plan.hosts.forEach((h, i) => { if (!this.hostIndex.has(h.name)) this.hostIndex.set(h.name, i); });
    plan.vms.forEach((v, i) => { if (!this.vmIndex.has(v.name)) this.vmIndex.set(v.name, i); });

    this.host = new Int32Array(nV).fill(-1);
    this.state = new Uint8Array(nV);
    this.dynamic = new Uint8Array(nV);
    this.phys = new Float64Array(nV);
    this.sp = new Float64Array(nV);
    this.demand = new Float64Array(nV);
    this.minimum = new Float64Array(nV);
    this.maximum = new Float64Array(nV);
    this.startup = new Float64Array(nV);
    this.level = new Float64Array(nV);
    this.target = new Float64Array(nV);
    this.weight = new Float64Array(nV);
    this.goal = new Float64Array(nV);
    this.overhead = new Float64Array(nV);
    this.pendingStart = new Int32Array(nV);
    this.wasRunning = new Uint8Array(nV);
    this.unplaced = new Uint8Array(nV);
    this.spSession = new Int32Array(nV);
    this.runToken = new Int32Array(nV);
    this.spStartTick = new Float64Array(nV);
    this.spFileBytes = new Float64Array(nV);
    this.spVolume = new Array(nV).fill(undefined);
    this.starts = new Int32Array(nV);
    this.failures = new Int32Array(nV);
    this.spPeak = new Float64Array(nV);
    this.spSeconds = new Float64Array(nV);
    this.lastFailure = new Array(nV).fill(undefined);
    this.spPath = new Array(nV).fill(undefined);
    this.isChanged = new Uint8Array(nV);
    this.mustRecord = new Uint8Array(nV);
    this.balanced = new Int32Array(nV);

    this.hostVms = Array.from({ length: nH }, () => []);
    this.moving = Array.from({ length: nH }, () => []);
    this.capacity = new Float64Array(nH);
    this.hostPhys = new Float64Array(nH);
    this.hostOv = new Float64Array(nH);
    this.hostSP = new Float64Array(nH);
    this.hostPeak = new Float64Array(nH);
    this.hostPeakSP = new Float64Array(nH);
    this.failed = new Uint8Array(nH);
    this.down = new Uint8Array(nH);
    this.hostEpoch = new Int32Array(nH);
    this.needsFull = new Uint8Array(nH);
    this.inDirty = new Uint8Array(nH);
    this.volumes = plan.hosts.map((h) => h.volumes?.map((v) => ({ name: v.name, freeBytes: v.freeBytes })));
    plan.hosts.forEach((h, i) => { this.capacity[i] = simulatedCapacityBytes(h); });

    const steps: DemandStep[] = [];
    plan.vms.forEach((vm, v) => {
      this.dynamic[v] = vm.dynamic ? 1 : 0;
      this.startup[v] = vm.startupBytes;
      this.minimum[v] = vm.minimumBytes;
      this.maximum[v] = Math.max(vm.maximumBytes, vm.minimumBytes);
      this.weight[v] = vm.priority;
      const h = this.hostIndex.get(vm.host);
      if (h !== undefined) { this.host[v] = h; this.hostVms[h].push(v); }
      let initial = vm.demand.length ? vm.demand[0].bytes : vm.minimumBytes;
      for (const step of vm.demand) {
        if (step.atSeconds <= 0) initial = step.bytes;
        else steps.push({ tick: this.tickOf(step.atSeconds), vm: v, bytes: step.bytes });
      }
      this.setDemand(v, initial);
    });
    steps.sort((a, b) => a.tick - b.tick || a.vm - b.vm);
    this.demandSteps = steps;

    this.vmSampleSeconds = options.vmSampleSeconds ?? plan.scenario.durationSeconds / MAX_VM_RAMP_SAMPLES;
    this.sampleEvery = Math.max(1, Math.ceil(Math.max(this.dt, plan.scenario.durationSeconds / MAX_SAMPLES) / this.dt - 1e-9));
    this.series = { t: [], hosts: nameRecord(), vms: nameRecord(), hostNames: plan.hosts.map((h) => h.name) };
    if (this.withSeries) {
      for (const h of plan.hosts) if (!own(this.series.hosts, h.name)) this.series.hosts[h.name] = { physical: [], overhead: [], smartPaging: [], free: [] };
      for (const vm of plan.vms) if (!own(this.series.vms, vm.name)) this.series.vms[vm.name] = { t: [], host: [], physical: [], smartPaging: [], demand: [] };
    }
  }

  run(): SimulationResult {
    this.placeInitial();
    this.happen(0);
    // Reported after the events at 0: a host restart at 0 gives these VMs their chance first.
    this.plan.vms.forEach((_, v) => {
      if (this.unplaced[v]) { this.unplaced[v] = 0; this.fail(v, this.host[v], 0, 'insufficient-memory', this.unplacedWhy.get(v)!); }
    });
    if (this.withSeries) { for (let v = 0; v < this.nV; v++) this.markChanged(v); this.sample(0); }
    let k = 1;
    while (k <= this.lastTick) {
      if (!this.reference && this.dirty.length === 0) {
        const next = Math.min(this.nextWake(), this.lastTick + 1);
        if (next > k) {
          // Nothing can change before `next`: the samples in between repeat the current state.
          this.sampleRange(k, next - 1);
          k = next;
          continue;
        }
      }
      this.balance(k);
      this.happen(k);
      if (this.isSampleTick(k)) this.sample(k);
      k++;
    }
    return this.result();
  }

  /**
   * For each node in turn, from the state at t = 0: which VMs could start nowhere else if that node
   * alone failed. One engine, its state restored between trials, so a large cluster costs one setup.
   */
  lossOfEachNode(): { host: string; failures: Extract<SimEvent, { type: 'vmStartFailed' }>[] }[] {
    this.placeInitial();
    this.events.length = 0;
    const vmArrays = [this.host, this.state, this.phys, this.sp, this.overhead, this.unplaced] as const;
    const hostArrays = [this.hostPhys, this.hostOv, this.hostSP, this.failed] as const;
    const savedVm = vmArrays.map((a) => a.slice());
    const savedHost = hostArrays.map((a) => a.slice());
    const savedLists = this.hostVms.map((l) => l.slice());
    const out: { host: string; failures: Extract<SimEvent, { type: 'vmStartFailed' }>[] }[] = [];
    for (let h = 0; h < this.nH; h++) {
      vmArrays.forEach((a, i) => a.set(savedVm[i] as never));
      hostArrays.forEach((a, i) => a.set(savedHost[i] as never));
      savedLists.forEach((l, i) => { this.hostVms[i] = l.slice(); });
      this.events.length = 0;
      this.nodeFailure(h, 0);
      const failures = this.events.filter((e): e is Extract<SimEvent, { type: 'vmStartFailed' }> => e.type === 'vmStartFailed');
      out.push({ host: this.plan.hosts[h].name, failures });
    }
    return out;
  }

  private tickOf(seconds: number): number {
    return Math.max(0, Math.ceil(seconds / this.dt - 1e-9));
  }

  private time(k: number): number {
    return Math.round(k * this.dt * 1000) / 1000;
  }

  private nextWake(): number {
    const demand = this.demandNext < this.demandSteps.length ? this.demandSteps[this.demandNext].tick : Infinity;
    const events = this.plan.scenario.events;
    const event = this.eventNext < events.length ? this.tickOf(events[this.eventNext].atSeconds) : Infinity;
    return Math.min(demand, event, this.bootEnds.peekTick(), this.autoStarts.peekTick(), this.hostUps.peekTick(), this.overTarget.peekTick());
  }

  // ---- demand and the balancer -------------------------------------------------------------------

  private setDemand(v: number, bytes: number): void {
    const min = this.minimum[v];
    const max = this.maximum[v];
    const vm = this.vms[v];
    this.demand[v] = bytes;
    this.level[v] = Math.min(max, Math.max(min, bytes));
    this.target[v] = Math.min(max, Math.max(min, Math.floor((bytes * (100 + vm.bufferPercent)) / 100)));
    const h = this.host[v];
    if (this.state[v] === RUNNING && h >= 0) this.markFull(h);
    this.markChanged(v);
  }

  private markFull(h: number): void {
    this.needsFull[h] = 1;
    if (!this.inDirty[h]) { this.inDirty[h] = 1; this.dirty.push(h); }
  }

  /** Notes a change for the VM's series; `ramp`: a balancer step, which may be thinned out. */
  private markChanged(v: number, ramp = false): void {
    if (!this.withSeries) return;
    if (!ramp) this.mustRecord[v] = 1;
    if (!this.isChanged[v]) { this.isChanged[v] = 1; this.changed.push(v); }
  }

  /** What the balancer may share among the host's running dynamic VMs, with those VMs listed in `balanced`. */
  private balancedPool(h: number): [count: number, pool: number] {
    let n = 0;
    let held = 0;
    for (const v of this.hostVms[h]) {
      if (this.state[v] === RUNNING && this.dynamic[v]) { this.balanced[n++] = v; held += this.phys[v]; }
    }
    let sp = 0;
    for (let i = 0; i < n; i++) sp += this.sp[this.balanced[i]];
    // Smart Paging memory is the VM's too: it counts towards what the VM holds, and leaves only by ballooning.
    const fixed = this.hostOv[h] + (this.hostPhys[h] - held);
    return [n, this.capacity[h] - fixed + sp];
  }

  private balance(k: number): void {
    if (this.reference) {
      for (let h = 0; h < this.nH; h++) if (!this.failed[h]) this.fullPass(h, k);
      return;
    }
    const hosts = this.dirty.splice(0);
    for (const h of hosts) {
      this.inDirty[h] = 0;
      if (this.failed[h]) continue;
      if (this.needsFull[h]) this.fullPass(h, k);
      else this.applyMoves(h, k);
      if (this.needsFull[h] || this.moving[h].length) { this.inDirty[h] = 1; this.dirty.push(h); }
    }
  }

  private fullPass(h: number, k: number): void {
    this.needsFull[h] = 0;
    const [n, pool] = this.balancedPool(h);
    const list = this.balanced;
    shareOut(list, n, pool, this.minimum, this.level, this.target, this.weight, this.goal, this.scratch);
    const moving = this.moving[h];
    moving.length = 0;
    for (let i = 0; i < n; i++) {
      const v = list[i];
      if (this.phys[v] + this.sp[v] !== this.goal[v]) moving.push(v);
    }
    if (moving.length) this.applyMoves(h, k);
  }

  /** One pass of the add and remove rates for the host's moving VMs: removals first, then additions. */
  private applyMoves(h: number, k: number): void {
    const moving = this.moving[h];
    const removeStep = Math.floor(this.plan.model.removeRatePerSecond * this.dt);
    const addStep = Math.floor(this.plan.model.addRatePerSecond * this.dt);
    let changedAny = false;
    for (const v of moving) {
      const excess = this.phys[v] + this.sp[v] - this.goal[v];
      if (excess <= 0) continue;
      const out = Math.min(excess, removeStep);
      if (out <= 0) continue;
      // Smart Paging memory is ballooned out first.
      const fromSp = Math.min(this.sp[v], out);
      this.sp[v] -= fromSp;
      this.hostSP[h] -= fromSp;
      this.phys[v] -= out - fromSp;
      this.hostPhys[h] -= out - fromSp;
      changedAny = true;
      this.markChanged(v, true);
      if (fromSp > 0) {
        // The pool counts Smart Paging memory: once it shrinks, the shares must be worked out again.
        this.needsFull[h] = 1;
        if (this.sp[v] === 0) this.endSmartPaging(v, k);
      }
    }
    for (const v of moving) {
      const short = this.goal[v] - this.phys[v] - this.sp[v];
      if (short <= 0) continue;
      const free = this.capacity[h] - this.hostPhys[h] - this.hostOv[h];
      const add = Math.min(short, addStep, free);
      if (add <= 0) continue;
      this.phys[v] += add;
      this.hostPhys[h] += add;
      changedAny = true;
      this.markChanged(v, true);
    }
    this.notePeak(h);
    let w = 0;
    // A pass that changed nothing would change nothing again until an input changes (which asks for a
    // full pass), so the host can rest.
    if (changedAny) for (const v of moving) if (this.phys[v] + this.sp[v] !== this.goal[v]) moving[w++] = v;
    moving.length = w;
  }

  private notePeak(h: number): void {
    const used = this.hostPhys[h] + this.hostOv[h];
    if (used > this.hostPeak[h]) this.hostPeak[h] = used;
    if (this.hostSP[h] > this.hostPeakSP[h]) this.hostPeakSP[h] = this.hostSP[h];
  }

  // ---- what happens at a tick --------------------------------------------------------------------

  private happen(k: number): void {
    for (let w = this.overTarget.popDue(k); w; w = this.overTarget.popDue(k)) {
      if (this.spSession[w.vm] === w.token && this.sp[w.vm] > 0) {
        this.events.push({ t: this.time(k), type: 'smartPagingOverTarget', vm: this.vms[w.vm].name, host: this.hostName(w.vm) });
      }
    }
    while (this.demandNext < this.demandSteps.length && this.demandSteps[this.demandNext].tick <= k) {
      const step = this.demandSteps[this.demandNext++];
      this.setDemand(step.vm, step.bytes);
    }
    const events = this.plan.scenario.events;
    while (this.eventNext < events.length && this.tickOf(events[this.eventNext].atSeconds) <= k) {
      this.scenarioEvent(events[this.eventNext++], k);
    }
    for (let w = this.hostUps.popDue(k); w; w = this.hostUps.popDue(k)) {
      if (this.hostEpoch[w.host] === w.token) this.hostUp(w.host, k);
    }
    for (let w = this.bootEnds.popDue(k); w; w = this.bootEnds.popDue(k)) {
      if (this.state[w.vm] === BOOTING && this.runToken[w.vm] === w.token) this.bootEnd(w.vm);
    }
    for (let w = this.autoStarts.popDue(k); w; w = this.autoStarts.popDue(k)) {
      if (this.pendingStart[w.vm] !== w.token) continue;
      this.pendingStart[w.vm] = 0;
      this.start(w.vm, this.host[w.vm], k, true, false, 0, false);
    }
  }

  private scenarioEvent(e: Plan['scenario']['events'][number], k: number): void {
    const h = 'host' in e ? this.hostIndex.get(e.host) : undefined;
    const v = 'vm' in e ? this.vmIndex.get(e.vm) : undefined;
    switch (e.type) {
      case 'hostRestart':
        if (h !== undefined && !this.failed[h]) this.hostRestart(h, k);
        return;
      case 'nodeFailure':
        if (h !== undefined && !this.failed[h]) this.nodeFailure(h, k);
        return;
      case 'vmRestart':
        if (v !== undefined && this.state[v] !== OFF) this.guestRestart(v, k);
        return;
      case 'vmStart':
        if (v !== undefined && this.state[v] === OFF && this.pendingStart[v] === 0 && this.host[v] >= 0) this.start(v, this.host[v], k, false, false, 0, false);
        return;
      case 'vmStop':
        if (v !== undefined) { this.pendingStart[v] = 0; this.stop(v, k); }
        return;
      case 'demand':
        if (v !== undefined && e.memoryBytes !== undefined) {
          this.setDemand(v, e.memoryBytes);
          this.events.push({ t: this.time(k), type: 'demand', vm: this.vms[v].name, bytes: e.memoryBytes });
        }
        return;
    }
  }

  private hostRestart(h: number, k: number): void {
    this.events.push({ t: this.time(k), type: 'hostRestart', host: this.plan.hosts[h].name });
    for (const v of this.hostVms[h]) {
      this.wasRunning[v] = this.state[v] !== OFF || this.pendingStart[v] !== 0 || this.unplaced[v] ? 1 : 0;
      this.pendingStart[v] = 0;
      this.unplaced[v] = 0;
      this.stop(v, k);
    }
    this.down[h] = 1;
    const token = ++this.hostEpoch[h];
    const up = k + this.tickOf(this.plan.model.hostBootSeconds);
    if (up === k) this.hostUp(h, k);
    else this.hostUps.push({ tick: up, seq: this.seq++, host: h, token });
  }

  private hostUp(h: number, k: number): void {
    this.down[h] = 0;
    this.events.push({ t: this.time(k), type: 'hostUp', host: this.plan.hosts[h].name });
    for (const v of this.hostVms[h]) {
      const vm = this.vms[v];
      if (vm.automaticStartAction === 'Start' || (vm.automaticStartAction === 'StartIfRunning' && this.wasRunning[v])) {
        const token = ++this.seq;
        this.pendingStart[v] = token;
        this.autoStarts.push({ tick: k + this.tickOf(vm.automaticStartDelaySeconds), seq: token, vm: v, token });
      }
    }
  }

  private nodeFailure(h: number, k: number): void {
    this.events.push({ t: this.time(k), type: 'nodeFailure', host: this.plan.hosts[h].name });
    const lost = this.hostVms[h].splice(0);
    const active: number[] = [];
    for (const v of lost) {
      if (this.state[v] !== OFF || this.pendingStart[v] !== 0 || this.unplaced[v]) active.push(v);
      this.pendingStart[v] = 0;
      this.unplaced[v] = 0;
      this.stop(v, k);
    }
    this.failed[h] = 1;
    this.hostEpoch[h]++;
    this.moving[h].length = 0;
    const reserve = this.plan.cluster?.rootMemoryReservedBytes ?? 0;
    const toStart = active.filter((v) => this.vms[v].clusterPriority !== 'NoAutoStart');
    toStart.sort((a, b) => CLUSTER_RANK[this.vms[a].clusterPriority] - CLUSTER_RANK[this.vms[b].clusterPriority] || a - b);
    const started = new Set<number>();
    // What each node could reclaim, worked out once and refreshed only on the node that takes a VM.
    const reclaimable = new Float64Array(this.nH);
    for (let c = 0; c < this.nH; c++) if (!this.failed[c] && !this.down[c]) reclaimable[c] = this.reclaimable(c, -1);
    for (const v of toStart) {
      let best = -1;
      let bestFree = -Infinity;
      let mostAvailable = -Infinity;
      for (let c = 0; c < this.nH; c++) {
        if (this.failed[c] || this.down[c]) continue;
        const free = this.capacity[c] - this.hostPhys[c] - this.hostOv[c];
        const available = free + reclaimable[c] - reserve;
        mostAvailable = Math.max(mostAvailable, available);
        if (available >= startNeedBytes(this.plan.hosts[c], this.vms[v]) && free > bestFree) { best = c; bestFree = free; }
      }
      if (best >= 0) {
        this.host[v] = best;
        this.hostVms[best].push(v);
        this.start(v, best, k, false, true, 0, false);
        reclaimable[best] = this.reclaimable(best, -1);
        started.add(v);
      } else {
        const need = this.startup[v];
        const message = mostAvailable === -Infinity
          ? `no other node is up to take it after ${this.plan.hosts[h].name} failed`
          : `no node can take its ${formatBytes(need)} startup memory (plus overhead) while keeping the cluster's ${formatBytes(reserve)} root reserve; the most any node could give was ${formatBytes(Math.max(0, mostAvailable))}`;
        this.fail(v, h, k, 'no-capacity', message);
      }
    }
    // The rest are moved but not started: to the node with the most free memory.
    for (const v of lost) {
      if (started.has(v)) continue;
      let best = -1;
      let bestFree = -Infinity;
      for (let c = 0; c < this.nH; c++) {
        if (this.failed[c]) continue;
        const free = this.capacity[c] - this.hostPhys[c] - this.hostOv[c];
        if (free > bestFree) { best = c; bestFree = free; }
      }
      if (best >= 0) { this.host[v] = best; this.hostVms[best].push(v); this.markChanged(v); }
    }
  }

  /** A guest reboot: the VM keeps the physical memory it holds and needs its startup memory again. */
  private guestRestart(v: number, k: number): void {
    const h = this.host[v];
    this.pendingStart[v] = 0;
    if (this.sp[v] > 0 || this.spFileBytes[v] > 0) this.dropSmartPaging(v, k);
    let held = this.phys[v];
    if (held > this.startup[v]) {
      this.hostPhys[h] -= held - this.startup[v];
      held = this.startup[v];
      this.phys[v] = held;
    }
    this.state[v] = OFF;
    this.start(v, h, k, true, false, held, true);
  }

  /** Memory other running VMs on the host hold above the larger of their minimum and demand. */
  private reclaimable(h: number, except: number): number {
    let sum = 0;
    for (const v of this.hostVms[h]) {
      if (v === except || this.state[v] !== RUNNING || !this.dynamic[v]) continue;
      const r = this.phys[v] - Math.max(this.minimum[v], this.demand[v]);
      if (r > 0) sum += r;
    }
    return sum;
  }

  /** Takes `amount` from other running VMs at once: lowest weight first, then plan order. */
  private reclaim(h: number, except: number, amount: number): void {
    const donors = this.hostVms[h].filter((v) => v !== except && this.state[v] === RUNNING && this.dynamic[v]
      && this.phys[v] > Math.max(this.minimum[v], this.demand[v]));
    donors.sort((a, b) => this.weight[a] - this.weight[b] || a - b);
    for (const v of donors) {
      if (amount <= 0) break;
      const take = Math.min(amount, this.phys[v] - Math.max(this.minimum[v], this.demand[v]));
      this.phys[v] -= take;
      this.hostPhys[h] -= take;
      amount -= take;
      this.markChanged(v);
    }
  }

  /**
   * Starts a VM on host h. `held`: physical memory it already holds (a guest reboot), whose overhead is
   * already counted when `overheadCounted`. A restart of a dynamic VM whose minimum is below its startup
   * may take the shortfall from a Smart Paging file; a cold start or failover never does.
   */
  private start(v: number, h: number, k: number, restart: boolean, failover: boolean, held: number, overheadCounted: boolean): boolean {
    const vm = this.vms[v];
    if (h < 0) return false;
    if (this.failed[h] || this.down[h]) {
      this.release(v, h, held, overheadCounted);
      this.fail(v, h, k, 'insufficient-memory', `host ${this.plan.hosts[h].name} is ${this.failed[h] ? 'lost' : 'restarting'}`);
      return false;
    }
    const startup = this.startup[v];
    const ov = vmOverheadBytes(this.plan.hosts[h], startup);
    const newOv = overheadCounted ? 0 : ov;
    const extra = startup - held + newOv;
    const free = this.capacity[h] - this.hostPhys[h] - this.hostOv[h];
    let physical = startup;
    let smartPaging = 0;
    if (extra > free) {
      const rec = this.reclaimable(h, v);
      if (extra <= free + rec) {
        this.reclaim(h, v, extra - free);
      } else {
        const base = `needs ${formatBytes(startup)}${ov ? ` plus ${formatBytes(ov)} overhead` : ''}; ${this.plan.hosts[h].name} had ${held ? `${formatBytes(held)} held by the VM, ` : ''}${formatBytes(Math.max(0, free))} free and ${formatBytes(rec)} reclaimable`;
        const smartPagingAllowed = restart && !failover && this.dynamic[v] && this.minimum[v] < startup;
        if (!smartPagingAllowed) {
          this.release(v, h, held, overheadCounted);
          const why = failover ? '' : restart ? ' (Smart Paging only bridges a dynamic VM whose minimum is below its startup)' : ' (a cold start gets no Smart Paging)';
          this.fail(v, h, k, 'insufficient-memory', `${base}${why}`);
          return false;
        }
        physical = held + Math.max(0, free) + rec - newOv;
        if (physical < 0 || (this.plan.model.smartPagingRequiresMinimum && physical < this.minimum[v])) {
          this.release(v, h, held, overheadCounted);
          this.fail(v, h, k, 'insufficient-memory', `${base}: ${formatBytes(Math.max(0, physical))} in physical memory is under its ${formatBytes(this.minimum[v])} minimum, so even Smart Paging cannot start it`);
          return false;
        }
        smartPaging = startup - physical;
        const volume = volumeOf(this.volumes[h], vm.smartPagingFilePath);
        if (this.plan.model.smartPagingRequiresDisk && volume && volume.freeBytes < smartPaging) {
          this.release(v, h, held, overheadCounted);
          this.fail(v, h, k, 'smart-paging-disk-full', `the ${formatBytes(smartPaging)} Smart Paging file in ${vm.smartPagingFilePath} does not fit: ${volume.name} has ${formatBytes(volume.freeBytes)} free`);
          return false;
        }
        this.reclaim(h, v, rec);
        if (volume) { volume.freeBytes -= smartPaging; this.spVolume[v] = volume; }
      }
    }
    const t = this.time(k);
    this.hostPhys[h] += physical - held;
    this.hostOv[h] += newOv;
    this.hostSP[h] += smartPaging;
    this.phys[v] = physical;
    this.sp[v] = smartPaging;
    this.overhead[v] = ov;
    this.starts[v]++;
    this.notePeak(h);
    this.markChanged(v);
    this.markFull(h);
    this.events.push({ t, type: 'vmStarted', vm: vm.name, host: this.plan.hosts[h].name, physicalBytes: physical, smartPagingBytes: smartPaging, restart, failover });
    const session = ++this.spSession[v];
    if (smartPaging > 0) {
      this.spStartTick[v] = k;
      this.spFileBytes[v] = smartPaging;
      this.spPath[v] = vm.smartPagingFilePath;
      this.spPeak[v] = Math.max(this.spPeak[v], smartPaging);
      this.events.push({ t, type: 'smartPagingStarted', vm: vm.name, host: this.plan.hosts[h].name, bytes: smartPaging, path: vm.smartPagingFilePath });
      this.overTarget.push({ tick: k + this.tickOf(this.plan.model.smartPagingTargetSeconds), seq: this.seq++, vm: v, token: session });
    }
    const bootTicks = this.tickOf(vm.bootSeconds);
    if (bootTicks === 0) {
      this.state[v] = RUNNING;
    } else {
      this.state[v] = BOOTING;
      this.bootEnds.push({ tick: k + bootTicks, seq: this.seq++, vm: v, token: ++this.runToken[v] });
    }
    return true;
  }

  private bootEnd(v: number): void {
    this.state[v] = RUNNING;
    const h = this.host[v];
    // A static VM keeps its startup memory; only dynamic ones are balanced from now on.
    if (this.dynamic[v] && h >= 0) this.markFull(h);
  }

  /** Gives back what a VM that could not start held. */
  private release(v: number, h: number, held: number, overheadCounted: boolean): void {
    this.hostPhys[h] -= held;
    if (overheadCounted) this.hostOv[h] -= this.overhead[v];
    this.phys[v] = 0;
    this.overhead[v] = 0;
    this.state[v] = OFF;
    if (held || overheadCounted) { this.markFull(h); this.markChanged(v); }
  }

  private fail(v: number, h: number, k: number, reason: StartFailureReason, why: string): void {
    const vm = this.vms[v];
    const message = `${vm.name} could not start at ${formatClock(this.time(k))}: ${why}.`;
    this.failures[v]++;
    this.lastFailure[v] = message;
    this.events.push({ t: this.time(k), type: 'vmStartFailed', vm: vm.name, host: this.plan.hosts[h]?.name ?? '', reason, message });
  }

  private stop(v: number, k: number): void {
    if (this.state[v] === OFF) return;
    const h = this.host[v];
    if (this.sp[v] > 0 || this.spFileBytes[v] > 0) this.dropSmartPaging(v, k);
    this.hostPhys[h] -= this.phys[v];
    this.hostOv[h] -= this.overhead[v];
    this.phys[v] = 0;
    this.overhead[v] = 0;
    this.state[v] = OFF;
    this.runToken[v]++;
    this.markFull(h);
    this.markChanged(v);
    this.events.push({ t: this.time(k), type: 'vmStopped', vm: this.vms[v].name, host: this.plan.hosts[h].name });
  }

  /** The VM stops or reboots while on Smart Paging: the file goes with it. */
  private dropSmartPaging(v: number, k: number): void {
    this.hostSP[this.host[v]] -= this.sp[v];
    this.sp[v] = 0;
    this.endSmartPaging(v, k);
  }

  private endSmartPaging(v: number, k: number): void {
    const seconds = this.time(k - this.spStartTick[v]);
    this.spSeconds[v] += seconds;
    const volume = this.spVolume[v];
    if (volume) volume.freeBytes += this.spFileBytes[v];
    this.spVolume[v] = undefined;
    this.spFileBytes[v] = 0;
    this.spSession[v]++;
    this.markChanged(v);
    this.events.push({ t: this.time(k), type: 'smartPagingEnded', vm: this.vms[v].name, host: this.hostName(v), seconds });
  }

  private hostName(v: number): string {
    return this.host[v] >= 0 ? this.plan.hosts[this.host[v]].name : '';
  }

  // ---- the state at t = 0 ------------------------------------------------------------------------

  /** VMs running when the scenario begins hold their balanced steady state for their demand at 0. */
  private placeInitial(): void {
    for (let h = 0; h < this.nH; h++) {
      const host = this.plan.hosts[h];
      let used = 0;
      for (const v of this.hostVms[h]) {
        if (this.vms[v].state !== 'Running') continue;
        const ov = vmOverheadBytes(host, this.startup[v]);
        const floor = this.dynamic[v] ? this.minimum[v] : this.startup[v];
        if (used + floor + ov > this.capacity[h]) {
          this.unplaced[v] = 1;
          this.unplacedWhy.set(v, `it is written as Running but does not fit on ${host.name} beside the VMs before it (${formatBytes(floor + ov)} needed, ${formatBytes(Math.max(0, this.capacity[h] - used))} left)`);
          continue;
        }
        used += floor + ov;
        this.state[v] = RUNNING;
        this.overhead[v] = ov;
        this.hostOv[h] += ov;
        if (!this.dynamic[v]) { this.phys[v] = this.startup[v]; this.hostPhys[h] += this.startup[v]; }
      }
      const [n, pool] = this.balancedPool(h);
      shareOut(this.balanced, n, pool, this.minimum, this.level, this.target, this.weight, this.goal, this.scratch);
      for (let i = 0; i < n; i++) {
        const v = this.balanced[i];
        this.phys[v] = this.goal[v];
        this.hostPhys[h] += this.goal[v];
      }
      this.notePeak(h);
    }
  }

  // ---- output ------------------------------------------------------------------------------------

  private isSampleTick(k: number): boolean {
    return k % this.sampleEvery === 0 || k === this.lastTick;
  }

  private sampleRange(from: number, to: number): void {
    if (!this.withSeries) return;
    for (let s = Math.ceil(from / this.sampleEvery) * this.sampleEvery; s <= to; s += this.sampleEvery) this.sample(s);
    if (to === this.lastTick && this.lastTick % this.sampleEvery !== 0) this.sample(this.lastTick);
  }

  private sample(k: number): void {
    if (!this.withSeries) return;
    const t = this.time(k);
    const series = this.series;
    series.t.push(t);
    for (let h = 0; h < this.nH; h++) {
      const s = series.hosts[this.plan.hosts[h].name];
      if (!s || s.physical.length === series.t.length) continue;
      const lost = this.failed[h] === 1;
      s.physical.push(this.hostPhys[h]);
      s.overhead.push(this.hostOv[h]);
      s.smartPaging.push(this.hostSP[h]);
      s.free.push(lost ? 0 : this.capacity[h] - this.hostPhys[h] - this.hostOv[h]);
    }
    const last = k === this.lastTick;
    let carried = 0;
    for (const v of this.changed) {
      const s = series.vms[this.vms[v].name];
      const n = s.t.length;
      // A VM on its way to its goal is recorded at most once per vmSampleSeconds; where it settles,
      // and any other change, always is. This keeps ramps to a few points per VM.
      if (!last && !this.mustRecord[v] && n && t - s.t[n - 1] < this.vmSampleSeconds && this.state[v] === RUNNING && this.dynamic[v] && this.phys[v] + this.sp[v] !== this.goal[v]) {
        this.changed[carried++] = v;
        continue;
      }
      this.isChanged[v] = 0;
      this.mustRecord[v] = 0;
      const host = this.host[v];
      if (n && s.t[n - 1] === t) continue;
      if (n && s.host[n - 1] === host && s.physical[n - 1] === this.phys[v] && s.smartPaging[n - 1] === this.sp[v] && s.demand[n - 1] === this.demand[v]) continue;
      s.t.push(t);
      s.host.push(host);
      s.physical.push(this.phys[v]);
      s.smartPaging.push(this.sp[v]);
      s.demand.push(this.demand[v]);
    }
    this.changed.length = carried;
  }

  private result(): SimulationResult {
    const vms = nameRecord<VmSummary>();
    this.plan.vms.forEach((vm, v) => {
      if (own(vms, vm.name)) return;
      let spSeconds = this.spSeconds[v];
      if (this.spFileBytes[v] > 0) spSeconds += this.time(this.lastTick - this.spStartTick[v]);
      const summary: VmSummary = {
        host: this.hostName(v),
        starts: this.starts[v],
        startFailures: this.failures[v],
        running: this.state[v] !== OFF,
        assignedBytes: this.phys[v],
        demandBytes: this.demand[v],
        smartPagingBytes: this.sp[v],
        smartPagingPeakBytes: this.spPeak[v],
        smartPagingSeconds: spSeconds,
      };
      if (this.spPath[v] !== undefined) summary.smartPagingPath = this.spPath[v];
      if (this.lastFailure[v] !== undefined) summary.lastFailure = this.lastFailure[v];
      vms[vm.name] = summary;
    });
    const hosts = nameRecord<HostSummary>();
    this.plan.hosts.forEach((host, h) => {
      if (own(hosts, host.name)) return;
      hosts[host.name] = {
        memory: host.memoryBytes, capacity: this.capacity[h], reserve: host.reserveBytes, failed: this.failed[h] === 1,
        peakBytes: this.hostPeak[h], peakSmartPagingBytes: this.hostPeakSP[h],
        ...(this.plan.cluster ? { rootMemoryReserved: this.plan.cluster.rootMemoryReservedBytes } : {}),
      };
    });
    return { duration: this.plan.scenario.durationSeconds, events: this.events, vms, hosts, series: this.series };
  }
}
