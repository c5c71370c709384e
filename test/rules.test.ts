// Each rule as data: a plan with the expected range marked ⟦…⟧, and the code expected exactly there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzePlan } from '../server/src/core/analyze';
import { marked } from './support/marked';

const HOST = '{ "name": "HV01", "memory": "64GB" }';
const plan = (vms: string, hosts = HOST, extra = '') => `{ "hosts": [${hosts}], "vms": [${vms}]${extra} }`;

interface Case { name: string; text: string; code: string; severity?: string }
const cases: Case[] = [
  { name: 'odd MB', code: 'memory-alignment', text: plan('{ "name": "a", "memory": { "startup": ⟦"1025MB"⟧ } }') },
  { name: 'fraction of MB', code: 'memory-alignment', text: plan('{ "name": "a", "memory": { "startup": ⟦"1024.5MB"⟧ } }') },
  { name: 'under 32 MB', code: 'memory-floor', text: plan('{ "name": "a", "memory": { "startup": ⟦"16MB"⟧ } }') },
  { name: 'minimum above startup', code: 'memory-order', text: plan('{ "name": "a", "memory": { "dynamic": true, "startup": "1GB", "minimum": ⟦"2GB"⟧ } }') },
  { name: 'maximum below startup', code: 'memory-order', text: plan('{ "name": "a", "memory": { "dynamic": true, "startup": "4GB", "maximum": ⟦"2GB"⟧ } }') },
  { name: 'default minimum above startup marks startup', code: 'memory-order', text: plan('{ "name": "a", "memory": { "dynamic": true, "startup": ⟦"256MB"⟧ } }') },
  { name: 'generation 1 over 1 TB', code: 'memory-vm-limit', text: plan('{ "name": "a", "generation": 1, "memory": { "dynamic": true, "startup": "1GB", "maximum": ⟦"2TB"⟧ } }') },
  { name: 'generation 2 over 12 TB', code: 'memory-vm-limit', text: plan('{ "name": "a", "memory": { "dynamic": true, "startup": "1GB", "maximum": ⟦"13TB"⟧ } }') },
  { name: 'buffer 4', code: 'buffer-range', text: plan('{ "name": "a", "memory": { "dynamic": true, "startup": "1GB", "buffer": ⟦4⟧ } }') },
  { name: 'buffer 2001', code: 'buffer-range', text: plan('{ "name": "a", "memory": { "dynamic": true, "startup": "1GB", "buffer": ⟦2001⟧ } }') },
  { name: 'priority 101', code: 'priority-range', text: plan('{ "name": "a", "memory": { "startup": "1GB", "priority": ⟦101⟧ } }') },
  { name: 'minimum on a static VM', code: 'dynamic-only', severity: 'warning', text: plan('{ "name": "a", "memory": { "startup": "1GB", ⟦"minimum"⟧: "512MB" } }') },
  { name: 'duplicate VM', code: 'duplicate-name', text: plan('{ "name": "a", "memory": { "startup": "1GB" } }, { "name": ⟦"a"⟧, "memory": { "startup": "1GB" } }') },
  { name: 'duplicate host', code: 'duplicate-name', text: plan('', `${HOST}, { "name": ⟦"HV01"⟧, "memory": "8GB" }`) },
  { name: 'unknown host', code: 'unknown-reference', text: plan('{ "name": "a", "host": ⟦"HV9"⟧, "memory": { "startup": "1GB" } }') },
  { name: 'unknown VM in an event', code: 'unknown-reference', text: plan('{ "name": "a", "memory": { "startup": "1GB" } }', HOST, ', "scenario": { "events": [{ "at": 0, "type": "vmRestart", "vm": ⟦"b"⟧ }] }') },
  { name: 'startup over capacity', code: 'startup-exceeds-host', text: plan('{ "name": "a", "memory": { "startup": ⟦"62GB"⟧ } }') },
  { name: 'overhead tips it over', code: 'startup-exceeds-host', text: plan('{ "name": "a", "memory": { "startup": ⟦"30GB"⟧ } }', '{ "name": "h", "memory": "32GB" }') },
  { name: 'NUMA node too small', code: 'numa-fit', text: plan('{ "name": "a", "memory": { "startup": ⟦"40GB"⟧ } }', '{ "name": "h", "memory": "64GB", "numaNodes": 2, "numaSpanning": false }') },
  { name: 'Smart Paging on the system drive (default folder)', code: 'smart-paging-system-drive', severity: 'warning', text: plan('{ "name": ⟦"a"⟧, "memory": { "dynamic": true, "startup": "4GB", "minimum": "1GB" } }') },
  { name: 'Smart Paging on the system drive (written)', code: 'smart-paging-system-drive', severity: 'warning', text: plan('{ "name": "a", "memory": { "dynamic": true, "startup": "4GB", "minimum": "1GB" }, "smartPagingFilePath": ⟦"c:\\\\sp"⟧ }') },
  { name: 'Smart Paging volume too small', code: 'smart-paging-disk', severity: 'warning', text: plan('{ "name": "a", "memory": { "dynamic": true, "startup": "8GB", "minimum": "1GB" }, "smartPagingFilePath": ⟦"D:\\\\SP"⟧ }', '{ "name": "h", "memory": "64GB", "volumes": { "C:": "100GB", "D:": "6GB" } }') },
  { name: 'saved state over free space', code: 'saved-state-disk', severity: 'warning', text: plan('{ "name": "a", "memory": { "startup": "16GB" } }, { "name": "b", "memory": { "startup": "16GB" } }', '{ "name": "h", "memory": "64GB", "volumes": { ⟦"C:"⟧: "20GB" } }') },
  { name: 'bare small number', code: 'size-suspicious', severity: 'warning', text: plan('{ "name": "a", "memory": { "startup": ⟦512⟧ } }') },
  { name: 'unreadable size', code: 'size-invalid', text: plan('{ "name": "a", "memory": { "startup": ⟦"lots"⟧ } }') },
  { name: 'negative duration', code: 'duration-invalid', text: plan('{ "name": "a", "memory": { "startup": "1GB" }, "automaticStartDelay": ⟦"-5m"⟧ }') },
  { name: 'unknown key', code: 'schema', severity: 'warning', text: plan('{ "name": "a", "memory": { "startup": "1GB", ⟦"startUp"⟧: "2GB" } }') },
  { name: 'bad enum', code: 'schema', text: plan('{ "name": "a", "memory": { "startup": "1GB" }, "automaticStartAction": ⟦"Always"⟧ }') },
  { name: 'wrong type', code: 'schema', text: plan('{ "name": ⟦42⟧, "memory": { "startup": "1GB" } }') },
  { name: 'syntax error', code: 'syntax', text: '{ "hosts": [] ⟦"vms"⟧: [] }' },
  { name: 'nodeFailure without a cluster', code: 'scenario-event', text: plan('', HOST, ', "scenario": { "events": [{ "at": 0, "type": ⟦"nodeFailure"⟧, "host": "HV01" }] }') },
  { name: 'nodeDrain without a cluster', code: 'scenario-event', text: plan('', HOST, ', "scenario": { "events": [{ "at": 0, "type": ⟦"nodeDrain"⟧, "host": "HV01" }] }') },
  { name: 'vmMigrate without a destination', code: 'scenario-event', text: plan('{ "name": "a", "memory": { "startup": "1GB" } }', HOST, ', "scenario": { "events": [{ "at": 0, "type": ⟦"vmMigrate"⟧, "vm": "a" }] }') },
  { name: 'vmResize with nothing to change', code: 'scenario-event', text: plan('{ "name": "a", "memory": { "startup": "1GB" } }', HOST, ', "scenario": { "events": [{ "at": 0, "type": ⟦"vmResize"⟧, "vm": "a" }] }') },
  { name: 'a field another event type has', code: 'scenario-event', severity: 'warning', text: plan('{ "name": "a", "memory": { "startup": "1GB" } }', HOST, ', "scenario": { "events": [{ "at": 0, "type": "vmStart", "vm": "a", ⟦"failback"⟧: true }] }') },
  { name: 'unknown node in a rolling update', code: 'unknown-reference', text: plan('', `${HOST}, { "name": "HV02", "memory": "64GB" }`, ', "cluster": { "name": "CL" }, "scenario": { "events": [{ "at": 0, "type": "clusterUpdate", "nodes": ["HV02", ⟦"HV9"⟧] }] }') },
  { name: 'unknown possible owner', code: 'unknown-reference', text: plan('{ "name": "a", "memory": { "startup": "1GB" }, "possibleOwners": ["HV01", ⟦"HV9"⟧] }') },
  { name: 'placed off its possible owners', code: 'possible-owner', text: plan('{ "name": "a", "host": ⟦"HV01"⟧, "memory": { "startup": "1GB" }, "possibleOwners": "HV02" }', `${HOST}, { "name": "HV02", "memory": "64GB" }`, ', "cluster": { "name": "CL" }') },
  { name: 'two of one class on a node', code: 'anti-affinity', severity: 'warning', text: plan('{ "name": "a", "host": "HV01", "memory": { "startup": "1GB" }, "antiAffinityClass": "SQL" }, { "name": "b", "host": "HV01", "memory": { "startup": "1GB" }, "antiAffinityClass": ⟦["DC", "SQL"]⟧ }', `${HOST}, { "name": "HV02", "memory": "64GB" }`, ', "cluster": { "name": "CL" }') },
  { name: 'event after the end', code: 'event-after-end', severity: 'warning', text: plan('', HOST, ', "scenario": { "duration": "10m", "events": [{ "at": ⟦"11m"⟧, "type": "hostRestart", "host": "HV01" }] }') },
];

for (const c of cases) {
  test(`${c.code}: ${c.name}`, () => {
    const { text, spans } = marked(c.text);
    const { diagnostics } = analyzePlan(text, { scenario: false });
    const found = diagnostics.filter((d) => d.code === c.code);
    assert.ok(found.length > 0, `expected ${c.code}; got ${diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n') || 'nothing'}`);
    assert.deepEqual(found.map((d) => d.span), spans);
    for (const d of found) {
      assert.equal(d.severity, c.severity ?? 'error');
      assert.ok(d.message.length > 20, 'a message says what to do');
    }
  });
}

test('a clean plan has no diagnostics', () => {
  const text = plan('{ "name": "a", "memory": { "dynamic": true, "startup": "4GB", "minimum": "2GB", "maximum": "8GB" }, "smartPagingFilePath": "D:\\\\SP" }',
    '{ "name": "HV01", "memory": "64GB", "volumes": { "C:": "100GB", "D:": "100GB" } }');
  assert.deepEqual(analyzePlan(text, { scenario: false }).diagnostics, []);
});

test('values that cannot be read do not cascade into other rules', () => {
  const { diagnostics } = analyzePlan(plan('{ "name": "a", "memory": { "dynamic": true, "startup": "lots", "minimum": "2GB" } }'), { scenario: false });
  assert.deepEqual(diagnostics.map((d) => d.code), ['size-invalid']);
});

test('conflicts carry related locations', () => {
  const { text } = marked(plan('{ "name": "a", "memory": { "startup": "1GB" } }, { "name": "a", "memory": { "startup": "1GB" } }'));
  const dup = analyzePlan(text, { scenario: false }).diagnostics.find((d) => d.code === 'duplicate-name')!;
  assert.equal(text.slice(dup.related![0].span.start, dup.related![0].span.end), '"a"');
  assert.ok(dup.related![0].span.start < dup.span.start);
});

test('anti-affinity is a cluster matter: without a cluster the classes say nothing', () => {
  const text = plan('{ "name": "a", "memory": { "startup": "1GB" }, "antiAffinityClass": "SQL" }, { "name": "b", "memory": { "startup": "1GB" }, "antiAffinityClass": "SQL" }');
  assert.deepEqual(analyzePlan(text, { scenario: false }).diagnostics.filter((d) => d.code === 'anti-affinity'), []);
});

test('the new cluster keys and event fields are read with their documented defaults', () => {
  const { plan: p, diagnostics } = analyzePlan(plan('{ "name": "a", "memory": { "startup": "1GB" }, "preferredOwners": "HV01" }', HOST,
    ', "cluster": { "name": "CL" }, "scenario": { "events": [{ "at": 0, "type": "nodeResume", "host": "HV01" }, { "at": 1, "type": "vmMigrate", "vm": "a", "host": "HV01" }, { "at": 2, "type": "vmResize", "vm": "a", "startup": "2GB" }] }'), { scenario: false });
  assert.deepEqual(diagnostics, []);
  assert.deepEqual([p.cluster!.moveTypeThreshold, p.cluster!.enforcedAntiAffinity, p.cluster!.rootMemoryReservedBytes], ['Medium', false, 512 * 2 ** 20]);
  assert.equal(p.hosts[0].maxMigrations, 2);
  assert.deepEqual([p.vms[0].possibleOwners, p.vms[0].preferredOwners, p.vms[0].antiAffinityClasses], [undefined, ['HV01'], []]);
  assert.deepEqual(p.scenario.events.map(({ index: _i, span: _s, spans: _p, ...e }) => e), [
    { atSeconds: 0, type: 'nodeResume', host: 'HV01', failback: true },
    { atSeconds: 1, type: 'vmMigrate', vm: 'a', host: 'HV01', moveType: 'live' },
    { atSeconds: 2, type: 'vmResize', vm: 'a', startupBytes: 2 * 2 ** 30 },
  ]);
});

test('a static VM takes its startup as minimum and maximum whatever is written', () => {
  const { plan: p } = analyzePlan(plan('{ "name": "a", "memory": { "startup": "2GB", "minimum": "1GB", "maximum": "8GB" } }'), { scenario: false });
  assert.equal(p.vms[0].minimumBytes, p.vms[0].startupBytes);
  assert.equal(p.vms[0].maximumBytes, p.vms[0].startupBytes);
});
