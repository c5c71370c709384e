// Writes the imported hosts and VMs as a plan (spec/format.md): JSONC with a comment above each VM
// saying where it came from and what was left out, or plain JSON without comments.
import { GB, MB, TB } from '../units';
import type { ImportedCluster, ImportedHost, ImportedVm, ImportNote, Origin } from './types';

export type PlanFormat = 'jsonc' | 'json';

/** A size as a plan writes it: the largest binary unit it is whole in, else bare bytes (as written). */
export function sizeValue(bytes: number): string | number {
  for (const [unit, size] of [['TB', TB], ['GB', GB], ['MB', MB]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return bytes;
}

export function describeOrigin(o: Origin): string {
  return `${o.file}${o.line ? ` line ${o.line}` : ''}${o.what ? ` (${o.what})` : ''}`;
}

/** A note as a comment: its text, and where it points when it points into a source. */
const noteComment = (note: ImportNote) => `${note.severity}: ${oneLine(note.message)}${note.file ? ` [${describeOrigin(note)}]` : ''}`;

const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ');

interface EmitInput {
  sources: { file: string; format: string }[];
  hosts: ImportedHost[];
  cluster?: ImportedCluster;
  vms: ImportedVm[];
  notes: ImportNote[];
  /** whether each VM's host should be written (it names an emitted host) */
  writeHost: (vm: ImportedVm) => boolean;
}

export function emitPlan(input: EmitInput, format: PlanFormat): string {
  const comments = format === 'jsonc';
  const out: string[] = [];
  if (comments) {
    out.push(`// Hyper-V memory plan imported by hvmem from ${input.sources.map((s) => `${s.file} (${s.format})`).join(', ')}.`);
    out.push('// Values that could not be read statically are left out and noted, never guessed.');
    for (const note of input.notes.filter((n) => !n.vm)) out.push(`// ${noteComment(note)}`);
  }
  out.push('{');
  out.push('  "hosts": [');
  input.hosts.forEach((h, i) => {
    if (comments) out.push(`    // ${h.name}: from ${describeOrigin(h.origin)}`);
    out.push(objectText(hostFields(h), '    ') + (i < input.hosts.length - 1 ? ',' : ''));
  });
  out.push('  ],');
  if (input.cluster) {
    if (comments) out.push(`  // ${input.cluster.name ?? 'cluster'}: from ${describeOrigin(input.cluster.origin)}`);
    out.push(`  "cluster": ${inlineJson(Object.fromEntries(clusterFields(input.cluster)))},`);
  }
  out.push('  "vms": [');
  const notesByVm = new Map<string, ImportNote[]>();
  for (const note of input.notes) {
    if (!note.vm) continue;
    const list = notesByVm.get(note.vm);
    if (list) list.push(note);
    else notesByVm.set(note.vm, [note]);
  }
  input.vms.forEach((vm, i) => {
    if (comments) {
      out.push(`    // ${oneLine(vm.name)}: from ${vm.origins.map(describeOrigin).join('; ')}`);
      for (const note of notesByVm.get(vm.name) ?? []) out.push(`    // ${noteComment(note)}`);
    }
    out.push(objectText(vmFields(vm, input.writeHost(vm)), '    ') + (i < input.vms.length - 1 ? ',' : ''));
  });
  out.push('  ]');
  out.push('}');
  return out.join('\n') + '\n';
}

type Fields = [string, unknown][];

function hostFields(h: ImportedHost): Fields {
  const f: Fields = [['name', h.name]];
  if (h.memoryBytes !== undefined) f.push(['memory', sizeValue(h.memoryBytes)]);
  if (h.reserveBytes !== undefined) f.push(['reserve', sizeValue(h.reserveBytes)]);
  if (h.numaNodes !== undefined) f.push(['numaNodes', h.numaNodes]);
  if (h.numaSpanning !== undefined) f.push(['numaSpanning', h.numaSpanning]);
  if (h.systemDrive !== undefined) f.push(['systemDrive', h.systemDrive]);
  if (h.volumes && Object.keys(h.volumes).length > 0) {
    f.push(['volumes', Object.fromEntries(Object.entries(h.volumes).map(([k, v]) => [k, sizeValue(v)]))]);
  }
  return f;
}

function clusterFields(c: ImportedCluster): Fields {
  const f: Fields = [];
  if (c.name !== undefined) f.push(['name', c.name]);
  if (c.rootMemoryReservedBytes !== undefined) f.push(['rootMemoryReserved', sizeValue(c.rootMemoryReservedBytes)]);
  if (c.moveTypeThreshold !== undefined) f.push(['moveTypeThreshold', c.moveTypeThreshold]);
  if (c.enforcedAntiAffinity !== undefined) f.push(['enforcedAntiAffinity', c.enforcedAntiAffinity]);
  return f;
}

function vmFields(vm: ImportedVm, writeHost: boolean): Fields {
  const f: Fields = [['name', vm.name]];
  if (writeHost && vm.host) f.push(['host', vm.host]);
  if (vm.generation !== undefined) f.push(['generation', vm.generation]);
  const memory: Record<string, unknown> = {};
  if (vm.dynamic !== undefined) memory.dynamic = vm.dynamic;
  if (vm.startupBytes !== undefined) memory.startup = sizeValue(vm.startupBytes);
  if (vm.minimumBytes !== undefined) memory.minimum = sizeValue(vm.minimumBytes);
  if (vm.maximumBytes !== undefined) memory.maximum = sizeValue(vm.maximumBytes);
  if (vm.bufferPercent !== undefined) memory.buffer = vm.bufferPercent;
  if (vm.priority !== undefined) memory.priority = vm.priority;
  f.push(['memory', memory]);
  if (vm.state !== undefined) f.push(['state', vm.state]);
  if (vm.automaticStartAction !== undefined) f.push(['automaticStartAction', vm.automaticStartAction]);
  if (vm.automaticStartDelaySeconds !== undefined) f.push(['automaticStartDelay', vm.automaticStartDelaySeconds]);
  if (vm.automaticStopAction !== undefined) f.push(['automaticStopAction', vm.automaticStopAction]);
  if (vm.smartPagingFilePath !== undefined) f.push(['smartPagingFilePath', vm.smartPagingFilePath]);
  if (vm.demandSteps !== undefined) f.push(['demand', vm.demandSteps.map((s) => ({ at: s.atSeconds, memory: sizeValue(s.bytes) }))]);
  else if (vm.demandBytes !== undefined) f.push(['demand', sizeValue(vm.demandBytes)]);
  if (vm.clusterPriority !== undefined) f.push(['clusterPriority', vm.clusterPriority]);
  if (vm.possibleOwners !== undefined) f.push(['possibleOwners', vm.possibleOwners]);
  if (vm.preferredOwners !== undefined) f.push(['preferredOwners', vm.preferredOwners]);
  if (vm.antiAffinityClass !== undefined) f.push(['antiAffinityClass', vm.antiAffinityClass]);
  return f;
}

/** One object over several lines; nested objects (memory, volumes) on one line, as people write plans. */
function objectText(fields: Fields, indent: string): string {
  const inner = fields.map(([k, v]) => `${indent}  ${JSON.stringify(k)}: ${inlineJson(v)}`);
  return `${indent}{\n${inner.join(',\n')}\n${indent}}`;
}

function inlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}
