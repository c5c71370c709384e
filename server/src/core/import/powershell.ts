// PowerShell scripts and DSC configurations, read without running them: New-VM, Set-VM and
// Set-VMMemory calls (also in a pipeline after Get-VM, and splatted from a literal hashtable), and
// VMHyperV / xVMHyperV resources. `$variable = literal` assignments and param() defaults are resolved;
// anything else (an expression, a loop variable, an unknown variable) is left out with a note.
import { MB } from '../units';
import { MAX_BLOCK_NESTING, powerShellNumber, tokenize, type Token } from './ps-tokens';
import { asBoolean, Notes, startAction, stopAction } from './values';
import type { ImportedVm, SourceResult } from './types';

type Value =
  | { kind: 'value'; value: string | number | boolean }
  | { kind: 'list'; items: Value[] }
  | { kind: 'vm'; names: string[] }
  | { kind: 'table'; entries: Map<string, Value> }
  | { kind: 'unresolved'; text: string; reason: string };

/** A hashtable literal or a DSC resource body, read ahead of statements. */
type Block = { type: 'table'; line: number; entries: { key: string; tokens: Token[]; line: number }[] };
type Item = Token | Block;

const NEW_VM_DEFAULT_STARTUP = 512 * MB;
const DSC_DEFAULT_STARTUP = 512 * MB;

/** Every parameter of the cmdlets read, so abbreviations resolve as PowerShell resolves them; `positional` in position order. */
const CMDLETS: Record<string, { params: string[]; switches: string[]; positional: string[] }> = {
  'new-vm': {
    params: ['Name', 'MemoryStartupBytes', 'Generation', 'BootDevice', 'SwitchName', 'NewVHDPath', 'NewVHDSizeBytes', 'VHDPath', 'Path', 'Version', 'ComputerName', 'CimSession', 'Credential', 'GuestStateIsolationType'],
    switches: ['NoVHD', 'Prerelease', 'Experimental', 'AsJob', 'Force', 'WhatIf', 'Confirm'],
    positional: ['Name', 'MemoryStartupBytes'],
  },
  'set-vm': {
    params: ['Name', 'VM', 'ComputerName', 'CimSession', 'Credential', 'GuestControlledCacheTypes', 'LowMemoryMappedIoSpace', 'HighMemoryMappedIoSpace', 'ProcessorCount',
      'MemoryMinimumBytes', 'MemoryMaximumBytes', 'MemoryStartupBytes', 'AutomaticStartAction', 'AutomaticStopAction', 'AutomaticStartDelay', 'AutomaticCriticalErrorAction',
      'AutomaticCriticalErrorActionTimeout', 'AutomaticCheckpointsEnabled', 'LockOnDisconnect', 'Notes', 'NewVMName', 'SnapshotFileLocation', 'SmartPagingFilePath',
      'CheckpointType', 'EnhancedSessionTransportType', 'BatteryPassthroughEnabled'],
    switches: ['DynamicMemory', 'StaticMemory', 'Passthru', 'AllowUnverifiedPaths', 'WhatIf', 'Confirm'],
    positional: ['Name'],
  },
  'set-vmmemory': {
    params: ['VMName', 'VM', 'ComputerName', 'CimSession', 'Credential', 'DynamicMemoryEnabled', 'MinimumBytes', 'StartupBytes', 'MaximumBytes', 'MaximumAmountPerNumaNodeBytes', 'Buffer', 'Priority', 'ResourcePoolName'],
    switches: ['Passthru', 'WhatIf', 'Confirm'],
    positional: ['VMName'],
  },
  'get-vm': { params: ['Name', 'Id', 'VM', 'ComputerName', 'CimSession', 'Credential', 'ClusterObject'], switches: [], positional: ['Name'] },
};

const CMDLET_NAMES: Record<string, string> = { 'new-vm': 'New-VM', 'set-vm': 'Set-VM', 'set-vmmemory': 'Set-VMMemory', 'get-vm': 'Get-VM' };

type Field = 'startup' | 'minimum' | 'maximum' | 'dynamic' | 'buffer' | 'priority' | 'generation' | 'startAction' | 'startDelay' | 'stopAction' | 'smartPaging' | 'state';

/** Which plan field each cmdlet parameter (or DSC property) sets. */
const FIELDS: Record<string, Record<string, Field>> = {
  'new-vm': { MemoryStartupBytes: 'startup', Generation: 'generation' },
  'set-vm': {
    MemoryStartupBytes: 'startup', MemoryMinimumBytes: 'minimum', MemoryMaximumBytes: 'maximum',
    AutomaticStartAction: 'startAction', AutomaticStartDelay: 'startDelay', AutomaticStopAction: 'stopAction', SmartPagingFilePath: 'smartPaging',
  },
  'set-vmmemory': { StartupBytes: 'startup', MinimumBytes: 'minimum', MaximumBytes: 'maximum', DynamicMemoryEnabled: 'dynamic', Buffer: 'buffer', Priority: 'priority' },
  'dsc': { StartupMemory: 'startup', MinimumMemory: 'minimum', MaximumMemory: 'maximum', Generation: 'generation', State: 'state' },
};

const DSC_RESOURCE = /^[xc]?VMHyperV$/i;
/** What opens a group that `)` closes: parentheses, an array expression, a subexpression. */
const OPENS = new Set(['(', '@(', '$(']);
const LOOP_WORDS = /^(foreach|for|while|do|foreach-object|%)$/i;
/** More elements than this in a literal list is not a list of VMs worth unrolling. */
const MAX_UNROLLED = 1000;

/** Items the bodies of unrolled loops may read in all: loops nested over long lists stay linear in the file. */
const MAX_UNROLLED_ITEMS = 1_000_000;

type BlockKind = 'loop' | 'function' | 'block';

/** The blocks a statement sits in, innermost last, with counts so that asking "in a loop?" does not walk them. */
class Blocks {
  private readonly kinds: BlockKind[] = [];
  private loops = 0;
  private functions = 0;

  get depth(): number { return this.kinds.length; }
  get inLoop(): boolean { return this.loops > 0; }
  get inFunction(): boolean { return this.functions > 0; }

  push(kind: BlockKind): void {
    this.kinds.push(kind);
    if (kind === 'loop') this.loops++;
    else if (kind === 'function') this.functions++;
  }

  /** Closes the innermost block, never one opened before `floor`. */
  pop(floor = 0): void {
    if (this.kinds.length <= floor) return;
    const kind = this.kinds.pop();
    if (kind === 'loop') this.loops--;
    else if (kind === 'function') this.functions--;
  }
}

/** The index of the `}` closing the `{` at `open`, or -1. */
/** For each `{` (by position in items), the position of its `}`, or -1 when it is never closed: one pass. */
function matchingBraces(items: Item[]): Int32Array {
  const close = new Int32Array(items.length).fill(-1);
  const open: number[] = [];
  items.forEach((t, k) => {
    if (t.type !== 'op') return;
    if (t.text === '{') open.push(k);
    else if (t.text === '}' && open.length) close[open.pop()!] = k;
  });
  return close;
}

export function importPowerShell(text: string, file: string): SourceResult {
  return new ScriptReader(file).read(text);
}

/** A value as the importer read it: the value, a list, or why it could not be told. */
export type ReadValue = string | number | boolean | ReadValue[] | { unresolved: string };

/** One New-VM / Set-VM / Set-VMMemory call or DSC resource, with its arguments under their full names. */
export interface ReadCall {
  command: string;
  line: number;
  parameters: Record<string, ReadValue>;
}

/**
 * Every call and resource as the importer reads it, before the calls are applied to VMs: what the tests
 * compare with PowerShell's own parser and parameter binder.
 */
export function powerShellCalls(text: string): ReadCall[] {
  const reader = new ScriptReader('');
  reader.read(text);
  return reader.calls;
}

function plain(value: Value): ReadValue {
  switch (value.kind) {
    case 'value': return value.value;
    case 'list': return value.items.map(plain);
    case 'vm': return value.names.length === 1 ? value.names[0] : value.names;
    case 'table': return { unresolved: 'a hashtable' };
    case 'unresolved': return { unresolved: value.reason };
  }
}

class ScriptReader {
  private readonly notes: Notes;
  private readonly vars = new Map<string, Value>();
  private readonly vms = new Map<string, ImportedVm>();
  /** placeholder name (lower case) → why the real name cannot be told */
  private readonly placeholders = new Map<string, string>();
  readonly calls: ReadCall[] = [];
  private unrolledItems = 0;

  constructor(private readonly file: string) { this.notes = new Notes(file); }

  private record(command: string, line: number, args: Map<string, Value>): void {
    const parameters: Record<string, ReadValue> = Object.create(null);
    for (const [name, value] of args) parameters[name] = plain(value);
    this.calls.push({ command, line, parameters });
  }

  read(text: string): SourceResult {
    const tokens = tokenize(text);
    if (tokens.tooDeep !== undefined) {
      this.notes.warn(`blocks nest deeper than ${MAX_BLOCK_NESTING} levels here, which PowerShell itself refuses ("the script is too complex"); the script is read only up to this line`, { line: tokens.tooDeep });
    }
    this.run(groupBlocks(tokens));
    return { vms: [...this.vms.values()], hosts: [], notes: this.notes.list };
  }

  /** Reads statements in order; `blocks` says which blocks (loops, functions) the items sit in. A
   * `}` of the items never closes a block they did not open, and the blocks they leave open close
   * at their end. */
  private run(items: Item[], blocks = new Blocks()): void {
    const floor = blocks.depth;
    let pendingLoop = false;
    let statement: Item[] = [];
    let parens = 0;
    const flush = () => {
      if (statement.length > 0) this.statement(statement, blocks.inLoop, blocks.inFunction);
      statement = [];
    };
    const closes = matchingBraces(items);
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (it.type === 'op' && OPENS.has(it.text)) parens++;
      if (it.type === 'op' && it.text === ')') parens = Math.max(0, parens - 1);
      if (parens === 0 && it.type === 'op' && (it.text === '{' || it.text === '}')) {
        if (it.text === '{') {
          const close = closes[i];
          const unrolled = close > i && this.unroll(statement, items, i + 1, close, blocks);
          if (unrolled) { statement = []; pendingLoop = false; i = close; continue; }
          pendingLoop ||= statement.some((s) => s.type === 'word' && LOOP_WORDS.test(s.text));
          const isFunction = statement[0]?.type === 'word' && /^(function|filter)$/i.test(statement[0].text);
          this.loopVariable(statement);
          flush();
          blocks.push(pendingLoop ? 'loop' : isFunction ? 'function' : 'block');
          pendingLoop = false;
        } else {
          flush();
          blocks.pop(floor);
        }
        continue;
      }
      if (parens === 0 && (it.type === 'nl' || (it.type === 'op' && it.text === ';'))) { flush(); continue; }
      if (it.type === 'table' && isDscResource(statement)) {
        this.dscResource(statement, it, blocks.inLoop);
        statement = [];
        continue;
      }
      statement.push(it);
    }
    flush();
    while (blocks.depth > floor) blocks.pop(floor);
  }

  /**
   * `foreach ($s in <a literal list>) { … }` runs its body once per element, as PowerShell would, so
   * lab scripts that loop over a table of VMs import fully. Any other loop is left to `loopVariable`.
   */
  private unroll(header: Item[], items: Item[], from: number, to: number, blocks: Blocks): boolean {
    const h = header.filter((t) => t.type !== 'nl');
    if (!(h[0]?.type === 'word' && h[0].text.toLowerCase() === 'foreach' && h[1]?.type === 'op' && h[1].text === '(')) return false;
    const loopVar = h[2];
    const last = h[h.length - 1];
    if (loopVar?.type !== 'var' || !(h[3]?.type === 'word' && h[3].text.toLowerCase() === 'in') || !(last.type === 'op' && last.text === ')')) return false;
    if (blocks.inLoop || blocks.inFunction) return false;
    const list = this.value(h.slice(4, -1));
    const elements = list.kind === 'list' ? list.items : list.kind === 'value' || list.kind === 'table' ? [list] : undefined;
    if (!elements || elements.length > MAX_UNROLLED || elements.some((e) => e.kind === 'unresolved')) return false;
    const cost = elements.length * (to - from);
    if (this.unrolledItems + cost > MAX_UNROLLED_ITEMS) return false;
    this.unrolledItems += cost;
    const body = items.slice(from, to);
    const name = loopVar.name.toLowerCase();
    for (const element of elements) {
      this.vars.set(name, element);
      blocks.push('block');
      this.run(body, blocks);
      blocks.pop();
    }
    this.vars.set(name, { kind: 'unresolved', text: loopVar.text, reason: `${loopVar.text} is a loop variable` });
    return true;
  }

  /** `foreach ($vm in $list)`: the loop variable takes many values, so nothing read through it is static. */
  private loopVariable(statement: Item[]): void {
    for (let i = 0; i + 1 < statement.length; i++) {
      const a = statement[i];
      const b = statement[i + 1];
      if (a.type === 'var' && b.type === 'word' && b.text.toLowerCase() === 'in') {
        this.vars.set(a.name.toLowerCase(), { kind: 'unresolved', text: a.text, reason: `${a.text} is a loop variable` });
      }
    }
  }

  private statement(items: Item[], inLoop: boolean, inFunction: boolean): void {
    let rest = items.filter((t) => t.type !== 'type');
    const first = rest[0];
    if (first?.type === 'word' && first.text.toLowerCase() === 'param' && rest[1]?.type === 'op' && rest[1].text === '(') {
      this.params(rest.slice(2), inFunction);
      return;
    }
    if (first?.type === 'var' && rest[1]?.type === 'op' && rest[1].text === '=') {
      rest = rest.slice(2);
      const value = this.assignment(rest);
      this.vars.set(first.name.toLowerCase(), inLoop ? { kind: 'unresolved', text: first.text, reason: `${first.text} is assigned inside a loop` } : value);
    }
    this.pipeline(rest);
  }

  /** A script's (or configuration's) parameters take their defaults; a function's come from each call. */
  private params(items: Item[], inFunction: boolean): void {
    let depth = 0;
    let current: Item[] = [];
    const take = () => {
      const names = current.filter((t) => t.type !== 'type');
      const v = names[0];
      if (v?.type === 'var' && inFunction) {
        this.vars.set(v.name.toLowerCase(), { kind: 'unresolved', text: v.text, reason: `${v.text} is a function parameter, set by each call` });
      } else if (v?.type === 'var') {
        if (names[1]?.type === 'op' && names[1].text === '=') {
          const value = this.assignment(names.slice(2));
          this.vars.set(v.name.toLowerCase(), value);
          if (value.kind === 'value') this.notes.info(`script parameter ${v.text} is read at its default ${JSON.stringify(value.value)}; a caller may pass another`, { line: v.line });
        } else {
          this.vars.set(v.name.toLowerCase(), { kind: 'unresolved', text: v.text, reason: `${v.text} is a script parameter without a default` });
        }
      }
      current = [];
    };
    for (const it of items) {
      if (it.type === 'op' && (OPENS.has(it.text) || it.text === '[')) depth++;
      if (it.type === 'op' && (it.text === ')' || it.text === ']')) {
        if (depth === 0) break;
        depth--;
        continue;
      }
      if (depth === 0 && it.type === 'op' && it.text === ',') { take(); continue; }
      if (it.type === 'nl') continue;
      // Attributes such as [Parameter(Mandatory)] sit inside the parentheses: skip them.
      if (depth > 0) continue;
      current.push(it);
    }
    take();
  }

  /** The value of the right-hand side of `$x = …`. */
  private assignment(items: Item[]): Value {
    const head = items[0];
    if (head?.type === 'word') {
      const cmd = cmdletName(head.text);
      if (cmd === 'get-vm' || cmd === 'new-vm') {
        const names = this.targets(cmd, this.arguments(cmd, items.slice(1)));
        if (names) return { kind: 'vm', names };
      }
    }
    return this.value(items);
  }

  private pipeline(items: Item[]): void {
    const segments: Item[][] = [[]];
    let depth = 0;
    for (const it of items) {
      if (it.type === 'op' && OPENS.has(it.text)) depth++;
      if (it.type === 'op' && it.text === ')') depth--;
      if (depth === 0 && it.type === 'op' && it.text === '|') segments.push([]);
      else segments[segments.length - 1].push(it);
    }
    let upstream: string[] | undefined;
    let previous: Item[] | undefined;
    for (const segment of segments) {
      const head = segment[0];
      const from = previous;
      previous = segment;
      // VMs piped in from what cannot be read ($list | Set-VM …) go under a placeholder for that text.
      if (head?.type !== 'word') { upstream = segment.length > 0 ? [this.placeholder(segment.map(itemText).join(' '), 'it comes from the pipeline')] : undefined; continue; }
      const cmd = cmdletName(head.text);
      if (!cmd) { upstream = from ? [this.placeholder(segment.map(itemText).join(' '), 'it comes from the pipeline')] : undefined; continue; }
      const args = this.arguments(cmd, segment.slice(1));
      if (cmd !== 'get-vm') this.record(CMDLET_NAMES[cmd], head.line, args);
      const names = this.targets(cmd, args) ?? upstream;
      if (cmd !== 'get-vm') {
        if (!names) {
          if (!args.has(CMDLETS[cmd].positional[0]) && !args.has('VM')) this.notes.warn(`${head.text} names no VM that can be told statically; skipped`, { line: head.line });
        } else {
          for (const name of names) this.apply(cmd, name, args, head.line, head.text);
        }
      }
      upstream = names;
    }
  }

  /**
   * The VM names a command acts on; a name that cannot be told becomes a placeholder (the same text,
   * the same placeholder), so no VM is dropped for want of a name. Undefined when no VM is named.
   */
  private targets(cmd: string, args: Map<string, Value>): string[] | undefined {
    const value = args.get(CMDLETS[cmd].positional[0]) ?? args.get('VM');
    if (!value) return undefined;
    return namesOf(value) ?? [this.placeholder(value.kind === 'unresolved' ? value.text : describe(value), value.kind === 'unresolved' ? value.reason : describe(value))];
  }

  /** `<$name>`: where a VM's name cannot be told, its settings are kept under the expression that names it. */
  private placeholder(text: string, reason: string): string {
    const name = `<${text.replace(/\s+/g, ' ').trim().slice(0, 80)}>`;
    if (!this.placeholders.has(name.toLowerCase())) this.placeholders.set(name.toLowerCase(), reason);
    return name;
  }

  /** A command's arguments by full parameter name (positional ones under the parameters they bind to). */
  private arguments(cmd: string, items: Item[]): Map<string, Value> {
    const spec = CMDLETS[cmd];
    const out = new Map<string, Value>();
    const positionals: Value[] = [];
    let i = 0;
    const valueTokens = (): Item[] => {
      const taken: Item[] = [];
      let depth = 0;
      while (i < items.length) {
        const t = items[i];
        if (depth === 0 && t.type === 'param') break;
        if (t.type === 'op' && OPENS.has(t.text)) depth++;
        if (t.type === 'op' && t.text === ')') depth--;
        taken.push(t);
        i++;
        // A value is one token, or a comma list, or a parenthesised group (with a member: (…).Name).
        const next = items[i];
        if (depth === 0 && t.type === 'op' && t.text === ')' && next?.type === 'word' && next.text.startsWith('.')) continue;
        if (depth === 0 && !(next?.type === 'op' && next.text === ',') && !(t.type === 'op' && t.text === ',')) break;
      }
      return taken;
    };
    while (i < items.length) {
      const t = items[i];
      if (t.type === 'param') {
        i++;
        const name = resolveParameter(t.name, [...spec.params, ...spec.switches]);
        if (!name) continue;
        if (spec.switches.includes(name)) {
          if (t.attached) out.set(name, this.value(valueTokens()));
          else out.set(name, { kind: 'value', value: true });
        } else {
          out.set(name, this.value(valueTokens()));
        }
        continue;
      }
      if (t.type === 'word' && t.text.startsWith('@') && t.text.length > 1) {
        i++;
        const table = this.vars.get(t.text.slice(1).toLowerCase());
        if (table?.kind === 'table') {
          for (const [key, v] of table.entries) {
            const name = resolveParameter(key, [...spec.params, ...spec.switches]);
            if (name) out.set(name, v);
          }
        } else {
          this.notes.warn(`splatted ${t.text} is not a literal hashtable assigned earlier; its parameters are unknown`, { line: t.line });
        }
        continue;
      }
      positionals.push(this.value(valueTokens()));
    }
    // As PowerShell binds them: named arguments first, then the others in order to the positional
    // parameters left (a VM object given by name takes the name's position).
    const free = spec.positional.filter((p, k) => !out.has(p) && !(k === 0 && out.has('VM')));
    positionals.slice(0, free.length).forEach((v, k) => out.set(free[k], v));
    return out;
  }

  /** Reads value tokens: a literal, a comma list, a resolved variable, Join-Path; anything else is unresolved. */
  private value(items: Item[]): Value {
    const text = items.map(itemText).join(' ');
    if (items.length === 0) return { kind: 'unresolved', text: '', reason: 'no value is given' };
    if (items[0].type === 'word' && items[0].text.toLowerCase() === 'join-path') return this.joinPath(items.slice(1), text);
    const lastItem = items[items.length - 1];
    if (items.length >= 2 && items[0].type === 'op' && items[0].text === '@(' && lastItem.type === 'op' && lastItem.text === ')') {
      // @( a, b ) or one element per line: an array.
      const parts: Item[][] = [[]];
      let depth = 0;
      for (const t of items.slice(1, -1)) {
        if (t.type === 'op' && OPENS.has(t.text)) depth++;
        if (t.type === 'op' && t.text === ')') depth--;
        if (depth === 0 && (t.type === 'nl' || (t.type === 'op' && (t.text === ',' || t.text === ';')))) { parts.push([]); continue; }
        parts[parts.length - 1].push(t);
      }
      return { kind: 'list', items: parts.filter((p) => p.length > 0).map((p) => this.value(p)) };
    }
    // (x) and $(x) are the value of x.
    if (items.length >= 3 && items[0].type === 'op' && (items[0].text === '(' || items[0].text === '$(') && lastItem.type === 'op' && lastItem.text === ')') {
      const inner = this.value(items.slice(1, -1));
      return inner.kind === 'unresolved' ? { ...inner, text } : inner;
    }
    if (items.length > 1) {
      const parts = items.filter((_, k) => k % 2 === 0);
      const commas = items.filter((_, k) => k % 2 === 1);
      if (items.length % 2 === 1 && commas.every((c) => c.type === 'op' && c.text === ',')) return { kind: 'list', items: parts.map((p) => this.value([p])) };
      return { kind: 'unresolved', text, reason: `${text} is an expression` };
    }
    const t = items[0];
    switch (t.type) {
      case 'number': return { kind: 'value', value: t.value };
      case 'word': return { kind: 'value', value: t.text };
      case 'string': return t.expandable ? this.expand(t.value, t.text) : { kind: 'value', value: t.value };
      case 'var': {
        const name = t.name.toLowerCase();
        if (name === 'true' || name === 'false') return { kind: 'value', value: name === 'true' };
        return this.variable(name, t.text);
      }
      case 'table': return this.table(t);
      default: return { kind: 'unresolved', text, reason: `${text} is not a literal` };
    }
  }

  /**
   * `Join-Path 'D:\VMs' 'SP'`, `Join-Path -Path $root -ChildPath SP`: parts that are all known are joined
   * with one backslash, as Join-Path does on Windows (it also checks the drive exists, which only the host can).
   */
  private joinPath(items: Item[], text: string): Value {
    const params = ['Path', 'ChildPath', 'AdditionalChildPath', 'LiteralPath', 'Resolve', 'Credential', 'Extension'];
    const parts = new Map<string, Value>();
    const positional: Value[] = [];
    for (let k = 0; k < items.length; k++) {
      const t = items[k];
      if (t.type === 'param') {
        const name = resolveParameter(t.name, params);
        if (!name || name === 'Resolve' || name === 'Credential' || name === 'Extension') return { kind: 'unresolved', text, reason: `${text} uses -${t.name}, which is not read` };
        parts.set(name, this.value(items[k + 1] ? [items[k + 1]] : []));
        k++;
      } else {
        positional.push(this.value([t]));
      }
    }
    const ordered = [parts.get('Path') ?? parts.get('LiteralPath') ?? positional.shift(), parts.get('ChildPath') ?? positional.shift(), parts.get('AdditionalChildPath'), ...positional];
    const strings: string[] = [];
    for (const part of ordered) {
      if (!part) continue;
      if (part.kind !== 'value') return { kind: 'unresolved', text, reason: part.kind === 'unresolved' ? part.reason : `${text} joins something that is not text` };
      strings.push(String(part.value));
    }
    if (strings.length === 0) return { kind: 'unresolved', text, reason: `${text} joins nothing` };
    return { kind: 'value', value: strings.reduce((a, b) => (b === '' ? a : `${trimSeparators(a, 'end')}\\${trimSeparators(b, 'start')}`)) };
  }

  /** `$x`, or `$config.Memory` read from a literal hashtable assigned to `$config`. */
  private variable(name: string, text: string): Value {
    const [root, ...path] = name.split('.');
    let value = this.vars.get(root);
    if (!value) return { kind: 'unresolved', text, reason: `${text} is not assigned a literal value in this file` };
    for (const key of path) {
      if (value.kind === 'unresolved') return { ...value, text };
      const entry: Value | undefined = value.kind === 'table' ? [...value.entries].find(([k]) => k.toLowerCase() === key)?.[1] : undefined;
      if (!entry) return { kind: 'unresolved', text, reason: `${text} is not a key of a literal hashtable in this file` };
      value = entry;
    }
    return value;
  }

  private table(block: Block): Value {
    const entries = new Map<string, Value>();
    for (const e of block.entries) entries.set(e.key, this.value(e.tokens));
    return { kind: 'table', entries };
  }

  /**
   * "$prefix-web01", "${prefix}_web", "$($cfg.Name)-web" with every variable known. As in PowerShell, a
   * name runs on through letters, digits and `_` ("$prefix_web" is the variable prefix_web), and
   * "$cfg.Name" expands $cfg alone; anything else in `$(…)` leaves the string unresolved.
   */
  private expand(body: string, text: string): Value {
    let unresolved: string | undefined;
    let out = '';
    let i = 0;
    while (i < body.length) {
      const dollar = body.indexOf('$', i);
      if (dollar < 0) { out += body.slice(i); break; }
      out += body.slice(i, dollar);
      const rest = body.slice(dollar);
      let piece: { value?: string; reason?: string; length: number };
      if (rest.startsWith('$(')) {
        const close = closingParen(rest, 1);
        if (close < 0) { piece = { reason: `${text} holds an unclosed subexpression`, length: rest.length }; }
        else {
          const inner = this.value(groupBlocks(tokenize(rest.slice(2, close))).filter((t) => t.type !== 'nl'));
          piece = inner.kind === 'value' ? { value: String(inner.value), length: close + 1 } : { reason: `${rest.slice(0, close + 1)} in ${text} cannot be told${inner.kind === 'unresolved' ? `: ${inner.reason}` : ''}`, length: close + 1 };
        }
      } else {
        const m = /^\$(?:\{([^}]+)\}|((?:[A-Za-z_][\w]*:)?[\w?]+))/.exec(rest);
        if (!m) { out += '$'; i = dollar + 1; continue; }
        const name = (m[1] ?? m[2]).replace(/^(script|global|local|private|using):/i, '').toLowerCase();
        const v = this.vars.get(name);
        piece = v?.kind === 'value' ? { value: String(v.value), length: m[0].length } : { reason: this.stringVariableReason(m[0], name, v, text), length: m[0].length };
      }
      if (piece.value !== undefined) out += piece.value;
      else { unresolved ??= piece.reason; out += rest.slice(0, piece.length); }
      i = dollar + piece.length;
    }
    return unresolved ? { kind: 'unresolved', text, reason: unresolved } : { kind: 'value', value: out };
  }

  /** Why `$name` in a string cannot be told, with the usual slip when there is one. */
  private stringVariableReason(written: string, name: string, v: Value | undefined, text: string): string {
    if (v?.kind === 'table') return `${written} in ${text} is a hashtable, and a string expands the variable alone: write $(${written}.Key) for one of its values`;
    const under = name.indexOf('_');
    if (!v && under > 0 && !written.startsWith('${') && this.vars.get(name.slice(0, under))?.kind === 'value') {
      const shown = written.slice(1);
      return `${written} in ${text} is the variable ${shown}, which is not assigned (a name runs on through "_"): write \${${shown.slice(0, under)}}${shown.slice(under)} for the variable ${shown.slice(0, under)}`;
    }
    return v?.kind === 'unresolved' ? `${written} in ${text} cannot be told: ${v.reason}` : `${written} in ${text} is not assigned a literal value in this file`;
  }

  private vm(name: string, line: number, what: string): ImportedVm {
    const key = name.toLowerCase();
    let vm = this.vms.get(key);
    if (!vm) {
      vm = { name, origins: [] };
      this.vms.set(key, vm);
      const reason = this.placeholders.get(key);
      if (reason !== undefined) this.notes.warn(`the VM's name cannot be told (${reason}); its settings are imported under the placeholder ${name}: give it the VM's name`, { line }, name);
    }
    if (!vm.origins.some((o) => o.line === line)) vm.origins.push({ file: this.file, line, what });
    return vm;
  }

  private apply(cmd: string, name: string, args: Map<string, Value>, line: number, what: string): void {
    const vm = this.vm(name, line, what);
    if (cmd === 'new-vm') {
      // New-VM's own defaults: generation 1, static memory, 512 MB at startup.
      vm.dynamic = false;
      if (!args.has('Generation')) vm.generation = 1;
      if (!args.has('MemoryStartupBytes')) {
        vm.startupBytes = NEW_VM_DEFAULT_STARTUP;
        this.notes.info('New-VM without -MemoryStartupBytes: its default of 512 MB is imported', { line }, name);
      }
    }
    if (cmd === 'set-vm') {
      const dynamic = args.get('DynamicMemory');
      const fixed = args.get('StaticMemory');
      if (dynamic) this.set(vm, 'dynamic', dynamic, '-DynamicMemory', line);
      if (fixed?.kind === 'value' && fixed.value === true) vm.dynamic = false;
    }
    for (const [param, field] of Object.entries(FIELDS[cmd])) {
      const value = args.get(param);
      if (value) this.set(vm, field, value, `-${param}`, line);
    }
  }

  /** Sets one field from a value, or notes why it is left out. */
  private set(vm: ImportedVm, field: Field, value: Value, label: string, line: number): void {
    const at = { line };
    if (value.kind === 'unresolved') {
      this.notes.warn(`${label} left out: ${value.reason}`, at, vm.name);
      return;
    }
    const raw = value.kind === 'value' ? value.value : undefined;
    const bytes = () => {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? powerShellNumber(raw.trim()) : undefined;
      if (n === undefined || n < 0 || !Number.isFinite(n)) return undefined;
      const whole = Math.round(n);
      this.notes.tinyBytes(label, whole, at, vm.name);
      return whole;
    };
    const whole = () => (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : undefined);
    let ok = true;
    switch (field) {
      case 'startup': ok = (vm.startupBytes = bytes()) !== undefined; break;
      case 'minimum': ok = (vm.minimumBytes = bytes()) !== undefined; break;
      case 'maximum': ok = (vm.maximumBytes = bytes()) !== undefined; break;
      case 'dynamic': {
        // PowerShell binds only $true/$false and numbers to a Boolean parameter: 'false' is refused.
        if (typeof raw === 'string') {
          this.notes.warn(`${label} ${JSON.stringify(raw)} left out: PowerShell refuses text for a Boolean parameter (write $true or $false)`, at, vm.name);
          return;
        }
        ok = (vm.dynamic = typeof raw === 'number' ? raw !== 0 : asBoolean(raw)) !== undefined;
        break;
      }
      case 'buffer': ok = (vm.bufferPercent = whole()) !== undefined; break;
      case 'priority': ok = (vm.priority = whole()) !== undefined; break;
      case 'generation': { const g = whole(); ok = g === 1 || g === 2; if (ok) vm.generation = g; break; }
      case 'startAction': ok = (vm.automaticStartAction = startAction(raw)) !== undefined; break;
      case 'stopAction': ok = (vm.automaticStopAction = stopAction(raw)) !== undefined; break;
      case 'startDelay': ok = (vm.automaticStartDelaySeconds = whole()) !== undefined; break;
      case 'smartPaging': ok = typeof raw === 'string' && raw !== ''; if (ok) vm.smartPagingFilePath = raw as string; break;
      case 'state': {
        const s = typeof raw === 'string' ? raw.toLowerCase() : '';
        ok = s === 'running' || s === 'off' || s === 'paused';
        if (ok) vm.state = s === 'off' ? 'Off' : 'Running';
        break;
      }
    }
    if (!ok) this.notes.warn(`${label} ${describe(value)} cannot be read as a value for it; left out`, at, vm.name);
  }

  private dscResource(statement: Item[], body: Block, inLoop: boolean): void {
    const head = statement[0] as Token & { type: 'word' };
    const props = new Map<string, Value>();
    const read = new Map<string, Value>();
    for (const e of body.entries) {
      const value = inLoop ? this.loopValue(e.tokens) : this.value(e.tokens);
      props.set(e.key.toLowerCase(), value);
      read.set(e.key, value);
    }
    this.record(head.text, head.line, read);
    const get = (key: string) => props.get(key.toLowerCase());
    const nameValue = get('Name');
    if (!nameValue) {
      this.notes.warn(`${head.text} resource: it has no Name; skipped`, { line: head.line });
      return;
    }
    const names = namesOf(nameValue) ?? [this.placeholder(nameValue.kind === 'unresolved' ? nameValue.text : describe(nameValue), nameValue.kind === 'unresolved' ? nameValue.reason : describe(nameValue))];
    const ensure = get('Ensure');
    if (ensure?.kind === 'value' && String(ensure.value).toLowerCase() === 'absent') {
      this.notes.info(`${head.text} resource ${names.join(', ')} has Ensure = 'Absent'; not imported`, { line: head.line });
      return;
    }
    for (const name of names) {
      const vm = this.vm(name, head.line, `${head.text} resource`);
      vm.generation = 1;
      for (const [prop, field] of Object.entries(FIELDS.dsc)) {
        const v = get(prop);
        if (v) this.set(vm, field, v, prop, head.line);
      }
      this.dscDefaults(vm, get('StartupMemory'), get('MinimumMemory'), get('MaximumMemory'), head.line);
    }
  }

  /**
   * The resource's own rule when it creates the VM: dynamic when MinimumMemory or MaximumMemory is
   * given; without StartupMemory, 512 MB raised to the minimum or lowered to the maximum; static
   * again when startup, minimum and maximum are all equal.
   */
  private dscDefaults(vm: ImportedVm, startup: Value | undefined, minimum: Value | undefined, maximum: Value | undefined, line: number): void {
    vm.dynamic = minimum !== undefined || maximum !== undefined;
    if (!startup) {
      let bytes = DSC_DEFAULT_STARTUP;
      if (vm.minimumBytes !== undefined && bytes < vm.minimumBytes) bytes = vm.minimumBytes;
      else if (vm.maximumBytes !== undefined && bytes > vm.maximumBytes) bytes = vm.maximumBytes;
      vm.startupBytes = bytes;
      this.notes.info(`no StartupMemory: the resource's default rule gives ${bytes / MB} MB`, { line }, vm.name);
    }
    if (startup && vm.startupBytes !== undefined && vm.startupBytes === vm.minimumBytes && vm.startupBytes === vm.maximumBytes) {
      vm.dynamic = false;
      vm.minimumBytes = undefined;
      vm.maximumBytes = undefined;
    }
  }

  private loopValue(tokens: Token[]): Value {
    const v = this.value(tokens);
    return v.kind === 'value' && !tokens.some((t) => t.type === 'var') ? v : { kind: 'unresolved', text: tokens.map(itemText).join(' '), reason: 'it is inside a loop' };
  }
}

/** Path separators off one end (a loop: a regex here would be quadratic on a long run of them). */
function trimSeparators(text: string, end: 'start' | 'end'): string {
  const sep = (c: string) => c === '\\' || c === '/';
  let a = 0;
  let b = text.length;
  if (end === 'start') while (a < b && sep(text[a])) a++;
  else while (b > a && sep(text[b - 1])) b--;
  return text.slice(a, b);
}

/** The index of the `)` closing the `(` at `open` in a string's text, or -1. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    if (text[k] === '(') depth++;
    else if (text[k] === ')' && --depth === 0) return k;
  }
  return -1;
}

function isDscResource(statement: Item[]): boolean {
  return statement.length === 2 && statement[0].type === 'word' && DSC_RESOURCE.test(statement[0].text)
    && (statement[1].type === 'word' || statement[1].type === 'string');
}

/** Module-qualified names (Hyper-V\Set-VM) count as the cmdlet. */
function cmdletName(word: string): string | undefined {
  const name = word.replace(/^Hyper-V\\/i, '').toLowerCase();
  return Object.hasOwn(CMDLETS, name) ? name : undefined;
}

/** PowerShell binds a unique prefix of a parameter name (-MinimumByte → -MinimumBytes). */
function resolveParameter(written: string, params: string[]): string | undefined {
  const lower = written.toLowerCase();
  const exact = params.find((p) => p.toLowerCase() === lower);
  if (exact) return exact;
  const prefixed = params.filter((p) => p.toLowerCase().startsWith(lower));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

function namesOf(value: Value): string[] | undefined {
  if (value.kind === 'vm') return value.names;
  if (value.kind === 'value' && typeof value.value === 'string' && value.value) return [value.value];
  if (value.kind === 'list') {
    const names = value.items.map(namesOf);
    return names.every((n) => n) ? names.flat() as string[] : undefined;
  }
  return undefined;
}

function describe(value: Value): string {
  switch (value.kind) {
    case 'unresolved': return `cannot be told: ${value.reason}`;
    case 'value': return JSON.stringify(value.value);
    case 'list': return 'is a list';
    case 'vm': return `is the VM ${value.names.join(', ')}`;
    case 'table': return 'is a hashtable';
  }
}

function itemText(t: Item): string {
  switch (t.type) {
    case 'word': case 'op': case 'type': return t.text;
    case 'string': case 'number': case 'var': return t.text;
    case 'param': return `-${t.name}`;
    case 'table': return '@{…}';
    case 'nl': return '';
  }
}

/**
 * Hashtable literals (`@{ Key = value; … }`) and the bodies of DSC resources (`VMHyperV Name { … }`)
 * become one item each, so statements can be split on lines and braces without cutting them.
 */
function groupBlocks(tokens: Token[]): Item[] {
  const out: Item[] = [];
  let i = 0;
  const body = (line: number): Block => {
    const entries: Block['entries'] = [];
    let key: { key: string; line: number } | undefined;
    let value: Token[] = [];
    let depth = 0;
    const take = () => {
      if (key) entries.push({ ...key, tokens: value });
      key = undefined; value = [];
    };
    while (i < tokens.length) {
      const t = tokens[i++];
      if (t.type === 'op' && (t.text === '{' || t.text === '@{' || OPENS.has(t.text))) depth++;
      if (t.type === 'op' && (t.text === '}' || t.text === ')')) {
        if (depth === 0 && t.text === '}') break;
        depth--;
      }
      if (depth === 0 && (t.type === 'nl' || (t.type === 'op' && t.text === ';'))) { take(); continue; }
      if (!key && depth === 0 && (t.type === 'word' || t.type === 'string') && tokens[i]?.type === 'op' && (tokens[i] as { text: string }).text === '=') {
        key = { key: t.type === 'word' ? t.text : t.value, line: t.line };
        i++;
        continue;
      }
      if (key) value.push(t);
    }
    take();
    return { type: 'table', line, entries };
  };
  while (i < tokens.length) {
    const t = tokens[i];
    if (t.type === 'op' && t.text === '@{') { i++; out.push(body(t.line)); continue; }
    if (t.type === 'op' && t.text === '{') {
      // DSC style puts the brace of `VMHyperV Name` on the next line.
      let end = out.length;
      while (end > 0 && out[end - 1].type === 'nl') end--;
      const prev = out[end - 1];
      const prev2 = out[end - 2];
      if (prev && prev2 && prev2.type === 'word' && DSC_RESOURCE.test(prev2.text) && (prev.type === 'word' || prev.type === 'string')) {
        out.length = end;
        i++;
        out.push(body(t.line));
        continue;
      }
    }
    out.push(t);
    i++;
  }
  return out;
}
