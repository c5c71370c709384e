// Bad input never throws or hangs: it gets diagnostics that point at the place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzePlan } from '../server/src/core/analyze';

const codes = (text: string) => analyzePlan(text, { scenario: false }).diagnostics.map((d) => d.code);

test('an empty file asks for hosts and vms', () => {
  const d = analyzePlan('', { scenario: false }).diagnostics;
  assert.equal(d.length, 1);
  assert.equal(d[0].code, 'schema');
  assert.match(d[0].message, /hosts/);
});

test('text that is not JSON is a syntax error at its first token', () => {
  const d = analyzePlan('hello world', { scenario: false }).diagnostics;
  assert.equal(d[0].code, 'syntax');
  assert.deepEqual(d[0].span, { start: 0, end: 5 });
});

test('a JSON array is not a plan', () => {
  const d = analyzePlan('[1, 2]', { scenario: false }).diagnostics;
  assert.deepEqual(d.map((x) => x.code), ['schema']);
  assert.match(d[0].message, /an array/);
});

test('wrong types everywhere are each reported once, without a crash', () => {
  const text = '{ "hosts": [{ "name": 1, "memory": true, "numaNodes": "two", "volumes": 5 }], "vms": [{ "name": [], "memory": { "dynamic": "yes", "startup": {}, "buffer": 1.5 }, "demand": false }], "scenario": 3, "model": [] }';
  const d = analyzePlan(text, { scenario: false }).diagnostics;
  assert.ok(d.length >= 9, d.map((x) => x.message).join('\n'));
  assert.ok(d.every((x) => x.code === 'schema'));
});

test('sizes that cannot be read', () => {
  for (const size of ['"-1GB"', '"1e400GB"', '"GB"', '"1.0000001MB"', '1e400', '-5']) {
    const c = codes(`{ "hosts": [{ "name": "h", "memory": "8GB" }], "vms": [{ "name": "a", "memory": { "startup": ${size} } }] }`);
    assert.deepEqual(c, ['size-invalid'], size);
  }
});

test('a syntax error does not stop the rest of the analysis', () => {
  const c = codes('{ "hosts": [{ "name": "h", "memory": "8GB" }] "vms": [{ "name": "a", "memory": { "startup": "1025MB" } }] }');
  assert.deepEqual(c, ['syntax', 'memory-alignment']);
});

test('a byte-order mark and CRLF line ends are read like any plan', () => {
  const text = '\uFEFF{\r\n  "hosts": [{ "name": "h", "memory": "8GB" }],\r\n  "vms": [{ "name": "a", "memory": { "startup": "1025MB" } }]\r\n}\r\n';
  const d = analyzePlan(text, { scenario: false }).diagnostics;
  assert.deepEqual(d.map((x) => x.code), ['memory-alignment']);
  assert.equal(text.slice(d[0].span.start, d[0].span.end), '"1025MB"');
});

test('deep nesting is refused with a message, not a stack overflow', () => {
  const depth = 200_000;
  const d = analyzePlan('['.repeat(depth) + ']'.repeat(depth), { scenario: false }).diagnostics;
  assert.ok(d.length >= 1);
  assert.ok(['syntax', 'schema'].includes(d[0].code));
});

test('100,000 VMs are analysed', () => {
  const vms = Array.from({ length: 100_000 }, (_, i) => `{ "name": "vm${i}", "memory": { "startup": "${i === 99_999 ? '1025MB' : '1GB'}" } }`);
  const d = analyzePlan(`{ "hosts": [{ "name": "h", "memory": "24TB" }], "vms": [${vms.join(',')}] }`, { scenario: false }).diagnostics;
  assert.deepEqual(d.map((x) => x.code), ['memory-alignment']);
});

test('a 50 MB plan of comments and whitespace is read', () => {
  const filler = '// ' + 'x'.repeat(1000) + '\n';
  const text = filler.repeat(50_000) + '{ "hosts": [{ "name": "h", "memory": "8GB" }], "vms": [] }';
  assert.ok(text.length > 50_000_000);
  assert.deepEqual(codes(text), []);
});

test('a VM without host in a plan of several hosts must say where it runs', () => {
  const c = codes('{ "hosts": [{ "name": "a", "memory": "8GB" }, { "name": "b", "memory": "8GB" }], "vms": [{ "name": "v", "memory": { "startup": "1GB" } }] }');
  assert.deepEqual(c, ['schema']);
});

test('a missing startup is reported on the memory key', () => {
  const text = '{ "hosts": [{ "name": "h", "memory": "8GB" }], "vms": [{ "name": "v", "memory": { } }] }';
  const d = analyzePlan(text, { scenario: false }).diagnostics;
  assert.equal(d.length, 1);
  assert.equal(text.slice(d[0].span.start, d[0].span.end), '"memory"');
});
