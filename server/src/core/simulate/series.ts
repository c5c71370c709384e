// The timeline the result carries (docs/simulation.md, "The result"): host series on a shared clock,
// and per VM a point at each sample where it changed. A VM's point holds until its next one, so at every
// host sample the VMs' physical memory adds up to the host's exactly.
import { nameRecord, own } from '../records';
import type { SimState } from './state';
import type { Series } from './types';

/** Series are sampled at most this many times over the scenario (and never more often than a tick). */
export const MAX_SAMPLES = 2000;

export class SeriesRecorder {
  readonly series: Series;
  readonly sampleEvery: number;
  private readonly changed: number[] = [];
  private readonly isChanged: Uint8Array;

  constructor(private readonly s: SimState, private readonly enabled: boolean) {
    const plan = s.plan;
    this.sampleEvery = Math.max(1, Math.ceil(Math.max(s.dt, plan.scenario.durationSeconds / MAX_SAMPLES) / s.dt - 1e-9));
    this.isChanged = new Uint8Array(s.vmCount);
    this.series = { t: [], hosts: nameRecord(), vms: nameRecord(), hostNames: plan.hosts.map((h) => h.name) };
    if (!enabled) return;
    for (const h of plan.hosts) if (!own(this.series.hosts, h.name)) this.series.hosts[h.name] = { physical: [], overhead: [], smartPaging: [], free: [], incoming: [] };
    for (const vm of plan.vms) if (!own(this.series.vms, vm.name)) this.series.vms[vm.name] = { t: [], host: [], physical: [], smartPaging: [], demand: [] };
    s.onChange = (v) => this.markChanged(v);
  }

  markChanged(v: number): void {
    if (!this.isChanged[v]) { this.isChanged[v] = 1; this.changed.push(v); }
  }

  /** Every VM gets its first point at the first sample. */
  markAll(): void {
    for (let v = 0; v < this.s.vmCount; v++) this.markChanged(v);
  }

  isSampleTick(k: number): boolean {
    return k % this.sampleEvery === 0 || k === this.s.lastTick;
  }

  /** The samples due in [from, to] when nothing changes in between: they repeat the current state. */
  sampleRange(from: number, to: number): void {
    if (!this.enabled) return;
    for (let k = Math.ceil(from / this.sampleEvery) * this.sampleEvery; k <= to; k += this.sampleEvery) this.sample(k);
    if (to === this.s.lastTick && to % this.sampleEvery !== 0) this.sample(to);
  }

  sample(k: number): void {
    if (!this.enabled) return;
    const s = this.s;
    const series = this.series;
    const t = s.time(k);
    series.t.push(t);
    for (let h = 0; h < s.hostCount; h++) {
      const hs = series.hosts[s.plan.hosts[h].name];
      // A duplicated host name: the first one's series (the others' VMs are counted there too).
      if (hs.physical.length === series.t.length) continue;
      const physical = s.hostPhysical(h);
      const overhead = s.hostOverhead(h);
      const incoming = s.hostIncoming(h);
      hs.physical.push(physical);
      hs.overhead.push(overhead);
      hs.smartPaging.push(s.hostSmartPaging(h));
      hs.incoming.push(incoming);
      hs.free.push(s.failed[h] ? 0 : s.hostCapacity(h) - physical - overhead - incoming);
    }
    for (const v of this.changed) {
      this.isChanged[v] = 0;
      const vs = series.vms[s.vms[v].name];
      const n = vs.t.length;
      // Where its memory is; a VM holding none is shown on the host that owns it.
      const host = s.pool[v] >= 0 ? s.poolHost[s.pool[v]] : s.owner[v];
      if (n && vs.host[n - 1] === host && vs.physical[n - 1] === s.physical[v] && vs.smartPaging[n - 1] === s.smartPaging[v] && vs.demand[n - 1] === s.demand[v]) continue;
      vs.t.push(t);
      vs.host.push(host);
      vs.physical.push(s.physical[v]);
      vs.smartPaging.push(s.smartPaging[v]);
      vs.demand.push(s.demand[v]);
    }
    this.changed.length = 0;
  }
}
