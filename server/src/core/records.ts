// Records keyed by names from plans and sources. A host, VM or volume may be called "constructor",
// "toString" or "__proto__": such records have no prototype, and lookups read own properties only.

/** An empty record with no prototype: `record[name] = value` keeps any name, "__proto__" included. */
export function nameRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** `record[key]` when the record itself holds that key; never something it inherits. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
