// What is at an offset: the JSON node, its path, the schema field it stands for, and the host or VM
// it belongs to. Every feature that looks at "the thing under the cursor" starts here.
import { findNodeAtOffset, getNodePath, type JSONPath, type Node } from 'jsonc-parser';
import type { Host, Plan, PlanEvent, Vm } from '../plan';
import { planRoot, type Field } from '../schema';
import type { Span } from '../text';

export const spanOf = (node: Node): Span => ({ start: node.offset, end: node.offset + node.length });
export const contains = (span: Span, offset: number): boolean => span.start <= offset && offset <= span.end;

/** The schema field a path leads to (array indices and map keys walk into items and values). */
export function fieldAt(path: JSONPath): Field | undefined {
  let field: Field | undefined = planRoot;
  for (const segment of path) {
    if (!field) return undefined;
    if (typeof segment === 'number') field = field.items;
    else if (field.kind === 'map') field = field.mapValue;
    else if (field.kind === 'object' || field.kind === 'percent') field = field.fields?.[segment];
    else if (field.kind === 'demand') field = field.items?.fields?.[segment];
    else return undefined;
  }
  return field;
}

export interface Located {
  node: Node;
  path: JSONPath;
  /** true when the node is a property key */
  isKey: boolean;
  field: Field | undefined;
  host?: Host;
  vm?: Vm;
  event?: PlanEvent;
}

/** The innermost node at an offset, with what it means in the plan. */
export function locate(root: Node | undefined, plan: Plan, offset: number): Located | undefined {
  if (!root) return undefined;
  const node = findNodeAtOffset(root, offset, true);
  if (!node) return undefined;
  const path = getNodePath(node);
  const isKey = node.parent?.type === 'property' && node.parent.children?.[0] === node;
  const within = <T extends { span: Span }>(items: readonly T[]) => items.find((x) => x.span.start <= node.offset && node.offset < x.span.end);
  const located: Located = { node, path, isKey, field: fieldAt(path) };
  if (path[0] === 'hosts') located.host = within(plan.hosts);
  else if (path[0] === 'vms') located.vm = within(plan.vms);
  else if (path[0] === 'scenario' && path[1] === 'events') located.event = within(plan.scenario.events.filter((e) => e.span.end > 0));
  return located;
}

/** The span of a string's contents, without its quotes. */
export function innerSpan(span: Span): Span {
  return { start: span.start + 1, end: Math.max(span.start + 1, span.end - 1) };
}
