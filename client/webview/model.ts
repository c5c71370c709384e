// The timeline's view model: plain data in (a SimulationResult), plain data out (what the chart, the
// markers and the table draw). Pure, so the extension host, the browser page of `hvmem simulate --html`
// and the tests all run the same code. Sizes stay bytes; text for people is made here, at the edge,
// with the core's own formatters so "1.5 GB" reads the same in diagnostics, hovers and the panel.
import type { SimEvent, SimulationResult } from '../../server/src/core/simulate/types';
import { formatBytes, formatClock, formatDuration } from '../../server/src/core/units';

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
  /** VMs on this host that failed to start or needed Smart Paging: what to look at first */
  troubledVms: number;
}

export interface VmRow {
  name: string;
  host: string;
  starts: number;
  startFailures: number;
  /** why starts failed, one reason per distinct failure, in plain text */
  failureReasons: string;
  smartPagingPeakBytes: number;
  smartPagingSeconds: number;
  smartPagingPath: string;
  /** why the VM needed Smart Paging, from its start event: what the host could give of its startup memory */
  smartPagingWhy: string;
  overTarget: boolean;
  running: boolean;
  /** where failover moved the VM, one note per move (*from HV-B to HV-A at 5:00*); empty if never */
  failover: string;
}

export interface Overview {
  durationSeconds: number;
  hosts: HostOption[];
  /** the first rows in the default order (troubled first), maybe none: building 8,000 rows would
   * delay the chart, so the page asks for them (`rows()`) once the chart is on screen */
  rows: VmRow[];
  vmCount: number;
  failedVms: number;
  smartPagingVms: number;
}

export type LayerKind = 'vm' | 'others' | 'overhead' | 'free' | 'smartPaging';

/** One band of the stacked chart, bottom to top; `values` are bytes on the view's clock, not stacked. */
export interface Layer {
  label: string;
  kind: LayerKind;
  values: number[];
}

export type MarkerKind = Exclude<SimEvent['type'], 'demand' | 'vmStopped'>;

export interface MarkerItem {
  /** the VM the line is about, for reveal-in-plan; absent for host events */
  vm?: string;
  text: string;
}

/** Events of one kind at one instant on one host, drawn as one marker with every line in its tooltip. */
export interface Marker {
  t: number;
  kind: MarkerKind;
  title: string;
  items: MarkerItem[];
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
  /** samples before decimation, so the page can say how much it thinned */
  sampleCount: number;
}

export interface VmView {
  vm: string;
  t: number[];
  physical: number[];
  smartPaging: number[];
  demand: number[];
  /** demand / physical x 100, as Hyper-V reports pressure; null while the VM holds nothing */
  pressure: (number | null)[];
}

export interface ViewOptions {
  maxPoints?: number;
  topVms?: number;
}

const FAILURE_TEXT: Record<string, string> = {
  'insufficient-memory': 'not enough memory',
  'smart-paging-disk-full': 'Smart Paging disk full',
  'no-capacity': 'no node with capacity',
};

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

/** The plan's VMs with their outcome; troubled first (failures, then Smart Paging), then by name. */
export function summaryRows(result: SimulationResult): VmRow[] {
  const reasons = new Map<string, Set<string>>();
  const overTarget = new Set<string>();
  const pagingWhy = new Map<string, string>();
  // A failover start names only the node it lands on: where the VM came from is the host it last ran on.
  const lastHost = new Map<string, string>();
  const moves = new Map<string, string[]>();
  for (const e of result.events) {
    if (e.type === 'vmStarted' && e.failover) {
      const from = lastHost.get(e.vm);
      const list = moves.get(e.vm) ?? [];
      list.push(`${from ? `from ${from} ` : ''}to ${e.host} at ${formatClock(e.t)}`);
      moves.set(e.vm, list);
    }
    if ((e.type === 'vmStarted' || e.type === 'vmStopped' || e.type === 'vmStartFailed') && e.host) lastHost.set(e.vm, e.host);
    if (e.type === 'vmStarted' && e.smartPagingBytes > 0 && !pagingWhy.has(e.vm)) {
      const startup = e.physicalBytes + e.smartPagingBytes;
      pagingWhy.set(e.vm, `${e.restart ? 'restart' : 'start'} at ${formatClock(e.t)}: ${e.host} had only ${formatBytes(e.physicalBytes)} of its ${formatBytes(startup)} startup memory`);
    }
    if (e.type === 'vmStartFailed') {
      const set = reasons.get(e.vm) ?? new Set<string>();
      set.add(failureText(e.reason, e.message));
      reasons.set(e.vm, set);
    } else if (e.type === 'smartPagingOverTarget') overTarget.add(e.vm);
  }
  const rows = Object.entries(result.vms).map(([name, s]): VmRow => ({
    name,
    host: s.host,
    starts: s.starts,
    startFailures: s.startFailures,
    failureReasons: [...(reasons.get(name) ?? (s.lastFailure ? [s.lastFailure] : []))].join('; '),
    smartPagingPeakBytes: s.smartPagingPeakBytes,
    smartPagingSeconds: s.smartPagingSeconds,
    smartPagingPath: s.smartPagingPath ?? '',
    smartPagingWhy: pagingWhy.get(name) ?? '',
    overTarget: overTarget.has(name),
    running: s.running,
    failover: (moves.get(name) ?? []).join('; '),
  }));
  return sortRows(rows, 'trouble', 'desc');
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

/** A stable sort of the table; 'trouble' ranks failures, then Smart Paging use, then name. */
export function sortRows(rows: readonly VmRow[], key: SortKey, dir: 'asc' | 'desc'): VmRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  const names = new Map(rows.map((r) => [r, naturalKey(r.name)]));
  const byName = (a: VmRow, b: VmRow) => compareKeys(names.get(a)!, names.get(b)!);
  if (key === 'trouble') {
    return [...rows].sort((a, b) => sign * (a.startFailures - b.startFailures || a.smartPagingSeconds - b.smartPagingSeconds || a.smartPagingPeakBytes - b.smartPagingPeakBytes) || byName(a, b));
  }
  const text = rows.some((r) => typeof r[key] === 'string') ? new Map(rows.map((r) => [r, naturalKey(String(r[key]))])) : undefined;
  const compare = text
    ? (a: VmRow, b: VmRow) => compareKeys(text.get(a)!, text.get(b)!)
    : (a: VmRow, b: VmRow) => Number(a[key]) - Number(b[key]);
  return [...rows].sort((a, b) => sign * compare(a, b) || byName(a, b));
}

/** Events on one host as markers; events of one kind at one instant share a marker. Demand changes
 * and stops are left out: they are many and the bands already show them. */
export function hostMarkers(events: readonly SimEvent[], host: string): Marker[] {
  const markers: Marker[] = [];
  const open = new Map<string, Marker>();
  for (const e of events) {
    if (!('host' in e) || e.host !== host || e.type === 'vmStopped') continue;
    const key = `${e.t}\u0000${e.type}`;
    let marker = open.get(key);
    if (!marker) {
      marker = { t: e.t, kind: e.type, title: `${formatClock(e.t)} ${MARKER_TITLES[e.type]}`, items: [] };
      open.set(key, marker);
      markers.push(marker);
    }
    marker.items.push(markerItem(e));
  }
  return markers;
}

/** Lines a marker's tooltip lists; a node failure can start hundreds of VMs at one instant. */
export const MARKER_ITEMS_SHOWN = 12;

/** What a screen reader says for a marker: its time, its event and the lines of its tooltip. */
export function markerLabel(marker: Marker): string {
  const more = marker.items.length - MARKER_ITEMS_SHOWN;
  const lines = marker.items.slice(0, MARKER_ITEMS_SHOWN).map((i) => i.text);
  return `${marker.title}: ${lines.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

const MARKER_TITLES: Record<MarkerKind, string> = {
  hostRestart: 'host restart',
  hostUp: 'host up',
  nodeFailure: 'node failure',
  vmStarted: 'VM started',
  vmStartFailed: 'start failed',
  smartPagingStarted: 'Smart Paging started',
  smartPagingEnded: 'Smart Paging ended',
  smartPagingOverTarget: 'Smart Paging over target',
  hostDown: 'host down',
  nodeDrain: 'drain',
  vmSaved: 'VM saved',
  vmSaveFailed: 'save failed',
  vmRestored: 'VM restored',
  vmMigrationStarted: 'migration',
  vmMigrated: 'migrated',
  vmMigrationFailed: 'migration failed',
  nodeDrained: 'drained',
  drainFailed: 'drain failed',
  nodeResumed: 'resumed',
  vmPreempted: 'preempted',
  clusterUpdate: 'rolling update',
  clusterUpdateEnded: 'rolling update ended',
  vmResized: 'resized',
  vmResizeFailed: 'resize refused',
};

function markerItem(e: Exclude<SimEvent, { type: 'demand' | 'vmStopped' }>): MarkerItem {
  switch (e.type) {
    case 'hostRestart': return { text: `${e.host} restarts: its VMs stop` };
    case 'hostUp': return { text: `${e.host} is back` };
    case 'nodeFailure': return { text: `${e.host} fails: its VMs move to other nodes` };
    case 'vmStarted': {
      const how = e.failover ? 'failover start' : e.restart ? 'restart' : 'start';
      const paging = e.smartPagingBytes > 0 ? ` + ${formatBytes(e.smartPagingBytes)} Smart Paging` : '';
      return { vm: e.vm, text: `${e.vm}: ${how} with ${formatBytes(e.physicalBytes)} physical${paging}` };
    }
    case 'vmStartFailed': return { vm: e.vm, text: `${e.vm}: start failed, ${failureText(e.reason, e.message)}` };
    case 'smartPagingStarted': return { vm: e.vm, text: `${e.vm}: ${formatBytes(e.bytes)} in ${e.path}` };
    case 'smartPagingEnded': return { vm: e.vm, text: `${e.vm}: after ${formatDuration(e.seconds)}` };
    case 'smartPagingOverTarget': return { vm: e.vm, text: `${e.vm}: still on Smart Paging past the target` };
    case 'hostDown': return { text: `${e.host} goes down` };
    case 'nodeDrain': return { text: `${e.host} is paused and drained` };
    case 'vmSaved': return { vm: e.vm, text: `${e.vm}: ${formatBytes(e.bytes)} saved in ${formatDuration(e.seconds)}` };
    case 'vmSaveFailed': return { vm: e.vm, text: `${e.vm}: ${e.message}` };
    case 'vmRestored': return { vm: e.vm, text: `${e.vm}: restores ${formatBytes(e.bytes)} from saved state in ${formatDuration(e.seconds)}` };
    case 'vmMigrationStarted': return { vm: e.vm, text: `${e.vm}: ${e.moveType} migration from ${e.from} to ${e.to} (${formatBytes(e.bytes)})` };
    case 'vmMigrated': return { vm: e.vm, text: `${e.vm}: moved from ${e.from} to ${e.to} in ${formatDuration(e.seconds)}` };
    case 'vmMigrationFailed': return { vm: e.vm, text: `${e.vm}: ${e.message}` };
    case 'nodeDrained': return { text: `${e.host} drained in ${formatDuration(e.seconds)}` };
    case 'drainFailed': return { text: `${e.host}: the drain could not move ${e.vms.join(', ')}` };
    case 'nodeResumed': return { text: `${e.host} resumed${e.failback ? ', with failback' : ''}` };
    case 'vmPreempted': return { vm: e.vm, text: `${e.vm}: taken offline for ${e.for}` };
    case 'clusterUpdate': return { text: `rolling update of ${e.nodes.join(', ')}` };
    case 'clusterUpdateEnded': return { text: e.ok ? `rolling update done in ${formatDuration(e.seconds)}` : `rolling update stopped at ${e.stoppedAt}` };
    case 'vmResized': return { vm: e.vm, text: `${e.vm}: resized` };
    case 'vmResizeFailed': return { vm: e.vm, text: `${e.vm}: ${e.message}` };
  }
}

function failureText(reason: string, message: string): string {
  const short = FAILURE_TEXT[reason] ?? reason;
  return message ? `${short} (${message})` : short;
}

/** Everything the panel draws, computed from one result. Per-host indexes are built once, so
 * switching hosts costs only that host's VMs. */
export class TimelineModel {
  private readonly vmsByHost = new Map<string, string[]>();
  private allRows: VmRow[] | undefined;

  constructor(readonly result: SimulationResult) {
    const { vms, hostNames } = result.series;
    const lists = hostNames.map((name) => {
      const list: string[] = [];
      this.vmsByHost.set(name, list);
      return list;
    });
    for (const [name, s] of Object.entries(vms)) {
      // Most VMs never move: one host, found without building a set per VM.
      const seen: number[] = [];
      for (const h of s.host) {
        if (seen.includes(h)) continue;
        seen.push(h);
        lists[h]?.push(name);
      }
    }
  }

  /** Every VM's row, troubled first; computed once per result. */
  rows(): VmRow[] {
    this.allRows ??= summaryRows(this.result);
    return this.allRows;
  }

  overview(firstRows = 0): Overview {
    const troubled = new Map<string, number>();
    let failedVms = 0;
    let smartPagingVms = 0;
    const vms = Object.values(this.result.vms);
    for (const v of vms) {
      if (v.startFailures > 0) failedVms++;
      if (v.smartPagingPeakBytes > 0) smartPagingVms++;
      if (v.startFailures > 0 || v.smartPagingPeakBytes > 0) troubled.set(v.host, (troubled.get(v.host) ?? 0) + 1);
    }
    const hosts = Object.entries(this.result.hosts).map(([name, h]): HostOption => ({
      name,
      memoryBytes: h.memory,
      capacityBytes: h.capacity,
      reserveBytes: h.reserve,
      failed: h.failed,
      vmCount: this.vmsByHost.get(name)?.length ?? 0,
      troubledVms: troubled.get(name) ?? 0,
    }));
    const rows = firstRows > 0 ? this.rows().slice(0, firstRows) : [];
    return { durationSeconds: this.result.duration, hosts, rows, vmCount: vms.length, failedVms, smartPagingVms };
  }

  hostNames(): string[] {
    return Object.keys(this.result.hosts);
  }

  hostView(host: string, options: ViewOptions = {}): HostView | undefined {
    const summary = this.result.hosts[host];
    const series = this.result.series.hosts[host];
    if (!summary || !series) return undefined;
    const maxPoints = options.maxPoints ?? DEFAULT_MAX_POINTS;
    const topVms = options.topVms ?? DEFAULT_TOP_VMS;
    const clock = this.result.series.t;
    const used = series.physical.map((p, i) => p + (series.overhead[i] ?? 0));
    const keep = decimationIndices(clock.length, maxPoints, [used, series.smartPaging]);
    const t = keep.map((i) => clock[i]);
    const pick = (values: readonly number[]) => keep.map((i) => values[i] ?? 0);

    const hostIndex = this.result.series.hostNames.indexOf(host);
    const ranked = (this.vmsByHost.get(host) ?? [])
      .map((name) => ({ name, peak: this.peakOnHost(name, hostIndex) }))
      .sort((a, b) => b.peak - a.peak || compareKeys(a.name, b.name));
    // Drawing one VM as "others" helps nobody: show it by name instead.
    const own = ranked.length <= topVms + 1 ? ranked : ranked.slice(0, topVms);
    const layers: Layer[] = own.map(({ name }) => ({ label: name, kind: 'vm', values: this.vmOnHost(name, hostIndex, t) }));
    if (own.length < ranked.length) {
      const physical = pick(series.physical);
      const others = physical.map((p, j) => Math.max(0, layers.reduce((rest, l) => rest - l.values[j], p)));
      layers.push({ label: `${ranked.length - own.length} other VMs`, kind: 'others', values: others });
    }
    layers.push({ label: 'VM overhead', kind: 'overhead', values: pick(series.overhead) });
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
      markers: hostMarkers(this.result.events, host),
      sampleCount: clock.length,
    };
  }

  vmView(vm: string, options: ViewOptions = {}): VmView | undefined {
    const s = this.result.series.vms[vm];
    if (!s) return undefined;
    const keep = decimationIndices(s.t.length, options.maxPoints ?? DEFAULT_MAX_POINTS, [s.physical, s.smartPaging, s.demand]);
    const t = keep.map((i) => s.t[i]);
    // A step series ends at its last change; its last value holds to the end of the run.
    const end = s.t.length - 1;
    if (end >= 0 && s.t[end] < this.result.duration) { keep.push(end); t.push(this.result.duration); }
    const physical = keep.map((i) => s.physical[i]);
    const demand = keep.map((i) => s.demand[i]);
    return {
      vm,
      t,
      physical,
      smartPaging: keep.map((i) => s.smartPaging[i]),
      demand,
      pressure: demand.map((d, j) => (physical[j] > 0 ? Math.round((d / physical[j]) * 100) : null)),
    };
  }

  private peakOnHost(vm: string, hostIndex: number): number {
    const s = this.result.series.vms[vm];
    let peak = 0;
    for (let i = 0; i < s.t.length; i++) if (s.host[i] === hostIndex && s.physical[i] > peak) peak = s.physical[i];
    return peak;
  }

  /** The VM's physical memory on this host at each time of `t` (ascending): its step series holds a
   * value until its next sample, and counts only while the VM is on this host. */
  private vmOnHost(vm: string, hostIndex: number, t: readonly number[]): number[] {
    const s = this.result.series.vms[vm];
    const out = new Array<number>(t.length);
    let k = -1;
    for (let j = 0; j < t.length; j++) {
      while (k + 1 < s.t.length && s.t[k + 1] <= t[j]) k++;
      out[j] = k >= 0 && s.host[k] === hostIndex ? s.physical[k] : 0;
    }
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

export function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The host to show first: the one with the most VMs in trouble, else the first. */
export function defaultHost(overview: Overview): string | undefined {
  let best = overview.hosts[0];
  for (const h of overview.hosts) if (h.troubledVms > best.troubledVms) best = h;
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
