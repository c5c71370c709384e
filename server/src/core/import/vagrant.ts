// Vagrantfiles: the hyperv provider's memory, maxmemory (MB), vmname and auto start/stop actions, for
// the whole file and per `config.vm.define`. Vagrant's own rule: memory sets startup and minimum;
// maxmemory turns Dynamic Memory on; start/stop actions are always applied (Nothing, ShutDown).
// Ruby is not run: literals and simple `NAME = literal` assignments only.
import { MB } from '../units';
import { Notes, startAction, stopAction } from './values';
import type { ImportedVm, SourceResult } from './types';

type Setting = { value: string | number; line: number } | { unresolved: string; line: number };
type Settings = Map<string, Setting>;
interface Machine { name: string; line: number; providers: Settings[] }
/**
 * A block the reader is inside. What a line needs to know of the blocks around it (the machine it
 * belongs to, whether a loop or a provider block encloses it) is carried by each frame from its
 * parent, so a line costs the same however deeply it is nested.
 */
interface Frame {
  kind: 'define' | 'provider' | 'loop' | 'other';
  /** the innermost `config.vm.define` around it: its machine, or null when its copies cannot be told */
  machine?: Machine | null;
  inLoop: boolean;
  inProvider: boolean;
  provider?: { settings: Settings; set: RegExp };
}

const SETTINGS = ['memory', 'maxmemory', 'vmname', 'auto_start_action', 'auto_stop_action'];
// Each pattern is tried at one place of a line (its start, or the first `.vm.define`), so a long
// line costs its length once, not once per place it could start.
const DEFINE = /^\.vm\.define\s+(?::([\w.-]+)|"([^"]+)"|'([^']+)')/;
const PROVIDER = /^\.vm\.provider\s+[:"']hyperv["']?/;
const PROVIDER_VARIABLE = /\bdo\s*\|\s*(\w+)/;

export function importVagrant(text: string, file: string): SourceResult {
  const notes = new Notes(file);
  const constants = new Map<string, string | number>();
  const global: Settings[] = [];
  let globalLine = 0;
  const machines: Machine[] = [];
  const top: Frame = { kind: 'other', inLoop: false, inProvider: false };
  const stack: Frame[] = [];
  const push = (kind: Frame['kind'], machine?: Machine | null, provider?: Frame['provider']) => {
    const parent = stack[stack.length - 1] ?? top;
    stack.push({ kind, machine: machine === undefined ? parent.machine : machine, inLoop: parent.inLoop || kind === 'loop', inProvider: parent.inProvider || kind === 'provider', provider });
  };
  // One pattern per provider variable name (`h.memory = …`), compiled once.
  const setters = new Map<string, RegExp>();
  const setter = (variable: string) => {
    let re = setters.get(variable);
    if (!re) setters.set(variable, (re = new RegExp(`^${variable}\\.(\\w+)\\s*=\\s*(.+)$`)));
    return re;
  };
  forEachLine(text, (raw, line) => {
    const code = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!code) return;
    const current = stack[stack.length - 1] ?? top;
    const inLoop = current.inLoop;
    const assignment = /^([A-Za-z_]\w*)\s*=\s*(.+)$/.exec(code);
    if (assignment && !current.inProvider) {
      const v = literal(assignment[2], constants);
      if (v !== undefined && !inLoop) constants.set(assignment[1], v);
      else constants.delete(assignment[1]);
    }
    const defineAt = code.indexOf('.vm.define');
    const define = defineAt >= 0 ? DEFINE.exec(code.slice(defineAt)) : null;
    if (define && /\bdo\b/.test(code.slice(defineAt + define[0].length))) {
      const machineName = define[1] ?? define[2] ?? define[3];
      // Its copies cannot be told: they are imported once, under a placeholder, never dropped.
      const placeholder = inLoop || machineName.includes('#{');
      if (placeholder) notes.warn(`machine "${machineName}" is defined inside a loop or named by an expression; its copies are imported once, under the placeholder <${machineName}>: give it the VM's name`, { line }, `<${machineName}>`);
      const machine: Machine = { name: placeholder ? `<${machineName}>` : machineName, line, providers: [] };
      machines.push(machine);
      push('define', machine);
      return;
    }
    const providerAt = code.indexOf('.vm.provider');
    const provider = providerAt >= 0 && PROVIDER.test(code.slice(providerAt)) ? PROVIDER_VARIABLE.exec(code.slice(providerAt)) : null;
    if (provider) {
      const settings: Settings = new Map();
      push('provider', undefined, { settings, set: setter(provider[1]) });
      if (current.machine) current.machine.providers.push(settings);
      else if (current.machine === undefined) { global.push(settings); globalLine ||= line; }
      return;
    }
    if (current.kind === 'provider') {
      const { settings, set: setting } = current.provider!;
      const set = setting.exec(code);
      if (set && SETTINGS.includes(set[1]) && set[2].trim() === 'nil') {
        // nil is Vagrant's "not set": the box's value stays.
        settings.delete(set[1]);
      } else if (set && SETTINGS.includes(set[1])) {
        const v = literal(set[2], constants);
        settings.set(set[1], v === undefined || inLoop ? { unresolved: set[2].trim(), line } : { value: v, line });
      }
    }
    if (opensDoBlock(code)) push(/\.(each|times|each_with_index|map)\b|\b(loop|while|until)\b/.test(code) ? 'loop' : 'other');
    else if (/^(if|unless|case|begin|def|class|module|while|until|for)\b/.test(code)) push(/^(while|until|for)\b/.test(code) ? 'loop' : 'other');
    else if (/^end\b/.test(code)) stack.pop();
  });

  // The file-wide provider blocks, merged once: each machine adds its own on top.
  const globalSettings: Settings = new Map(global.flatMap((p) => [...p]));
  const vms: ImportedVm[] = [];
  const list = machines.length > 0 ? machines : global.length > 0 ? [{ name: 'default', line: globalLine, providers: [] }] : [];
  for (const machine of list) {
    const merged = machine.providers.length ? new Map([...globalSettings, ...machine.providers.flatMap((p) => [...p])]) : globalSettings;
    const setting = (key: string): Setting | undefined => merged.get(key);
    const read = (key: string, vmName: string): string | number | undefined => {
      const s = setting(key);
      if (!s) return undefined;
      if ('unresolved' in s) { notes.warn(`${key} = ${s.unresolved} left out: not a literal`, { line: s.line }, vmName); return undefined; }
      return s.value;
    };
    const vmname = setting('vmname');
    let name = machine.name;
    if (vmname && 'value' in vmname && typeof vmname.value === 'string') name = vmname.value;
    else notes.info(`no literal vmname: the VM is named after the machine "${machine.name}" (Hyper-V keeps the box's name)`, { line: machine.line }, name);
    const vm: ImportedVm = { name, origins: [{ file, line: machine.line, what: machine.name === 'default' && machines.length === 0 ? 'hyperv provider' : `machine "${machine.name}"` }] };
    const memory = read('memory', name);
    const maxmemory = read('maxmemory', name);
    const mb = (v: string | number | undefined, key: string) => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
      if (v !== undefined && (n === undefined || !Number.isInteger(n))) notes.warn(`${key} ${JSON.stringify(v)} is not a whole number of MB; left out`, { line: setting(key)?.line }, name);
      return n === undefined ? undefined : n * MB;
    };
    const memoryBytes = mb(memory, 'memory');
    const maxBytes = mb(maxmemory, 'maxmemory');
    if (memoryBytes !== undefined) vm.startupBytes = memoryBytes;
    else notes.warn('no literal memory: Vagrant keeps the box\'s memory, which this file does not say', { line: machine.line }, name);
    vm.dynamic = maxBytes !== undefined;
    if (maxBytes !== undefined) {
      vm.maximumBytes = maxBytes;
      if (memoryBytes !== undefined) vm.minimumBytes = memoryBytes;
    }
    const start = read('auto_start_action', name);
    const stop = read('auto_stop_action', name);
    vm.automaticStartAction = start === undefined ? 'Nothing' : startAction(start);
    vm.automaticStopAction = stop === undefined ? 'ShutDown' : stopAction(stop);
    vms.push(vm);
  }
  return { vms, hosts: [], notes: notes.list };
}

/** Calls `read` with each line that is not empty and its 1-based number (CRLF, LF or CR endings). */
function forEachLine(text: string, read: (raw: string, line: number) => void): void {
  let line = 1;
  for (let start = 0; start < text.length; line++) {
    let end = start;
    while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
    if (end > start) read(text.slice(start, end), line);
    start = end + (text[end] === '\r' && text[end + 1] === '\n' ? 2 : 1);
  }
}

/** Whether a line ends in `do` or `do |…|`: it opens a block that an `end` closes. */
function opensDoBlock(code: string): boolean {
  let head = code;
  if (head.endsWith('|')) {
    const open = head.lastIndexOf('|', head.length - 2);
    if (open < 0) return false;
    head = head.slice(0, open).trimEnd();
  }
  return head === 'do' || (head.endsWith('do') && !/\w/.test(head[head.length - 3]));
}

/** A Ruby literal (number, string, symbol) or a constant assigned one earlier. */
function literal(text: string, constants: Map<string, string | number>): string | number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (/^\d+(_\d{3})+$/.test(t)) return Number(t.replace(/_/g, ''));
  const str = /^"([^"#\\]*)"$|^'([^'\\]*)'$|^:(\w+)$/.exec(t);
  if (str) return str[1] ?? str[2] ?? str[3];
  if (/^[A-Za-z_]\w*$/.test(t)) return constants.get(t);
  return undefined;
}
