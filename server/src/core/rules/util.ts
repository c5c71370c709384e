import type { PlanDiagnostic } from '../diagnostics';
import type { Spans, Vm } from '../plan';
import type { Span } from '../text';
import { formatBytes } from '../units';

/** Where to put a finding about a written field: its value, else the object's name, else the object. */
export function placeOf(spans: Spans, path: string, fallback: Span): Span {
  return spans[path]?.value ?? spans.name?.value ?? fallback;
}

export const MEMORY_FIELDS = [
  { path: 'memory.startup', label: 'Startup memory', bytes: (vm: Vm) => vm.startupBytes },
  { path: 'memory.minimum', label: 'Minimum memory', bytes: (vm: Vm) => vm.minimumBytes },
  { path: 'memory.maximum', label: 'Maximum memory', bytes: (vm: Vm) => vm.maximumBytes },
] as const;

/** The memory values that apply to a VM and were written (and readable): startup always, minimum and maximum with Dynamic Memory. */
export function appliedMemoryValues(vm: Vm): { path: string; label: string; bytes: number; span: Span }[] {
  const out = [];
  for (const f of MEMORY_FIELDS) {
    if (f.path !== 'memory.startup' && !vm.dynamic) continue;
    const spans = vm.spans[f.path];
    if (!spans || vm.invalid.has(f.path)) continue;
    out.push({ path: f.path, label: f.label, bytes: f.bytes(vm), span: spans.value });
  }
  return out;
}

export function vmLabel(vm: Vm): string {
  return vm.name ? `"${vm.name}"` : `VM #${vm.index + 1}`;
}

export const mb = (bytes: number) => formatBytes(bytes);

export function diagnostic(code: string, severity: PlanDiagnostic['severity'], message: string, span: Span, related?: PlanDiagnostic['related']): PlanDiagnostic {
  return related ? { code, severity, message, span, related } : { code, severity, message, span };
}
