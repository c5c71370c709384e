// Quick fixes, keyed by diagnostic code (one small function per code). Each returns the least text
// edit that fixes the problem, so comments and formatting around it stay as they were.
import { findNodeAtLocation, findNodeAtOffset, getNodePath, type JSONPath, type Node } from 'jsonc-parser';
import type { PlanDiagnostic } from '../diagnostics';
import type { Vm } from '../plan';
import type { Span } from '../text';
import { GB, MB, parseSize } from '../units';
import { planRoot, type Field } from '../schema';
import type { PlanDocument, TextEdit } from './types';
import { fixTextEdits, sizeValue, type PlanFix } from '../fixes';
import { hostCapacityBytes, startNeedBytes } from '../capacity';

export interface QuickFix {
  title: string;
  /** the diagnostic it fixes */
  diagnostic: PlanDiagnostic;
  edits: TextEdit[];
  preferred?: boolean;
}

type Fixer = (doc: PlanDocument, diagnostic: PlanDiagnostic) => Omit<QuickFix, 'diagnostic'>[];

const FIXERS: Record<string, Fixer> = {
  'memory-alignment': roundToEvenMb,
  'memory-order': putMemoryInOrder,
  'size-suspicious': bareNumberToMb,
  'dynamic-only': turnDynamicOn,
  'smart-paging-system-drive': moveSmartPagingOffSystemDrive,
  'duplicate-name': renameDuplicate,
  'schema': (doc, d) => [...acceptSuggestion(doc, d), ...addMissingKey(doc, d)],
  'unknown-reference': acceptSuggestion,
  'possible-owner': placeOnPossibleOwner,
  'anti-affinity': placeApart,
};

/** The codes that have quick fixes (for the language server's capabilities and the docs). */
export const FIXABLE_CODES = Object.keys(FIXERS);

/**
 * Quick fixes for the given diagnostics (usually those under the cursor): the fixer of each code, the
 * fixes a scenario finding carries, and the advice's (docs/advise.md), each of these last two already
 * checked by simulating the plan with it.
 */
export function quickFixes(doc: PlanDocument, diagnostics: readonly PlanDiagnostic[]): QuickFix[] {
  const out: QuickFix[] = [];
  for (const d of diagnostics) {
    const own = out.length;
    const fixer = Object.hasOwn(FIXERS, d.code) ? FIXERS[d.code] : undefined;
    if (fixer) for (const fix of fixer(doc, d)) out.push({ ...fix, diagnostic: d });
    d.fixes?.forEach((fix, i) => {
      const edits = fixTextEdits(doc.text, doc.analysis.plan, doc.analysis.root, fix);
      if (edits?.length) out.push({ title: fix.title, diagnostic: d, edits, ...(i === 0 ? { preferred: true } : {}) });
    });
    // The advice's smallest fixes, each checked by simulation, in its ranking; one that writes what a
    // fix above already writes is left out.
    // None is preferred: more memory, a smaller VM or a later boot is the administrator's choice.
    for (const fix of doc.advisedFixes?.(d) ?? []) {
      if (!out.slice(own).some((q) => sameEdits(q.edits, fix.spanEdits))) out.push({ title: `${fix.title} (${fix.cost})`, diagnostic: d, edits: fix.spanEdits });
    }
  }
  return out;
}

function sameEdits(a: readonly TextEdit[], b: readonly TextEdit[]): boolean {
  return a.length === b.length && a.every((e, i) => e.span.start === b[i].span.start && e.span.end === b[i].span.end && e.newText === b[i].newText);
}

const textAt = (doc: PlanDocument, span: Span) => doc.text.slice(span.start, span.end);

/** A size written the way people write it, quoted: "4GB" when whole gigabytes, else "1026MB". */
export function sizeText(bytes: number): string {
  return JSON.stringify(sizeValue(bytes));
}

/** possible-owner: place the VM on its first possible owner, or make its host one of them. */
function placeOnPossibleOwner(doc: PlanDocument, d: PlanDiagnostic): Omit<QuickFix, 'diagnostic'>[] {
  const vm = vmWithValue(doc, d.span)?.vm;
  if (!vm?.possibleOwners) return [];
  const plan = doc.analysis.plan;
  const fixes: PlanFix[] = [];
  const owner = vm.possibleOwners.find((h) => plan.hosts.some((x) => x.name === h));
  if (owner) fixes.push({ title: `Place ${vm.name} on ${owner}`, edits: [{ on: 'vm', name: vm.name, key: ['host'], value: owner }] });
  fixes.push({ title: `Add ${vm.host} to ${vm.name}'s possible owners`, edits: [{ on: 'vm', name: vm.name, key: ['possibleOwners'], value: [...vm.possibleOwners, vm.host] }] });
  return planFixes(doc, fixes);
}

/** anti-affinity: place the VM on the node with the most room that runs no VM of its classes. */
function placeApart(doc: PlanDocument, d: PlanDiagnostic): Omit<QuickFix, 'diagnostic'>[] {
  const vm = vmWithValue(doc, d.span)?.vm;
  const plan = doc.analysis.plan;
  if (!vm) return [];
  let best: { name: string; room: number } | undefined;
  for (const h of plan.hosts) {
    if (h.name === vm.host || (vm.possibleOwners && !vm.possibleOwners.includes(h.name))) continue;
    const others = plan.vms.filter((v) => v.host === h.name);
    if (others.some((v) => v.antiAffinityClasses.some((c) => vm.antiAffinityClasses.includes(c)))) continue;
    const room = hostCapacityBytes(h, plan.cluster) - others.filter((v) => v.state === 'Running').reduce((sum, v) => sum + startNeedBytes(h, v), 0);
    if (room >= startNeedBytes(h, vm) && (!best || room > best.room)) best = { name: h.name, room };
  }
  return best ? planFixes(doc, [{ title: `Place ${vm.name} on ${best.name}`, edits: [{ on: 'vm', name: vm.name, key: ['host'], value: best.name }] }]) : [];
}

function planFixes(doc: PlanDocument, fixes: PlanFix[]): Omit<QuickFix, 'diagnostic'>[] {
  return fixes.flatMap((fix) => {
    const edits = fixTextEdits(doc.text, doc.analysis.plan, doc.analysis.root, fix);
    return edits?.length ? [{ title: fix.title, edits }] : [];
  });
}

/** The VM a diagnostic is about, and its position in the "vms" array (entries that are not objects count too). */
function vmWithValue(doc: PlanDocument, span: Span): { vm: Vm; path: JSONPath } | undefined {
  const vm = doc.analysis.plan.vms.find((v) => v.span.start <= span.start && span.end <= v.span.end);
  const array = doc.analysis.root && findNodeAtLocation(doc.analysis.root, ['vms']);
  const index = array?.children?.findIndex((c) => c.offset === vm?.span.start) ?? -1;
  return vm && index >= 0 ? { vm, path: ['vms', index] } : undefined;
}

function roundToEvenMb(doc: PlanDocument, d: PlanDiagnostic): Omit<QuickFix, 'diagnostic'>[] {
  const raw = textAt(doc, d.span);
  const parsed = parseSize(raw.startsWith('"') ? JSON.parse(raw) : Number(raw));
  if (!parsed.ok) return [];
  const down = Math.max(32, Math.floor(parsed.value / (2 * MB)) * 2) * MB;
  const up = Math.max(32, Math.ceil(parsed.value / (2 * MB)) * 2) * MB;
  const nearest = parsed.value - down <= up - parsed.value ? down : up;
  return [...new Set([nearest, down, up])].map((bytes) => ({
    title: `Round to ${sizeText(bytes).slice(1, -1)}`,
    edits: [{ span: d.span, newText: sizeText(bytes) }],
    preferred: bytes === nearest,
  }));
}

function bareNumberToMb(doc: PlanDocument, d: PlanDiagnostic): Omit<QuickFix, 'diagnostic'>[] {
  const raw = textAt(doc, d.span).trim();
  if (!/^[0-9]+$/.test(raw)) return [];
  return [{ title: `Write "${raw}MB" (megabytes)`, edits: [{ span: d.span, newText: `"${raw}MB"` }], preferred: true }];
}

/** Swaps the written minimum, startup and maximum into order; writes a defaulted one out when it is the one in the way. */
function putMemoryInOrder(doc: PlanDocument, d: PlanDiagnostic): Omit<QuickFix, 'diagnostic'>[] {
  const found = vmWithValue(doc, d.span);
  if (!found) return [];
  const { vm } = found;
  const keys = ['memory.minimum', 'memory.startup', 'memory.maximum'] as const;
  const bytes = { 'memory.minimum': vm.minimumBytes, 'memory.startup': vm.startupBytes, 'memory.maximum': vm.maximumBytes };
  const written = keys.filter((k) => vm.spans[k]);
  const edits: TextEdit[] = [];
  const sorted = written.map((k) => ({ bytes: bytes[k], text: textAt(doc, vm.spans[k]!.value) })).sort((a, b) => a.bytes - b.bytes);
  written.forEach((k, i) => {
    if (sorted[i].text !== textAt(doc, vm.spans[k]!.value)) edits.push({ span: vm.spans[k]!.value, newText: sorted[i].text });
    bytes[k] = sorted[i].bytes;
  });
  // A defaulted bound (minimum 512 MB, maximum 1 TB) can be the one out of order: write it out equal to startup.
  const startupText = textAt(doc, vm.spans['memory.startup']?.value ?? d.span);
  if (!vm.spans['memory.minimum'] && bytes['memory.minimum'] > bytes['memory.startup']) edits.push(...insertProperty(doc, [...found.path, 'memory'], 'minimum', startupText));
  if (!vm.spans['memory.maximum'] && bytes['memory.maximum'] < bytes['memory.startup']) edits.push(...insertProperty(doc, [...found.path, 'memory'], 'maximum', startupText));
  return edits.length ? [{ title: 'Put minimum ≤ startup ≤ maximum in order', edits, preferred: true }] : [];
}

function turnDynamicOn(doc: PlanDocument, d: PlanDiagnostic): Omit<QuickFix, 'diagnostic'>[] {
  const found = vmWithValue(doc, d.span);
  if (!found) return [];
  const { vm } = found;
  const edits = vm.spans['memory.dynamic']
    ? [{ span: vm.spans['memory.dynamic'].value, newText: 'true' }]
    : insertProperty(doc, [...found.path, 'memory'], 'dynamic', 'true', true);
  return [{ title: 'Turn Dynamic Memory on', edits, preferred: true }];
}

function moveSmartPagingOffSystemDrive(doc: PlanDocument, d: PlanDiagnostic): Omit<QuickFix, 'diagnostic'>[] {
  const found = vmWithValue(doc, d.span);
  if (!found) return [];
  const { vm } = found;
  const host = doc.analysis.plan.hosts.find((h) => h.name === vm.host);
  const system = (host?.systemDrive ?? 'C:').toLowerCase();
  // The data volume with the most free space, if the plan gives volumes; else the usual D:.
  const volume = host?.volumes?.filter((v) => !v.name.toLowerCase().startsWith(system)).sort((a, b) => b.freeBytes - a.freeBytes)[0];
  const drive = (volume?.name ?? 'D:').replace(/[\\/]+$/, '');
  const target = `${drive}\\Hyper-V\\Smart Paging`;
  const current = vm.spans.smartPagingFilePath;
  const edits = current
    ? [{ span: current.value, newText: JSON.stringify(target) }]
    : insertProperty(doc, found.path, 'smartPagingFilePath', JSON.stringify(target));
  return [{ title: `Move the Smart Paging folder to ${target}`, edits, preferred: true }];
}

function renameDuplicate(doc: PlanDocument, d: PlanDiagnostic): Omit<QuickFix, 'diagnostic'>[] {
  const raw = textAt(doc, d.span);
  if (!raw.startsWith('"')) return [];
  const name = JSON.parse(raw) as string;
  const { plan } = doc.analysis;
  const taken = new Set([...plan.hosts.map((h) => h.name), ...plan.vms.map((v) => v.name)]);
  let n = 2;
  while (taken.has(`${name}-${n}`)) n++;
  const fresh = `${name}-${n}`;
  return [{ title: `Rename to "${fresh}"`, edits: [{ span: d.span, newText: JSON.stringify(fresh) }], preferred: true }];
}

/**
 * `Missing "memory"`: inserts the key with a placeholder to edit, one that lets the plan be read and
 * simulated (an imported host without its memory gets room for its VMs' startup memory).
 */
function addMissingKey(doc: PlanDocument, d: PlanDiagnostic): Omit<QuickFix, 'diagnostic'>[] {
  const key = /^Missing "([^"]+)"/.exec(d.message)?.[1];
  const object = key ? objectAt(doc, d.span.start) : undefined;
  if (!key || !object) return [];
  const path = getNodePath(object);
  const value = placeholder(doc, path, key, fieldAt(path)?.fields?.[key]);
  if (value === undefined) return [];
  const edits = insertProperty(doc, path, key, value, key === 'name');
  return edits.length ? [{ title: `Add "${key}": ${value} (a placeholder to edit)`, edits, preferred: true }] : [];
}

/** The object a `Missing` diagnostic is about: it starts there, or is the value of the key there. */
function objectAt(doc: PlanDocument, offset: number): Node | undefined {
  const root = doc.analysis.root;
  const node = root && findNodeAtOffset(root, offset + 1);
  if (!node) return undefined;
  if (node.type === 'object' && node.offset === offset) return node;
  const property = node.parent?.type === 'property' ? node.parent : undefined;
  const value = property?.children?.[1];
  return value?.type === 'object' ? value : node.type === 'object' ? node : undefined;
}

/** The field table entry of the value at a JSON path (array indexes step into `items`). */
function fieldAt(path: JSONPath): Field | undefined {
  let field: Field | undefined = planRoot;
  for (const part of path) field = typeof part === 'number' ? field?.items : field?.fields?.[part];
  return field;
}

function placeholder(doc: PlanDocument, path: JSONPath, key: string, field: Field | undefined): string | undefined {
  const { plan } = doc.analysis;
  const list = path[0];
  if (list === 'hosts' && path.length === 2 && key === 'memory') return sizeText(hostMemoryFor(doc, path[1] as number));
  if ((list === 'hosts' || list === 'vms') && path.length === 2 && key === 'name') {
    const taken = new Set([...plan.hosts.map((h) => h.name), ...plan.vms.map((v) => v.name)]);
    const stem = list === 'hosts' ? 'HOST' : 'VM';
    let n = (path[1] as number) + 1;
    while (taken.has(`${stem}${n}`)) n++;
    return JSON.stringify(`${stem}${n}`);
  }
  if (list === 'vms' && path.length === 2 && key === 'memory') return '{ "startup": "2GB" }';
  if (!field) return undefined;
  if (field.kind === 'object') return '{}';
  if (field.kind === 'enum' && field.values?.length) return JSON.stringify(field.values[0]);
  return field.examples?.length ? JSON.stringify(field.examples[0]) : undefined;
}

/** Enough for the host's VMs to start (their startup memory and the 2 GB reserve), in whole 16 GB. */
function hostMemoryFor(doc: PlanDocument, index: number): number {
  const { plan } = doc.analysis;
  const array = doc.analysis.root && findNodeAtLocation(doc.analysis.root, ['hosts']);
  const name = array?.children?.[index] && findNodeAtLocation(array.children[index], ['name'])?.value;
  const vms = plan.vms.filter((v) => v.host === name || (plan.hosts.length === 1 && !v.spans.host));
  const need = vms.reduce((sum, v) => sum + v.startupBytes, 0) + 2 * GB;
  return Math.max(1, Math.ceil(need / (16 * GB))) * 16 * GB;
}

/** Messages that end in `did you mean "X"?` carry their own fix. */
function acceptSuggestion(_doc: PlanDocument, d: PlanDiagnostic): Omit<QuickFix, 'diagnostic'>[] {
  const m = /did you mean ("(?:[^"\\]|\\.)*"|\d+)\?/.exec(d.message);
  if (!m) return [];
  return [{ title: `Change to ${m[1]}`, edits: [{ span: d.span, newText: m[1] }], preferred: true }];
}

/**
 * Inserts `"key": value` into the object at `objectPath`, first or last, in the object's own layout:
 * on the same line when the object is written on one line, else on a new line indented like its
 * neighbours. Nothing else in the file moves.
 */
function insertProperty(doc: PlanDocument, objectPath: JSONPath, key: string, valueText: string, first = false): TextEdit[] {
  const object = doc.analysis.root && findNodeAtLocation(doc.analysis.root, objectPath);
  if (!object || object.type !== 'object') return [];
  const property = `${JSON.stringify(key)}: ${valueText}`;
  const props = object.children ?? [];
  if (props.length === 0) return [{ span: { start: object.offset + 1, end: object.offset + 1 }, newText: ` ${property} ` }];
  const neighbour = first ? props[0] : props[props.length - 1];
  const lineStart = doc.text.lastIndexOf('\n', neighbour.offset - 1) + 1;
  const before = doc.text.slice(lineStart, neighbour.offset);
  const ownLine = /^[ \t]*$/.test(before);
  const eol = doc.text.includes('\r\n') ? '\r\n' : '\n';
  if (first) {
    const at = neighbour.offset;
    return [{ span: { start: at, end: at }, newText: ownLine ? `${property},${eol}${before}` : `${property}, ` }];
  }
  const at = neighbour.offset + neighbour.length;
  return [{ span: { start: at, end: at }, newText: ownLine ? `,${eol}${before}${property}` : `, ${property}` }];
}
