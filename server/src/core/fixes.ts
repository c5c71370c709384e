// A fix as a change to the plan (set this VM's key to that value), checked by the simulation where it
// comes from, and turned into text edits only where the text is at hand (quick fixes, `hvmem advise`).
// Edits keep the comments and formatting around them (jsonc-parser's modify).
import { findNodeAtLocation, modify, type Node } from 'jsonc-parser';
import type { Plan } from './plan';
import type { TextEdit } from './services/types';
import { GB, MB } from './units';

/** Set `key` (a path inside the object) of the named VM or host to `value`. */
export interface PlanEdit {
  on: 'vm' | 'host';
  name: string;
  key: readonly string[];
  value: string | number | boolean | readonly string[];
}

export interface PlanFix {
  title: string;
  edits: PlanEdit[];
}

/** A size as plan text: "4GB" when whole gigabytes, else "1026MB". */
export function sizeValue(bytes: number): string {
  return bytes % GB === 0 ? `${bytes / GB}GB` : `${bytes / MB}MB`;
}

/** The text edits of a fix for this text, or undefined when an object it names is not there. */
export function fixTextEdits(text: string, plan: Plan, root: Node | undefined, fix: PlanFix): TextEdit[] | undefined {
  if (!root) return undefined;
  const out: TextEdit[] = [];
  for (const edit of fix.edits) {
    const array = findNodeAtLocation(root, [edit.on === 'vm' ? 'vms' : 'hosts']);
    const items = edit.on === 'vm' ? plan.vms : plan.hosts;
    const item = items.find((x) => x.name === edit.name);
    const index = item ? array?.children?.findIndex((c) => c.offset === item.span.start) ?? -1 : -1;
    if (index < 0) return undefined;
    const path = [edit.on === 'vm' ? 'vms' : 'hosts', index, ...edit.key];
    for (const e of modify(text, path, edit.value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: text.includes('\r\n') ? '\r\n' : '\n' } })) {
      out.push({ span: { start: e.offset, end: e.offset + e.length }, newText: e.content });
    }
  }
  return out;
}
