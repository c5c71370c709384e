// Reads plan text into a typed Plan: JSONC parse (keeping going after syntax errors), key and type
// checks against the field table in schema.ts, sizes and durations read, defaults applied.
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { DiagnosticCode, PlanDiagnostic, Severity } from './diagnostics';
import {
  clusterFields, hostFields, memoryFields, modelFields, planFields, scenarioFields, vmFields,
  type Field,
} from './schema';
import { eventFields, EVENTS, type EventKey } from './events';
import { defaults } from './fields';
import type { Cluster, DemandStep, FieldSpans, Host, ModelParameters, PageSharingScan, Plan, PlanEvent, Scenario, Spans, Vm, Volume } from './plan';
import { shareFromScan } from './pages/share';
import type { Span } from './text';
import { formatBytes, MB, parseDuration, parseSize } from './units';
import { MODEL_DEFAULTS } from './model';

export interface ReadOptions {
  /** model parameters to use where the plan's `model` says nothing (e.g. editor settings) */
  modelDefaults?: Partial<ModelParameters>;
  /**
   * Reads a page sharing scan result a host's `pageSharing` names, given the path as written in the
   * plan: the file's text, or why it cannot be read. The core reads no files, so adapters give this
   * (resolving the path from the plan's folder); without it the scan is reported as unreadable.
   */
  readSharingScan?: (path: string) => { text: string } | { problem: string };
}

export interface ReadResult {
  plan: Plan;
  diagnostics: PlanDiagnostic[];
  /** the JSONC tree, for editor features that need the syntax (completion, symbols) */
  root: Node | undefined;
}

// Defaults, read once from the field table.
const HOST = defaults(hostFields);
const VM = defaults(vmFields);
const MEMORY = defaults(memoryFields);
const CLUSTER = defaults(clusterFields);
const EVENT = defaults(eventFields);
const DEFAULT_SCENARIO_SECONDS = defaults(scenarioFields).duration as number;

export function readPlan(text: string, options: ReadOptions = {}): ReadResult {
  return new PlanReader(text, options).read();
}

const spanOf = (node: Node): Span => ({ start: node.offset, end: node.offset + node.length });

class PlanReader {
  readonly diagnostics: PlanDiagnostic[] = [];

  constructor(private readonly text: string, private readonly options: ReadOptions) {}

  read(): ReadResult {
    const root = this.parse();
    const empty = emptyPlan({ ...MODEL_DEFAULTS, ...this.options.modelDefaults });
    if (!root) return { plan: empty, diagnostics: this.diagnostics, root };
    if (root.type !== 'object') {
      this.report('schema', 'error', `A plan is a JSON object with "hosts" and "vms"; this file holds ${describe(root)}.`, spanOf(root));
      return { plan: empty, diagnostics: this.diagnostics, root };
    }
    const spans: Spans = {};
    const props = this.properties(root, planFields, '', spans, undefined);
    const hosts = this.array(props.get('hosts'), 'hosts').map((n, i) => this.host(n, i));
    const vmNodes = this.array(props.get('vms'), 'vms');
    const model = this.model(props.get('model'));
    const vms = vmNodes.map((n, i) => this.vm(n, i, hosts, model));
    const cluster = props.get('cluster') ? this.cluster(props.get('cluster')!) : undefined;
    const scenario = this.scenario(props.get('scenario'), hosts);
    const plan: Plan = { hosts, vms, cluster, scenario, model, spans };
    return { plan, diagnostics: this.diagnostics, root };
  }

  private parse(): Node | undefined {
    // A leading byte-order mark is blanked, not removed, so offsets still match the text.
    const source = this.text.charCodeAt(0) === 0xfeff ? ' ' + this.text.slice(1) : this.text;
    const errors: ParseError[] = [];
    let root: Node | undefined;
    try {
      root = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
    } catch (e) {
      // The parser recurses per nesting level; absurd nesting must not take the process down.
      const message = e instanceof RangeError ? 'The file is nested too deeply to read.' : `The file cannot be parsed: ${String(e)}`;
      this.report('syntax', 'error', message, { start: 0, end: Math.min(1, this.text.length) });
      return undefined;
    }
    for (const err of errors.slice(0, 100)) {
      // At the end of the text the parser points one past it: the span stays inside the text.
      const start = Math.min(err.offset, this.text.length);
      this.report('syntax', 'error', `${syntaxMessage(printParseErrorCode(err.error))}.`, { start, end: Math.min(this.text.length, Math.max(start + 1, err.offset + err.length)) });
    }
    if (!root && errors.length === 0) {
      this.report('schema', 'error', 'The plan is empty: it needs at least "hosts" and "vms".', { start: 0, end: 0 });
    }
    return root;
  }

  report(code: DiagnosticCode, severity: Severity, message: string, span: Span, related?: PlanDiagnostic['related']): void {
    this.diagnostics.push(related ? { code, severity, message, span, related } : { code, severity, message, span });
  }

  /** An object's properties by key; unknown keys are warned about, duplicates are errors. */
  private properties(node: Node, fields: Record<string, Field>, path: string, spans: Spans, where: Span | undefined, allowAny = false): Map<string, Node> {
    const out = new Map<string, Node>();
    const table = tableOf(fields, path);
    for (const prop of node.children ?? []) {
      const keyNode = prop.children?.[0];
      const valueNode = prop.children?.[1];
      if (!keyNode || typeof keyNode.value !== 'string') continue;
      const key: string = keyNode.value;
      const dotted = table.dotted.get(key);
      if (dotted === undefined && !allowAny) {
        const near = closest(key, Object.keys(fields));
        this.report('schema', 'warning', `Unknown key "${key}"${path ? ` in ${path}` : ''}${near ? `: did you mean "${near}"?` : '.'} It is ignored.`, spanOf(keyNode));
        continue;
      }
      if (out.has(key)) {
        this.report('schema', 'error', `"${key}" is written twice; only the last one counts. Remove one.`, spanOf(keyNode), [{ span: spanOf(out.get(key)!.parent!.children![0]), message: 'first written here' }]);
      }
      if (!valueNode) continue;
      out.set(key, valueNode);
      spans[dotted ?? (path ? `${path}.${key}` : key)] = { key: spanOf(keyNode), value: spanOf(valueNode) };
    }
    for (const key of table.required) {
      if (!out.has(key)) {
        const { kind, examples } = fields[key];
        const what = examples?.length ? `a ${kind} such as ${examples.map((e) => JSON.stringify(e)).join(', ')}` : kind === 'object' ? '{ … }' : `a ${kind}`;
        this.report('schema', 'error', `Missing "${key}"${path ? ` in ${path}` : ''}: ${fields[key].description} Add "${key}": ${what}.`, where ?? { start: node.offset, end: node.offset + 1 });
      }
    }
    return out;
  }

  private array(node: Node | undefined, path: string): Node[] {
    if (!node) return [];
    if (node.type !== 'array') {
      this.report('schema', 'error', `"${path}" must be an array, not ${describe(node)}.`, spanOf(node));
      return [];
    }
    return (node.children ?? []).filter((child) => {
      if (child.type === 'object') return true;
      this.report('schema', 'error', `Each entry of "${path}" must be an object, not ${describe(child)}.`, spanOf(child));
      return false;
    });
  }

  private object(node: Node | undefined, path: string): Node | undefined {
    if (!node) return undefined;
    if (node.type === 'object') return node;
    this.report('schema', 'error', `"${path}" must be an object, not ${describe(node)}.`, spanOf(node));
    return undefined;
  }

  /** Reads one value of the kind the field says; undefined (and a diagnostic) if it cannot. */
  private value(node: Node | undefined, field: Field, path: string): unknown {
    if (!node) return undefined;
    switch (field.kind) {
      case 'string':
        return node.type === 'string' ? node.value : this.wrongType(node, path, 'a string');
      case 'names': {
        if (node.type === 'string') return [node.value as string];
        if (node.type !== 'array') return this.wrongType(node, path, 'a name or an array of names');
        const out: string[] = [];
        for (const item of node.children ?? []) {
          if (item.type !== 'string') return this.wrongType(item, path, 'a name');
          out.push(item.value as string);
        }
        return out;
      }
      case 'boolean':
        return node.type === 'boolean' ? node.value : this.wrongType(node, path, 'true or false');
      case 'integer': case 'number': {
        if (node.type !== 'number' || (field.kind === 'integer' && !Number.isInteger(node.value))) {
          return this.wrongType(node, path, field.kind === 'integer' ? 'a whole number' : 'a number');
        }
        return node.value;
      }
      case 'enum': {
        if (field.values!.includes(node.value)) return node.value;
        const match = field.values!.find((v) => typeof v === 'string' && typeof node.value === 'string' && v.toLowerCase() === node.value.toLowerCase());
        const list = field.values!.map((v) => JSON.stringify(v)).join(', ');
        this.report('schema', 'error', `"${keyName(path)}" must be one of ${list}${match !== undefined ? `: did you mean ${JSON.stringify(match)}?` : '.'}`, spanOf(node));
        return undefined;
      }
      case 'size': case 'demand': {
        if (node.type !== 'string' && node.type !== 'number') return this.wrongType(node, path, 'a size such as "4GB"');
        const parsed = parseSize(node.value);
        if (!parsed.ok) {
          this.report('size-invalid', 'error', `The size ${JSON.stringify(node.value)} ${parsed.message}.`, spanOf(node));
          return undefined;
        }
        if (node.type === 'number' && parsed.value < MB) {
          this.report('size-suspicious', 'warning', `${node.value} is read as ${node.value} bytes, which is almost certainly a unit mistake. Write "${node.value}MB" if you meant megabytes.`, spanOf(node));
        }
        return parsed.value;
      }
      case 'percent': {
        const percent = node.type === 'number' ? node.value : node.type === 'string' ? /^\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*$/.exec(node.value)?.[1] : undefined;
        if (percent === undefined) return this.wrongType(node, path, 'a percentage such as "12%"');
        return Number(percent);
      }
      case 'duration': {
        if (node.type !== 'string' && node.type !== 'number') return this.wrongType(node, path, 'a duration such as "5m" or a number of seconds');
        const parsed = parseDuration(node.value);
        if (!parsed.ok) {
          this.report('duration-invalid', 'error', `The duration ${JSON.stringify(node.value)} ${parsed.message}.`, spanOf(node));
          return undefined;
        }
        return parsed.value;
      }
      default:
        return undefined;
    }
  }

  private wrongType(node: Node, path: string, what: string): undefined {
    this.report('schema', 'error', `"${keyName(path)}" must be ${what}, not ${describe(node)}.`, spanOf(node));
    return undefined;
  }

  /**
   * Reads each known field of an object into `out` (by key), tracking unreadable ones in `invalid`.
   * Each name of a `names` field gets its own span, `key[i]`, for references to it. With `fill`, fields
   * left unwritten or unreadable take the table's default.
   */
  private fields(props: Map<string, Node>, fields: Record<string, Field>, path: string, invalid: Set<string>, spans?: Spans, fill?: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const out: Record<string, unknown> = fill ? { ...fill } : {};
    for (const [key, node] of props) {
      const field = fields[key];
      if (field.kind === 'object' || field.kind === 'array' || field.kind === 'map' || (field.kind === 'demand' && node.type === 'array') || (field.kind === 'percent' && field.fields && node.type === 'object')) continue;
      const dotted = path ? `${path}.${key}` : key;
      const v = this.value(node, field, dotted);
      if (v === undefined) { invalid.add(dotted); continue; }
      out[key] = v;
      if (field.kind === 'names' && spans) {
        const items = node.type === 'array' ? node.children ?? [] : [node];
        items.forEach((item, i) => { spans[`${dotted}[${i}]`] = { key: spanOf(item), value: spanOf(item) }; });
      }
    }
    return out;
  }

  private host(node: Node, index: number): Host {
    const spans: Spans = {};
    const invalid = new Set<string>();
    const props = this.properties(node, hostFields, '', spans, undefined);
    const v = this.fields(props, hostFields, '', invalid, spans, HOST);
    let volumes: Volume[] | undefined;
    const volumesNode = this.object(props.get('volumes'), 'volumes');
    if (volumesNode) {
      volumes = [];
      for (const prop of volumesNode.children ?? []) {
        const [k, val] = prop.children ?? [];
        if (!k || !val) continue;
        const bytes = this.value(val, hostFields.volumes.mapValue!, `volumes.${k.value}`);
        if (typeof bytes === 'number') volumes.push({ name: String(k.value), freeBytes: bytes, spans: { key: spanOf(k), value: spanOf(val) } });
      }
    }
    const sharingNode = props.get('pageSharing');
    const scan = sharingNode?.type === 'object' ? this.pageSharingScan(sharingNode, spans, invalid) : undefined;
    return {
      index,
      name: (v.name as string) ?? '',
      memoryBytes: (v.memory as number) ?? 0,
      reserveBytes: v.reserve as number,
      vmOverhead: v.vmOverhead as Host['vmOverhead'],
      numaNodes: this.bounded(v.numaNodes as number, hostFields.numaNodes, spans.numaNodes, invalid, 'numaNodes') ?? HOST.numaNodes as number,
      numaSpanning: v.numaSpanning as boolean,
      systemDrive: v.systemDrive as string,
      pageSharingPercent: scan?.percent ?? this.bounded(v.pageSharing as number, hostFields.pageSharing, spans.pageSharing, invalid, 'pageSharing') ?? HOST.pageSharing as number,
      pageSharingScan: scan?.scan,
      maxMigrations: this.bounded(v.maxMigrations as number, hostFields.maxMigrations, spans.maxMigrations, invalid, 'maxMigrations') ?? HOST.maxMigrations as number,
      volumes,
      span: spanOf(node),
      spans,
      invalid,
    };
  }

  /**
   * `pageSharing` as { "scan", "pageSize", "zeroPages" }: the share the scan result file gives at that
   * page size, through the adapter's reader. A file that cannot be read or is not a scan result is a
   * warning, and the host shares nothing: the plan still simulates, as Hyper-V would run it.
   */
  private pageSharingScan(node: Node, spans: Spans, invalid: Set<string>): { percent: number; scan: PageSharingScan } | undefined {
    const fields = hostFields.pageSharing.fields!;
    const v = this.fields(this.properties(node, fields, 'pageSharing', spans, spans.pageSharing?.key), fields, 'pageSharing', invalid);
    if (v.scan === undefined || v.pageSize === undefined || invalid.has('pageSharing.zeroPages')) return undefined;
    const scan: PageSharingScan = { path: v.scan as string, pageSizeBytes: v.pageSize as number, zeroPages: (v.zeroPages as boolean | undefined) ?? fields.zeroPages.default as boolean, applied: false };
    const notApplied = (on: 'scan' | 'pageSize', why: string) => {
      this.report('page-sharing-scan', 'warning', `${why}. No page sharing is assumed for this host.`, spans[`pageSharing.${on}`]!.value);
      return { percent: 0, scan };
    };
    const file = this.options.readSharingScan?.(scan.path);
    if (!file) return notApplied('scan', `The scan result ${JSON.stringify(scan.path)} cannot be read here: the plan is not a file on disk, so a path has nowhere to start from`);
    if ('problem' in file) return notApplied('scan', `The scan result ${JSON.stringify(scan.path)} cannot be read: ${file.problem}`);
    const share = shareFromScan(file.text, scan.pageSizeBytes, scan.zeroPages);
    if (!share.ok) return notApplied(share.on, `The scan result ${JSON.stringify(scan.path)} ${share.message}`);
    const max = hostFields.pageSharing.maximum!;
    if (share.percent > max) {
      // Mostly-zero memory (a guest that touched little of it) can measure above what the model allows.
      this.report('page-sharing-scan', 'warning', `The scan result saves ${share.percent.toFixed(1)} % at ${formatBytes(scan.pageSizeBytes)} pages, above the ${max} % the what-if allows: ${max} % is assumed.`, spans['pageSharing.scan']!.value);
    }
    return { percent: Math.min(share.percent, max), scan: { ...scan, applied: true } };
  }

  /** A number outside the field's range, where no rule of its own covers it, is a schema error. */
  private bounded(value: number | undefined, field: Field, spans: FieldSpans | undefined, invalid: Set<string>, path: string): number | undefined {
    if (value === undefined) return undefined;
    if ((field.minimum !== undefined && value < field.minimum) || (field.maximum !== undefined && value > field.maximum)) {
      this.report('schema', 'error', `"${path.slice(path.lastIndexOf('.') + 1)}" must be between ${field.minimum} and ${field.maximum}.`, spans!.value);
      invalid.add(path);
      return undefined;
    }
    return value;
  }

  private vm(node: Node, index: number, hosts: Host[], model: ModelParameters): Vm {
    const spans: Spans = {};
    const invalid = new Set<string>();
    const props = this.properties(node, vmFields, '', spans, undefined);
    const v = this.fields(props, vmFields, '', invalid, spans, VM);
    const memoryNode = this.object(props.get('memory'), 'memory');
    let m: Record<string, unknown> = { ...MEMORY };
    if (memoryNode) {
      const memoryProps = this.properties(memoryNode, memoryFields, 'memory', spans, spans.memory?.key);
      m = this.fields(memoryProps, memoryFields, 'memory', invalid, spans, MEMORY);
    } else {
      invalid.add('memory.startup');
    }
    if (m.startup === undefined) invalid.add('memory.startup');

    let host = v.host as string | undefined;
    if (host === undefined && !invalid.has('host')) {
      if (hosts.length === 1) host = hosts[0].name;
      else if (hosts.length > 1) {
        this.report('schema', 'error', `Missing "host": the plan has ${hosts.length} hosts, so each VM must say which one it runs on.`, spans.name?.key ?? { start: node.offset, end: node.offset + 1 });
      }
    }

    const dynamic = m.dynamic as boolean;
    const startup = (m.startup as number | undefined) ?? 0;
    const minimum = dynamic ? m.minimum as number : startup;
    const maximum = dynamic ? m.maximum as number : startup;
    const demand = this.demand(props.get('demand'), dynamic ? minimum : startup, invalid);
    return {
      index,
      name: (v.name as string) ?? '',
      host: host ?? '',
      generation: v.generation as 1 | 2,
      dynamic,
      startupBytes: startup,
      minimumBytes: minimum,
      maximumBytes: maximum,
      bufferPercent: m.buffer as number,
      priority: m.priority as number,
      state: v.state as Vm['state'],
      automaticStartAction: v.automaticStartAction as Vm['automaticStartAction'],
      automaticStartDelaySeconds: v.automaticStartDelay as number,
      automaticStopAction: v.automaticStopAction as Vm['automaticStopAction'],
      configurationPath: v.configurationPath as string,
      // The Smart Paging folder defaults to the configuration folder, as in Hyper-V.
      smartPagingFilePath: (v.smartPagingFilePath as string | undefined) ?? v.configurationPath as string,
      clusterPriority: v.clusterPriority as Vm['clusterPriority'],
      ...(v.possibleOwners !== undefined ? { possibleOwners: v.possibleOwners as string[] } : {}),
      preferredOwners: (v.preferredOwners as string[] | undefined) ?? [],
      antiAffinityClasses: (v.antiAffinityClass as string[] | undefined) ?? [],
      demand,
      bootSeconds: (v.bootSeconds as number) ?? model.bootSeconds,
      span: spanOf(node),
      spans,
      invalid,
    };
  }

  private demand(node: Node | undefined, fallback: number, invalid: Set<string>): DemandStep[] {
    if (!node) return [{ atSeconds: 0, bytes: fallback }];
    if (node.type !== 'array') {
      const bytes = invalid.has('demand') ? undefined : this.peekSize(node);
      return [{ atSeconds: 0, bytes: bytes ?? fallback }];
    }
    const steps: DemandStep[] = [];
    for (const stepNode of this.array(node, 'demand')) {
      const stepProps = this.properties(stepNode, vmFields.demand.items!.fields!, 'demand', {}, undefined);
      const at = this.value(stepProps.get('at'), vmFields.demand.items!.fields!.at, 'demand.at') as number | undefined;
      const bytes = this.value(stepProps.get('memory'), vmFields.demand.items!.fields!.memory, 'demand.memory') as number | undefined;
      if (at === undefined || bytes === undefined) { invalid.add('demand'); continue; }
      steps.push({ atSeconds: at, bytes });
    }
    steps.sort((a, b) => a.atSeconds - b.atSeconds);
    if (steps.length === 0 || steps[0].atSeconds > 0) steps.unshift({ atSeconds: 0, bytes: fallback });
    return steps;
  }

  /** A size already reported on by `fields`: read again silently. */
  private peekSize(node: Node): number | undefined {
    const parsed = parseSize(node.value);
    return parsed.ok ? parsed.value : undefined;
  }

  private model(node: Node | undefined): ModelParameters {
    const model: ModelParameters = { ...MODEL_DEFAULTS, ...this.options.modelDefaults };
    const obj = this.object(node, 'model');
    if (!obj) return model;
    const spans: Spans = {};
    const invalid = new Set<string>();
    const v = this.fields(this.properties(obj, modelFields, 'model', spans, undefined), modelFields, 'model', invalid);
    if (v.tickSeconds !== undefined) v.tickSeconds = this.bounded(v.tickSeconds as number, modelFields.tickSeconds, spans['model.tickSeconds'], invalid, 'model.tickSeconds');
    for (const [key, value] of Object.entries(v)) if (value !== undefined) (model as unknown as Record<string, unknown>)[key] = value;
    return model;
  }

  private cluster(node: Node): Cluster | undefined {
    const obj = this.object(node, 'cluster');
    if (!obj) return undefined;
    const spans: Spans = {};
    const v = this.fields(this.properties(obj, clusterFields, 'cluster', spans, undefined), clusterFields, 'cluster', new Set(), spans, CLUSTER);
    return {
      name: (v.name as string | undefined) ?? '',
      rootMemoryReservedBytes: v.rootMemoryReserved as number,
      moveTypeThreshold: v.moveTypeThreshold as Cluster['moveTypeThreshold'],
      enforcedAntiAffinity: v.enforcedAntiAffinity as boolean,
      spans,
    };
  }

  private scenario(node: Node | undefined, hosts: Host[]): Scenario {
    const obj = this.object(node, 'scenario');
    if (!obj) {
      const events: PlanEvent[] = hosts.map((h, index) => ({ index, atSeconds: 0, type: 'hostRestart' as const, host: h.name, span: { start: 0, end: 0 }, spans: {} }));
      return { durationSeconds: DEFAULT_SCENARIO_SECONDS, events, implicit: true, spans: {} };
    }
    const spans: Spans = {};
    const props = this.properties(obj, scenarioFields, 'scenario', spans, undefined);
    const v = this.fields(props, scenarioFields, 'scenario', new Set());
    const durationSeconds = (v.duration as number) ?? DEFAULT_SCENARIO_SECONDS;
    const events: PlanEvent[] = [];
    this.array(props.get('events'), 'events').forEach((eventNode, index) => {
      const ev = this.event(eventNode, index);
      if (!ev) return;
      if (ev.atSeconds > durationSeconds) {
        this.report('event-after-end', 'warning', `This event happens at ${ev.atSeconds} s, after the scenario ends (${durationSeconds} s): it is not simulated. Lengthen "duration" or move the event.`, ev.spans.at?.value ?? ev.span);
      }
      events.push(ev);
    });
    events.sort((a, b) => a.atSeconds - b.atSeconds || a.index - b.index);
    return { durationSeconds, events, implicit: false, spans };
  }

  private event(node: Node, index: number): PlanEvent | undefined {
    const spans: Spans = {};
    const invalid = new Set<string>();
    const props = this.properties(node, eventFields, '', spans, undefined);
    const v = this.fields(props, eventFields, '', invalid, spans, EVENT);
    if (v.type === undefined || v.at === undefined) return undefined;
    const type = v.type as PlanEvent['type'];
    const definition = EVENTS[type];
    let complete = true;
    for (const key of definition.needs) {
      if (v[key] === undefined) {
        complete = false;
        if (!invalid.has(key)) this.report('scenario-event', 'error', `A ${type} event needs "${key}".`, spans.type!.value);
      }
    }
    const oneOf = definition.needsOneOf;
    if (oneOf && !oneOf.some((key) => v[key] !== undefined)) {
      complete = false;
      if (!oneOf.some((key) => invalid.has(key))) this.report('scenario-event', 'error', `A ${type} event needs ${oneOf.map((k) => `"${k}"`).join(', ').replace(/, ([^,]*)$/, ' or $1')}.`, spans.type!.value);
    }
    const allowed = new Set<string>(['at', 'type', ...definition.needs, ...(definition.optional ?? [])]);
    for (const key of Object.keys(eventFields) as EventKey[]) {
      if (spans[key] && !allowed.has(key)) this.report('scenario-event', 'warning', `A ${type} event has no "${key}"; it is ignored.`, spans[key]!.key);
    }
    if (!complete) return undefined;
    return { index, atSeconds: v.at as number, type, span: spanOf(node), spans, ...definition.build(v) } as PlanEvent;
  }
}

interface FieldTable { dotted: Map<string, string>; required: string[] }
const tables = new Map<Record<string, Field>, Map<string, FieldTable>>();

/** Per field table and path: each key's dotted span name and the required keys, computed once. */
function tableOf(fields: Record<string, Field>, path: string): FieldTable {
  let byPath = tables.get(fields);
  if (!byPath) tables.set(fields, (byPath = new Map()));
  let table = byPath.get(path);
  if (!table) {
    const keys = Object.keys(fields);
    table = { dotted: new Map(keys.map((k) => [k, path ? `${path}.${k}` : k])), required: keys.filter((k) => fields[k].required) };
    byPath.set(path, table);
  }
  return table;
}

function emptyPlan(model: ModelParameters): Plan {
  return { hosts: [], vms: [], scenario: { durationSeconds: DEFAULT_SCENARIO_SECONDS, events: [], implicit: true, spans: {} }, model, spans: {} };
}

const keyName = (path: string) => path.slice(path.lastIndexOf('.') + 1);

function describe(node: Node): string {
  switch (node.type) {
    case 'object': return 'an object';
    case 'array': return 'an array';
    case 'string': return `the string ${JSON.stringify(String(node.value).slice(0, 40))}`;
    case 'number': return `the number ${node.value}`;
    case 'boolean': return String(node.value);
    case 'null': return 'null';
    default: return node.type;
  }
}

function syntaxMessage(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'Unexpected character here: a plan is JSON with comments', InvalidNumberFormat: 'This number cannot be read: write digits, or a size in quotes such as "4GB"',
    PropertyNameExpected: 'A property name in double quotes is expected here', ValueExpected: 'A value is expected here (a string, number, object or array)',
    ColonExpected: 'A colon is expected between the key and its value', CommaExpected: 'A comma is expected here, between two entries',
    CloseBraceExpected: 'A closing brace "}" is expected: an object is not closed', CloseBracketExpected: 'A closing bracket "]" is expected: an array is not closed',
    EndOfFileExpected: 'The plan should end here: remove what follows its closing brace', InvalidCommentToken: 'This comment cannot be read',
    UnexpectedEndOfComment: 'The comment is not closed: end it with */', UnexpectedEndOfString: 'The string is not closed: end it with a double quote',
    UnexpectedEndOfNumber: 'The number is not complete', InvalidUnicode: 'Invalid \\u escape: it needs four hex digits',
    InvalidEscapeCharacter: 'Invalid escape: in JSON a backslash is written \\\\ (Windows paths: "D:\\\\Hyper-V")', InvalidCharacter: 'A control character cannot stand in a string: write it escaped',
  };
  return words[code] ?? code;
}

/** The known key nearest to a mistyped one (case slips and small typos), if any is near. */
function closest(key: string, known: string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 4)) + 1;
  for (const k of known) {
    if (k.toLowerCase() === lower) return k;
    const d = editDistance(lower, k.toLowerCase(), bestDistance);
    if (d < bestDistance) { best = k; bestDistance = d; }
  }
  return best;
}

function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
