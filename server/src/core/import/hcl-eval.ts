// Evaluates HCL expressions that are static: literals, templates, collections, arithmetic and
// conditionals over them, and references the caller resolves (var.x, local.y, each.value.z).
// Function calls and for expressions are not evaluated: their values are reported as unknown.
import { exprText, type Expr } from './hcl';
import { nameRecord } from '../records';

export type HclValue = string | number | boolean | null | HclValue[] | { [key: string]: HclValue };
export type Evaluated = { ok: true; value: HclValue } | { ok: false; reason: string };

/** Resolves the root of a reference: `var` with `memory` for var.memory, `each` with `value`… */
export type Resolver = (root: string, key: string | undefined) => Evaluated | undefined;

const fail = (reason: string): Evaluated => ({ ok: false, reason });

/**
 * The most a value may hold (characters of its strings and items of its collections, counted as if
 * written out). References share values, so a few lines can describe one of exponential size: such a
 * value is refused instead of being built or printed.
 */
export const MAX_VALUE_SIZE = 1_000_000;
const sizes = new WeakMap<object, number>();

/** A value's size as written out (capped just past MAX_VALUE_SIZE), each shared part counted once per use. */
export function valueSize(value: HclValue): number {
  if (typeof value === 'string') return value.length + 1;
  if (value === null || typeof value !== 'object') return 1;
  let size = sizes.get(value);
  if (size === undefined) {
    size = 1;
    for (const item of Array.isArray(value) ? value : Object.values(value)) {
      size += valueSize(item);
      if (size > MAX_VALUE_SIZE) break;
    }
    sizes.set(value, size);
  }
  return size;
}

const tooLarge = (e: Expr) => fail(`${exprText(e).slice(0, 60)}… would be larger than ${MAX_VALUE_SIZE.toLocaleString('en-US')} characters`);
const isObject = (v: HclValue): v is { [key: string]: HclValue } => typeof v === 'object' && v !== null && !Array.isArray(v);

export function evaluate(e: Expr, resolve: Resolver): Evaluated {
  switch (e.kind) {
    case 'literal': return { ok: true, value: e.value };
    case 'template': {
      let out = '';
      for (const p of e.parts) {
        if (typeof p === 'string') { out += p; continue; }
        const v = evaluate(p, resolve);
        if (!v.ok) return v;
        if (typeof v.value === 'object' && v.value !== null) return fail(`${exprText(p)} is not a single value`);
        out += String(v.value);
        if (out.length > MAX_VALUE_SIZE) return tooLarge(e);
      }
      return { ok: true, value: out };
    }
    case 'tuple': {
      const items: HclValue[] = [];
      let size = 1;
      for (const item of e.items) {
        const v = evaluate(item, resolve);
        if (!v.ok) return v;
        items.push(v.value);
        if ((size += valueSize(v.value)) > MAX_VALUE_SIZE) return tooLarge(e);
      }
      return { ok: true, value: items };
    }
    case 'object': {
      // Keys are the file's own words: an object written { __proto__ = 1 } keeps that key.
      const obj = nameRecord<HclValue>();
      let size = 1;
      for (const entry of e.entries) {
        const k = entry.key.kind === 'traversal' && entry.key.path.length === 0 ? { ok: true as const, value: entry.key.root } : evaluate(entry.key, resolve);
        if (!k.ok) return k;
        const v = evaluate(entry.value, resolve);
        if (!v.ok) return v;
        obj[String(k.value)] = v.value;
        if ((size += valueSize(k.value) + valueSize(v.value)) > MAX_VALUE_SIZE) return tooLarge(e);
      }
      return { ok: true, value: obj };
    }
    case 'traversal': {
      const first = typeof e.path[0] === 'string' ? e.path[0] : undefined;
      const base = resolve(e.root, first);
      if (!base) return fail(`${exprText(e)} refers to something unknown here`);
      if (!base.ok) return base;
      return index(base.value, e.path.slice(first === undefined ? 0 : 1), e, resolve);
    }
    case 'call': {
      const fn = FUNCTIONS.get(e.name);
      if (!fn) return fail(`${exprText(e)} calls ${e.name}(), which is not evaluated`);
      const args: HclValue[] = [];
      for (const a of e.args) { const v = evaluate(a, resolve); if (!v.ok) return v; args.push(v.value); }
      const value = fn(args);
      return value === undefined ? fail(`${exprText(e)} cannot be evaluated with these arguments`) : { ok: true, value };
    }
    case 'unsupported': return fail(`${e.text} is not evaluated`);
    case 'operation': return operation(e, resolve);
  }
}

/** Pure built-in functions common in memory settings; others leave the value unknown. */
const FUNCTIONS = new Map<string, (args: HclValue[]) => HclValue | undefined>([
  ['coalesce', (args) => args.find((a) => a !== null && a !== '')],
  ['lookup', ([map, key, fallback]) => (isObject(map) && typeof key === 'string' ? (Object.hasOwn(map, key) ? map[key] : fallback) : undefined)],
  ['min', (args) => (args.length > 0 && args.every((a) => typeof a === 'number') ? Math.min(...(args as number[])) : undefined)],
  ['max', (args) => (args.length > 0 && args.every((a) => typeof a === 'number') ? Math.max(...(args as number[])) : undefined)],
  ['floor', ([a]) => (typeof a === 'number' ? Math.floor(a) : undefined)],
  ['ceil', ([a]) => (typeof a === 'number' ? Math.ceil(a) : undefined)],
  ['tonumber', ([a]) => (typeof a === 'number' ? a : typeof a === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(a) ? Number(a) : undefined)],
  ['tostring', ([a]) => (typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean' ? String(a) : undefined)],
]);

function index(value: HclValue, path: (string | Expr)[], whole: Expr, resolve: Resolver): Evaluated {
  let current = value;
  for (const step of path) {
    let key: HclValue;
    if (typeof step === 'string') key = step;
    else { const k = evaluate(step, resolve); if (!k.ok) return k; key = k.value; }
    if (Array.isArray(current) && typeof key === 'number' && Number.isInteger(key) && key >= 0 && key < current.length) current = current[key];
    else if (isObject(current) && typeof key !== 'object' && Object.hasOwn(current, String(key))) current = current[String(key)];
    else return fail(`${exprText(whole)} has no ${JSON.stringify(key)}`);
  }
  return { ok: true, value: current };
}

function operation(e: Expr & { kind: 'operation' }, resolve: Resolver): Evaluated {
  const values: HclValue[] = [];
  if (e.op === '?:') {
    const c = evaluate(e.operands[0], resolve);
    if (!c.ok) return c;
    if (typeof c.value !== 'boolean') return fail(`${exprText(e.operands[0])} is not true or false`);
    return evaluate(e.operands[c.value ? 1 : 2], resolve);
  }
  if (e.op === 'index') {
    const base = evaluate(e.operands[0], resolve);
    return base.ok ? index(base.value, [e.operands[1]], e, resolve) : base;
  }
  for (const operand of e.operands) { const v = evaluate(operand, resolve); if (!v.ok) return v; values.push(v.value); }
  const [a, b] = values;
  const num = (v: HclValue) => (typeof v === 'number' ? v : typeof v === 'string' && /^-?[0-9.]+$/.test(v) ? Number(v) : NaN);
  switch (e.op) {
    case 'neg': return Number.isNaN(num(a)) ? fail(`${exprText(e)} is not a number`) : { ok: true, value: -num(a) };
    case '!': return typeof a === 'boolean' ? { ok: true, value: !a } : fail(`${exprText(e)} is not true or false`);
    case '==': return { ok: true, value: JSON.stringify(a) === JSON.stringify(b) };
    case '!=': return { ok: true, value: JSON.stringify(a) !== JSON.stringify(b) };
    case '&&': case '||':
      if (typeof a !== 'boolean' || typeof b !== 'boolean') return fail(`${exprText(e)} is not true or false`);
      return { ok: true, value: e.op === '&&' ? a && b : a || b };
  }
  const x = num(a);
  const y = num(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return fail(`${exprText(e)} is not arithmetic on numbers`);
  switch (e.op) {
    case '+': return { ok: true, value: x + y };
    case '-': return { ok: true, value: x - y };
    case '*': return { ok: true, value: x * y };
    case '/': return y === 0 ? fail(`${exprText(e)} divides by zero`) : { ok: true, value: x / y };
    case '%': return y === 0 ? fail(`${exprText(e)} divides by zero`) : { ok: true, value: x % y };
    case '<': return { ok: true, value: x < y };
    case '>': return { ok: true, value: x > y };
    case '<=': return { ok: true, value: x <= y };
    case '>=': return { ok: true, value: x >= y };
  }
  return fail(`${exprText(e)} is not evaluated`);
}
