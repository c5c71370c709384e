// Vagrantfiles: the hyperv provider's memory, maxmemory (MB), vmname and auto start/stop actions, for
// the whole file and per `config.vm.define`. Vagrant's own rule: memory sets startup and minimum;
// maxmemory turns Dynamic Memory on; start/stop actions are always applied (Nothing, ShutDown).
// Ruby is not run: literals and simple `NAME = literal` assignments only.
import { MB } from '../units';
import { Notes, startAction, stopAction } from './values';
import type { ImportedVm, SourceResult } from './types';

type Setting = { value: string | number; line: number } | { unresolved: string; line: number };
interface Provider { settings: Map<string, Setting>; line: number }
interface Frame { kind: 'define' | 'provider' | 'loop' | 'other'; name?: string; line: number; provider?: Provider }

const SETTINGS = ['memory', 'maxmemory', 'vmname', 'auto_start_action', 'auto_stop_action'];

export function importVagrant(text: string, file: string): SourceResult {
  const notes = new Notes(file);
  const constants = new Map<string, string | number>();
  const global: Provider[] = [];
  const machines: { name: string; line: number; providers: Provider[] }[] = [];
  const stack: Frame[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const code = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!code) return;
    const inLoop = stack.some((f) => f.kind === 'loop');
    const assignment = /^([A-Za-z_]\w*)\s*=\s*(.+)$/.exec(code);
    if (assignment && stack.every((f) => f.kind !== 'provider')) {
      const v = literal(assignment[2], constants);
      if (v !== undefined && !inLoop) constants.set(assignment[1], v);
      else constants.delete(assignment[1]);
    }
    const define = /\.vm\.define\s+(?::([\w.-]+)|"([^"]+)"|'([^']+)').*\bdo\b/.exec(code);
    const provider = /\.vm\.provider\s+[:"']hyperv["']?.*\bdo\s*\|\s*(\w+)/.exec(code);
    if (define) {
      const machineName = define[1] ?? define[2] ?? define[3];
      stack.push({ kind: 'define', name: machineName, line });
      // Its copies cannot be told: they are imported once, under a placeholder, never dropped.
      const placeholder = inLoop || machineName.includes('#{');
      if (placeholder) notes.warn(`machine "${machineName}" is defined inside a loop or named by an expression; its copies are imported once, under the placeholder <${machineName}>: give it the VM's name`, { line }, `<${machineName}>`);
      machines.push({ name: placeholder ? `<${machineName}>` : machineName, line, providers: [] });
      return;
    }
    if (provider) {
      const p: Provider = { settings: new Map(), line };
      stack.push({ kind: 'provider', name: provider[1], line, provider: p });
      const owner = [...stack].reverse().find((f) => f.kind === 'define');
      const machine = owner ? machines.find((m) => m.name === owner.name && m.line === owner.line) : undefined;
      if (machine) machine.providers.push(p);
      else if (!owner) global.push(p);
      return;
    }
    const current = stack[stack.length - 1];
    if (current?.kind === 'provider') {
      const set = new RegExp(`^${current.name}\\.(\\w+)\\s*=\\s*(.+)$`).exec(code);
      if (set && SETTINGS.includes(set[1]) && set[2].trim() === 'nil') {
        // nil is Vagrant's "not set": the box's value stays.
        current.provider!.settings.delete(set[1]);
      } else if (set && SETTINGS.includes(set[1])) {
        const v = literal(set[2], constants);
        current.provider!.settings.set(set[1], v === undefined || inLoop ? { unresolved: set[2].trim(), line } : { value: v, line });
      }
    }
    if (/\bdo\s*(\|[^|]*\|)?\s*$/.test(code)) stack.push({ kind: /\.(each|times|each_with_index|map)\b|\b(loop|while|until)\b/.test(code) ? 'loop' : 'other', line });
    else if (/^(if|unless|case|begin|def|class|module|while|until|for)\b/.test(code)) stack.push({ kind: /^(while|until|for)\b/.test(code) ? 'loop' : 'other', line });
    else if (/^end\b/.test(code)) stack.pop();
  });

  const vms: ImportedVm[] = [];
  const list = machines.length > 0 ? machines : global.length > 0 ? [{ name: 'default', line: global[0].line, providers: [] }] : [];
  for (const machine of list) {
    const providers = [...global, ...machine.providers];
    const setting = (key: string): Setting | undefined => providers.map((p) => p.settings.get(key)).filter((s) => s).pop();
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
