// Simulation results built by hand for the timeline's tests and bench: the shape of the real
// simulator's output (types.ts) at any size, without depending on the simulator.
import type { SimEvent, SimulationResult, VmSummary } from '../server/src/core/simulate/types';

const GB = 1024 ** 3;

export interface FixtureOptions {
  hosts: number;
  vmsPerHost: number;
  seconds: number;
  /** VM names, by host and index; default `VM-h-i` */
  vmName?: (host: number, index: number) => string;
}

/** Every host restarts at t = 60; its VMs come back one every two seconds with 6 GB startup; the
 * host only has physical room for half of them, so the later half restarts on Smart Paging (2 GB each)
 * and balloons it out 120 s later, and the very last VM fails to start. Each boot holds its memory 30 s. */
export function syntheticResult(o: FixtureOptions): SimulationResult {
  const hostNames = Array.from({ length: o.hosts }, (_, h) => `HV${String(h + 1).padStart(2, '0')}`);
  const t = Array.from({ length: o.seconds + 1 }, (_, i) => i);
  const events: SimEvent[] = [];
  const vms: Record<string, VmSummary> = {};
  const series: SimulationResult['series'] = { t, hosts: {}, vms: {}, hostNames };
  const hosts: SimulationResult['hosts'] = {};
  const name = o.vmName ?? ((h: number, i: number) => `VM-${h + 1}-${i + 1}`);
  const memory = (o.vmsPerHost * 5 + 4) * GB;
  const capacity = memory - 2 * GB;
  for (let h = 0; h < o.hosts; h++) {
    const host = hostNames[h];
    hosts[host] = { memory, capacity, reserve: 2 * GB, failed: false, peakBytes: 0, peakSmartPagingBytes: 0, paused: false };
    const physical = new Float64Array(t.length + 1);
    const paging = new Float64Array(t.length + 1);
    const add = (arr: Float64Array, from: number, bytes: number) => { if (from <= o.seconds) arr[from] += bytes; };
    events.push({ t: 60, type: 'hostRestart', host }, { t: 60, type: 'hostUp', host });
    for (let i = 0; i < o.vmsPerHost; i++) {
      const vm = name(h, i);
      const start = 62 + 2 * i;
      const last = i === o.vmsPerHost - 1 && o.vmsPerHost > 1;
      const onPaging = !last && i >= o.vmsPerHost / 2;
      const held = onPaging ? 4 * GB : 6 * GB;
      const s = { t: [0, 60], host: [h, h], physical: [5 * GB, 0], smartPaging: [0, 0], demand: [4 * GB, 4 * GB] };
      add(physical, 0, 5 * GB);
      add(physical, 60, -5 * GB);
      events.push({ t: 60, type: 'vmStopped', vm, host });
      if (last) {
        events.push({ t: start, type: 'vmStartFailed', vm, host, reason: 'insufficient-memory', message: 'needs 6 GB, 1 GB free' });
      } else {
        s.t.push(start); s.host.push(h); s.physical.push(held); s.smartPaging.push(onPaging ? 2 * GB : 0); s.demand.push(4 * GB);
        add(physical, start, held);
        events.push({ t: start, type: 'vmStarted', vm, host, physicalBytes: held, smartPagingBytes: onPaging ? 2 * GB : 0, restart: true, failover: false });
        if (onPaging) {
          add(paging, start, 2 * GB);
          add(paging, start + 120, -2 * GB);
          events.push({ t: start, type: 'smartPagingStarted', vm, host, bytes: 2 * GB, path: 'D:\\Paging' });
          events.push({ t: start + 120, type: 'smartPagingEnded', vm, host, seconds: 120 });
          s.t.push(start + 120); s.host.push(h); s.physical.push(held); s.smartPaging.push(0); s.demand.push(4 * GB);
        }
      }
      series.vms[vm] = s;
      vms[vm] = {
        host, starts: last ? 0 : 1, startFailures: last ? 1 : 0, running: !last, assignedBytes: last ? 0 : held, demandBytes: 4 * GB, smartPagingBytes: 0,
        smartPagingPeakBytes: onPaging ? 2 * GB : 0, smartPagingSeconds: onPaging ? 120 : 0, saved: false, migrations: 0, preemptions: 0, bootSeconds: 30,
        ...(onPaging ? { smartPagingPath: 'D:\\Paging' } : {}),
        ...(last ? { lastFailure: 'insufficient-memory' } : {}),
      };
    }
    const hp: number[] = []; const sp: number[] = []; const ov: number[] = []; const free: number[] = [];
    let p = 0; let q = 0;
    for (let i = 0; i < t.length; i++) {
      p += physical[i]; q += paging[i];
      const overhead = p > 0 ? 64 * 1024 * 1024 : 0;
      hp.push(p); sp.push(q); ov.push(overhead); free.push(Math.max(0, capacity - p - overhead));
    }
    series.hosts[host] = { physical: hp, overhead: ov, smartPaging: sp, free, incoming: hp.map(() => 0) };
    hosts[host].peakBytes = Math.max(...hp.map((p, i) => p + ov[i]));
    hosts[host].peakSmartPagingBytes = Math.max(...sp);
  }
  events.sort((a, b) => a.t - b.t);
  return { duration: o.seconds, events, vms, hosts, series };
}

export interface FailoverOptions {
  failed: string;
  at: number;
  /** VM name → the node it starts on */
  moves: Record<string, string>;
  rootMemoryReserved?: number;
}

/** The result as a cluster's: every node keeps RootMemoryReserved, and at `at` the node `failed`
 * fails and the VMs in `moves` start on other nodes (events and summaries; the series stay as they were). */
export function withFailover(result: SimulationResult, o: FailoverOptions): SimulationResult {
  for (const host of Object.values(result.hosts)) host.rootMemoryReserved = o.rootMemoryReserved ?? 512 * 1024 ** 2;
  result.hosts[o.failed].failed = true;
  const events: SimEvent[] = [{ t: o.at, type: 'nodeFailure', host: o.failed }];
  for (const [vm, host] of Object.entries(o.moves)) {
    events.push({ t: o.at, type: 'vmStopped', vm, host: o.failed });
    events.push({ t: o.at, type: 'vmStarted', vm, host, physicalBytes: 4 * GB, smartPagingBytes: 0, restart: false, failover: true });
    result.vms[vm].host = host;
  }
  result.events.push(...events);
  result.events.sort((a, b) => a.t - b.t);
  return result;
}
