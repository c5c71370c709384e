// Live inventory as JSON: `Get-VM | ConvertTo-Json`, `Get-VMMemory | ConvertTo-Json`,
// `Get-VMHost | ConvertTo-Json`, and the combined export of scripts/Export-HvmemInventory.ps1.
// Windows PowerShell 5.1 writes enums as numbers, PowerShell 7 (-EnumsAsStrings) as names; one object
// is written bare and several as an array (or as { "value": […], "Count": n } through -InputObject).
import { getNodeValue, parseTree, type Node, type ParseError } from 'jsonc-parser';
import { LineIndex } from '../text';
import { asBoolean, isTruncatedByDepth, Notes, startAction, stopAction, vmState, wholeBytes } from './values';
import type { ImportedHost, ImportedVm, SourceResult } from './types';
import { nameRecord } from '../records';

/** The key the combined export carries, with its shape version. */
export const INVENTORY_MARKER = 'hvmemInventory';

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

export function importHyperVJson(text: string, file: string): SourceResult {
  const notes = new Notes(file);
  const out: SourceResult = { vms: [], hosts: [], notes: notes.list };
  const parsed = parseJson(text);
  if (!parsed) {
    notes.warn('not valid JSON; nothing imported', { line: 1 });
    return out;
  }
  const reader = new JsonReader(parsed.lines, notes, out);
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
  constructor(private readonly lines: LineIndex, private readonly notes: Notes, private readonly out: SourceResult) {}

  private line(node: Node): number { return this.lines.positionAt(node.offset).line + 1; }

  inventory(root: Node): void {
    const hostNode = property(root, 'host');
    let hostName: string | undefined;
    if (hostNode?.type === 'object') {
      const host = this.host(hostNode, 'inventory host');
      hostName = host?.name;
    } else if (hostNode) {
      this.truncated('host', hostNode);
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
    this.out.vms.push(vm);
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
    if (Array.isArray(o.Volumes)) {
      host.volumes = nameRecord();
      for (const v of o.Volumes as Obj[]) {
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
