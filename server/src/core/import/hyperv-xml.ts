// Hyper-V XML virtual machine configuration (Windows Server 2012 R2 and earlier): memory in MB under
// settings/memory/bank, the generation as properties/subtype (generation - 1). Parsed with
// @rgrove/parse-xml: small, no dependencies, and it gives offsets for line numbers.
import { parseXml, XmlElement, XmlError } from '@rgrove/parse-xml';
import { LineIndex } from '../text';
import { MB } from '../units';
import { asBoolean, Notes, wholeBytes } from './values';
import type { ImportedVm, SourceResult } from './types';

export function importHyperVXml(text: string, file: string): SourceResult {
  const notes = new Notes(file);
  const out: SourceResult = { vms: [], hosts: [], notes: notes.list };
  const lines = new LineIndex(text);
  const lineOf = (el: XmlElement) => lines.positionAt(el.start).line + 1;
  let root: XmlElement | null;
  try {
    root = parseXml(text, { includeOffsets: true }).root;
  } catch (e) {
    if (!(e instanceof XmlError)) throw e;
    notes.warn(`not well-formed XML: ${e.message.split('\n')[0]}; nothing imported`, { line: e.line });
    return out;
  }
  if (!root || root.name !== 'configuration') {
    notes.warn('not a Hyper-V configuration (its root element is not <configuration>); nothing imported', { line: 1 });
    return out;
  }
  const path = (...names: string[]): XmlElement | undefined => {
    let el: XmlElement | undefined = root!;
    for (const n of names) el = el?.children.find((c): c is XmlElement => c instanceof XmlElement && c.name === n);
    return el;
  };
  const nameEl = path('properties', 'name');
  const name = nameEl?.text.trim();
  if (!name) {
    notes.warn('no properties/name: the VM cannot be named; nothing imported', { line: lineOf(root) });
    return out;
  }
  const bank = path('settings', 'memory', 'bank');
  const vm: ImportedVm = { name, origins: [{ file, line: lineOf(nameEl!), what: 'configuration' }] };
  const value = <T>(el: XmlElement | undefined, read: (text: string) => T | undefined, expected: string): T | undefined => {
    if (!el) return undefined;
    const v = read(el.text.trim());
    if (v === undefined) notes.warn(`<${el.name}> ${JSON.stringify(el.text.trim())} is not ${expected}; left out`, { line: lineOf(el) }, name);
    return v;
  };
  const child = (n: string) => bank?.children.find((c): c is XmlElement => c instanceof XmlElement && c.name === n);
  const megabytes = (n: string) => {
    const bytes = value(child(n), (t) => wholeBytes(t, MB), 'a whole number of MB');
    return bytes;
  };
  const subtype = value(path('properties', 'subtype'), (t) => (t === '0' || t === '1' ? Number(t) : undefined), '0 or 1');
  if (subtype !== undefined) vm.generation = subtype + 1;
  if (!bank) notes.warn('no settings/memory/bank: the memory settings are missing', { line: lineOf(root) }, name);
  vm.dynamic = value(child('dynamic_memory_enabled'), asBoolean, 'True or False');
  vm.startupBytes = megabytes('size');
  if (vm.dynamic) {
    vm.minimumBytes = megabytes('reservation');
    vm.maximumBytes = megabytes('limit');
    vm.bufferPercent = value(child('target_memory_buffer'), (t) => wholeBytes(t), 'a whole percentage');
  }
  // The XML holds the WMI weight, 0..10000; PowerShell's Priority is a hundredth of it.
  const weight = value(child('priority'), (t) => wholeBytes(t), 'a whole weight 0..10000');
  if (weight !== undefined) vm.priority = Math.round(weight / 100);
  out.vms.push(vm);
  return out;
}
