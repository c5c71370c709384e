// Import: source texts in, a plan's text and notes out. Each input's kind is told by its content;
// VMs named in several inputs (Get-VM and Get-VMMemory, a script's New-VM then Set-VM) are merged,
// later values winning. Pure: the caller reads the files.
import { detectFormat, FORMAT_LABELS, type SourceFormat } from './detect';
import { emitPlan, type PlanFormat } from './emit';
import { importHyperVJson } from './hyperv-json';
import { importHyperVXml } from './hyperv-xml';
import { importPowerShell } from './powershell';
import { importTerraform } from './terraform';
import { importPackerHcl, importPackerJson } from './packer';
import { importVagrant } from './vagrant';
import type { ImportedHost, ImportedVm, ImportNote, SourceResult, VmSetting } from './types';

export type { ImportNote, Origin } from './types';
export { detectFormat, FORMAT_LABELS, type SourceFormat } from './detect';
export { decodeText } from './decode';
export type { PlanFormat } from './emit';

export interface ImportInput {
  /** how the plan's comments name this input (a file name) */
  file: string;
  text: string;
}

export interface ImportOptions {
  format?: PlanFormat;
  /** memory of the host when the sources do not say (e.g. Get-VM output alone) */
  hostMemoryBytes?: number;
  /** name of that host when the sources do not name one */
  hostName?: string;
}

export interface ImportResult {
  text: string;
  notes: ImportNote[];
  /** inputs whose kind could not be told: nothing was read from them */
  unrecognised: string[];
  vmCount: number;
  hostCount: number;
}

export function importPlan(inputs: readonly ImportInput[], options: ImportOptions = {}): ImportResult {
  const sources: { file: string; format: string }[] = [];
  const results: SourceResult[] = [];
  const unrecognised: string[] = [];
  const terraform: ImportInput[] = [];
  for (const input of inputs) {
    const text = input.text.replace(/^\uFEFF/, '');
    const format = detectFormat(text);
    if (!format) { unrecognised.push(input.file); continue; }
    sources.push({ file: input.file, format: FORMAT_LABELS[format] });
    // Terraform files are read together: variables, locals and .tfvars values cross files.
    if (format === 'terraform') terraform.push({ file: input.file, text });
    else results.push(guarded(input.file, () => readSource(format, text, input.file)));
  }
  if (terraform.length > 0) results.push(guarded(terraform.map((t) => t.file).join(', '), () => importTerraform(terraform)));

  const vms = mergeVms(results.flatMap((r) => r.vms));
  const hosts = mergeHosts(results.flatMap((r) => r.hosts));
  const notes = results.flatMap((r) => r.notes);
  const emitted = placeHosts(hosts, vms, options, notes);
  const names = new Set(emitted.map((h) => h.name.toLowerCase()));
  const text = emitPlan({ sources, hosts: emitted, vms, notes, writeHost: (vm) => !!vm.host && names.has(vm.host.toLowerCase()) }, options.format ?? 'jsonc');
  return { text, notes, unrecognised, vmCount: vms.length, hostCount: emitted.length };
}

/** The readers recurse per nesting level; absurd nesting becomes a note, not a crashed process. */
function guarded(file: string, read: () => SourceResult): SourceResult {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return { vms: [], hosts: [], notes: [{ file, severity: 'warning', message: 'nested too deeply to read; nothing imported from it' }] };
  }
}

function readSource(format: Exclude<SourceFormat, 'terraform'>, text: string, file: string): SourceResult {
  switch (format) {
    case 'hyperv-json': return importHyperVJson(text, file);
    case 'hyperv-xml': return importHyperVXml(text, file);
    case 'powershell': case 'dsc': return importPowerShell(text, file);
    case 'packer-json': return importPackerJson(text, file);
    case 'packer-hcl': return importPackerHcl(text, file);
    case 'vagrant': return importVagrant(text, file);
  }
}

function mergeVms(all: ImportedVm[]): ImportedVm[] {
  const byName = new Map<string, ImportedVm>();
  for (const vm of all) {
    const key = vm.name.toLowerCase();
    const seen = byName.get(key);
    if (!seen) { byName.set(key, { ...vm, origins: [...vm.origins] }); continue; }
    for (const [k, v] of Object.entries(vm) as [VmSetting | 'name' | 'origins', unknown][]) {
      if (k === 'name' || k === 'origins' || v === undefined) continue;
      (seen as unknown as Record<string, unknown>)[k] = v;
    }
    for (const o of vm.origins) {
      if (!seen.origins.some((s) => s.file === o.file && s.line === o.line)) seen.origins.push(o);
    }
  }
  return [...byName.values()];
}

function mergeHosts(all: ImportedHost[]): ImportedHost[] {
  const byName = new Map<string, ImportedHost>();
  for (const h of all) {
    const seen = byName.get(h.name.toLowerCase());
    if (!seen) byName.set(h.name.toLowerCase(), { ...h });
    else for (const [k, v] of Object.entries(h)) if (v !== undefined && k !== 'origin') (seen as unknown as Record<string, unknown>)[k] = v;
  }
  return [...byName.values()];
}

/** The hosts the plan can have: those whose memory is known (from the sources or the options). */
function placeHosts(hosts: ImportedHost[], vms: ImportedVm[], options: ImportOptions, notes: ImportNote[]): ImportedHost[] {
  const known = new Map(hosts.map((h) => [h.name.toLowerCase(), h]));
  if (options.hostMemoryBytes !== undefined) {
    const named = options.hostName ?? [...new Set(vms.map((v) => v.host).filter((h): h is string => !!h))].find(() => true) ?? hosts[0]?.name ?? 'host';
    const host = known.get(named.toLowerCase()) ?? { name: named, origin: { file: 'command line', what: '--host-memory' } };
    if (host.memoryBytes === undefined) host.memoryBytes = options.hostMemoryBytes;
    known.set(host.name.toLowerCase(), host);
  }
  const emitted = [...known.values()].filter((h) => {
    if (h.memoryBytes !== undefined) return true;
    notes.push({ ...h.origin, severity: 'warning', message: `host ${h.name} has no memory figure; it is left out: add it to "hosts" with its "memory"` });
    return false;
  });
  if (emitted.length === 0 && vms.length > 0) {
    notes.push({ file: 'plan', severity: 'warning', message: 'the sources name no host with its memory: add one to "hosts" (name and memory), import Get-VMHost output, or pass --host-memory' });
  }
  const names = new Set(emitted.map((h) => h.name.toLowerCase()));
  const missing = new Set<string>();
  for (const vm of vms) {
    if (vm.host && !names.has(vm.host.toLowerCase()) && emitted.length > 0) missing.add(vm.host);
  }
  for (const name of missing) {
    notes.push({ file: 'plan', severity: 'warning', message: `VMs on host ${name} are imported without their host: the sources give no memory for ${name}` });
  }
  return emitted;
}
