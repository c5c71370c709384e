// Objects keyed by names that users write. A VM may be called `constructor` or `__proto__`: a plain
// `{}` would answer such a lookup from Object.prototype (or swallow the key), so name-keyed objects
// that must stay plain JSON are made without a prototype and read with own-property checks.

/** An empty object keyed by names, with no prototype: every key is the caller's. */
export function nameRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** The record's own value for a name, never one inherited from Object.prototype. */
export function own<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
}
