// The page sharing what-if in a plan: the host's "pageSharing" share (a percentage, or the figure of a
// scan result file) lets the simulation hold more VM memory, so a restart that needed Smart Paging may not.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readPlan, type ReadOptions } from '../server/src/core/read';
import { simulate } from '../server/src/core/simulate';
import { analyzePlan } from '../server/src/core/analyze';
import { planSchema } from '../server/src/core/schema';
import { fieldAt } from '../server/src/core/services/locate';
import { MB, GB } from '../server/src/core/units';
import { plan, scanResult, sharePercent } from './pages-whatif-fixture';

function restart(pageSharing?: string, options: ReadOptions = {}) {
  const { plan: p, diagnostics } = readPlan(plan(pageSharing), options);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const r = simulate(p);
  const started = r.events.find((e) => e.type === 'vmStarted' && e.vm === 'app') as { physicalBytes: number; smartPagingBytes: number };
  return { physical: started.physicalBytes, smartPaging: started.smartPagingBytes, capacity: r.hosts.HV01.capacity };
}

test('no sharing, as Hyper-V: the restart needs 512 MB of Smart Paging', () => {
  assert.deepEqual(restart(), { physical: 512 * MB, smartPaging: 512 * MB, capacity: 2 * GB });
  assert.deepEqual(restart('"0%"'), restart());
});

test('20 % shared: the host holds 2 GB / 0.8 = 2.5 GB of VM memory, and the restart needs no Smart Paging', () => {
  assert.deepEqual(restart('"20%"'), { physical: 1 * GB, smartPaging: 0, capacity: 2.5 * GB });
  assert.deepEqual(restart('20'), restart('"20%"'));
});

test('10 % shared: less Smart Paging, by the 227.6 MB that sharing frees', () => {
  // capacity = floor(2 GB / 0.9) = 2,386,092,942 bytes; free at the restart = that - 2 GB = 238,609,294;
  // Smart Paging = 1 GB - 512 MB held - 238,609,294 free = 298,261,618 bytes.
  assert.deepEqual(restart('"10%"'), { physical: 512 * MB + 238_609_294, smartPaging: 298_261_618, capacity: 2_386_092_942 });
});

test('bad values are schema errors on the value', () => {
  for (const [value, message] of [['"12 percent"', /must be a percentage such as "12%"/], ['"95%"', /must be between 0 and 90/], ['-1', /must be between 0 and 90/], ['true', /must be a percentage/]] as const) {
    const text = plan(value);
    const d = analyzePlan(text).diagnostics.find((x) => x.code === 'schema');
    assert.ok(d, value);
    assert.match(d.message, message);
    assert.equal(text.slice(d.span.start, d.span.end), value);
  }
});

test('the JSON Schema takes "12%" and 12', () => {
  const host = (planSchema() as { properties: { hosts: { items: { properties: Record<string, { anyOf: { pattern?: string; maximum?: number }[] }> } } } }).properties.hosts.items.properties;
  const [text, number] = host.pageSharing.anyOf;
  assert.match('12%', new RegExp(text.pattern!));
  assert.match(' 0.5 % ', new RegExp(text.pattern!));
  assert.doesNotMatch('12', new RegExp(text.pattern!));
  assert.equal(number.maximum, 90);
});

// ---- pageSharing from a scan result file ----

const SCAN = JSON.stringify(scanResult());
/** A reader over files held in memory, as the adapters give one over the plan's folder. */
const filesReader = (files: Record<string, string>, asked: string[] = []): ReadOptions => ({
  readSharingScan: (path) => { asked.push(path); return path in files ? { text: files[path] } : { problem: `${path}: no such file` }; },
});
const fromScan = (pageSize: string, extra = '', path = 'scans/vm1.json') => `{ "scan": ${JSON.stringify(path)}, "pageSize": ${JSON.stringify(pageSize)}${extra} }`;

test('a scan result: its 4 KB figure avoids the Smart Paging restart, its 2 MB figure does not', () => {
  const asked: string[] = [];
  const options = filesReader({ 'scans/vm1.json': SCAN }, asked);
  const at4KB = restart(fromScan('4KB'), options);
  const at2MB = restart(fromScan('2MB'), options);
  assert.deepEqual(asked, ['scans/vm1.json', 'scans/vm1.json'], 'the path goes to the reader as written');
  assert.equal(at4KB.smartPaging, 0);
  assert.ok(at2MB.smartPaging > 0 && at2MB.smartPaging < 512 * MB, `${at2MB.smartPaging}`);
  // The scan form is the percentage form with the scan's share: saved bytes ÷ scanned bytes.
  assert.deepEqual(at4KB, restart(String(sharePercent(scanResult(), 4096))));
  assert.deepEqual(at2MB, restart(String(sharePercent(scanResult(), 2 * MB))));
  assert.deepEqual(restart(fromScan('4 KiB'), options), at4KB, 'the page size is a size in any unit');
});

test('zeroPages false takes the saving beyond zero pages: at 4 KB too small to avoid Smart Paging', () => {
  const options = filesReader({ 'scans/vm1.json': SCAN });
  const beyondZero = restart(fromScan('4KB', ', "zeroPages": false'), options);
  assert.ok(beyondZero.smartPaging > 0);
  assert.deepEqual(beyondZero, restart(String(sharePercent(scanResult(), 4096, false))));
  assert.deepEqual(restart(fromScan('4KB', ', "zeroPages": true'), options), restart(fromScan('4KB'), options));
});

test('the share is kept on the host with where it came from', () => {
  const { plan: p } = readPlan(plan(fromScan('2MB', ', "zeroPages": false')), filesReader({ 'scans/vm1.json': SCAN }));
  assert.deepEqual(p.hosts[0].pageSharingScan, { path: 'scans/vm1.json', pageSizeBytes: 2 * MB, zeroPages: false, applied: true });
  assert.equal(p.hosts[0].pageSharingPercent, sharePercent(scanResult(), 2 * MB, false));
  assert.equal(readPlan(plan('"12%"')).plan.hosts[0].pageSharingScan, undefined);
});

/** The one page-sharing-scan warning of a plan, the text it is on, and that no sharing was applied. */
function unusableScan(pageSharing: string, options: ReadOptions) {
  const text = plan(pageSharing);
  const { plan: p, diagnostics } = analyzePlan(text, { ...options, scenario: false });
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const found = diagnostics.filter((d) => d.code === 'page-sharing-scan');
  assert.equal(found.length, 1, JSON.stringify(diagnostics));
  assert.equal(found[0].severity, 'warning');
  assert.match(found[0].message, /No page sharing is assumed for this host\.$/);
  assert.equal(p.hosts[0].pageSharingPercent, 0);
  assert.equal(p.hosts[0].pageSharingScan?.applied, false);
  assert.deepEqual(restart(pageSharing, options), restart(), 'simulated as without sharing');
  return { message: found[0].message, on: text.slice(found[0].span.start, found[0].span.end) };
}

test('a missing file: a warning on the scan path, with the reader\'s reason', () => {
  const r = unusableScan(fromScan('4KB', '', 'nowhere.json'), filesReader({}));
  assert.equal(r.on, '"nowhere.json"');
  assert.match(r.message, /^The scan result "nowhere\.json" cannot be read: nowhere\.json: no such file\./);
});

test('no reader (a plan that is not a file on disk): a warning on the scan path', () => {
  const r = unusableScan(fromScan('4KB'), {});
  assert.equal(r.on, '"scans/vm1.json"');
  assert.match(r.message, /cannot be read here: the plan is not a file on disk/);
});

test('files that are not scan results: a warning saying what is wrong', () => {
  const sizes = scanResult().pageSizes;
  const cases: [string, string, RegExp][] = [
    ['{ "hosts": [] ', '4KB', /is not a result of `hvmem pages --format json`: it is not JSON/],
    [JSON.stringify({ hosts: [], vms: [] }), '4KB', /is not a result of `hvmem pages --format json`: it has no "pageSizes"/],
    [JSON.stringify([SCAN]), '4KB', /it has no "pageSizes"/],
    [JSON.stringify({ pageSizes: { 4096: { ...sizes[4096], savedBytes: '256MB' } } }), '4KB', /its 4 KB entry lacks "pages" or "savedBytes"/],
    [JSON.stringify({ pageSizes: { 4096: { ...sizes[4096], savedNonZeroBytes: -1 } } }), '4KB', /its 4 KB entry lacks "pages" or "savedNonZeroBytes"/],
    [JSON.stringify({ pageSizes: { 4096: { ...sizes[4096], pages: 10 } } }), '4KB', /saves more at 4 KB \(268435456 bytes\) than it scanned \(40960\)/],
  ];
  for (const [text, pageSize, message] of cases) {
    const zeroPages = message.source.includes('NonZero') ? ', "zeroPages": false' : '';
    const r = unusableScan(fromScan(pageSize, zeroPages), filesReader({ 'scans/vm1.json': text }));
    assert.equal(r.on, '"scans/vm1.json"', text);
    assert.match(r.message, message);
  }
});

test('a scan without the page size asked for, or with no whole pages of it: a warning on the page size', () => {
  const only4KB = { ...scanResult(), pageSizes: { 4096: scanResult().pageSizes[4096] } };
  const r = unusableScan(fromScan('2MB'), filesReader({ 'scans/vm1.json': JSON.stringify(only4KB) }));
  assert.equal(r.on, '"2MB"');
  assert.match(r.message, /has no figures for 2 MB pages \(it has only 4 KB\): scan again with `hvmem pages … --page-size 2MB --format json`/);
  const none = { ...scanResult(), pageSizes: { ...scanResult().pageSizes, [2 * MB]: { ...scanResult().pageSizes[2 * MB], pages: 0, distinctPages: 0, savedBytes: 0, savedNonZeroBytes: 0 } } };
  assert.match(unusableScan(fromScan('2MB'), filesReader({ 'scans/vm1.json': JSON.stringify(none) })).message, /scanned no whole 2 MB pages/);
  const zero = { ...scanResult(), pageSizes: { 0: { ...scanResult().pageSizes[4096], savedBytes: 0 } } };
  assert.match(unusableScan(fromScan('0KB'), filesReader({ 'scans/vm1.json': JSON.stringify(zero) })).message, /cannot be read at a page size of 0 bytes/);
});

test('a scan saving more than 90 %: 90 % is assumed, with a warning', () => {
  const mostlyZero = scanResult();
  mostlyZero.pageSizes[4096] = { ...mostlyZero.pageSizes[4096], savedBytes: 249_037 * 4096 };
  const text = plan(fromScan('4KB'));
  const options = filesReader({ 'scans/vm1.json': JSON.stringify(mostlyZero) });
  const { plan: p, diagnostics } = analyzePlan(text, { ...options, scenario: false });
  const d = diagnostics.find((x) => x.code === 'page-sharing-scan');
  assert.match(d?.message ?? '', /saves 95\.0 % at 4 KB pages, above the 90 % the what-if allows: 90 % is assumed/);
  assert.equal(p.hosts[0].pageSharingPercent, 90);
  assert.equal(restart(fromScan('4KB'), options).capacity, restart('90').capacity);
});

test('the object form is checked like any other: required keys, types, unknown keys', () => {
  const options = filesReader({ 'scans/vm1.json': SCAN });
  const cases: [string, string, string, RegExp][] = [
    ['{ "scan": "scans/vm1.json" }', 'schema', '"pageSharing"', /Missing "pageSize" in pageSharing/],
    ['{ "pageSize": "4KB" }', 'schema', '"pageSharing"', /Missing "scan" in pageSharing/],
    ['{ "scan": 12, "pageSize": "4KB" }', 'schema', '12', /"scan" must be a string/],
    ['{ "scan": "scans/vm1.json", "pageSize": "4 kilo" }', 'size-invalid', '"4 kilo"', /unknown unit "kilo"/],
    ['{ "scan": "scans/vm1.json", "pageSize": "4KB", "zeroPages": "no" }', 'schema', '"no"', /"zeroPages" must be true or false/],
  ];
  for (const [value, code, on, message] of cases) {
    const text = plan(value);
    const { plan: p, diagnostics } = analyzePlan(text, options);
    const d = diagnostics.find((x) => x.code === code);
    assert.ok(d, `${value}: ${JSON.stringify(diagnostics)}`);
    assert.equal(d.severity, 'error');
    assert.equal(text.slice(d.span.start, d.span.end), on, value);
    assert.match(d.message, message);
    assert.equal(p.hosts[0].pageSharingPercent, 0, value);
  }
  const typo = analyzePlan(plan(fromScan('4KB', ', "zeropages": false')), options).diagnostics.find((x) => x.code === 'schema');
  assert.equal(typo?.severity, 'warning');
  assert.match(typo?.message ?? '', /Unknown key "zeropages" in pageSharing: did you mean "zeroPages"\?/);
});

test('the JSON Schema and the hovers know the object form', () => {
  const host = (planSchema() as { properties: { hosts: { items: { properties: Record<string, { anyOf: { type?: string; required?: string[]; properties?: Record<string, unknown>; additionalProperties?: boolean }[] }> } } } }).properties.hosts.items.properties;
  const object = host.pageSharing.anyOf.find((s) => s.type === 'object');
  assert.ok(object);
  assert.deepEqual(Object.keys(object.properties!), ['scan', 'pageSize', 'zeroPages']);
  assert.deepEqual(object.required, ['scan', 'pageSize']);
  assert.equal(object.additionalProperties, false);
  assert.match(fieldAt(['hosts', 0, 'pageSharing', 'zeroPages'])?.description ?? '', /savedNonZeroBytes/);
});
