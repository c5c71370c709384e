// The outline: hosts, VMs and scenario events, each with the numbers that identify it at a glance.
import { eventReferences } from '../events';
import type { Plan } from '../plan';
import type { Span } from '../text';
import { formatBytes, formatClock } from '../units';

export interface PlanSymbol {
  name: string;
  detail: string;
  kind: 'group' | 'host' | 'vm' | 'event';
  span: Span;
  selectionSpan: Span;
  children: PlanSymbol[];
}

export function documentSymbols(plan: Plan): PlanSymbol[] {
  const out: PlanSymbol[] = [];
  const group = (key: string, children: PlanSymbol[]) => {
    const spans = plan.spans[key];
    if (spans) out.push({ name: key, detail: `${children.length}`, kind: 'group', span: { start: spans.key.start, end: spans.value.end }, selectionSpan: spans.key, children });
  };
  group('hosts', plan.hosts.map((h) => ({
    name: h.name || '(unnamed host)',
    detail: `${formatBytes(h.memoryBytes)}`,
    kind: 'host' as const,
    span: h.span,
    selectionSpan: h.spans.name?.value ?? h.span,
    children: [],
  })));
  group('vms', plan.vms.map((v) => ({
    name: v.name || '(unnamed VM)',
    detail: `${formatBytes(v.startupBytes)}${v.dynamic ? ` (${formatBytes(v.minimumBytes)}–${formatBytes(v.maximumBytes)})` : ''}${v.host ? ` on ${v.host}` : ''}`,
    kind: 'vm' as const,
    span: v.span,
    selectionSpan: v.spans.name?.value ?? v.span,
    children: [],
  })));
  const scenario = plan.spans.scenario;
  const events = plan.scenario.events.filter((e) => e.span.end > 0).sort((a, b) => a.span.start - b.span.start);
  if (scenario) {
    out.push({
      name: 'scenario', detail: `${events.length} events`, kind: 'group', span: { start: scenario.key.start, end: scenario.value.end }, selectionSpan: scenario.key,
      children: events.map((e) => ({
        name: `${formatClock(e.atSeconds)} ${e.type}`,
        detail: eventReferences(e).map((r) => r.name).join(' → '),
        kind: 'event' as const,
        span: e.span,
        selectionSpan: e.spans.type?.value ?? e.span,
        children: [],
      })),
    });
  }
  return out;
}
