// The simulation's clock: one balancer pass per tick, then what is due at that tick, in this order
// (docs/simulation.md, "Clock"): Smart Paging target checks, demand steps, the scenario's events (file
// order), saves, restores and migrations that end, hosts coming back, boots ending, automatic starts,
// the cluster's turn. The state after tick k is what the events and series report at k.
//
// Speed: a pool is balanced only while something in it can change (an input changed, or a VM is still
// moving towards its goal); ticks where nothing can change are skipped up to the next wake-up. The
// `reference` option balances every pool every tick instead; both give the same result (tested).
import { vmOverheadBytes } from '../capacity';
import { nameRecord, own } from '../records';
import type { Plan } from '../plan';
import { formatBytes } from '../units';
import { Phase } from './agenda';
import { shareOut, Scratch } from './balance';
import { Balancer } from './balancer';
import { clusterTurn, nodeFailure } from './migrations';
import { scenarioEvent } from './scenario';
import { SeriesRecorder } from './series';
import { fail } from './starts';
import { SimState, VmPhase } from './state';
import type { HostSummary, SimEvent, SimulationResult, VmSummary } from './types';

export { MAX_SAMPLES } from './series';

export interface EngineOptions {
  /** balance every pool on every tick (the plain, slow reading of the rules), for tests */
  reference?: boolean;
  /** leave `series` empty (the scenario diagnostics do not need it) */
  series?: boolean;
  /** end the run after the tick in which an event of one of these types happens (what-ifs) */
  stopOn?: readonly SimEvent['type'][];
}

interface DemandStep { tick: number; vm: number; bytes: number }

export class Engine {
  private readonly s: SimState;
  private readonly balancer: Balancer;
  private readonly recorder: SeriesRecorder;
  private readonly reference: boolean;
  private readonly stopOn?: ReadonlySet<string>;
  private readonly demandSteps: DemandStep[] = [];
  private demandNext = 0;
  private eventNext = 0;

  constructor(private readonly plan: Plan, options: EngineOptions = {}) {
    const s = (this.s = new SimState(plan));
    this.reference = options.reference ?? false;
    if (options.stopOn?.length) this.stopOn = new Set(options.stopOn);
    this.recorder = new SeriesRecorder(s, options.series ?? true);
    this.balancer = new Balancer(s);
    plan.vms.forEach((vm, v) => {
      let initial = vm.demand.length ? vm.demand[0].bytes : vm.minimumBytes;
      for (const step of vm.demand) {
        if (step.atSeconds <= 0) initial = step.bytes;
        else this.demandSteps.push({ tick: s.tickOf(step.atSeconds), vm: v, bytes: step.bytes });
      }
      s.setDemand(v, initial);
    });
    this.demandSteps.sort((a, b) => a.tick - b.tick || a.vm - b.vm);
  }

  run(): SimulationResult {
    const s = this.s;
    this.placeInitial();
    this.happen(0);
    // Reported after the events at 0: a host restart at 0 gives these VMs their chance first.
    for (let v = 0; v < s.vmCount; v++) {
      if (s.unplaced[v]) { s.unplaced[v] = 0; fail(s, v, s.owner[v], 0, 'insufficient-memory', s.unplacedWhy.get(v)!); }
    }
    this.recorder.markAll();
    this.recorder.sample(0);
    let k = 1;
    let seen = 0;
    while (k <= s.lastTick && !this.stopped(seen)) {
      seen = s.events.length;
      if (!this.reference && s.dirty.length === 0) {
        const next = Math.min(this.nextWake(), s.lastTick + 1);
        if (next > k) {
          // Nothing can change before `next`: the samples in between repeat the current state.
          this.recorder.sampleRange(k, next - 1);
          k = next;
          continue;
        }
      }
      this.balancer.pass(k, this.reference);
      this.happen(k);
      if (this.recorder.isSampleTick(k)) this.recorder.sample(k);
      k++;
    }
    return this.result();
  }

  /** Whether an event the caller stops on happened since `from` (an index into the events). */
  private stopped(from: number): boolean {
    if (!this.stopOn) return false;
    const events = this.s.events;
    for (let i = from; i < events.length; i++) if (this.stopOn.has(events[i].type)) return true;
    return false;
  }

  /**
   * For each node in turn, from the state at t = 0: which VMs could start nowhere else (or were
   * preempted) if that node alone failed. One engine, its state put back between trials, so a large
   * cluster costs one placement.
   */
  lossOfEachNode(): { host: string; failures: Extract<SimEvent, { type: 'vmStartFailed' | 'vmPreempted' }>[] }[] {
    const s = this.s;
    this.placeInitial();
    s.events.length = 0;
    const restore = s.snapshot();
    return this.plan.hosts.map((host, h) => {
      restore();
      nodeFailure(s, h, 0);
      const failures = s.events.filter((e): e is Extract<SimEvent, { type: 'vmStartFailed' | 'vmPreempted' }> => e.type === 'vmStartFailed' || e.type === 'vmPreempted');
      return { host: host.name, failures };
    });
  }

  private nextWake(): number {
    const s = this.s;
    const demand = this.demandNext < this.demandSteps.length ? this.demandSteps[this.demandNext].tick : Infinity;
    const events = this.plan.scenario.events;
    const event = this.eventNext < events.length ? s.tickOf(events[this.eventNext].atSeconds) : Infinity;
    return Math.min(demand, event, s.agenda.peekTick());
  }

  private happen(k: number): void {
    const s = this.s;
    s.now = k;
    s.agenda.runDue(k, Phase.OverTarget);
    while (this.demandNext < this.demandSteps.length && this.demandSteps[this.demandNext].tick <= k) {
      const step = this.demandSteps[this.demandNext++];
      s.setDemand(step.vm, step.bytes);
    }
    const events = this.plan.scenario.events;
    while (this.eventNext < events.length && s.tickOf(events[this.eventNext].atSeconds) <= k) scenarioEvent(s, events[this.eventNext++], k);
    // Work done now may make more due now (a host back at once, a move's slot freed): run until quiet.
    do {
      s.agenda.runDue(k, Phase.Cluster);
      if (s.clusterTurn) clusterTurn(s, k);
    } while (s.clusterTurn || s.agenda.peekTick() <= k);
  }

  /** VMs running when the scenario begins hold their balanced steady state for their demand at 0. */
  private placeInitial(): void {
    const s = this.s;
    for (let h = 0; h < s.hostCount; h++) {
      const host = this.plan.hosts[h];
      for (const v of s.hostVms[h]) {
        if (this.plan.vms[v].state !== 'Running') continue;
        const overhead = vmOverheadBytes(host, s.startup[v]);
        const floor = s.dynamic[v] ? s.minimum[v] : s.startup[v];
        // With NUMA spanning off: the node with the most room left.
        let pool = -1;
        let room = -Infinity;
        for (let p = s.firstPool[h]; p < s.firstPool[h] + s.pools[h]; p++) {
          const left = s.free(p);
          if (left > room) { pool = p; room = left; }
        }
        if (floor + overhead > room) {
          s.unplaced[v] = 1;
          s.unplacedWhy.set(v, `it is written as Running but does not fit on ${host.name}${s.pools[h] > 1 ? ' (in any one NUMA node)' : ''} beside the VMs before it (${formatBytes(floor + overhead)} needed, ${formatBytes(Math.max(0, room))} left)`);
          continue;
        }
        s.phase[v] = VmPhase.Running;
        s.hold(v, pool, floor, 0, overhead);
      }
    }
    const goal = s.goal;
    const scratch = new Scratch();
    for (let p = 0; p < s.poolCount; p++) {
      const list = s.poolVms[p].filter((v) => s.balanced(v));
      let held = 0;
      for (const v of list) held += s.physical[v];
      const pool = s.capacity[p] - s.poolOverhead[p] - (s.poolPhysical[p] - held);
      shareOut(list, list.length, pool, s.minimum, s.level, s.target, s.weight, goal, scratch);
      for (const v of list) {
        s.poolPhysical[p] += goal[v] - s.physical[v];
        s.physical[v] = goal[v];
      }
      s.notePeak(s.poolHost[p]);
    }
  }

  private result(): SimulationResult {
    const s = this.s;
    const vms = nameRecord<VmSummary>();
    this.plan.vms.forEach((vm, v) => {
      if (own(vms, vm.name)) return;
      let smartPagingSeconds = s.spSeconds[v];
      if (s.spFileBytes[v] > 0) smartPagingSeconds += s.time(s.lastTick - s.spStartTick[v]);
      const phase = s.phase[v];
      const summary: VmSummary = {
        host: s.hostName(s.owner[v]),
        starts: s.starts[v],
        startFailures: s.failures[v],
        running: phase !== VmPhase.Off && phase !== VmPhase.Saved,
        assignedBytes: s.physical[v],
        demandBytes: s.demand[v],
        smartPagingBytes: s.smartPaging[v],
        smartPagingPeakBytes: s.spPeak[v],
        smartPagingSeconds,
        saved: phase === VmPhase.Saved,
        migrations: s.migrations[v],
        preemptions: s.preemptions[v],
        bootSeconds: s.time(s.tickOf(vm.bootSeconds)),
      };
      if (s.spPath[v] !== undefined) summary.smartPagingPath = s.spPath[v];
      if (s.lastFailure[v] !== undefined) summary.lastFailure = s.lastFailure[v];
      vms[vm.name] = summary;
    });
    const hosts = nameRecord<HostSummary>();
    this.plan.hosts.forEach((host, h) => {
      if (own(hosts, host.name)) return;
      hosts[host.name] = {
        memory: host.memoryBytes, capacity: s.hostCapacity(h), reserve: host.reserveBytes, failed: s.failed[h] === 1,
        peakBytes: s.hostPeak[h], peakSmartPagingBytes: s.hostPeakSmartPaging[h], paused: s.paused[h] === 1,
        ...(this.plan.cluster ? { rootMemoryReserved: this.plan.cluster.rootMemoryReservedBytes } : {}),
      };
    });
    return { duration: this.plan.scenario.durationSeconds, events: s.events, vms, hosts, series: this.recorder.series };
  }
}
