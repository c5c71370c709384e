// Where a VM (or host) is named in a plan's text, so a click in the timeline can select it. Reads the
// JSONC tree rather than searching text: a VM and a host may share a name, and names may be escaped.
import { findNodeAtLocation, parseTree } from 'jsonc-parser';

export interface TextSpan { offset: number; length: number }

/** The `name` value of the VM called `name`, else of the host called so; undefined if neither. */
export function findNamedEntry(text: string, name: string): TextSpan | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true });
  if (!root) return undefined;
  for (const list of ['vms', 'hosts']) {
    for (const entry of findNodeAtLocation(root, [list])?.children ?? []) {
      const value = findNodeAtLocation(entry, ['name']);
      if (value?.type === 'string' && value.value === name) return { offset: value.offset, length: value.length };
    }
  }
  return undefined;
}
