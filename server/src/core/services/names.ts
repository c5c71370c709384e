// Host and VM names: where each is declared and where it is referred to, for go to definition and rename.
import type { Plan } from '../plan';
import { eventReferences } from '../events';
import type { Span } from '../text';
import { contains, innerSpan } from './locate';
import type { TextEdit } from './types';

export type NameKind = 'host' | 'vm';

export interface NameOccurrence {
  kind: NameKind;
  name: string;
  /** the string's contents, without quotes */
  span: Span;
  declaration: boolean;
}

/** Every written host or VM name, declarations and references, in no particular order. */
export function nameOccurrences(plan: Plan): NameOccurrence[] {
  const out: NameOccurrence[] = [];
  const add = (kind: NameKind, name: string | undefined, span: Span | undefined, declaration: boolean) => {
    if (name && span) out.push({ kind, name, span: innerSpan(span), declaration });
  };
  for (const h of plan.hosts) add('host', h.name, h.spans.name?.value, true);
  for (const v of plan.vms) {
    add('vm', v.name, v.spans.name?.value, true);
    if (v.spans.host) add('host', v.host, v.spans.host.value, false);
    v.possibleOwners?.forEach((name, i) => add('host', name, v.spans[`possibleOwners[${i}]`]?.value, false));
    v.preferredOwners.forEach((name, i) => add('host', name, v.spans[`preferredOwners[${i}]`]?.value, false));
  }
  for (const e of plan.scenario.events) for (const ref of eventReferences(e)) add(ref.kind, ref.name, ref.span, false);
  return out;
}

/** The name at an offset, the string's quotes included (where a diagnostic's range begins). */
export function occurrenceAt(plan: Plan, offset: number): NameOccurrence | undefined {
  return nameOccurrences(plan).find((o) => contains({ start: o.span.start - 1, end: o.span.end + 1 }, offset));
}

/** Where the name under the cursor is declared (the first declaration, as the rules read it). */
export function findDefinition(plan: Plan, offset: number): NameOccurrence | undefined {
  const at = occurrenceAt(plan, offset);
  if (!at) return undefined;
  return nameOccurrences(plan)
    .filter((o) => o.declaration && o.kind === at.kind && o.name === at.name)
    .sort((a, b) => a.span.start - b.span.start)[0];
}

/** Every occurrence of the name under the cursor, declaration first. */
export function findReferences(plan: Plan, offset: number): NameOccurrence[] {
  const at = occurrenceAt(plan, offset);
  if (!at) return [];
  return nameOccurrences(plan)
    .filter((o) => o.kind === at.kind && o.name === at.name)
    .sort((a, b) => Number(b.declaration) - Number(a.declaration) || a.span.start - b.span.start);
}

export type RenameResult = { ok: true; edits: TextEdit[] } | { ok: false; message: string };

/** Renames a host or VM and everything that refers to it. */
export function rename(plan: Plan, offset: number, newName: string): RenameResult {
  const refs = findReferences(plan, offset);
  if (refs.length === 0) return { ok: false, message: 'Only host and VM names can be renamed here.' };
  if (!newName.trim()) return { ok: false, message: 'A name cannot be empty.' };
  const { kind, name } = refs[0];
  const taken = kind === 'host' ? plan.hosts.some((h) => h.name === newName) : plan.vms.some((v) => v.name === newName);
  if (taken && newName !== name) return { ok: false, message: `A ${kind === 'host' ? 'host' : 'VM'} named "${newName}" already exists.` };
  // JSON.stringify escapes what needs escaping; the quotes around it stay where they are.
  const escaped = JSON.stringify(newName).slice(1, -1);
  return { ok: true, edits: refs.map((r) => ({ span: r.span, newText: escaped })) };
}
