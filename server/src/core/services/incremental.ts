// Analysis after an edit without reading the whole plan again. A keystroke inside one VM changes
// only that VM: it is read again on its own (with the hosts and model it depends on), every place
// after the edit moves by the edit's length, the rules check that VM again (the other VMs' findings
// are kept, moved with their VMs) and those that look across VMs run over the updated plan. Anything
// else (an edit across VMs, in hosts or the scenario, a syntax error) is read in full.
// The result equals `analyzePlan` of the new text; test/services-incremental.test.ts checks that.
import { parseTree, type Node } from 'jsonc-parser';
import { checkRulesByVm, sortDiagnostics, type Analysis, type AnalyzeOptions, type RuleFindings } from '../analyze';
import type { PlanDiagnostic } from '../diagnostics';
import type { FieldSpans, Plan, Spans, Vm } from '../plan';
import { readPlan } from '../read';
import type { Span } from '../text';

/** An analysis with what the next edit needs: the text it is of and the reader's own findings. */
export interface EditableAnalysis {
  readonly text: string;
  readonly analysis: Analysis;
  /** the reader's diagnostics (syntax, schema, sizes…), without the rules' */
  readonly readDiagnostics: readonly PlanDiagnostic[];
  /** the rules' findings, per VM and across VMs: an edit inside one VM checks only that VM again */
  readonly ruleFindings: RuleFindings;
  /** true when this analysis was made by re-reading one VM */
  readonly incremental: boolean;
  /**
   * When this text has syntax errors: the latest analysis without any, which the next text is
   * compared with. Typing inside a VM passes through broken states; all the edits since the last
   * good state are still inside that VM.
   */
  readonly lastClean?: EditableAnalysis;
}

export function analyzeFull(text: string, options: AnalyzeOptions): EditableAnalysis {
  const read = readPlan(text, options);
  const ruleFindings = checkRulesByVm(read.plan);
  return { text, analysis: { ...read, diagnostics: withRules(read.diagnostics, ruleFindings) }, readDiagnostics: read.diagnostics, ruleFindings, incremental: false };
}

/** The analysis of `text`, reusing `previous` (of an earlier text) where the change allows. */
export function analyzeEdited(previous: EditableAnalysis | undefined, text: string, options: AnalyzeOptions): EditableAnalysis {
  const base = previous && (hasSyntaxErrors(previous) ? previous.lastClean : previous);
  const result = (base && reanalyzeOneVm(base, text, options)) ?? analyzeFull(text, options);
  return hasSyntaxErrors(result) && base ? { ...result, lastClean: base } : result;
}

const hasSyntaxErrors = (a: EditableAnalysis) => a.readDiagnostics.some((d) => d.code === 'syntax');

/** What `analyzePlan` reports: the reader's findings and the rules', in text order. */
function withRules(readDiagnostics: readonly PlanDiagnostic[], rules: RuleFindings): PlanDiagnostic[] {
  const diagnostics = [...readDiagnostics, ...rules.byVm.flat(), ...rules.acrossVms];
  sortDiagnostics(diagnostics);
  return diagnostics;
}

/** The changed region: old text [start, oldEnd) became new text [start, newEnd). */
function changedRegion(before: string, after: string): { start: number; oldEnd: number; newEnd: number } {
  // Whole chunks first: comparing two slices is done natively, far faster than char by char.
  const CHUNK = 4096;
  let start = 0;
  const shortest = Math.min(before.length, after.length);
  while (start + CHUNK <= shortest && before.slice(start, start + CHUNK) === after.slice(start, start + CHUNK)) start += CHUNK;
  while (start < shortest && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd - CHUNK >= start && newEnd - CHUNK >= start && before.slice(oldEnd - CHUNK, oldEnd) === after.slice(newEnd - CHUNK, newEnd)) { oldEnd -= CHUNK; newEnd -= CHUNK; }
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) { oldEnd--; newEnd--; }
  return { start, oldEnd, newEnd };
}

function reanalyzeOneVm(previous: EditableAnalysis, text: string, options: AnalyzeOptions): EditableAnalysis | undefined {
  const { plan } = previous.analysis;
  const { start, oldEnd, newEnd } = changedRegion(previous.text, text);
  const delta = newEnd - oldEnd;
  // The VM whose braces enclose the change, found by bisection (VMs are in text order).
  let lo = 0;
  let hi = plan.vms.length - 1;
  let vm: Vm | undefined;
  let position = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const candidate = plan.vms[mid];
    if (candidate.span.end <= start) lo = mid + 1;
    else if (candidate.span.start >= start) hi = mid - 1;
    else { vm = candidate; position = mid; break; }
  }
  if (!vm || !(vm.span.start < start && oldEnd < vm.span.end)) return undefined;

  const fresh = readVmAlone(previous.text, text, plan, { start: vm.span.start, end: vm.span.end + delta }, options);
  if (!fresh) return undefined;
  const move = (s: Span): Span => shiftSpan(s, oldEnd, delta);
  const replaced: Vm = { ...fresh.vm, index: vm.index };
  const vms = plan.vms.map((v) => (v === vm ? replaced : v.span.start >= oldEnd ? shiftVm(v, move) : v));
  const newPlan: Plan = {
    ...plan,
    hosts: plan.hosts.map((h) => (h.span.start >= oldEnd ? { ...h, span: move(h.span), spans: shiftSpans(h.spans, move), volumes: h.volumes?.map((v) => ({ ...v, spans: shiftField(v.spans, move) })) } : h)),
    vms,
    cluster: plan.cluster && { ...plan.cluster, spans: shiftSpans(plan.cluster.spans, move) },
    scenario: {
      ...plan.scenario,
      spans: shiftSpans(plan.scenario.spans, move),
      events: plan.scenario.events.map((e) => (e.span.end > 0 && e.span.start >= oldEnd ? { ...e, span: move(e.span), spans: shiftSpans(e.spans, move) } : e)),
    },
    spans: shiftSpans(plan.spans, move),
  };
  const readDiagnostics = [
    ...previous.readDiagnostics.filter((d) => d.span.end <= vm.span.start || d.span.start >= vm.span.end).map((d) => shiftDiagnostic(d, move)),
    ...fresh.diagnostics,
  ];
  // Hosts and model are as before, so every other VM's findings stand, moved where the text moved.
  const kept = previous.ruleFindings.byVm;
  const ruleFindings = checkRulesByVm(newPlan, (i) => (i === position ? undefined : shiftAll(kept[i], oldEnd, delta)));
  let root: Node | undefined;
  const analysis: Analysis = {
    plan: newPlan,
    diagnostics: withRules(readDiagnostics, ruleFindings),
    // The syntax tree is only needed by some editor features: parsed when first asked for.
    get root() { return (root ??= parseTree(blankBom(text), [], { allowTrailingComma: true, allowEmptyContent: true })); },
  };
  return { text, analysis, readDiagnostics, ruleFindings, incremental: true };
}

/**
 * Reads one VM's text on its own, in a small plan holding only the hosts and model it depends on,
 * and moves what comes out to where the VM is in the real text. Undefined if it does not read as
 * exactly one object of the expected extent (the edit changed the structure).
 */
function readVmAlone(before: string, text: string, plan: Plan, at: Span, options: AnalyzeOptions): { vm: Vm; diagnostics: PlanDiagnostic[] } | undefined {
  const part = (key: string) => {
    const s = plan.spans[key]?.value;
    return s ? `"${key}":${before.slice(s.start, s.end)},` : '';
  };
  const head = `{${part('hosts')}${part('model')}"vms":[`;
  const mini = `${head}${text.slice(at.start, at.end)}]}`;
  const read = readPlan(mini, options);
  const vm = read.plan.vms[0];
  if (read.plan.vms.length !== 1 || vm.span.start !== head.length || vm.span.end !== head.length + at.end - at.start) return undefined;
  // A syntax error inside the VM is the VM's own business (the parser reads the rest the same
  // way, since the object still ends at the same brace); one outside it means the structure moved.
  if (read.diagnostics.some((d) => d.code === 'syntax' && (d.span.start < vm.span.start || d.span.end > vm.span.end))) return undefined;
  const offset = at.start - head.length;
  const move = (s: Span): Span => ({ start: s.start + offset, end: s.end + offset });
  const inside = read.diagnostics.filter((d) => d.span.start >= vm.span.start && d.span.end <= vm.span.end);
  return { vm: shiftVm(vm, move), diagnostics: inside.map((d) => shiftDiagnostic(d, move)) };
}

function shiftSpan(s: Span, from: number, delta: number): Span {
  if (s.end < from) return s;
  return { start: s.start >= from ? s.start + delta : s.start, end: s.end + delta };
}

/** The same list when nothing in it is at or after `from` (most VMs' findings, most of the time). */
function shiftAll(diagnostics: readonly PlanDiagnostic[], from: number, delta: number): readonly PlanDiagnostic[] {
  const moves = (d: PlanDiagnostic) => d.span.end >= from || !!d.related?.some((r) => r.span.end >= from);
  return diagnostics.some(moves) ? diagnostics.map((d) => shiftDiagnostic(d, (s) => shiftSpan(s, from, delta))) : diagnostics;
}

function shiftField(f: FieldSpans, move: (s: Span) => Span): FieldSpans {
  return { key: move(f.key), value: move(f.value) };
}

function shiftSpans(spans: Spans, move: (s: Span) => Span): Spans {
  const out: Spans = {};
  for (const key in spans) {
    const f = spans[key];
    if (f) out[key] = shiftField(f, move);
  }
  return out;
}

function shiftVm(vm: Vm, move: (s: Span) => Span): Vm {
  return { ...vm, span: move(vm.span), spans: shiftSpans(vm.spans, move) };
}

function shiftDiagnostic(d: PlanDiagnostic, move: (s: Span) => Span): PlanDiagnostic {
  const out: PlanDiagnostic = { ...d, span: move(d.span) };
  if (d.related) out.related = d.related.map((r) => ({ ...r, span: move(r.span) }));
  return out;
}

/** As the reader does: a byte-order mark is blanked, so offsets still match the text. */
function blankBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
}
