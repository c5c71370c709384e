// The shape of the plan's field table (schema.ts, events.ts): what a key holds, its default and its
// documentation. Defaults are written as a user would write them ("2GB", "30m") and read once, by the
// same parsers the reader uses, so a default is stated in one place.
import { parseDuration, parseSize } from './units';

export type FieldKind = 'string' | 'names' | 'size' | 'duration' | 'integer' | 'number' | 'percent' | 'boolean' | 'enum' | 'object' | 'array' | 'map' | 'demand';

export interface Field {
  kind: FieldKind;
  description: string;
  default?: unknown;
  required?: boolean;
  /** enum values (strings or numbers) */
  values?: readonly (string | number)[];
  /** per-value descriptions for enums, in the order of `values` */
  valueDescriptions?: readonly string[];
  minimum?: number;
  maximum?: number;
  /** an object's fields; for a percent, the fields of the object it may also be written as */
  fields?: Record<string, Field>;
  items?: Field;
  /** for `map`: the type of every value */
  mapValue?: Field;
  examples?: readonly unknown[];
}

export const size = (description: string, def?: string, required = false): Field =>
  ({ kind: 'size', description, default: def, required, examples: ['512MB', '4GB', '1.5TB'] });
export const duration = (description: string, def?: string | number): Field =>
  ({ kind: 'duration', description, default: def, examples: ['90s', '5m', '1h30m'] });
/** Host names, or class names: a string, or an array of strings. */
export const names = (description: string, examples: readonly unknown[]): Field =>
  ({ kind: 'names', description, examples, items: { kind: 'string', description } });

/** A field's default as the reader's value: sizes in bytes, durations in seconds, percentages as numbers. */
export function defaultValue(field: Field): unknown {
  const d = field.default;
  if (d === undefined) return undefined;
  switch (field.kind) {
    case 'size': case 'demand': {
      const parsed = parseSize(d as string | number);
      if (!parsed.ok) throw new Error(`bad size default ${String(d)}`);
      return parsed.value;
    }
    case 'duration': {
      const parsed = parseDuration(d as string | number);
      if (!parsed.ok) throw new Error(`bad duration default ${String(d)}`);
      return parsed.value;
    }
    case 'percent': return typeof d === 'number' ? d : Number(String(d).replace('%', ''));
    default: return d;
  }
}

/** Every field's default, read (see `defaultValue`), by key. */
export function defaults<F extends Record<string, Field>>(fields: F): { readonly [K in keyof F]: unknown } {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) out[key] = defaultValue(field);
  return out as { [K in keyof F]: unknown };
}
