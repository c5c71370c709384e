// The timeline's view model: plain data in (a SimulationResult), plain data out (what the chart, the
// markers and the table draw). Pure, so the extension host, the browser page of `hvmem simulate --html`
// and the tests all run the same code. Sizes stay bytes; text for people is made here, at the edge,
// with the core's own formatters so "1.5 GB" reads the same in diagnostics, hovers and the panel.
// Results keyed by names come through JSON or postMessage, with Object.prototype behind them again: a
// VM may be called `constructor`, so every lookup by name is an own-property one (`own`) or a Map.
import type { MigrationFailureReason, MovePurpose, MoveType, SimEvent, SimulationResult, VmSummary } from '../../server/src/core/simulate/types';
import type { Review } from '../../server/src/core/simulate/review';
import { own } from '../../server/src/core/records';
import { formatBytes, formatClock, formatDuration } from '../../server/src/core/units';
import { failureDetail, failureReason, hostMarkers, type Marker } from './markers';
import { hostStates, inUpdate, names, restartHeadline, reviewOf, updateHeadline, updateViews, type HostState, type UpdateView } from './operations';
import { count } from '../../server/src/core/words';

export { formatBytes, formatClock, formatDuration };

/** Most points drawn per series: a canvas is a few thousand pixels wide, more points only cost time. */
export const DEFAULT_MAX_POINTS = 2000;
/** VMs drawn as their own band per host; the rest are summed into "others". */
export const DEFAULT_TOP_VMS = 10;
/** Table rows shown at once; more on request, so 8,000 VMs do not slow the page down. */
export const TABLE_PAGE = 200;

export interface HostOption {
  name: string;
  memoryBytes: number;
  capacityBytes: number;
  reserveBytes: number;
  failed: boolean;
  vmCount: number;
  /** VMs on this host that failed to start, needed Smart Paging or ended short of demand: what to look at first */
  troubledVms: number;
}

export interface VmRow {
  name: string;
  /** where the VM ends; a VM that is off at the end: where it last ran or tried to start */
  host: string;
  starts: number;
  startFailures: number;
  /** why starts failed, in a few words, one per distinct reason */
  failureReasons: string;
  /** the failures' full messages, for the cell's tooltip */
  failureDetails: string;
  smartPagingPeakBytes: number;
  smartPagingSeconds: number;
  smartPagingPath: string;
  /** why the VM needed Smart Paging, from its start event: what the host could give of its startup memory */
  smartPagingWhy: string;
  overTarget: boolean;
  running: boolean;
  /** at the end: running, off, or saved (its memory in a saved state on disk) */
  state: 'running' | 'off' | 'saved';
  /** what its host's restarts did to it: saved and restored, or stopped and booted, one line per restart */
  restart: string;
  /** every move, one line each: failover starts, migrations (purpose, live or quick, from, to, when, how
   * long), moves that failed, and being taken offline for a higher-priority VM; empty if never */
  moves: string;
  /** at the end: the guest's demand ÷ what the VM holds (physical + Smart Paging), in percent; null when off */
  pressurePercent: number | null;
  /** at the end: demand above what the VM holds (the guest pages inside itself); 0 when it has enough */
  shortBytes: number;
}

/** A line of a section: a host in it selects that host's chart. */
export interface SectionLine {
  text: string;
  tone?: 'ok' | 'error';
  host?: string;
}

/** A part of the page's review under the chart, with a title and lines (the rolling update, node by
 * node); the page draws any number of them in order. */
export interface Section {
  id: string;
  title: string;
  lines: SectionLine[];
}

export interface Overview {
  durationSeconds: number;
  hosts: HostOption[];
  /** what matters about the run, one short sentence each, most important first */
  headline: string[];
  sections: Section[];
  /** the first rows in the default order (troubled first), maybe none: building 8,000 rows would
   * delay the chart, so the page asks for them (`rows()`) once the chart is on screen */
  rows: VmRow[];
  vmCount: number;
  failedVms: number;
  smartPagingVms: number;
  shortVms: number;
}

export type LayerKind = 'vm' | 'others' | 'overhead' | 'incoming' | 'free' | 'smartPaging';

/** A VM starting on a host, shaded on its band: a boot holds its startup memory for its bootSeconds, a
 * restore reads its saved memory back for the restore's seconds. */
export interface StartShade {
  from: number;
  to: number;
  kind: 'boot' | 'restore';
  detail: string;
}

/** One band of the stacked chart, bottom to top; `values` are bytes on the view's clock, not stacked. */
export interface Layer {
  label: string;
  kind: LayerKind;
  values: number[];
  /** a VM's place in the plan: its colour, the same on every host */
  color?: number;
  /** a VM's boots and restores on this host */
  starts?: StartShade[];
}

/** A VM migrating to the host: while it crosses, the host holds its memory in the "arriving" band. */
export interface Arrival {
  vm: string;
  source: string;
  from: number;
  to: number;
  bytes: number;
  moveType: MoveType;
  purpose: MovePurpose;
  /** false: it never arrived (failed or stopped on the way) */
  ok: boolean;
}

export type { HostState, UpdateView } from './operations';

/** Arrivals together that overlap in time, or follow each other in one operation (a drain's moves from
 * one node, queued): one label says them all. */
export function arrivalGroups(arrivals: readonly Arrival[]): { from: number; to: number; arrivals: Arrival[] }[] {
  const groups: { from: number; to: number; arrivals: Arrival[] }[] = [];
  for (const a of [...arrivals].sort((x, y) => x.from - y.from)) {
    const last = groups.at(-1);
    const queued = last && a.from === last.to && last.arrivals.every((b) => b.purpose === a.purpose && b.source === a.source);
    if (last && (a.from < last.to || queued)) { last.arrivals.push(a); last.to = Math.max(last.to, a.to); } else groups.push({ from: a.from, to: a.to, arrivals: [a] });
  }
  return groups;
}

export interface HostView {
  host: string;
  t: number[];
  layers: Layer[];
  memoryBytes: number;
  capacityBytes: number;
  reserveBytes: number;
  /** cluster only: the cluster's RootMemoryReserved, which failover starts must leave free here */
  rootMemoryReservedBytes?: number;
  markers: Marker[];
  /** restarting, failed and paused, shaded on the chart */
  states: HostState[];
  /** migrations to this host, labelled on the "arriving by migration" band */
  arrivals: Arrival[];
  /** the rolling updates this host is in, drawn across the top of its chart */
  updates: UpdateView[];
  /** samples before decimation, so the page can say how much it thinned */
  sampleCount: number;
}

export interface VmView {
  vm: string;
  t: number[];
  physical: number[];
  smartPaging: number[];
  demand: number[];
  /** demand / (physical + Smart Paging) x 100, as Hyper-V reports pressure; null while the VM holds nothing */
  pressure: (number | null)[];
  /** its colour, as in the host chart */
  color: number;
}

export interface ViewOptions {
  maxPoints?: number;
  topVms?: number;
}

type VmSeries = SimulationResult['series']['vms'][string];

/** Indexes into a series of `n` samples keeping at most about `maxPoints`: per bucket the first
 * sample and the peak of each key series, so short Smart Paging spikes and peaks survive thinning.
 * Real samples are kept (never averaged) so stacked bands still add up. */
export function decimationIndices(n: number, maxPoints: number, keys: readonly (readonly number[])[]): number[] {
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const perBucket = 1 + keys.length;
  const buckets = Math.max(1, Math.floor((maxPoints - 1) / perBucket));
  const size = n / buckets;
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(n, Math.floor((b + 1) * size));
    const chosen = new Set<number>([from]);
    for (const key of keys) {
      let best = from;
      for (let i = from + 1; i < to; i++) if (key[i] > key[best]) best = i;
      chosen.add(best);
    }
    out.push(...[...chosen].sort((a, c) => a - c));
  }
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

/** Cumulative tops of the shown layers, bottom to top; a hidden layer adds nothing. */
export function stackLayers(layers: readonly Layer[], shown: readonly boolean[]): number[][] {
  const out: number[][] = [];
  let below: number[] | undefined;
  layers.forEach((layer, i) => {
    const top = layer.values.map((v, j) => (below ? below[j] : 0) + (shown[i] === false ? 0 : v));
    out.push(top);
    below = top;
  });
  return out;
}

/**
 * A VM series read as documented (docs/simulation.md): a value holds from its point until the VM's
 * next point. `at` gives, for each time of `t` (ascending), the index of the point in force, or -1
 * before the first. The host view, its CSV and the VM detail read the series through this one function.
 */
export function pointsInForce(series: Pick<VmSeries, 't'>, t: readonly number[]): number[] {
  const out = new Array<number>(t.length);
  let k = -1;
  for (let j = 0; j < t.length; j++) {
    while (k + 1 < series.t.length && series.t[k + 1] <= t[j]) k++;
    out[j] = k;
  }
  return out;
}

export type SortKey = 'trouble' | keyof VmRow;

/** A key that sorts names as people count (VM-2 before VM-10) with plain string comparison,
 * which is many times faster than a collator over thousands of rows. */
function naturalKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, (digits) => digits.padStart(16, '0'));
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A stable sort of the table; 'trouble' ranks failures, then Smart Paging use, then being short of demand, then name. */
export function sortRows(rows: readonly VmRow[], key: SortKey, dir: 'asc' | 'desc'): VmRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  const names = new Map(rows.map((r) => [r, naturalKey(r.name)]));
  const byName = (a: VmRow, b: VmRow) => compareKeys(names.get(a)!, names.get(b)!);
  if (key === 'trouble') {
    return [...rows].sort((a, b) => sign * (a.startFailures - b.startFailures || a.smartPagingSeconds - b.smartPagingSeconds
      || a.smartPagingPeakBytes - b.smartPagingPeakBytes || a.shortBytes - b.shortBytes) || byName(a, b));
  }
  const text = rows.some((r) => typeof r[key] === 'string') ? new Map(rows.map((r) => [r, naturalKey(String(r[key]))])) : undefined;
  const compare = text
    ? (a: VmRow, b: VmRow) => compareKeys(text.get(a)!, text.get(b)!)
    : (a: VmRow, b: VmRow) => (a[key] as number ?? -1) - (b[key] as number ?? -1);
  return [...rows].sort((a, b) => sign * compare(a, b) || byName(a, b));
}

interface Failure { t: number; host: string; reason: string; message: string }

/** A failover start, or a migration that finished. */
interface Move { from?: string; to: string; t: number; migration: boolean; purpose?: MovePurpose }

const MOVE_FAILURES: Record<MigrationFailureReason, string> = {
  'no-room': 'no room',
  'destination-unavailable': 'the destination was unavailable',
  'not-possible-owner': 'not a possible owner',
  'anti-affinity': 'anti-affinity',
  'vm-not-running': 'not running',
  aborted: 'stopped on the way',
};

/** What the events say about each VM and host, gathered in one pass. */
class Story {
  /** the host a VM last ran on, stopped on, or tried to start on */
  readonly lastHost = new Map<string, string>();
  /** failover starts and finished migrations, in time order */
  readonly moves = new Map<string, Move[]>();
  readonly failedMoves: { vm: string; t: number; from: string; purpose: MovePurpose }[] = [];
  readonly drainsFailed: { host: string; t: number; vms: string[] }[] = [];
  readonly preempted: { vm: string; for: string }[] = [];
  readonly saveFailed: string[] = [];
  readonly failures = new Map<string, Failure[]>();
  readonly pagingWhy = new Map<string, string>();
  readonly overTarget = new Set<string>();
  readonly failedNodes = new Map<string, number>();
  readonly restarts = new Map<string, number>();
  /** VMs stopped at the instant their host restarted or failed: they were running and the host took them down */
  readonly takenDown = new Map<string, string>();
  readonly troubled = new Map<string, Set<string>>();
  constructor(events: readonly SimEvent[]) {
    const hostDown = new Set<string>();
    for (const e of events) {
      switch (e.type) {
        case 'nodeFailure': this.failedNodes.set(e.host, e.t); hostDown.add(`${e.t}\u0000${e.host}`); break;
        case 'hostRestart': if (!this.restarts.has(e.host)) this.restarts.set(e.host, e.t); hostDown.add(`${e.t}\u0000${e.host}`); break;
        case 'hostDown': hostDown.add(`${e.t}\u0000${e.host}`); break;
        case 'vmStarted':
          // A failover start names only the node it lands on: it came from the host it last ran on.
          if (e.failover) this.listOf(this.moves, e.vm).push({ from: this.lastHost.get(e.vm), to: e.host, t: e.t, migration: false });
          if (e.smartPagingBytes > 0 && !this.pagingWhy.has(e.vm)) {
            const startup = e.physicalBytes + e.smartPagingBytes;
            this.pagingWhy.set(e.vm, `${e.restart ? 'restart' : 'start'} at ${formatClock(e.t)}: ${e.host} had only ${formatBytes(e.physicalBytes)} of its ${formatBytes(startup)} startup memory`);
          }
          this.takenDown.delete(e.vm);
          break;
        case 'vmStopped': if (hostDown.has(`${e.t}\u0000${e.host}`)) this.takenDown.set(e.vm, e.host); break;
        case 'vmStartFailed':
          this.listOf(this.failures, e.vm).push({ t: e.t, host: e.host, reason: e.reason, message: e.message });
          this.trouble(e.host, e.vm);
          this.takenDown.delete(e.vm);
          break;
        case 'smartPagingStarted': this.trouble(e.host, e.vm); break;
        case 'smartPagingOverTarget': this.overTarget.add(e.vm); break;
        case 'vmRestored': this.takenDown.delete(e.vm); break;
        case 'vmMigrated':
          this.listOf(this.moves, e.vm).push({ from: e.from, to: e.to, t: e.t, migration: true, purpose: e.purpose });
          this.lastHost.set(e.vm, e.to);
          break;
        case 'vmMigrationFailed':
          this.failedMoves.push({ vm: e.vm, t: e.t, from: e.from, purpose: e.purpose });
          this.trouble(e.from, e.vm);
          break;
        case 'drainFailed': this.drainsFailed.push({ host: e.host, t: e.t, vms: e.vms }); for (const vm of e.vms) this.trouble(e.host, vm); break;
        case 'vmPreempted': this.preempted.push({ vm: e.vm, for: e.for }); this.trouble(e.host, e.vm); break;
        case 'vmSaveFailed': this.saveFailed.push(e.vm); this.trouble(e.host, e.vm); break;
      }
      if ('vm' in e && 'host' in e && e.host) this.lastHost.set(e.vm, e.host);
    }
  }

  trouble(host: string, vm: string): void {
    let set = this.troubled.get(host);
    if (!set) this.troubled.set(host, (set = new Set()));
    set.add(vm);
  }

  private listOf<T>(map: Map<string, T[]>, key: string): T[] {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    return list;
  }
}

/** The finer story the chart of one host (or the table, of every host) tells: boots and restores, the
 * migrations arriving and when each ended, and every move of each VM in words. Read off the events that
 * touch those hosts only when that chart or the table is asked for: not on the way to the first paint. */
class Details {
  /** each VM's boots and restores, on the host they happened on */
  readonly starts = new Map<string, (StartShade & { host: string })[]>();
  /** migrations by destination host */
  readonly arrivals = new Map<string, Arrival[]>();
  /** a migration's end by `vm \0 start time` */
  readonly moveEnds = new Map<string, { t: number; ok: boolean }>();
  /** every move of each VM as the table's row says it */
  readonly moveNotes = new Map<string, string[]>();

  constructor(events: readonly SimEvent[], vms: Record<string, VmSummary>, duration: number, host?: string) {
    const crossing = new Map<string, Arrival>();
    const lastHost = new Map<string, string>();
    const end = (vm: string, t: number) => {
      const last = this.starts.get(vm)?.at(-1);
      if (last && last.to > t) last.to = Math.max(last.from, t);
    };
    const touches = (e: SimEvent) => host === undefined || ('host' in e ? e.host === host : 'from' in e && (e.from === host || e.to === host));
    for (const e of events) {
      if (!touches(e)) continue;
      switch (e.type) {
        case 'vmStarted': {
          end(e.vm, e.t);
          if (e.failover) {
            const from = lastHost.get(e.vm);
            this.note(e.vm, `failover${from ? ` from ${from}` : ''} to ${e.host} at ${formatClock(e.t)}`);
          }
          const boot = own(vms, e.vm)?.bootSeconds ?? 0;
          const how = e.failover ? 'failover start' : e.restart ? 'restart' : 'start';
          this.listOf(this.starts, e.vm).push({
            from: e.t, to: e.t + boot, kind: 'boot', host: e.host,
            detail: `${e.vm} booting (${how}): holds its ${formatBytes(e.physicalBytes + e.smartPagingBytes)} startup memory${e.smartPagingBytes > 0 ? `, ${formatBytes(e.smartPagingBytes)} of it on Smart Paging,` : ''} for ${formatDuration(boot)} from ${formatClock(e.t)}`,
          });
          break;
        }
        case 'vmStopped': end(e.vm, e.t); break;
        case 'vmSaved': end(e.vm, e.t - e.seconds); break;
        case 'vmRestored':
          end(e.vm, e.t);
          this.listOf(this.starts, e.vm).push({
            from: e.t, to: e.t + e.seconds, kind: 'restore', host: e.host,
            detail: `${e.vm} restoring from saved state: reads back the ${formatBytes(e.bytes)} it held, ${formatClock(e.t)} to ${formatClock(e.t + e.seconds)} (${formatDuration(e.seconds)}); no boot, no Smart Paging`,
          });
          break;
        case 'vmMigrationStarted': {
          end(e.vm, e.t);
          const arrival: Arrival = { vm: e.vm, source: e.from, from: e.t, to: duration, bytes: e.bytes, moveType: e.moveType, purpose: e.purpose, ok: false };
          crossing.set(e.vm, arrival);
          this.listOf(this.arrivals, e.to).push(arrival);
          break;
        }
        case 'vmMigrated': {
          const started = e.t - e.seconds;
          const arrival = crossing.get(e.vm);
          if (arrival) { arrival.to = e.t; arrival.ok = true; crossing.delete(e.vm); }
          this.moveEnds.set(`${e.vm}\u0000${started}`, { t: e.t, ok: true });
          this.note(e.vm, e.seconds > 0
            ? `${e.purpose}: ${e.moveType} from ${e.from} to ${e.to} at ${formatClock(started)}, ${formatDuration(e.seconds)}`
            : `${e.purpose}: from ${e.from} to ${e.to} at ${formatClock(e.t)}, while off (owner only)`);
          lastHost.set(e.vm, e.to);
          break;
        }
        case 'vmMigrationFailed': {
          const arrival = crossing.get(e.vm);
          if (arrival) {
            arrival.to = e.t;
            crossing.delete(e.vm);
            this.moveEnds.set(`${e.vm}\u0000${arrival.from}`, { t: e.t, ok: false });
          }
          this.note(e.vm, `${e.purpose}: could not move from ${e.from}${e.to ? ` to ${e.to}` : ''} at ${formatClock(e.t)} (${MOVE_FAILURES[e.reason] ?? e.reason})`);
          break;
        }
        case 'vmPreempted':
          end(e.vm, e.t);
          this.note(e.vm, `taken offline on ${e.host} at ${formatClock(e.t)} for ${e.for}`);
          break;
      }
      if ('vm' in e && 'host' in e && e.host) lastHost.set(e.vm, e.host);
    }
  }

  private note(vm: string, text: string): void {
    this.listOf(this.moveNotes, vm).push(text);
  }

  private listOf<T>(map: Map<string, T[]>, key: string): T[] {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    return list;
  }
}

/** Pressure at the end as the CLI reports it: demand ÷ (physical + Smart Paging). */
function endPressure(s: VmSummary): { percent: number | null; shortBytes: number } {
  const held = s.assignedBytes + s.smartPagingBytes;
  if (!s.running || held <= 0) return { percent: null, shortBytes: 0 };
  return { percent: Math.round((100 * s.demandBytes) / held), shortBytes: Math.max(0, s.demandBytes - held) };
}

function vms(n: number): string {
  return count(n, 'VM');
}

/** Everything the panel draws, computed from one result. Per-host indexes are built once, so
 * switching hosts costs only that host's VMs. */
export class TimelineModel {
  private readonly vmsByHost = new Map<string, string[]>();
  private readonly story: Story;
  /** each VM's place in the plan, which picks its colour */
  private readonly planIndex = new Map<string, number>();
  /** VMs that end short of their guest's demand */
  private readonly short: string[] = [];
  private readonly vmNames: string[];
  private allRows: VmRow[] | undefined;
  private reviewed: Review | undefined;
  private updateList: UpdateView[] | undefined;
  private restartNoteMap: Map<string, string[]> | undefined;
  /** every host's details, for the table */
  private allDetails: Details | undefined;

  constructor(readonly result: SimulationResult) {
    this.story = new Story(result.events);
    const { vms, hostNames } = result.series;
    for (const name of hostNames) this.vmsByHost.set(name, []);
    this.vmNames = Object.keys(result.vms);
    this.vmNames.forEach((name, i) => {
      this.planIndex.set(name, i);
      // A VM belongs on each host it held memory on, and on the one the table shows it on; not where
      // the simulator parked it, off, after a failover that could not start it. Most VMs stay on one.
      const shown = this.shownHost(name);
      const on = [shown];
      const s = own(vms, name);
      if (s) {
        for (let p = 0; p < s.t.length; p++) {
          if (!(s.physical[p] > 0 || s.smartPaging[p] > 0)) continue;
          const host = hostNames[s.host[p]];
          if (!on.includes(host)) on.push(host);
        }
      }
      for (const host of on) this.vmsByHost.get(host)?.push(name);
      if (endPressure(own(result.vms, name)!).shortBytes > 0) {
        this.short.push(name);
        this.story.trouble(shown, name);
      }
    });
  }

  /** Every VM's row, troubled first; computed once per result. */
  rows(): VmRow[] {
    this.allRows ??= sortRows(this.vmNames.map((name) => this.row(name)), 'trouble', 'desc');
    return this.allRows;
  }

  overview(firstRows = 0): Overview {
    let failedVms = 0;
    let smartPagingVms = 0;
    for (const v of Object.values(this.result.vms)) {
      if (v.startFailures > 0) failedVms++;
      if (v.smartPagingPeakBytes > 0) smartPagingVms++;
    }
    const hosts = Object.entries(this.result.hosts).map(([name, h]): HostOption => ({
      name,
      memoryBytes: h.memory,
      capacityBytes: h.capacity,
      reserveBytes: h.reserve,
      failed: h.failed,
      vmCount: this.vmsByHost.get(name)?.length ?? 0,
      troubledVms: this.story.troubled.get(name)?.size ?? 0,
    }));
    const rows = firstRows > 0 ? this.rows().slice(0, firstRows) : [];
    return {
      durationSeconds: this.result.duration, hosts, headline: this.headline(), sections: this.sections(), rows,
      vmCount: this.vmNames.length, failedVms, smartPagingVms, shortVms: this.short.length,
    };
  }

  hostNames(): string[] {
    return Object.keys(this.result.hosts);
  }

  hostView(host: string, options: ViewOptions = {}): HostView | undefined {
    const summary = own(this.result.hosts, host);
    const series = own(this.result.series.hosts, host);
    if (!summary || !series) return undefined;
    const maxPoints = options.maxPoints ?? DEFAULT_MAX_POINTS;
    const topVms = options.topVms ?? DEFAULT_TOP_VMS;
    const clock = this.result.series.t;
    const used = series.physical.map((p, i) => p + (series.overhead[i] ?? 0));
    const keep = decimationIndices(clock.length, maxPoints, [used, series.smartPaging]);
    const t = keep.map((i) => clock[i]);
    const pick = (values: readonly number[]) => keep.map((i) => values[i] ?? 0);

    // By name: a plan may name two hosts alike, and their VMs count on the one series of that name.
    const here = this.result.series.hostNames.map((name) => name === host);
    const details = this.allDetails ?? new Details(this.result.events, this.result.vms, this.result.duration, host);
    const ranked = (this.vmsByHost.get(host) ?? [])
      .map((name) => ({ name, values: this.vmOnHost(name, here, t) }))
      .map((v) => ({ ...v, peak: Math.max(0, ...v.values), arrives: v.values.findIndex((x) => x > 0) }))
      .filter((v) => v.peak > 0)
      .sort((a, b) => b.peak - a.peak || compareKeys(a.name, b.name));
    // Drawing one VM as "others" helps nobody: show it by name instead.
    const named = ranked.length <= topVms + 1 ? ranked : ranked.slice(0, topVms);
    // VMs that arrive later go on top, so a failover start does not lift every band under it.
    const stacked = [...named].sort((a, b) => a.arrives - b.arrives || b.peak - a.peak || compareKeys(a.name, b.name));
    const layers: Layer[] = stacked.map(({ name, values }) => {
      const starts = (details.starts.get(name) ?? []).filter((x) => x.host === host && x.to > x.from).map(({ from, to, kind, detail }) => ({ from, to, kind, detail }));
      return { label: name, kind: 'vm', values, color: this.planIndex.get(name) ?? 0, ...(starts.length ? { starts } : {}) };
    });
    if (named.length < ranked.length) {
      const physical = pick(series.physical);
      const others = physical.map((p, j) => Math.max(0, layers.reduce((rest, l) => rest - l.values[j], p)));
      layers.push({ label: `${ranked.length - named.length} other VMs`, kind: 'others', values: others });
    }
    layers.push({ label: 'VM overhead', kind: 'overhead', values: pick(series.overhead) });
    // Memory held on this node for VMs migrating to it: not free, not theirs yet.
    const incoming = pick(series.incoming);
    if (incoming.some((b) => b > 0)) layers.push({ label: 'arriving by migration', kind: 'incoming', values: incoming });
    layers.push({ label: 'free', kind: 'free', values: pick(series.free) });
    layers.push({ label: 'Smart Paging (disk)', kind: 'smartPaging', values: pick(series.smartPaging) });
    return {
      host,
      t,
      layers,
      memoryBytes: summary.memory,
      capacityBytes: summary.capacity,
      reserveBytes: summary.reserve,
      ...(summary.rootMemoryReserved !== undefined ? { rootMemoryReservedBytes: summary.rootMemoryReserved } : {}),
      markers: hostMarkers(this.result.events, host, {
        hostOf: (vm, at) => this.hostAt(vm, at), hosts: this.result.series.hostNames, moveEnd: (vm, at) => details.moveEnds.get(`${vm}\u0000${at}`),
      }),
      states: hostStates(this.result.events, host, this.result.duration),
      arrivals: details.arrivals.get(host) ?? [],
      updates: this.updates().filter((u) => u.planned.includes(host)),
      sampleCount: clock.length,
    };
  }

  vmView(vm: string, options: ViewOptions = {}): VmView | undefined {
    const s = own(this.result.series.vms, vm);
    if (!s) return undefined;
    const keep = decimationIndices(s.t.length, options.maxPoints ?? DEFAULT_MAX_POINTS, [s.physical, s.smartPaging, s.demand]);
    const t = keep.map((i) => s.t[i]);
    // A step series ends at its last change; its last value holds to the end of the run.
    const end = s.t.length - 1;
    if (end >= 0 && s.t[end] < this.result.duration) { keep.push(end); t.push(this.result.duration); }
    const physical = keep.map((i) => s.physical[i]);
    const smartPaging = keep.map((i) => s.smartPaging[i]);
    const demand = keep.map((i) => s.demand[i]);
    return {
      vm,
      t,
      physical,
      smartPaging,
      demand,
      pressure: demand.map((d, j) => {
        const held = physical[j] + smartPaging[j];
        return held > 0 ? Math.round((d / held) * 100) : null;
      }),
      color: this.planIndex.get(vm) ?? 0,
    };
  }

  /** The host a row shows: where the VM ends, or, off at the end, where it last ran or tried to start. */
  private shownHost(name: string): string {
    const summary = own(this.result.vms, name)!;
    return summary.running ? summary.host : this.story.lastHost.get(name) ?? summary.host;
  }

  private row(name: string): VmRow {
    const s = own(this.result.vms, name)!;
    const story = this.story;
    const failures = story.failures.get(name) ?? [];
    const reasons = [...new Set(failures.map((f) => `${failureReason(f.reason)} at ${formatClock(f.t)}`))];
    if (!reasons.length && s.lastFailure) reasons.push(failureReason(s.lastFailure));
    const { percent, shortBytes } = endPressure(s);
    return {
      name,
      host: this.shownHost(name),
      starts: s.starts,
      startFailures: s.startFailures,
      failureReasons: reasons.join('; '),
      failureDetails: failures.map((f) => `${formatClock(f.t)} on ${f.host}: ${failureDetail(name, f.message)}`).join('\n'),
      smartPagingPeakBytes: s.smartPagingPeakBytes,
      smartPagingSeconds: s.smartPagingSeconds,
      smartPagingPath: s.smartPagingPath ?? '',
      smartPagingWhy: story.pagingWhy.get(name) ?? '',
      overTarget: story.overTarget.has(name),
      running: s.running,
      state: s.running ? 'running' : s.saved ? 'saved' : 'off',
      restart: (this.restartNotes().get(name) ?? []).join('\n'),
      moves: (this.details().moveNotes.get(name) ?? []).join('\n'),
      pressurePercent: percent,
      shortBytes,
    };
  }

  /** The core's review of the run (review.ts, host by host), read once. */
  private review(): Review {
    this.reviewed ??= reviewOf(this.result);
    return this.reviewed;
  }

  private details(): Details {
    this.allDetails ??= new Details(this.result.events, this.result.vms, this.result.duration);
    return this.allDetails;
  }

  private updates(): UpdateView[] {
    this.updateList ??= updateViews(this.result.events, this.review(), this.result.duration);
    return this.updateList;
  }

  /** The parts of the review under the chart: each rolling update, node by node. */
  private sections(): Section[] {
    const updates = this.updates();
    return updates.map((u, i) => ({
      id: `update-${i + 1}`,
      title: `Rolling update${updates.length > 1 ? ` from ${formatClock(u.from)}` : ''}, node by node`,
      lines: [
        ...u.nodes.map((n): SectionLine => ({ text: n.summary, host: n.host, ...(u.ok === undefined && n.phases.length < 3 ? {} : { tone: n.ok ? 'ok' : 'error' }) })),
        ...u.notUpdated.map((host): SectionLine => ({ text: `${host}: not reached, the run stopped before it.`, host, tone: 'error' })),
      ],
    }));
  }

  /** What each host restart did to each VM: saved and restored, or stopped and booted. */
  private restartNotes(): Map<string, string[]> {
    if (this.restartNoteMap) return this.restartNoteMap;
    const notes = new Map<string, string[]>();
    this.restartNoteMap = notes;
    const add = (vm: string, text: string) => notes.set(vm, [...(notes.get(vm) ?? []), text]);
    const startAfter = (vm: string, t: number, kind: StartShade['kind']) => this.details().starts.get(vm)?.find((x) => x.kind === kind && x.from >= t);
    for (const r of this.review().restarts) {
      const back = r.upAt ?? Infinity;
      const failed = new Set(r.failed.map((f) => f.vm));
      for (const { vm, bytes } of r.saved) {
        const restore = r.restored.find((x) => x.vm === vm) && startAfter(vm, back, 'restore');
        add(vm, restore ? `saved ${formatBytes(bytes)}, restored at ${formatClock(restore.from)} in ${formatDuration(restore.to - restore.from)}`
          : `saved ${formatBytes(bytes)} at ${formatClock(r.at)}, ${failed.has(vm) ? 'the restore failed' : 'not restored'}`);
      }
      for (const vm of r.stopped) {
        const booted = r.booted.find((b) => b.vm === vm);
        const boot = booted && startAfter(vm, back, 'boot');
        add(vm, booted ? `stopped at ${formatClock(r.at)}, booted${boot ? ` at ${formatClock(boot.from)}` : ''}${booted.smartPagingBytes > 0 ? ' on Smart Paging' : ''}`
          : `stopped at ${formatClock(r.at)}, ${failed.has(vm) ? 'failed to start again' : 'left off'}`);
      }
    }
    return notes;
  }

  /** Rolling updates, node failures, host restarts and what they restored and booted, moves, failed
   * starts, Smart Paging, VMs short of demand and VMs left off or saved: each a line when it happened,
   * so a calm run says so in one. */
  private headline(): string[] {
    const { result, story, short } = this;
    const rev = this.review();
    const context: string[] = [];
    const hostCount = Object.keys(result.hosts).length;
    context.push(`${vms(this.vmNames.length)} on ${hostCount} ${hostCount === 1 ? 'host' : 'hosts'} over ${formatDuration(result.duration)}.`);
    const failedNodes = [...story.failedNodes];
    if (failedNodes.length) context.push(`${names(failedNodes.map(([h, t]) => `${h} failed at ${formatClock(t)}`))}.`);
    const restarts = rev.restarts.filter((r) => !story.failedNodes.has(r.host) && !inUpdate(rev, r.at, r.host));
    const restarted = new Set(restarts.map((r) => r.host));
    if (restarted.size === 1) {
      const r = restarts[0];
      context.push(`${r.host} restarted at ${formatClock(r.at)}${r.upAt !== undefined && r.upAt > r.at ? ` and was up again at ${formatClock(r.upAt)}` : ''}${restarts.length > 1 ? ` (${restarts.length} times)` : ''}.`);
    } else if (restarted.size > 1) {
      context.push(`${restarted.size} hosts restarted.`);
    }
    context.push(...restartHeadline(restarts));
    const lines: string[] = [];
    this.updates().forEach((u, i) => lines.push(...updateHeadline(u, rev.updates[i], result.events, result.duration)));
    const inAnUpdate = (m: Move) => m.purpose !== undefined && m.purpose !== 'move' && (inUpdate(rev, m.t, m.to) || (m.from !== undefined && inUpdate(rev, m.t, m.from)));
    for (const migration of [false, true]) {
      const movedTo = new Map<string, string[]>();
      for (const [vm, list] of story.moves) {
        const last = list.filter((m) => m.migration === migration && !inAnUpdate(m)).at(-1);
        if (last) movedTo.set(last.to, [...(movedTo.get(last.to) ?? []), vm]);
      }
      const moved = [...movedTo.values()].reduce((n, l) => n + l.length, 0);
      if (moved) lines.push(`${vms(moved)} ${migration ? 'migrated' : 'failed over'}: ${[...movedTo].map(([to, list]) => `${names(list)} to ${to}`).join('; ')}.`);
    }
    const drainsFailed = story.drainsFailed.filter((d) => !inUpdate(rev, d.t, d.host));
    for (const d of drainsFailed) lines.push(`The drain of ${d.host} could not move ${names(d.vms)}.`);
    // A failed drain, told by its update's line or the one above, says which of its moves failed.
    const told = story.drainsFailed.map((d) => ({ ...d, vms: new Set(d.vms) }));
    const failedMoves = story.failedMoves.filter((m) => !(m.purpose === 'drain' && told.some((d) => d.host === m.from && d.vms.has(m.vm) && d.t >= m.t)));
    if (failedMoves.length) lines.push(`${failedMoves.length === 1 ? 'A migration' : `${failedMoves.length} migrations`} failed: ${names(failedMoves.map((m) => m.vm))}.`);
    if (story.preempted.length) lines.push(`${names(story.preempted.map((p) => `${p.vm} was taken offline for ${p.for}`))}.`);
    if (story.saveFailed.length) lines.push(`${names(story.saveFailed)} could not be saved and ${story.saveFailed.length === 1 ? 'was' : 'were'} turned off.`);
    const failedVms = [...story.failures.keys()];
    const stranded = failedVms.filter((vm) => story.failures.get(vm)!.some((f) => f.reason === 'no-capacity'));
    if (stranded.length) lines.push(`${vms(stranded.length)} could not fail over, no node could take ${stranded.length === 1 ? 'it' : 'them'}: ${names(stranded)}.`);
    const strandedSet = new Set(stranded);
    const otherFailed = failedVms.filter((vm) => !strandedSet.has(vm));
    if (otherFailed.length) {
      lines.push(`${vms(otherFailed.length)} failed to start: ${names(otherFailed.map((vm) => `${vm} (${failureReason(story.failures.get(vm)!.at(-1)!.reason)})`))}.`);
    }
    const paging = Object.entries(result.vms).filter(([, v]) => v.smartPagingPeakBytes > 0);
    if (paging.length === 1) {
      const [vm, v] = paging[0];
      lines.push(`${vm} used Smart Paging: ${formatBytes(v.smartPagingPeakBytes)} on disk for ${formatDuration(v.smartPagingSeconds)}${story.overTarget.has(vm) ? ', past the target' : ''}.`);
    } else if (paging.length > 1) {
      const longest = Math.max(...paging.map(([, v]) => v.smartPagingSeconds));
      lines.push(`${vms(paging.length)} used Smart Paging: ${names(paging.map(([vm]) => vm))} (the longest for ${formatDuration(longest)}).`);
    }
    if (short.length) {
      const pressure = (vm: string) => `${vm} at ${endPressure(own(result.vms, vm)!).percent} % pressure`;
      lines.push(short.length === 1
        ? `${short[0]} ended short of its demand, at ${endPressure(own(result.vms, short[0])!).percent} % pressure: it holds ${formatBytes(this.held(short[0]))} of the ${formatBytes(own(result.vms, short[0])!.demandBytes)} its guest needs.`
        : `${vms(short.length)} ended short of their demand: ${names(short.map(pressure))}.`);
    }
    const off = [...story.takenDown].filter(([vm]) => !own(result.vms, vm)!.running);
    if (off.length) {
      const after = (host: string) => (story.failedNodes.has(host) ? `${host} failed` : `${host} restarted`);
      lines.push(`${names(off.map(([vm]) => vm))} stayed off after ${names([...new Set(off.map(([, host]) => after(host)))])}.`);
    }
    const saved = this.vmNames.filter((vm) => own(result.vms, vm)!.saved);
    if (saved.length) lines.push(`${names(saved)} ended saved: ${saved.length === 1 ? 'its memory is' : 'their memory is'} on disk, not running.`);
    if (!lines.length) lines.push('Every VM that ran came back, none on Smart Paging, none short of its demand.');
    return [...context, ...lines];
  }

  private held(vm: string): number {
    const s = own(this.result.vms, vm)!;
    return s.assignedBytes + s.smartPagingBytes;
  }

  /** The host a VM was on at time t, from its series. */
  private hostAt(vm: string, t: number): string | undefined {
    const s = own(this.result.series.vms, vm);
    if (!s) return undefined;
    const [k] = pointsInForce(s, [t]);
    return k >= 0 ? this.result.series.hostNames[s.host[k]] : undefined;
  }

  /** The VM's physical memory on this host (`here[i]`: host index i is this host) at each time of `t`
   * (ascending), and 0 while it is elsewhere. */
  private vmOnHost(vm: string, here: readonly boolean[], t: readonly number[]): number[] {
    const s = own(this.result.series.vms, vm);
    const out = new Array<number>(t.length).fill(0);
    if (!s) return out;
    pointsInForce(s, t).forEach((k, j) => { if (k >= 0 && here[s.host[k]]) out[j] = s.physical[k]; });
    return out;
  }
}

/** The chart's series as CSV (bytes, one column per band, then the capacity lines). Names are quoted,
 * and a leading = + - @ is defused so a spreadsheet never runs a VM name as a formula. */
export function seriesCsv(view: HostView): string {
  const cluster = view.rootMemoryReservedBytes !== undefined;
  const header = ['t_seconds', ...view.layers.map((l) => `${l.label} bytes`), 'capacity bytes', 'memory bytes', ...(cluster ? ['failover limit bytes'] : [])];
  const limits = [view.capacityBytes, view.memoryBytes, ...(cluster ? [failoverLimitBytes(view)] : [])];
  const lines = [header.map(csvCell).join(',')];
  view.t.forEach((t, j) => {
    lines.push([t, ...view.layers.map((l) => l.values[j]), ...limits].join(','));
  });
  return lines.join('\r\n') + '\r\n';
}

/** Capacity less the cluster's RootMemoryReserved: with VMs above this line a node takes no failover
 * start (unless it can reclaim memory from its dynamic VMs). Plain capacity outside a cluster. */
export function failoverLimitBytes(view: HostView): number {
  return view.capacityBytes - (view.rootMemoryReservedBytes ?? 0);
}

/** A size as formatBytes writes it, with as many more decimals as it takes to read apart from
 * `other` (the failover limit beside capacity: 125.5 GB and 126 GB, not 126 GB twice). */
export function formatBytesApart(bytes: number, other: number): string {
  const plain = formatBytes(bytes);
  if (bytes === other || plain !== formatBytes(other)) return plain;
  const [, unit] = plain.split(' ');
  const size = 1024 ** ['B', 'KB', 'MB', 'GB', 'TB', 'PB'].indexOf(unit);
  for (let digits = 1; digits <= 6; digits++) {
    const [a, b] = [bytes, other].map((x) => (x / size).toFixed(digits));
    if (a !== b) return `${a.replace(/0+$/, '')} ${unit}`;
  }
  return plain;
}

export function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The host to show first: the one with the most VMs in trouble (a failed node first among equals), else the first. */
export function defaultHost(overview: Overview): string | undefined {
  let best = overview.hosts[0];
  for (const h of overview.hosts) {
    if (h.troubledVms > best.troubledVms || (h.troubledVms === best.troubledVms && h.failed && !best.failed)) best = h;
  }
  return best?.name;
}

/** The time range to open on: from the start to a little past the last event, when the events are
 * all early in a long run (a host restart's story is told in its first minutes); else the whole run. */
export function focusRange(view: HostView): [number, number] {
  const first = view.t[0] ?? 0;
  const end = view.t[view.t.length - 1] ?? 0;
  const lastEvent = view.markers.reduce((m, k) => Math.max(m, k.t), first);
  const to = lastEvent + Math.max(60, (lastEvent - first) * 0.25);
  return to < first + (end - first) * 0.6 ? [first, to] : [first, end];
}
