// fast-check generators of plans and of edits to text, for the property tests (test/fuzz-*.test.ts).
// Plans are built the way people write them, mostly valid, sometimes not: names that collide or name
// nothing, members of Object.prototype as names, sizes off their alignment, events out of range.
import fc from 'fast-check';

export const MEMBER_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;

const name = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('H0', 'H1', 'H2', 'vm0', 'vm1', 'vm2', 'vm3') },
  { weight: 2, arbitrary: fc.constantFrom(...MEMBER_NAMES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });
const mb = (lo: number, hi: number) => fc.integer({ min: lo / 2, max: hi / 2 }).map((n) => `${2 * n}MB`);
const size = fc.oneof(
  { weight: 8, arbitrary: mb(32, 8192) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 16 }).map((n) => `${n}GB`) },
  { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), fc.constantFrom('1.5GB', '33MB', '8constructor', '-1GB', '', '1e400GB')) },
);
const duration = fc.oneof(fc.integer({ min: 0, max: 900 }), fc.constantFrom('90s', '5m', '1h', '10m30s', 'x'));

const host = fc.record({
  name,
  memory: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 2, max: 48 }).map((n) => `${n}GB`) }, { weight: 1, arbitrary: size }),
  reserve: optional(mb(0, 4096)),
  vmOverhead: optional(fc.constantFrom('standard', 'none')),
  numaNodes: optional(fc.integer({ min: 0, max: 4 })),
  numaSpanning: optional(fc.boolean()),
  systemDrive: optional(fc.constantFrom('C:', 'D:')),
  volumes: optional(fc.dictionary(fc.constantFrom('C:', 'D:', 'D:\\sp', '__proto__', 'constructor'), mb(0, 65536), { maxKeys: 3 })),
  pageSharing: optional(fc.integer({ min: 0, max: 95 }).map((p) => `${p}%`)),
}, { requiredKeys: ['name', 'memory'] });

const memory = fc.record({
  dynamic: optional(fc.boolean()),
  startup: size,
  minimum: optional(size),
  maximum: optional(size),
  buffer: optional(fc.integer({ min: 0, max: 2100 })),
  priority: optional(fc.integer({ min: -1, max: 101 })),
}, { requiredKeys: ['startup'] });

const vm = fc.record({
  name,
  host: optional(name),
  generation: optional(fc.constantFrom(1, 2)),
  memory,
  state: optional(fc.constantFrom('Running', 'Off')),
  automaticStartAction: optional(fc.constantFrom('Nothing', 'StartIfRunning', 'Start')),
  automaticStartDelay: optional(fc.integer({ min: 0, max: 120 })),
  automaticStopAction: optional(fc.constantFrom('TurnOff', 'Save', 'ShutDown')),
  smartPagingFilePath: optional(fc.constantFrom('C:\\sp', 'D:\\sp', '__proto__\\sp')),
  clusterPriority: optional(fc.constantFrom('High', 'Medium', 'Low', 'NoAutoStart')),
  demand: optional(fc.oneof(size, fc.array(fc.record({ at: duration, memory: size }), { maxLength: 3 }))),
  bootSeconds: optional(fc.integer({ min: 0, max: 90 })),
}, { requiredKeys: ['name', 'memory'] });

const event = fc.oneof(
  fc.record({ at: duration, type: fc.constantFrom('hostRestart', 'nodeFailure'), host: name }),
  fc.record({ at: duration, type: fc.constantFrom('vmRestart', 'vmStart', 'vmStop'), vm: name }),
  fc.record({ at: duration, type: fc.constant('demand'), vm: name, memory: size }),
);

/** A plan as a JSON value: one to three hosts, up to eight VMs, maybe a cluster, scenario and model. */
export const planValue = fc.record({
  hosts: fc.array(host, { minLength: 1, maxLength: 3 }),
  cluster: optional(fc.record({ name: fc.constant('CL'), rootMemoryReserved: optional(mb(0, 1024)) }, { requiredKeys: ['name'] })),
  vms: fc.array(vm, { maxLength: 8 }),
  scenario: optional(fc.record({ duration: optional(fc.integer({ min: 60, max: 900 })), events: fc.array(event, { maxLength: 6 }) }, { requiredKeys: ['events'] })),
  model: optional(fc.record({
    bootSeconds: optional(fc.integer({ min: 0, max: 90 })),
    hostBootSeconds: optional(fc.integer({ min: 0, max: 60 })),
    addRatePerSecond: optional(mb(2, 512)),
    removeRatePerSecond: optional(mb(2, 256)),
    smartPagingTargetSeconds: optional(fc.integer({ min: 10, max: 600 })),
    tickSeconds: optional(fc.constantFrom(0.5, 1, 2, 5)),
  }, { requiredKeys: [] })),
}, { requiredKeys: ['hosts', 'vms'] });

/** A plan's text, indented or on one line. */
export const planText = fc.tuple(planValue, fc.boolean()).map(([plan, indent]) => JSON.stringify(plan, null, indent ? 2 : undefined));

/** One change to a text: a span [at, at + remove) replaced by `insert`; positions are fractions of the length. */
export interface TextEdit { at: number; remove: number; insert: string }

const typed = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('1', '0', '5', ' ', 'x', 'G', 'M', 'B', '\n', '"', ',', '}', '{', ':', 'true', '-', '.', '/', '*', '\\') },
  { weight: 2, arbitrary: fc.constantFrom(...MEMBER_NAMES, '"GB"', '"4GB"', '{ "name": "x" }', '[', ']', '//', '/*') },
  { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: 'binary' }) },
);
export const textEdit = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.nat({ max: 3 }), insert: fc.oneof(typed, fc.constant('')) });

export function applyEdit(text: string, edit: TextEdit): { text: string; start: number; end: number } {
  const start = Math.min(text.length, Math.floor(edit.at * (text.length + 1)));
  const end = Math.min(text.length, start + edit.remove);
  return { text: text.slice(0, start) + edit.insert + text.slice(end), start, end };
}

/** Byte-level damage to a text: edits, a slice copied elsewhere, or the text cut short. */
export const mutation = fc.oneof(
  { weight: 4, arbitrary: fc.array(textEdit, { minLength: 1, maxLength: 6 }).map((edits) => (t: string) => edits.reduce((s, e) => applyEdit(s, e).text, t)) },
  { weight: 1, arbitrary: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })).map(([a, b, c]) => (t: string) => {
    const [from, to] = [Math.floor(a * t.length), Math.floor(b * t.length)].sort((x, y) => x - y);
    const at = Math.floor(c * t.length);
    return t.slice(0, at) + t.slice(from, to) + t.slice(at);
  }) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((a) => (t: string) => t.slice(0, Math.floor(a * t.length))) },
);
