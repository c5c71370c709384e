// The timeline's markers: one table entry per event type says how its marker looks (glyph, tone),
// what its tooltip line says, and on which hosts' charts it appears. A new event type of the simulator
// is one entry here (TypeScript asks for it: the table has a key for every SimEvent type); the page
// draws glyphs and tones, never event types.
import type { SimEvent, StartFailureReason } from '../../server/src/core/simulate/types';
import { formatBytes, formatClock, formatDuration } from '../../server/src/core/units';

export type Glyph =
  /** ▼ and ▽: the host itself */
  | 'triangle' | 'triangleHollow'
  /** ● a start, ✕ a failure */
  | 'dot' | 'cross'
  /** ◆ ◇ and ◆ with a bar: Smart Paging */
  | 'diamond' | 'diamondHollow' | 'diamondBar'
  /** ■ □: a change to a VM (its guest's demand, a resize) and its saved state */
  | 'square' | 'squareHollow'
  /** ▶ ▷: a VM moving to another node, and done */
  | 'arrow' | 'arrowHollow'
  /** ‖ a node paused (drained); ⚑ a rolling update */
  | 'pause' | 'flag';

/** The colour role of a marker; the page maps each to a theme colour. */
export type Tone = 'host' | 'started' | 'error' | 'smartPaging' | 'change';

export type EventType = SimEvent['type'];
/** The event of one type; distributes over SimEvent, some of whose members share one shape for several types. */
type Narrow<E, K> = E extends { type: infer T } ? (K extends T ? E & { type: K } : never) : never;
type EventOf<K extends EventType> = Narrow<SimEvent, K>;

/** Where a VM was at a time (for events that do not name their host), from the series. */
export type HostOfVm = (vm: string, t: number) => string | undefined;

/** What an event's marker may look at: where VMs were, every host of the plan, and when a migration
 * that began at `startedAt` ended (and whether the VM arrived). */
export interface HostContext {
  hostOf: HostOfVm;
  hosts: readonly string[];
  moveEnd(vm: string, startedAt: number): { t: number; ok: boolean } | undefined;
}

interface MarkerSpec<E extends SimEvent> {
  title: string;
  glyph: Glyph;
  /** its colour; an outcome's may follow the event (a rolling update that stopped is red) */
  tone: Tone | ((e: E) => Tone);
  line(e: E, context: HostContext): MarkerItem;
  /** the charts it appears on; default: the event's own `host` */
  hosts?(e: E, context: HostContext): readonly (string | undefined)[];
}

/** Every event type's marker; null: no marker (stops are many, and the bands already show them). */
const MARKERS: { [K in EventType]: MarkerSpec<EventOf<K>> | null } = {
  hostRestart: { title: 'host restart', glyph: 'triangle', tone: 'host', line: (e) => ({ text: `${e.host} restarts: its VMs stop` }) },
  hostDown: { title: 'host down', glyph: 'triangle', tone: 'host', line: (e) => ({ text: `${e.host} goes down` }) },
  hostUp: { title: 'host up', glyph: 'triangleHollow', tone: 'host', line: (e) => ({ text: `${e.host} is back` }) },
  nodeFailure: { title: 'node failure', glyph: 'triangle', tone: 'error', line: (e) => ({ text: `${e.host} fails: its VMs move to other nodes` }) },
  nodeDrain: { title: 'drain', glyph: 'pause', tone: 'host', line: (e) => ({ text: `${e.host} is paused and drained` }) },
  nodeDrained: { title: 'drained', glyph: 'pause', tone: 'started', line: (e) => ({ text: `${e.host} drained in ${formatDuration(e.seconds)}` }) },
  drainFailed: { title: 'drain failed', glyph: 'cross', tone: 'error', line: (e) => ({ text: `${e.host}: the drain could not move ${e.vms.join(', ')}; the node stays paused` }) },
  nodeResumed: { title: 'resumed', glyph: 'triangleHollow', tone: 'started', line: (e) => ({ text: `${e.host} takes VMs again${e.failback ? ', drained VMs fail back' : ''}` }) },
  clusterUpdate: {
    title: 'rolling update', glyph: 'flag', tone: 'host',
    line: (e) => ({ text: `rolling update of ${e.nodes.join(', ')}` }),
    hosts: (e) => e.nodes,
  },
  clusterUpdateEnded: {
    title: 'rolling update ended', glyph: 'flag', tone: (e) => (e.ok ? 'started' : 'error'),
    line: (e) => ({ text: e.ok ? `rolling update done in ${formatDuration(e.seconds)}` : `rolling update stopped at ${e.stoppedAt ?? 'a node it could not drain'}` }),
    hosts: (_e, { hosts }) => hosts,
  },
  vmStarted: {
    title: 'VM started', glyph: 'dot', tone: 'started',
    line: (e) => {
      const how = e.failover ? 'failover start' : e.restart ? 'restart' : 'start';
      const paging = e.smartPagingBytes > 0 ? ` + ${formatBytes(e.smartPagingBytes)} Smart Paging` : '';
      return { vm: e.vm, text: `${e.vm}: ${how} with ${formatBytes(e.physicalBytes)} physical${paging}` };
    },
  },
  vmStartFailed: {
    title: 'start failed', glyph: 'cross', tone: 'error',
    line: (e) => {
      const detail = failureDetail(e.vm, e.message);
      return { vm: e.vm, text: `${e.vm}: ${failureReason(e.reason)}${detail ? ` (${detail})` : ''}` };
    },
  },
  vmStopped: null,
  vmSaved: { title: 'VM saved', glyph: 'squareHollow', tone: 'host', line: (e) => ({ vm: e.vm, text: `${e.vm}: ${formatBytes(e.bytes)} saved to ${e.path} in ${formatDuration(e.seconds)}` }) },
  vmSaveFailed: { title: 'save failed', glyph: 'cross', tone: 'error', line: (e) => ({ vm: e.vm, text: `${e.vm}: ${failureDetail(e.vm, e.message) || e.message}` }) },
  vmRestored: { title: 'VM restored', glyph: 'dot', tone: 'started', line: (e) => ({ vm: e.vm, text: `${e.vm}: restored with the ${formatBytes(e.bytes)} it held, read back in ${formatDuration(e.seconds)}` }) },
  vmMigrationStarted: {
    title: 'migration', glyph: 'arrowHollow', tone: 'change',
    line: (e, { moveEnd }) => {
      const end = moveEnd(e.vm, e.t);
      const until = !end ? ', not done by the end' : end.ok ? `, done at ${formatClock(end.t)} in ${formatDuration(end.t - e.t)}` : `, failed at ${formatClock(end.t)}`;
      return { vm: e.vm, text: `${e.vm}: ${e.moveType} migration from ${e.from} to ${e.to} (${formatBytes(e.bytes)}${e.purpose === 'move' ? '' : `, ${e.purpose}`})${until}` };
    },
    hosts: (e) => [e.from, e.to],
  },
  vmMigrated: {
    title: 'migrated', glyph: 'arrow', tone: 'started',
    line: (e) => ({
      vm: e.vm,
      text: e.seconds > 0 ? `${e.vm}: ${e.moveType} migration from ${e.from} to ${e.to} done in ${formatDuration(e.seconds)}, since ${formatClock(e.t - e.seconds)}${e.purpose === 'move' ? '' : ` (${e.purpose})`}`
        : `${e.vm}: moved from ${e.from} to ${e.to} while off (owner only${e.purpose === 'move' ? '' : `, ${e.purpose}`})`,
    }),
    hosts: (e) => [e.from, e.to],
  },
  vmMigrationFailed: {
    title: 'migration failed', glyph: 'cross', tone: 'error',
    line: (e) => ({ vm: e.vm, text: `${e.vm}: ${e.message}` }),
    hosts: (e) => [e.from, e.to],
  },
  vmPreempted: { title: 'preempted', glyph: 'cross', tone: 'smartPaging', line: (e) => ({ vm: e.vm, text: `${e.vm}: taken offline to make room for ${e.for}` }) },
  vmResized: { title: 'resized', glyph: 'square', tone: 'change', line: (e) => ({ vm: e.vm, text: `${e.vm}: ${resized(e)}` }) },
  vmResizeFailed: { title: 'resize refused', glyph: 'cross', tone: 'error', line: (e) => ({ vm: e.vm, text: `${e.vm}: ${e.message}` }) },
  smartPagingStarted: { title: 'Smart Paging started', glyph: 'diamond', tone: 'smartPaging', line: (e) => ({ vm: e.vm, text: `${e.vm}: ${formatBytes(e.bytes)} in ${e.path}` }) },
  smartPagingEnded: { title: 'Smart Paging ended', glyph: 'diamondHollow', tone: 'smartPaging', line: (e) => ({ vm: e.vm, text: `${e.vm}: after ${formatDuration(e.seconds)}` }) },
  smartPagingOverTarget: { title: 'Smart Paging over target', glyph: 'diamondBar', tone: 'smartPaging', line: (e) => ({ vm: e.vm, text: `${e.vm}: still on Smart Paging past the target` }) },
  demand: {
    title: 'demand changed', glyph: 'square', tone: 'change',
    line: (e) => ({ vm: e.vm, text: `${e.vm}: the guest now needs ${formatBytes(e.bytes)}` }),
    hosts: (e, { hostOf }) => [hostOf(e.vm, e.t)],
  },
};

function resized(e: EventOf<'vmResized'>): string {
  const parts = [
    e.startupBytes !== undefined ? `startup ${formatBytes(e.startupBytes)}` : '',
    e.minimumBytes !== undefined ? `minimum ${formatBytes(e.minimumBytes)}` : '',
    e.maximumBytes !== undefined ? `maximum ${formatBytes(e.maximumBytes)}` : '',
  ].filter(Boolean);
  return parts.length ? `resized to ${parts.join(', ')}` : 'resized';
}

/** Why a start failed, in a few words: the event's message has the numbers. */
const FAILURE_REASONS: Record<StartFailureReason, string> = {
  'insufficient-memory': 'not enough memory',
  'smart-paging-disk-full': 'Smart Paging disk full',
  'no-capacity': 'no node could take it',
};

export function failureReason(reason: string): string {
  return (FAILURE_REASONS as Record<string, string | undefined>)[reason] ?? reason;
}

/** The message without the "VM03 could not start at 0:05:00: " it opens with: the marker and the row say that. */
export function failureDetail(vm: string, message: string): string {
  const prefix = `${vm} could not start at `;
  if (!message.startsWith(prefix)) return message;
  const colon = message.indexOf(': ', prefix.length);
  return colon < 0 ? message : message.slice(colon + 2);
}

export type MarkerKind = { [K in EventType]: (typeof MARKERS)[K] extends null ? never : K }[EventType];

export interface MarkerItem {
  /** the VM the line is about, for reveal-in-plan; absent for host events */
  vm?: string;
  text: string;
}

/** Events of one kind at one instant on one host, drawn as one marker with every line in its tooltip. */
export interface Marker {
  t: number;
  kind: MarkerKind;
  glyph: Glyph;
  tone: Tone;
  title: string;
  items: MarkerItem[];
}

/** Events on one host as markers, in time order; events of one kind at one instant share a marker. */
export function hostMarkers(events: readonly SimEvent[], host: string, context: Partial<HostContext> = {}): Marker[] {
  const markers: Marker[] = [];
  const open = new Map<string, Marker>();
  const where: HostContext = { hostOf: context.hostOf ?? (() => undefined), hosts: context.hosts ?? [host], moveEnd: context.moveEnd ?? (() => undefined) };
  for (const e of events) {
    const spec = MARKERS[e.type] as MarkerSpec<SimEvent> | null;
    if (!spec) continue;
    const on = spec.hosts ? spec.hosts(e, where) : ['host' in e ? e.host : undefined];
    if (!on.includes(host)) continue;
    const key = `${e.t}\u0000${e.type}`;
    let marker = open.get(key);
    if (!marker) {
      const tone = typeof spec.tone === 'function' ? spec.tone(e) : spec.tone;
      marker = { t: e.t, kind: e.type as MarkerKind, glyph: spec.glyph, tone, title: `${formatClock(e.t)} ${spec.title}`, items: [] };
      open.set(key, marker);
      markers.push(marker);
    }
    marker.items.push(spec.line(e, where));
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
