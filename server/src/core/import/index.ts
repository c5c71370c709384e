// Import: source texts in, a plan's text and notes out. Each input's kind is told by its content;
// VMs named in several inputs (Get-VM and Get-VMMemory, a script's New-VM then Set-VM) are merged,
// later values winning. Pure: the caller reads the files.
import { detectFormat, FORMAT_LABELS, type SourceFormat } from './detect';
import { emitPlan, type PlanFormat } from './emit';
import { importHyperVJson } from './hyperv-json';
import { importHyperVXml } from './hyperv-xml';
import { importPowerShell } from './powershell';
import { importTerraform } from './terraform';
import { importPackerJson } from './packer';
import { importVagrant } from './vagrant';
import type { DemandChoice } from './samples';
import type { ImportedCluster, ImportedHost, ImportedVm, ImportNote, SourceResult, VmSetting } from './types';

export type { ImportNote, Origin } from './types';
export { detectFormat, FORMAT_LABELS, type SourceFormat } from './detect';
export { decodeText } from './decode';
export type { PlanFormat } from './emit';
export { parseDemandChoice, type DemandChoice } from './samples';

export interface ImportInput {
  /** how the plan's comments name this input (a file name) */
  file: string;
  text: string;
}

export interface ImportOptions {
  format?: PlanFormat;
  /** memory of every host whose memory the sources do not give (e.g. Get-VM output alone) */
  hostMemoryBytes?: number;
  /** the host's name when the sources name none (default "host") */
  hostName?: string;
  /** how measured memory samples become a VM's demand (default: the 95th percentile) */
  demand?: DemandChoice;
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
    // HCL files (Terraform, Packer) are read together: variables, locals and var-file values cross files.
    if (format === 'terraform' || format === 'packer-hcl') terraform.push({ file: input.file, text });
    else results.push(guarded(input.file, () => readSource(format, text, input.file, options)));
  }
  if (terraform.length > 0) results.push(guarded(terraform.map((t) => t.file).join(', '), () => importTerraform(terraform)));

  const vms = mergeVms(results.flatMap((r) => r.vms));
  const hosts = mergeHosts(results.flatMap((r) => r.hosts));
  const notes = results.flatMap((r) => r.notes);
  const cluster = mergeClusters(results.flatMap((r) => (r.cluster ? [r.cluster] : [])));
  const emitted = placeHosts(hosts, vms, options, notes);
  const names = new Set(emitted.map((h) => h.name.toLowerCase()));
  const text = emitPlan({ sources, hosts: emitted, cluster, vms, notes, writeHost: (vm) => !!vm.host && names.has(vm.host.toLowerCase()) }, options.format ?? 'jsonc');
  return { text, notes, unrecognised, vmCount: vms.length, hostCount: emitted.length };
}

/** A note as one line, `file:line: severity: vm: message`, as `hvmem import` writes it to standard error. */
export function noteLine(n: ImportNote): string {
  return `${n.file ? `${n.file}${n.line ? `:${n.line}` : ''}` : 'hvmem'}: ${n.severity}: ${n.vm ? `${n.vm}: ` : ''}${n.message}`;
}

/** Why nothing was imported from an input whose kind could not be told. */
export function unrecognisedMessage(file: string): string {
  return `${file}: not a kind of file hvmem can import (Hyper-V JSON or XML, Terraform, PowerShell, DSC, Packer, Vagrant)`;
}

/** The readers recurse per nesting level; absurd nesting becomes a note, not a crash. */
function guarded(file: string, read: () => SourceResult): SourceResult {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return { vms: [], hosts: [], notes: [{ file, severity: 'warning', message: 'nested too deeply to read; nothing imported from it' }] };
  }
}

function readSource(format: Exclude<SourceFormat, 'terraform' | 'packer-hcl'>, text: string, file: string, options: ImportOptions): SourceResult {
  switch (format) {
    case 'hyperv-json': return importHyperVJson(text, file, { demand: options.demand });
    case 'hyperv-xml': return importHyperVXml(text, file);
    case 'powershell': case 'dsc': return importPowerShell(text, file);
    case 'packer-json': return importPackerJson(text, file);
    case 'vagrant': return importVagrant(text, file);
  }
}

/**
 * One VM per name; the same name on two different hosts stays two VMs, so the plan's checker reports
 * the clash (duplicate-name) instead of one silently replacing the other.
 */
function mergeVms(all: ImportedVm[]): ImportedVm[] {
  const byName = new Map<string, ImportedVm[]>();
  const out: ImportedVm[] = [];
  // Each merged VM's origins as file and line, so a VM named a hundred thousand times merges in linear time.
  const originKeys = new Map<ImportedVm, Set<string>>();
  const originKey = (o: ImportedVm['origins'][number]) => `${o.line ?? ''}:${o.file}`;
  const sameHost = (a?: string, b?: string) => !a || !b || a.toLowerCase() === b.toLowerCase();
  for (const vm of all) {
    const key = vm.name.toLowerCase();
    const candidates = byName.get(key) ?? [];
    const seen = candidates.find((c) => sameHost(c.host, vm.host));
    if (!seen) {
      const copy = { ...vm, origins: [...vm.origins] };
      candidates.push(copy);
      byName.set(key, candidates);
      originKeys.set(copy, new Set(copy.origins.map(originKey)));
      out.push(copy);
      continue;
    }
    for (const [k, v] of Object.entries(vm) as [VmSetting | 'name' | 'origins', unknown][]) {
      if (k === 'name' || k === 'origins' || v === undefined) continue;
      (seen as unknown as Record<string, unknown>)[k] = v;
    }
    const keys = originKeys.get(seen)!;
    for (const o of vm.origins) {
      const k = originKey(o);
      if (!keys.has(k)) { keys.add(k); seen.origins.push(o); }
    }
  }
  return out;
}

/** One cluster: later sources' values win, as for VMs. */
function mergeClusters(all: ImportedCluster[]): ImportedCluster | undefined {
  if (all.length === 0) return undefined;
  const merged: ImportedCluster = { ...all[0] };
  for (const c of all.slice(1)) {
    for (const [k, v] of Object.entries(c)) if (v !== undefined && k !== 'origin') (merged as unknown as Record<string, unknown>)[k] = v;
  }
  return merged;
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

/**
 * Every host the sources name (Get-VMHost output, the inventory, the VMs' ComputerName), or one host
 * when they name none. A host whose memory is unknown is written without it, so `hvmem check` points
 * at exactly what to add; --host-memory fills that gap for every such host.
 */
function placeHosts(hosts: ImportedHost[], vms: ImportedVm[], options: ImportOptions, notes: ImportNote[]): ImportedHost[] {
  const known = new Map(hosts.map((h) => [h.name.toLowerCase(), h]));
  for (const vm of vms) {
    if (vm.host && !known.has(vm.host.toLowerCase())) known.set(vm.host.toLowerCase(), { name: vm.host, origin: { ...vm.origins[0], what: `the host of ${vm.name}` } });
  }
  if (known.size === 0 && vms.length > 0) {
    const name = options.hostName ?? 'host';
    known.set(name.toLowerCase(), { name, origin: { file: '', what: options.hostName ? '--host-name' : 'the sources name no host' } });
  }
  const placed = [...known.values()];
  for (const host of placed) {
    if (host.memoryBytes !== undefined) continue;
    if (options.hostMemoryBytes !== undefined) {
      host.memoryBytes = options.hostMemoryBytes;
      continue;
    }
    notes.push({ file: '', severity: 'warning', message: `host ${host.name}: the sources do not give its memory; add its installed memory ("memory") to the plan, import Get-VMHost output, or pass --host-memory` });
  }
  return placed;
}
