// Packer hyperv-iso / hyperv-vmcx builders, JSON templates and HCL sources (read with the other HCL
// files, see terraform.ts): memory (MB; ram_size before
// Packer 1.4), enable_dynamic_memory, generation, vm_name, with Packer's defaults for what is left out
// (1024 MB, generation 1, static memory, named packer-<build name>).
import { getNodeValue, type Node } from 'jsonc-parser';
import { MB } from '../units';
import { evaluate, type Evaluated, type HclValue, type Resolver } from './hcl-eval';
import { exprText, type Block } from './hcl';
import { parseJson } from './hyperv-json';
import { asBoolean, Notes } from './values';
import type { ImportedVm, SourceResult } from './types';

const BUILDERS = /^hyperv-(iso|vmcx)$/;
const PACKER_DEFAULT_MEMORY_MB = 1024;

type Read = (key: string) => { value: HclValue; line: number } | undefined;

function builderVm(type: string, label: string, read: Read, has: (key: string) => boolean, line: number, file: string, notes: Notes, what: string): ImportedVm | undefined {
  const vmName = read('vm_name');
  const unknownName = has('vm_name') && !(typeof vmName?.value === 'string' && vmName.value);
  // A name that cannot be told: the VM is imported under a placeholder, never dropped.
  const name = unknownName ? `<vm_name of ${what}>` : vmName ? String(vmName.value) : `packer-${label}`;
  if (unknownName) notes.warn(`the VM's name cannot be told; its settings are imported under the placeholder ${name}: give it the VM's name`, { line }, name);
  if (!vmName && !unknownName) notes.info(`no vm_name: Packer names the VM ${name}`, { line }, name);
  // hyperv-vmcx clones a VM: what the template leaves out comes from that VM, not from Packer's defaults.
  const clone = type === 'hyperv-vmcx';
  const vm: ImportedVm = { name, origins: [{ file, line, what }] };
  const key = has('memory') ? 'memory' : has('ram_size') ? 'ram_size' : undefined;
  const memory = key ? read(key) : undefined;
  const mb = !key ? (clone ? undefined : PACKER_DEFAULT_MEMORY_MB) : memory ? (typeof memory.value === 'number' ? memory.value : typeof memory.value === 'string' && /^\d+$/.test(memory.value) ? Number(memory.value) : undefined) : undefined;
  if (memory && (mb === undefined || !Number.isInteger(mb))) notes.warn(`${key} ${JSON.stringify(memory.value)} is not a whole number of MB; left out`, { line: memory.line }, name);
  else if (mb !== undefined) {
    vm.startupBytes = mb * MB;
    if (!memory) notes.info(`no memory: Packer's default of ${PACKER_DEFAULT_MEMORY_MB} MB is imported`, { line }, name);
  } else if (!key) {
    notes.warn('no memory: the clone keeps the memory of the VM it copies, which this file does not say', { line }, name);
  }
  const generation = read('generation');
  if (generation) vm.generation = generation.value === 2 || generation.value === '2' ? 2 : 1;
  else if (!clone) vm.generation = 1;
  const dynamic = read('enable_dynamic_memory');
  if (dynamic) vm.dynamic = asBoolean(dynamic.value) ?? false;
  else if (!clone) vm.dynamic = false;
  return vm;
}

export function importPackerJson(text: string, file: string): SourceResult {
  const notes = new Notes(file);
  const vms: ImportedVm[] = [];
  const parsed = parseJson(text);
  if (!parsed || parsed.root.type !== 'object') {
    notes.warn('not a Packer JSON template; nothing imported', { line: 1 });
    return { vms, hosts: [], notes: notes.list };
  }
  const template = getNodeValue(parsed.root) as { variables?: Record<string, unknown>; builders?: Record<string, unknown>[] };
  const builders = parsed.root.children?.find((p) => p.children?.[0].value === 'builders')?.children?.[1]?.children ?? [];
  const lineOf = (node: Node) => parsed.lines.positionAt(node.offset).line + 1;
  builders.forEach((node, i) => {
    const b = template.builders?.[i] ?? {};
    if (typeof b.type !== 'string' || !BUILDERS.test(b.type)) return;
    const line = lineOf(node);
    const keyLine = (key: string) => {
      const prop = node.children?.find((p) => p.children?.[0].value === key);
      return prop ? lineOf(prop) : line;
    };
    const label = typeof b.name === 'string' ? b.name : b.type;
    const read: Read = (key) => {
      if (!(key in b)) return undefined;
      const resolved = userVariables(b[key], template.variables ?? {});
      if (resolved.ok) return { value: resolved.value, line: keyLine(key) };
      notes.warn(`${key} left out: ${resolved.reason}`, { line: keyLine(key) });
      return undefined;
    };
    const vm = builderVm(b.type, label, read, (key) => key in b, line, file, notes, `builder ${label}`);
    if (vm) vms.push(vm);
  });
  return { vms, hosts: [], notes: notes.list };
}

/** Packer JSON's {{user `name`}}: resolved from "variables"; any other template function is unknown. */
function userVariables(raw: unknown, variables: Record<string, unknown>): Evaluated {
  if (typeof raw !== 'string') return { ok: true, value: raw as HclValue };
  let reason: string | undefined;
  let value = '';
  // {{ … }} found by hand: inner text has no "}", so a "{{" whose first "}" is not "}}" ends no
  // template, and neither does any "{{" before that "}". One pass, however many "{{" there are.
  for (let from = 0; ;) {
    const open = raw.indexOf('{{', from);
    const close = open < 0 ? -1 : raw.indexOf('}', open + 2);
    if (close < 0) { value += raw.slice(from); break; }
    if (raw[close + 1] !== '}') { value += raw.slice(from, close + 1); from = close + 1; continue; }
    const whole = raw.slice(open, close + 2);
    const m = /^user\s+`([^`]+)`$/.exec(raw.slice(open + 2, close).trim());
    const v = m && Object.hasOwn(variables, m[1]) ? variables[m[1]] : undefined;
    if (m && (typeof v === 'string' || typeof v === 'number') && !String(v).includes('{{')) value += raw.slice(from, open) + String(v);
    else {
      reason ??= `${whole} cannot be told without running Packer`;
      value += raw.slice(from, close + 2);
    }
    from = close + 2;
  }
  if (reason) return { ok: false, reason };
  return { ok: true, value: /^\d+$/.test(value) && value !== raw ? Number(value) : value };
}

/** A `source "hyperv-iso" "name"` block of a Packer HCL template, read with the HCL files' variables. */
export function readPackerSource(block: Block, resolve: Resolver, file: string, notes: Notes): ImportedVm | undefined {
  const label = block.labels[1] ?? block.labels[0];
  const read: Read = (key) => {
    const a = block.body.attributes.find((x) => x.name === key);
    if (!a) return undefined;
    const v = evaluate(a.value, resolve);
    if (v.ok) return { value: v.value, line: a.line };
    notes.warn(`${key} = ${exprText(a.value)} left out: ${v.reason}`, { line: a.line });
    return undefined;
  };
  return builderVm(block.labels[0], label, read, (key) => block.body.attributes.some((a) => a.name === key), block.line, file, notes, `source ${block.labels.join('.')}`);
}

export const isPackerSource = (block: Block) => block.type === 'source' && BUILDERS.test(block.labels[0] ?? '');
