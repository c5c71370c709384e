// Live inventory as JSON: `Get-VM | ConvertTo-Json`, `Get-VMMemory | ConvertTo-Json`,
// `Get-VMHost | ConvertTo-Json`, and the combined export of scripts/Export-HvmemInventory.ps1.
// Windows PowerShell 5.1 writes enums as numbers, PowerShell 7 (-EnumsAsStrings) as names; one object
// is written bare and several as an array (or as { "value": […], "Count": n } through -InputObject).
// The combined export also carries the cluster's settings and each VM's memory samples (measured demand).
import { getNodeValue, parseTree, type Node, type ParseError } from 'jsonc-parser';
import type { ClusterPriority } from '../plan';
import { LineIndex } from '../text';
import { DEFAULT_DEMAND, demandOf, measuredDemand, type DemandChoice } from './samples';
import { asBoolean, isTruncatedByDepth, Notes, startAction, stopAction, vmState, wholeBytes } from './values';
import type { ImportedCluster, ImportedHost, ImportedVm, SourceResult } from './types';
import { nameRecord } from '../records';

/** The key the combined export carries, with its shape version. */
export const INVENTORY_MARKER = 'hvmemInventory';
/** Version 1: one `host`; version 2: `hosts`, `cluster`, per-VM `Cluster` and `MemorySamples`. */
const INVENTORY_VERSION = 2;

/** A cluster group's Priority: 3000, 2000, 1000, 0. */
const CLUSTER_PRIORITY_CODES: Record<number, ClusterPriority> = { 3000: 'High', 2000: 'Medium', 1000: 'Low', 0: 'NoAutoStart' };
/** MoveTypeThreshold: VMs of this priority or higher live-migrate when a node is drained. */
const MOVE_TYPE_CODES: Record<number, 'High' | 'Medium' | 'Low'> = { 3000: 'High', 2000: 'Medium', 1000: 'Low' };

export interface HyperVJsonOptions {
  demand?: DemandChoice;
}

type Obj = Record<string, unknown>;

/** Reads the JSON; undefined when the text is not JSON at all. */
export function parseJson(text: string): { root: Node; lines: LineIndex } | undefined {
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  } catch {
    return undefined;
  }
  if (!root || errors.length > 0) return undefined;
  return { root, lines: new LineIndex(text) };
}

export function importHyperVJson(text: string, file: string, options: HyperVJsonOptions = {}): SourceResult {
  const notes = new Notes(file);
  const out: SourceResult = { vms: [], hosts: [], notes: notes.list };
  const parsed = parseJson(text);
  if (!parsed) {
    notes.warn('not valid JSON; nothing imported', { line: 1 });
    return out;
  }
  const reader = new JsonReader(parsed.lines, notes, out, options.demand ?? DEFAULT_DEMAND);
  const root = parsed.root;
  if (root.type === 'object' && property(root, INVENTORY_MARKER)) reader.inventory(root);
  else reader.items(unwrap(root), undefined);
  return out;
}

function property(node: Node, key: string): Node | undefined {
  for (const prop of node.children ?? []) {
    const [k, v] = prop.children ?? [];
    if (k?.value === key) return v;
  }
  return undefined;
}

/** An array as either PowerShell writes it: plain, or Windows PowerShell 5.1's { "value": […], "Count": n }. */
function arrayValue(raw: unknown): unknown[] | undefined {
  if (Array.isArray(raw)) return raw;
  if (raw && typeof raw === 'object' && Array.isArray((raw as Obj).value) && 'Count' in (raw as Obj)) return (raw as Obj).value as unknown[];
  return undefined;
}

/** A list of names (owners, classes); undefined, with nothing said, when there is none. */
function names(raw: unknown): string[] | undefined {
  const list = arrayValue(raw) ?? (typeof raw === 'string' && raw ? [raw] : undefined);
  if (!list) return undefined;
  const out = list.filter((n): n is string => typeof n === 'string' && n.trim() !== '').map((n) => n.trim());
  return out.length === list.length ? out : undefined;
}

/** The objects of the output: an array, a single object, or Windows PowerShell's { value, Count } wrapper. */
function unwrap(node: Node): Node[] {
  if (node.type === 'array') return node.children ?? [];
  if (node.type === 'object') {
    const value = property(node, 'value');
    if (value?.type === 'array' && property(node, 'Count')) return value.children ?? [];
    return [node];
  }
  return [];
}

class JsonReader {
  private clusterNodes: string[] | undefined;

  constructor(private readonly lines: LineIndex, private readonly notes: Notes, private readonly out: SourceResult, private readonly demand: DemandChoice) {}

  private line(node: Node): number { return this.lines.positionAt(node.offset).line + 1; }

  inventory(root: Node): void {
    const version = property(root, INVENTORY_MARKER);
    if (typeof version?.value !== 'number' || !Number.isInteger(version.value) || version.value < 1 || version.value > INVENTORY_VERSION) {
      this.notes.warn(`${INVENTORY_MARKER} ${JSON.stringify(version?.value)} is not a shape this version reads (1 to ${INVENTORY_VERSION}); read as version ${INVENTORY_VERSION}`, { line: version ? this.line(version) : 1 });
    }
    const clusterNode = property(root, 'cluster');
    if (clusterNode?.type === 'object') this.cluster(clusterNode);
    else if (clusterNode && clusterNode.type !== 'null') this.truncated('cluster', clusterNode);
    const hostNode = property(root, 'host');
    let hostName: string | undefined;
    if (hostNode?.type === 'object') {
      const host = this.host(hostNode, 'inventory host');
      hostName = host?.name;
    } else if (hostNode) {
      this.truncated('host', hostNode);
    }
    const hostsNode = property(root, 'hosts');
    if (hostsNode && (hostsNode.type === 'array' || hostsNode.type === 'object')) {
      const list = unwrap(hostsNode);
      list.forEach((h, i) => {
        if (h.type === 'object') this.host(h, list.length > 1 ? `inventory host ${i + 1}` : 'inventory host');
        else this.truncated(`hosts item ${i + 1}`, h);
      });
    } else if (hostsNode) {
      this.truncated('hosts', hostsNode);
    }
    const vmsNode = property(root, 'vms');
    if (vmsNode && vmsNode.type !== 'array' && vmsNode.type !== 'object') this.truncated('vms', vmsNode);
    else if (vmsNode) this.items(unwrap(vmsNode), hostName);
  }

  private truncated(key: string, node: Node): void {
    this.notes.warn(`"${key}" holds ${JSON.stringify(String(node.value)).slice(0, 60)} instead of its data: the export was written with too small a -Depth. Export again with ConvertTo-Json -Depth 4`, { line: this.line(node) });
  }

  items(nodes: Node[], hostName: string | undefined): void {
    nodes.forEach((node, i) => {
      const what = nodes.length > 1 ? `object ${i + 1}` : 'object';
      if (node.type !== 'object') {
        if (isTruncatedByDepth(node.value)) this.truncated(`item ${i + 1}`, node);
        else this.notes.warn(`${what} is not a JSON object; skipped`, { line: this.line(node) });
        return;
      }
      const o = getNodeValue(node) as Obj;
      if ('MemoryCapacity' in o) this.host(node, what);
      else if ('MemoryStartup' in o || (!('VMName' in o) && 'Name' in o && 'Generation' in o)) this.vm(node, o, what, hostName);
      else if ('VMName' in o && 'Startup' in o) this.vmMemory(node, o, what, hostName);
      else this.notes.warn(`${what} is neither Get-VM, Get-VMMemory nor Get-VMHost output (no MemoryStartup, Startup or MemoryCapacity); skipped`, { line: this.line(node) });
    });
  }

  /** Reads one field, noting values that are present but unusable. */
  private field<T>(o: Obj, key: string, read: (raw: unknown) => T | undefined, at: { line: number; what: string }, vm: string | undefined, expected: string): T | undefined {
    if (!(key in o) || o[key] === null) return undefined;
    const raw = o[key];
    const value = read(raw);
    if (value !== undefined) return value;
    if (isTruncatedByDepth(raw)) this.notes.warn(`${key} holds the type name ${JSON.stringify(raw)}: the export was written with too small a -Depth; left out`, at, vm);
    else this.notes.warn(`${key} ${JSON.stringify(raw)} is not ${expected}; left out`, at, vm);
    return undefined;
  }

  private bytes(o: Obj, key: string, at: { line: number; what: string }, vm: string): number | undefined {
    const bytes = this.field(o, key, (r) => wholeBytes(r), at, vm, 'a whole number of bytes');
    if (bytes !== undefined) this.notes.tinyBytes(key, bytes, at, vm);
    return bytes;
  }

  private name(o: Obj, keys: string[], at: { line: number; what: string }): string | undefined {
    for (const key of keys) if (typeof o[key] === 'string' && (o[key] as string).trim()) return (o[key] as string).trim();
    this.notes.warn(`${at.what} has no ${keys.join(' or ')}; skipped`, at);
    return undefined;
  }

  private vm(node: Node, o: Obj, what: string, hostName: string | undefined): void {
    const at = { line: this.line(node), what };
    const name = this.name(o, ['Name', 'VMName'], at);
    if (!name) return;
    const vm: ImportedVm = { name, origins: [{ file: this.notes.file, ...at }] };
    const host = hostName ?? (typeof o.ComputerName === 'string' ? o.ComputerName : undefined);
    if (host) vm.host = host;
    const generation = this.field(o, 'Generation', (r) => (r === 1 || r === 2 ? r : r === '1' || r === '2' ? Number(r) : undefined), at, name, '1 or 2');
    if (generation !== undefined) vm.generation = generation;
    vm.dynamic = this.field(o, 'DynamicMemoryEnabled', asBoolean, at, name, 'true or false');
    vm.startupBytes = this.bytes(o, 'MemoryStartup', at, name);
    if (vm.dynamic) {
      // On a static VM Hyper-V keeps minimum and maximum but ignores them; a plan leaves them out.
      vm.minimumBytes = this.bytes(o, 'MemoryMinimum', at, name);
      vm.maximumBytes = this.bytes(o, 'MemoryMaximum', at, name);
      vm.bufferPercent = this.field(o, 'MemoryBuffer', (r) => wholeBytes(r), at, name, 'a whole percentage');
    }
    vm.priority = this.field(o, 'MemoryPriority', (r) => wholeBytes(r), at, name, 'a whole number 0..100');
    const state = this.field(o, 'State', vmState, at, name, 'a VM state');
    if (state) {
      vm.state = state.state;
      if (state.reported !== state.state) this.notes.info(`state ${state.reported} is planned as ${state.state}`, at, name);
    }
    vm.automaticStartAction = this.field(o, 'AutomaticStartAction', startAction, at, name, 'Nothing, StartIfRunning or Start (2, 3, 4)');
    vm.automaticStartDelaySeconds = this.field(o, 'AutomaticStartDelay', (r) => wholeBytes(r), at, name, 'a whole number of seconds');
    vm.automaticStopAction = this.field(o, 'AutomaticStopAction', stopAction, at, name, 'TurnOff, Save or ShutDown (2, 3, 4)');
    vm.smartPagingFilePath = this.field(o, 'SmartPagingFilePath', (r) => (typeof r === 'string' && r && !isTruncatedByDepth(r) ? r : undefined), at, name, 'a folder');
    const demand = this.field(o, 'MemoryDemand', (r) => wholeBytes(r), at, name, 'a whole number of bytes');
    if (demand) vm.demandBytes = demand;
    this.samples(vm, o.MemorySamples, at);
    this.role(vm, o.Cluster, at);
    this.out.vms.push(vm);
  }

  private cluster(node: Node): void {
    const o = getNodeValue(node) as Obj;
    const at = { line: this.line(node), what: 'inventory cluster' };
    const cluster: ImportedCluster = { origin: { file: this.notes.file, ...at } };
    if (typeof o.Name === 'string' && o.Name.trim()) cluster.name = o.Name.trim();
    cluster.rootMemoryReservedBytes = this.field(o, 'RootMemoryReservedBytes', (r) => wholeBytes(r), at, undefined, 'a whole number of bytes');
    cluster.enforcedAntiAffinity = this.field(o, 'ClusterEnforcedAntiAffinity', asBoolean, at, undefined, '0 or 1');
    cluster.moveTypeThreshold = this.field(o, 'MoveTypeThreshold', (r) => (typeof r === 'number' ? MOVE_TYPE_CODES[r] : undefined), at, undefined,
      'a threshold a plan can say (3000 High, 2000 Medium, 1000 Low)');
    this.clusterNodes = names(o.Nodes);
    cluster.nodes = this.clusterNodes;
    this.out.cluster = cluster;
  }

  /** A clustered VM's role: priority, owners, anti-affinity classes. */
  private role(vm: ImportedVm, raw: unknown, at: { line: number; what: string }): void {
    if (raw === undefined || raw === null) return;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      this.notes.warn(`Cluster holds ${JSON.stringify(raw).slice(0, 60)} instead of the VM's cluster role${isTruncatedByDepth(raw) ? ': the export was written with too small a -Depth' : ''}; left out`, at, vm.name);
      return;
    }
    const o = raw as Obj;
    vm.clusterPriority = this.field(o, 'Priority', (r) => (typeof r === 'number' ? CLUSTER_PRIORITY_CODES[r] : undefined), at, vm.name,
      'a cluster priority (3000 High, 2000 Medium, 1000 Low, 0 No Auto Start)');
    const preferred = names(o.PreferredOwners);
    if (preferred && preferred.length > 0) vm.preferredOwners = preferred;
    const possible = names(o.PossibleOwners);
    const all = this.clusterNodes;
    const everyNode = possible && all && possible.length === all.length && all.every((n) => possible.some((p) => p.toLowerCase() === n.toLowerCase()));
    if (possible && possible.length > 0 && !everyNode) vm.possibleOwners = possible;
    const classes = names(o.AntiAffinityClassNames);
    if (classes && classes.length > 0) vm.antiAffinityClass = classes.length === 1 ? classes[0] : classes;
    for (const key of ['PreferredOwners', 'PossibleOwners', 'AntiAffinityClassNames']) {
      if (o[key] !== undefined && o[key] !== null && !names(o[key])) this.notes.warn(`Cluster.${key} ${JSON.stringify(o[key]).slice(0, 60)} is not a list of names; left out`, at, vm.name);
    }
  }

  /** MemorySamples: physical memory and pressure per sample, as the VM's measured demand. */
  private samples(vm: ImportedVm, raw: unknown, at: { line: number; what: string }): void {
    if (raw === undefined || raw === null) return;
    const o = (raw && typeof raw === 'object' ? raw : {}) as Obj;
    const physical = arrayValue(o.PhysicalMemoryBytes)?.map((v) => wholeBytes(v));
    const pressure = arrayValue(o.PressurePercent)?.map((v) => wholeBytes(v));
    const interval = wholeBytes(o.IntervalSeconds);
    if (!physical || !pressure || physical.some((v) => v === undefined) || pressure.some((v) => v === undefined) || !interval) {
      this.notes.warn('MemorySamples is not physical memory and pressure lists with an interval; measured demand left out', at, vm.name);
      return;
    }
    const demand = demandOf(physical as number[], pressure as number[]);
    if (demand.length === 0) {
      this.notes.warn('MemorySamples holds no sample with a pressure reading; measured demand left out', at, vm.name);
      return;
    }
    const measured = measuredDemand(demand, interval, typeof o.StartedAt === 'string' ? o.StartedAt : undefined, this.demand);
    vm.demandBytes = measured.bytes;
    vm.demandSteps = measured.steps;
    this.notes.info(measured.description, at, vm.name);
  }

  private vmMemory(node: Node, o: Obj, what: string, hostName: string | undefined): void {
    const at = { line: this.line(node), what };
    const name = this.name(o, ['VMName'], at);
    if (!name) return;
    const vm: ImportedVm = { name, origins: [{ file: this.notes.file, ...at }] };
    const host = hostName ?? (typeof o.ComputerName === 'string' ? o.ComputerName : undefined);
    if (host) vm.host = host;
    vm.dynamic = this.field(o, 'DynamicMemoryEnabled', asBoolean, at, name, 'true or false');
    vm.startupBytes = this.bytes(o, 'Startup', at, name);
    if (vm.dynamic) {
      vm.minimumBytes = this.bytes(o, 'Minimum', at, name);
      vm.maximumBytes = this.bytes(o, 'Maximum', at, name);
      vm.bufferPercent = this.field(o, 'Buffer', (r) => wholeBytes(r), at, name, 'a whole percentage');
    }
    vm.priority = this.field(o, 'Priority', (r) => wholeBytes(r), at, name, 'a whole number 0..100');
    this.out.vms.push(vm);
  }

  host(node: Node, what: string): ImportedHost | undefined {
    const o = getNodeValue(node) as Obj;
    const at = { line: this.line(node), what };
    const name = this.name(o, ['Name', 'ComputerName'], at);
    if (!name) return undefined;
    const host: ImportedHost = { name, origin: { file: this.notes.file, ...at } };
    host.memoryBytes = this.field(o, 'MemoryCapacity', (r) => wholeBytes(r), at, undefined, 'a whole number of bytes');
    host.reserveBytes = this.field(o, 'MemoryReserveBytes', (r) => wholeBytes(r), at, undefined, 'a whole number of bytes');
    host.numaSpanning = this.field(o, 'NumaSpanningEnabled', asBoolean, at, undefined, 'true or false');
    host.numaNodes = this.field(o, 'NumaNodeCount', (r) => (wholeBytes(r) ? wholeBytes(r) : undefined), at, undefined, 'a whole number of nodes');
    host.systemDrive = this.field(o, 'SystemDrive', (r) => (typeof r === 'string' && /^[A-Za-z]:$/.test(r) ? r.toUpperCase() : undefined), at, undefined, 'a drive such as "C:"');
    const volumes = arrayValue(o.Volumes);
    if (volumes) {
      host.volumes = nameRecord();
      for (const v of volumes as Obj[]) {
        const free = wholeBytes(v?.FreeBytes);
        if (typeof v?.Name === 'string' && free !== undefined) host.volumes[v.Name] = free;
        else this.notes.warn(`a volume without Name and FreeBytes; left out`, at);
      }
    } else if (o.Volumes !== undefined && o.Volumes !== null) {
      this.notes.warn(`Volumes holds ${JSON.stringify(o.Volumes)}: the export was written with too small a -Depth; free space left out`, at);
    }
    this.out.hosts.push(host);
    return host;
  }
}
