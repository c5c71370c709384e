// The scenario's event types, on the plan's side, in one table: for each type its fields, what it
// needs, its documentation and its completion snippet. The reader, the JSON Schema, completion and the
// rules all read this table. What an event does is its handler in simulate/scenario.ts; docs/ARCHITECTURE.md
// lists the files a new event type touches.
import { duration, names, size, type Field } from './fields';
import type { Span } from './text';
import type { Spans } from './plan';

export const MOVE_TYPES = ['live', 'quick'] as const;
export type MoveType = typeof MOVE_TYPES[number];

interface EventBase {
  index: number;
  atSeconds: number;
  span: Span;
  spans: Spans;
}

/** A scenario event as read from the plan: one member per type, with its fields read and typed. */
export type PlanEvent = EventBase & (
  | { type: 'hostRestart'; host: string }
  | { type: 'vmRestart'; vm: string }
  | { type: 'vmStart'; vm: string }
  | { type: 'vmStop'; vm: string }
  | { type: 'nodeFailure'; host: string }
  | { type: 'demand'; vm: string; memoryBytes: number }
  | { type: 'nodeDrain'; host: string }
  | { type: 'nodeResume'; host: string; failback: boolean }
  | { type: 'clusterUpdate'; nodes?: string[] }
  | { type: 'vmMigrate'; vm: string; host: string; moveType: MoveType }
  | { type: 'vmResize'; vm: string; startupBytes?: number; minimumBytes?: number; maximumBytes?: number }
);

export type EventType = PlanEvent['type'];
export type EventOf<T extends EventType> = Extract<PlanEvent, { type: T }>;

export type EventKey = Exclude<keyof typeof eventFields, 'at' | 'type'>;

interface EventDefinition<E extends PlanEvent> {
  /** what happens, for hovers and completion */
  description: string;
  /** keys the event must have */
  needs: readonly EventKey[];
  /** keys it may have */
  optional?: readonly EventKey[];
  /** it needs at least one of these */
  needsOneOf?: readonly EventKey[];
  /** only in a failover cluster */
  clusterOnly?: boolean;
  /** the completion snippet's fields after "type" (snippet syntax; HOST and VM are replaced by names of the plan) */
  snippet: string;
  /** the typed fields from the values read (the field table's defaults filled in) */
  build(values: Readonly<Record<string, unknown>>): Omit<E, keyof EventBase | 'type'>;
}

const str = (v: unknown) => v as string;
const bytes = (v: unknown) => v as number | undefined;

export const EVENTS: { readonly [T in EventType]: EventDefinition<EventOf<T>> } = {
  hostRestart: {
    description: 'The host restarts: each VM gets its stop action (Save, ShutDown, TurnOff) and comes back per its start action; saved VMs are restored, the others boot (restarts: Smart Paging may bridge them). A cluster node is drained first.',
    needs: ['host'], snippet: '"host": "${2:HOST}"', build: (v) => ({ host: str(v.host) }),
  },
  vmRestart: {
    description: 'Guest reboot: the VM needs its startup memory again. A restart: Smart Paging may bridge it.',
    needs: ['vm'], snippet: '"vm": "${2:VM}"', build: (v) => ({ vm: str(v.vm) }),
  },
  vmStart: {
    description: 'Cold start from Off: needs the whole startup memory; Smart Paging never helps.',
    needs: ['vm'], snippet: '"vm": "${2:VM}"', build: (v) => ({ vm: str(v.vm) }),
  },
  vmStop: {
    description: 'The VM shuts down; its memory is freed.',
    needs: ['vm'], snippet: '"vm": "${2:VM}"', build: (v) => ({ vm: str(v.vm) }),
  },
  nodeFailure: {
    description: 'Cluster only: the node is lost and its VMs start cold on other nodes by priority, preempting lower-priority VMs for High and Medium ones.',
    needs: ['host'], clusterOnly: true, snippet: '"host": "${2:HOST}"', build: (v) => ({ host: str(v.host) }),
  },
  demand: {
    description: 'The guest\'s demand changes.',
    needs: ['vm', 'memory'], snippet: '"vm": "${2:VM}", "memory": "${3:4GB}"', build: (v) => ({ vm: str(v.vm), memoryBytes: v.memory as number }),
  },
  nodeDrain: {
    description: 'Cluster only: pause the node and move its VMs to other nodes, High first (live at or above the cluster\'s moveTypeThreshold, quick below). A VM that cannot be placed stays and the drain fails.',
    needs: ['host'], clusterOnly: true, snippet: '"host": "${2:HOST}"', build: (v) => ({ host: str(v.host) }),
  },
  nodeResume: {
    description: 'Cluster only: the paused node takes VMs again; with failback (default) the VMs drained from it move back.',
    needs: ['host'], optional: ['failback'], clusterOnly: true, snippet: '"host": "${2:HOST}", "failback": ${3:true}',
    build: (v) => ({ host: str(v.host), failback: v.failback as boolean }),
  },
  clusterUpdate: {
    description: 'Cluster only: a rolling update (Cluster-Aware Updating): each node in turn is drained, restarted and resumed with failback; a failed drain stops the run.',
    needs: [], optional: ['nodes'], clusterOnly: true, snippet: '"nodes": [${2}]',
    build: (v) => (v.nodes === undefined ? {} : { nodes: v.nodes as string[] }),
  },
  vmMigrate: {
    description: 'Move the VM to the host: live (it keeps running) or quick (saved, moved, restored). Refused without room on the destination, or when the destination is paused.',
    needs: ['vm', 'host'], optional: ['moveType'], snippet: '"vm": "${2:VM}", "host": "${3:HOST}", "moveType": "${4|live,quick|}"',
    build: (v) => ({ vm: str(v.vm), host: str(v.host), moveType: v.moveType as MoveType }),
  },
  vmResize: {
    description: 'Runtime resize: a running static generation-2 VM gets a new memory size (`startup`; memory the guest uses is not taken away); a Dynamic Memory VM a new `minimum` or `maximum`.',
    needs: ['vm'], optional: ['startup', 'minimum', 'maximum'], needsOneOf: ['startup', 'minimum', 'maximum'], snippet: '"vm": "${2:VM}", "startup": "${3:8GB}"',
    build: (v) => {
      const out: { vm: string; startupBytes?: number; minimumBytes?: number; maximumBytes?: number } = { vm: str(v.vm) };
      if (bytes(v.startup) !== undefined) out.startupBytes = bytes(v.startup);
      if (bytes(v.minimum) !== undefined) out.minimumBytes = bytes(v.minimum);
      if (bytes(v.maximum) !== undefined) out.maximumBytes = bytes(v.maximum);
      return out;
    },
  },
};

export const EVENT_TYPES = Object.keys(EVENTS) as readonly EventType[];

/** Every key an event object may have. */
export const eventFields = {
  at: { ...duration('When the event happens, from the start of the scenario.'), required: true },
  type: { kind: 'enum', values: EVENT_TYPES, valueDescriptions: EVENT_TYPES.map((t) => EVENTS[t].description), required: true, description: 'What happens.' },
  host: { kind: 'string', description: 'The host (hostRestart, nodeFailure, nodeDrain, nodeResume), or where a vmMigrate moves the VM.' },
  vm: { kind: 'string', description: 'The VM (vmRestart, vmStart, vmStop, demand, vmMigrate, vmResize).' },
  memory: size('The new demand (demand).'),
  failback: { kind: 'boolean', default: true, description: 'nodeResume: move the VMs drained from the node back to it (Resume-ClusterNode -Failback Immediate).' },
  nodes: names('clusterUpdate: the nodes in the order they are updated. Default: every node, in plan order.', [['HV01', 'HV02']]),
  moveType: {
    kind: 'enum', values: MOVE_TYPES, default: 'live', description: 'vmMigrate: live migration (the VM keeps running) or quick migration (saved, moved, restored).',
    valueDescriptions: ['Live migration: the memory is copied while the VM runs.', 'Quick migration: the VM is saved, moved and restored; it is down meanwhile.'],
  },
  startup: size('vmResize: the new memory of a static VM (runtime resize, generation 2).'),
  minimum: size('vmResize: the new minimum of a Dynamic Memory VM.'),
  maximum: size('vmResize: the new maximum of a Dynamic Memory VM.'),
} satisfies Record<string, Field>;


export interface EventReference { kind: 'host' | 'vm'; name: string; span: Span | undefined }

/** The host and VM names an event refers to, each with where it is written (for checks, definition and rename). */
export function eventReferences(e: PlanEvent): EventReference[] {
  const out: EventReference[] = [];
  if ('host' in e) out.push({ kind: 'host', name: e.host, span: e.spans.host?.value });
  if ('vm' in e) out.push({ kind: 'vm', name: e.vm, span: e.spans.vm?.value });
  if (e.type === 'clusterUpdate') e.nodes?.forEach((name, i) => out.push({ kind: 'host', name, span: e.spans[`nodes[${i}]`]?.value }));
  return out;
}
