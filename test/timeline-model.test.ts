import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  TimelineModel, csvCell, defaultHost, focusRange, decimationIndices, formatBytesApart, seriesCsv, sortRows, stackLayers, arrivalGroups, type Arrival,
} from '../client/webview/model';
import { hostMarkers, markerLabel } from '../client/webview/markers';
import { reviewOf } from '../client/webview/operations';
import { review } from '../server/src/core/simulate/review';
import type { SimulationResult } from '../server/src/core/simulate/types';
import { readPlan } from '../server/src/core/read';
import { simulate } from '../server/src/core/simulate';
import { syntheticResult, withFailover } from './timeline-fixture';
import { generatePlan } from './support/plans';
import { analyzePlan, simulationBlockers } from '../server/src/core/analyze';
import { PLAN_TEMPLATES } from '../client/src/onboarding/templates';

const GB = 1024 ** 3;
const summaryRows = (result: SimulationResult) => new TimelineModel(result).rows();

test('decimation keeps every sample of a short series', () => {
  assert.deepEqual(decimationIndices(5, 100, []), [0, 1, 2, 3, 4]);
});

test('decimation stays near the limit, keeps first and last, and keeps a one-sample spike', () => {
  const n = 100_000;
  const spike = new Array<number>(n).fill(0);
  spike[54_321] = 7;
  const kept = decimationIndices(n, 2000, [spike]);
  assert.ok(kept.length <= 2001, `kept ${kept.length}`);
  assert.ok(kept.length > 1000, `kept ${kept.length}`);
  assert.equal(kept[0], 0);
  assert.equal(kept[kept.length - 1], n - 1);
  assert.ok(kept.includes(54_321));
  assert.deepEqual(kept, [...kept].sort((a, b) => a - b), 'ascending');
  assert.equal(new Set(kept).size, kept.length, 'no duplicates');
});

test('stacking adds shown layers bottom to top and a hidden layer adds nothing', () => {
  const layers = [
    { label: 'a', kind: 'vm' as const, values: [1, 2] },
    { label: 'b', kind: 'vm' as const, values: [10, 20] },
    { label: 'c', kind: 'free' as const, values: [100, 200] },
  ];
  assert.deepEqual(stackLayers(layers, [true, true, true]), [[1, 2], [11, 22], [111, 222]]);
  assert.deepEqual(stackLayers(layers, [true, false, true]), [[1, 2], [1, 2], [101, 202]]);
});

test('a host view stacks its top VMs, sums the rest as others, and the bands add up to the host', () => {
  const result = syntheticResult({ hosts: 2, vmsPerHost: 30, seconds: 600 });
  const view = new TimelineModel(result).hostView('HV02', { topVms: 5 })!;
  const vmLayers = view.layers.filter((l) => l.kind === 'vm');
  assert.equal(vmLayers.length, 5);
  const others = view.layers.find((l) => l.kind === 'others')!;
  assert.equal(others.label, '25 other VMs');
  assert.ok(vmLayers.every((l) => l.label.startsWith('VM-2-')), 'only VMs of HV02');
  const host = result.series.hosts.HV02;
  view.t.forEach((t, j) => {
    const physical = [...vmLayers, others].reduce((sum, l) => sum + l.values[j], 0);
    assert.equal(physical, host.physical[t], `physical at t=${t}`);
  });
  assert.deepEqual(view.layers.slice(-3).map((l) => l.kind), ['overhead', 'free', 'smartPaging']);
  assert.equal(view.capacityBytes, result.hosts.HV02.capacity);
});

test('a host view of a long run is decimated but keeps the Smart Paging peak', () => {
  const result = syntheticResult({ hosts: 1, vmsPerHost: 40, seconds: 20_000 });
  const view = new TimelineModel(result).hostView('HV01', { maxPoints: 500 })!;
  assert.ok(view.t.length <= 501, `${view.t.length} points`);
  assert.equal(view.sampleCount, 20_001);
  const paging = view.layers.find((l) => l.kind === 'smartPaging')!.values;
  assert.equal(Math.max(...paging), Math.max(...result.series.hosts.HV01.smartPaging));
  for (const layer of view.layers) assert.equal(layer.values.length, view.t.length);
});

test('a small host shows every VM by name, with no "others"', () => {
  const view = new TimelineModel(syntheticResult({ hosts: 1, vmsPerHost: 4, seconds: 300 })).hostView('HV01')!;
  assert.deepEqual(view.layers.filter((l) => l.kind === 'vm').map((l) => l.label).sort(), ['VM-1-1', 'VM-1-2', 'VM-1-3', 'VM-1-4']);
  assert.equal(view.layers.some((l) => l.kind === 'others'), false);
});

test('a VM that fails over counts on each host only while it is there', () => {
  const result = syntheticResult({ hosts: 2, vmsPerHost: 2, seconds: 200 });
  result.series.vms['VM-1-1'] = { t: [0, 100], host: [0, 1], physical: [3 * GB, 3 * GB], smartPaging: [0, 0], demand: [GB, GB] };
  const model = new TimelineModel(result);
  const on = (host: string) => {
    const view = model.hostView(host, { topVms: 10 })!;
    const layer = view.layers.find((l) => l.label === 'VM-1-1')!;
    return [view.t.indexOf(50), view.t.indexOf(150)].map((j) => layer.values[j]);
  };
  assert.deepEqual(on('HV01'), [3 * GB, 0]);
  assert.deepEqual(on('HV02'), [0, 3 * GB]);
});

test('events on one host become markers; same kind at the same instant share one', () => {
  const result = syntheticResult({ hosts: 2, vmsPerHost: 6, seconds: 400 });
  const markers = hostMarkers(result.events, 'HV01');
  assert.ok(markers.every((m) => m.items.every((i) => !i.vm || i.vm.startsWith('VM-1-'))), 'only HV01');
  assert.equal(markers.some((m) => m.items.some((i) => /stop/.test(i.text) && i.vm)), false, 'no stop markers');
  const restart = markers.find((m) => m.kind === 'hostRestart')!;
  assert.equal(restart.t, 60);
  const paging = markers.filter((m) => m.kind === 'smartPagingStarted');
  assert.deepEqual(paging.map((m) => m.items[0].vm), ['VM-1-4', 'VM-1-5']);
  assert.match(paging[0].items[0].text, /2 GB in D:\\Paging/);
  const failed = markers.find((m) => m.kind === 'vmStartFailed')!;
  assert.equal(failed.items[0].vm, 'VM-1-6');
  assert.equal(failed.items[0].text, 'VM-1-6: not enough memory (needs 6 GB, 1 GB free)');
  assert.match(failed.title, /^0:01:12 start failed$/);
  const started = markers.find((m) => m.kind === 'vmStarted' && m.items[0].vm === 'VM-1-4')!;
  assert.match(started.items[0].text, /restart with 4 GB physical \+ 2 GB Smart Paging/);

  const together = hostMarkers([
    { t: 5, type: 'vmStarted', vm: 'A', host: 'H', physicalBytes: GB, smartPagingBytes: 0, restart: false, failover: true },
    { t: 5, type: 'vmStarted', vm: 'B', host: 'H', physicalBytes: GB, smartPagingBytes: 0, restart: false, failover: true },
    { t: 5, type: 'vmStartFailed', vm: 'C', host: 'H', reason: 'no-capacity', message: '' },
  ], 'H');
  assert.deepEqual(together.map((m) => [m.kind, m.items.length]), [['vmStarted', 2], ['vmStartFailed', 1]]);
  assert.match(together[0].items[1].text, /^B: failover start/);
});

test('the summary puts failures first, then Smart Paging, with reasons and paths', () => {
  const rows = summaryRows(syntheticResult({ hosts: 1, vmsPerHost: 6, seconds: 400 }));
  assert.equal(rows[0].name, 'VM-1-6');
  assert.equal(rows[0].startFailures, 1);
  assert.equal(rows[0].failureReasons, 'not enough memory at 0:01:12');
  assert.equal(rows[0].failureDetails, '0:01:12 on HV01: needs 6 GB, 1 GB free');
  assert.deepEqual(rows.slice(1, 3).map((r) => [r.name, r.smartPagingPeakBytes, r.smartPagingPath]), [
    ['VM-1-4', 2 * GB, 'D:\\Paging'], ['VM-1-5', 2 * GB, 'D:\\Paging'],
  ]);
  assert.equal(rows[3].smartPagingPeakBytes, 0);
  assert.equal(rows[1].smartPagingWhy, 'restart at 0:01:08: HV01 had only 4 GB of its 6 GB startup memory');
  assert.equal(rows[3].smartPagingWhy, '');
});

test('the chart opens on the events when they are all early in a long run, else on the whole run', () => {
  const early = new TimelineModel(syntheticResult({ hosts: 1, vmsPerHost: 6, seconds: 3600 })).hostView('HV01')!;
  const lastEvent = Math.max(...early.markers.map((m) => m.t));
  const [from, to] = focusRange(early);
  assert.equal(from, 0);
  assert.ok(to > lastEvent && to < 3600, `0..${to}`);
  const busy = new TimelineModel(syntheticResult({ hosts: 1, vmsPerHost: 6, seconds: 300 })).hostView('HV01')!;
  assert.deepEqual(focusRange(busy), [0, 300]);
});

test('rows sort by any column both ways, ties by name', () => {
  const rows = summaryRows(syntheticResult({ hosts: 2, vmsPerHost: 6, seconds: 400 }));
  const up = sortRows(rows, 'smartPagingPeakBytes', 'asc');
  const down = sortRows(rows, 'smartPagingPeakBytes', 'desc');
  assert.ok(up[0].smartPagingPeakBytes <= up[up.length - 1].smartPagingPeakBytes);
  assert.ok(down[0].smartPagingPeakBytes >= down[down.length - 1].smartPagingPeakBytes);
  assert.equal(up[0].name, 'VM-1-1');
  const byName = sortRows(rows, 'name', 'desc').map((r) => r.name);
  assert.deepEqual(byName, [...byName].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).reverse());
});

test('a VM view gives demand, memory and pressure', () => {
  const view = new TimelineModel(syntheticResult({ hosts: 1, vmsPerHost: 6, seconds: 400 })).vmView('VM-1-4')!;
  assert.deepEqual(view.t, [0, 60, 68, 188, 400], 'the last value holds to the end of the run');
  assert.deepEqual(view.smartPaging, [0, 0, 2 * GB, 0, 0]);
  // pressure is demand over all the VM holds, Smart Paging included (4 GB of 4 + 2 GB at 68 s), as `hvmem simulate` says
  assert.deepEqual(view.pressure, [80, null, 67, 100, 100]);
});

test('CSV has a column per band and quotes names so no cell becomes a formula', () => {
  const result = syntheticResult({ hosts: 1, vmsPerHost: 3, seconds: 100, vmName: (_, i) => ['=cmd()', 'a"b', 'c,d'][i] });
  const csv = seriesCsv(new TimelineModel(result).hostView('HV01')!);
  const [header, first] = csv.split('\r\n');
  assert.match(header, /"'=cmd\(\) bytes"/);
  assert.match(header, /"a""b bytes"/);
  assert.match(header, /"c,d bytes"/);
  assert.equal(first.split(',').length, header.split('","').length);
  assert.equal(csvCell('-1'), `"'-1"`);
  assert.equal(csvCell('SQL'), '"SQL"');
});

test('an unknown host or VM gives no view', () => {
  const model = new TimelineModel(syntheticResult({ hosts: 1, vmsPerHost: 2, seconds: 10 }));
  assert.equal(model.hostView('nope'), undefined);
  assert.equal(model.vmView('nope'), undefined);
  assert.deepEqual(model.overview().hosts.map((h) => [h.name, h.vmCount, h.troubledVms]), [['HV01', 2, 1]]);
});

test('the overview carries the counts and the first rows asked for; all rows on request', () => {
  const model = new TimelineModel(syntheticResult({ hosts: 3, vmsPerHost: 100, seconds: 200 }));
  assert.deepEqual(model.overview().rows, [], 'none unless asked: the chart comes first');
  const overview = model.overview(50);
  assert.equal(overview.rows.length, 50);
  assert.equal(overview.vmCount, 300);
  assert.equal(overview.failedVms, 3);
  assert.equal(overview.smartPagingVms, 3 * 49);
  assert.deepEqual(overview.rows, model.rows().slice(0, 50), 'the first rows of the default order');
  assert.equal(model.rows().length, 300);
});

test('names sort as people count', () => {
  const rows = summaryRows(syntheticResult({ hosts: 1, vmsPerHost: 12, seconds: 100 }));
  assert.deepEqual(sortRows(rows, 'name', 'asc').slice(0, 3).map((r) => r.name), ['VM-1-1', 'VM-1-2', 'VM-1-3']);
  assert.deepEqual(sortRows(rows, 'name', 'asc').slice(-2).map((r) => r.name), ['VM-1-11', 'VM-1-12']);
});

test('a marker says its time, its event and each VM, and says how many more it leaves out', () => {
  const result = syntheticResult({ hosts: 1, vmsPerHost: 4, seconds: 300, vmName: (_, i) => `SQL-${i}` });
  const [restart] = hostMarkers(result.events, 'HV01');
  assert.equal(markerLabel(restart), '0:01:00 host restart: HV01 restarts: its VMs stop');
  const failed = hostMarkers(result.events, 'HV01').find((m) => m.kind === 'vmStartFailed')!;
  assert.match(markerLabel(failed), /^0:01:08 start failed: SQL-3: not enough memory/);
  const crowd = { ...restart, items: Array.from({ length: 15 }, (_, i) => ({ vm: `VM${i}`, text: `VM${i}: start` })) };
  const label = markerLabel(crowd);
  assert.match(label, /VM11: start; and 3 more$/);
  assert.equal(label.includes('VM12'), false);
});

test("a failover start is noted on its VM's row: from which node, to which, when", () => {
  const result = withFailover(syntheticResult({ hosts: 3, vmsPerHost: 4, seconds: 600 }), { failed: 'HV02', at: 300, moves: { 'VM-2-1': 'HV01', 'VM-2-2': 'HV03' } });
  const rows = new Map(summaryRows(result).map((r) => [r.name, r]));
  assert.equal(rows.get('VM-2-1')!.moves, 'failover from HV02 to HV01 at 0:05:00');
  assert.equal(rows.get('VM-2-2')!.moves, 'failover from HV02 to HV03 at 0:05:00');
  assert.equal(rows.get('VM-2-3')!.moves, '', 'a VM failover did not move');
  assert.equal(rows.get('VM-1-1')!.moves, '');
  const sorted = sortRows([...rows.values()], 'moves', 'desc').map((r) => r.name);
  assert.deepEqual(sorted.slice(0, 2), ['VM-2-2', 'VM-2-1'], 'sorts like any text column');
});

test("the simulator's cluster result: each node carries RootMemoryReserved, the view its line, the rows their failovers", () => {
  const { plan } = readPlan(readFileSync('samples/cluster.hvmem.jsonc', 'utf8'));
  const result = simulate(plan);
  const reserved = plan.cluster!.rootMemoryReservedBytes;
  assert.ok(reserved > 0);
  for (const host of Object.values(result.hosts)) assert.equal(host.rootMemoryReserved, reserved);
  const model = new TimelineModel(result);
  const view = model.hostView('HV-A')!;
  assert.equal(view.rootMemoryReservedBytes, reserved);
  const [header, first] = seriesCsv(view).split('\r\n');
  assert.match(header, /"capacity bytes","memory bytes","failover limit bytes"$/);
  assert.equal(Number(first.split(',').at(-1)), view.capacityBytes - reserved);
  const moved = result.events.flatMap((e) => (e.type === 'vmStarted' && e.failover ? [e] : []));
  assert.ok(moved.length > 0, 'the sample fails HV-B over');
  for (const e of moved) {
    const row = model.rows().find((r) => r.name === e.vm)!;
    assert.equal(row.moves, `failover from HV-B to ${e.host} at 0:05:00`);
  }
  const alone = simulate(readPlan(readFileSync('samples/standalone-restart.hvmem.jsonc', 'utf8')).plan);
  for (const host of Object.values(alone.hosts)) assert.equal('rootMemoryReserved' in host, false, 'no cluster, no reserve');
  const aloneView = new TimelineModel(alone).hostView(Object.keys(alone.hosts)[0])!;
  assert.equal('rootMemoryReservedBytes' in aloneView, false);
  assert.match(seriesCsv(aloneView).split('\r\n')[0], /"memory bytes"$/);
});

const plan = (text: string) => simulate(readPlan(text).plan);

/** Two nodes of 128 GB, 10 static VMs of 10 GB each; N1 fails at 5:00 and only two of its VMs find room on N2. */
function strandedCluster(): SimulationResult {
  const vms = Array.from({ length: 20 }, (_, i) => ({
    name: `VM${String(i).padStart(2, '0')}`,
    host: i < 10 ? 'N1' : 'N2',
    memory: { startup: '10GB' },
  }));
  return plan(JSON.stringify({
    cluster: { name: 'C', rootMemoryReserved: '2GB' },
    hosts: [{ name: 'N1', memory: '128GB' }, { name: 'N2', memory: '128GB' }],
    vms,
    scenario: { duration: '30m', events: [{ at: '5m', type: 'nodeFailure', host: 'N1' }, { at: '15m', type: 'demand', vm: 'VM12', memory: '14GB' }] },
  }));
}

test('VMs that could not fail over stay on their failed node, with "no node could take it"; the survivor counts only what ran there', () => {
  const model = new TimelineModel(strandedCluster());
  const rows = new Map(model.rows().map((r) => [r.name, r]));
  const stranded = ['VM02', 'VM03', 'VM04', 'VM05', 'VM06', 'VM07', 'VM08', 'VM09'];
  for (const vm of stranded) {
    assert.equal(rows.get(vm)!.host, 'N1', `${vm} never ran on N2`);
    assert.equal(rows.get(vm)!.failureReasons, 'no node could take it at 0:05:00');
    assert.doesNotMatch(rows.get(vm)!.failureReasons, new RegExp(vm), 'the cell does not repeat the name');
    assert.match(rows.get(vm)!.failureDetails, /^0:05:00 on N1: no node can take its \d+ GB startup memory/);
  }
  const hosts = new Map(model.overview().hosts.map((h) => [h.name, h]));
  assert.deepEqual([hosts.get('N1')!.vmCount, hosts.get('N1')!.troubledVms, hosts.get('N1')!.failed], [10, 8, true]);
  assert.equal(hosts.get('N2')!.vmCount, 12, 'its own ten and the two that failed over to it');
  assert.equal(hosts.get('N2')!.troubledVms, 1, 'VM12, short of its demand');
  const headline = model.overview().headline;
  assert.deepEqual(headline.slice(0, 4), [
    '20 VMs on 2 hosts over 30 min.',
    'N1 failed at 0:05:00.',
    '2 VMs failed over: VM00 and VM01 to N2.',
    '8 VMs could not fail over, no node could take them: VM02, VM03, VM04, VM05 and 4 more.',
  ]);
});

test('a failed node is down from its failure to the end; a restarting host until it is up', () => {
  const model = new TimelineModel(strandedCluster());
  assert.deepEqual(model.hostView('N1')!.states, [{ from: 300, to: 1800, kind: 'failed', label: 'down: failed at 0:05:00', detail: 'N1 down: failed at 0:05:00, to the end of the run' }]);
  assert.deepEqual(model.hostView('N2')!.states, []);
  const restart = new TimelineModel(syntheticResult({ hosts: 1, vmsPerHost: 2, seconds: 200 }));
  assert.deepEqual(restart.hostView('HV01')!.states.map((s) => [s.from, s.to, s.kind, s.label]), [[60, 60, 'restarting', 'restarting']]);
});

test('bands: VMs that arrive later go on top, VMs that hold nothing get no band and are not counted in "others"', () => {
  const result = withFailover(syntheticResult({ hosts: 2, vmsPerHost: 3, seconds: 400 }), { failed: 'HV02', at: 300, moves: { 'VM-2-1': 'HV01' } });
  const series = result.series.vms['VM-2-1'];
  series.t.push(300); series.host.push(0); series.physical.push(4 * GB); series.smartPaging.push(0); series.demand.push(GB);
  result.series.vms['IDLE'] = { t: [0], host: [0], physical: [0], smartPaging: [0], demand: [0] };
  result.vms['IDLE'] = { ...result.vms['VM-1-1'], host: 'HV01', running: false, starts: 0, assignedBytes: 0 };
  const view = new TimelineModel(result).hostView('HV01')!;
  const vmBands = view.layers.filter((l) => l.kind === 'vm').map((l) => l.label);
  assert.equal(vmBands.at(-1), 'VM-2-1', 'the failover arrival is stacked on top');
  assert.equal(vmBands.includes('IDLE'), false);
  const crowded = new TimelineModel(syntheticResult({ hosts: 1, vmsPerHost: 14, seconds: 300 }));
  assert.equal(crowded.hostView('HV01', { topVms: 5 })!.layers.find((l) => l.kind === 'others')!.label, '9 other VMs');
  const last = crowded.result.vms['VM-1-14'];
  assert.equal(last.startFailures, 1, 'the last VM only ever failed…');
  const withIdle = (() => { const r = syntheticResult({ hosts: 1, vmsPerHost: 14, seconds: 300 }); r.series.vms['VM-1-14'].physical.fill(0); return r; })();
  assert.equal(new TimelineModel(withIdle).hostView('HV01', { topVms: 5 })!.layers.find((l) => l.kind === 'others')!.label, '8 other VMs', '…and holding nothing it is not one of the others');
});

test('a VM keeps its colour on every host it runs on', () => {
  const result = withFailover(syntheticResult({ hosts: 2, vmsPerHost: 3, seconds: 400 }), { failed: 'HV02', at: 300, moves: { 'VM-2-2': 'HV01' } });
  const series = result.series.vms['VM-2-2'];
  series.t.push(300); series.host.push(0); series.physical.push(4 * GB); series.smartPaging.push(0); series.demand.push(GB);
  const model = new TimelineModel(result);
  const colorOn = (host: string) => model.hostView(host)!.layers.find((l) => l.label === 'VM-2-2')!.color;
  assert.equal(colorOn('HV01'), colorOn('HV02'));
  const colors = model.hostView('HV01')!.layers.filter((l) => l.kind === 'vm').map((l) => l.color);
  assert.equal(new Set(colors).size, colors.length, 'VMs of one host differ');
});

test("the cluster sample's headline: HV-B failed, 3 VMs moved, BUILD-B stayed off, APP-C1 at 104 %; it opens on HV-C", () => {
  const result = simulate(readPlan(readFileSync('samples/cluster.hvmem.jsonc', 'utf8')).plan);
  const model = new TimelineModel(result);
  const overview = model.overview();
  assert.deepEqual(overview.headline, [
    '10 VMs on 3 hosts over 20 min.',
    'HV-B failed at 0:05:00.',
    '3 VMs failed over: SQL-B to HV-C; RDS-B1 and FILE-B to HV-A.',
    'APP-C1 ended short of its demand, at 104 % pressure: it holds 27 GB of the 28 GB its guest needs.',
    'BUILD-B stayed off after HV-B failed.',
  ]);
  assert.equal(defaultHost(overview), 'HV-C', 'the node where a VM ends short of its demand');
  const app = model.rows().find((r) => r.name === 'APP-C1')!;
  assert.deepEqual([app.pressurePercent, app.shortBytes], [104, GB]);
  assert.equal(model.rows()[0].name, 'APP-C1', 'short of demand counts as trouble');
  assert.equal(model.rows().find((r) => r.name === 'BUILD-B')!.host, 'HV-B', 'off on the node it stopped on');
  assert.equal(model.rows().find((r) => r.name === 'BUILD-B')!.pressurePercent, null);
  const demand = model.hostView('HV-C')!.markers.find((m) => m.kind === 'demand')!;
  assert.deepEqual([demand.t, demand.items], [600, [{ vm: 'APP-C1', text: 'APP-C1: the guest now needs 28 GB' }]]);
  assert.equal(model.hostView('HV-A')!.markers.some((m) => m.kind === 'demand'), false, 'only on the host the VM is on');
});

test('a calm run says so; the standalone sample names its Smart Paging restart', () => {
  const calm = plan('{ "hosts": [{ "name": "H", "memory": "16GB" }], "vms": [{ "name": "a", "memory": { "startup": "2GB" } }], "scenario": { "events": [] } }');
  assert.deepEqual(new TimelineModel(calm).overview().headline, ['1 VM on 1 host over 30 min.', 'Every VM that ran came back, none on Smart Paging, none short of its demand.']);
  const sample = new TimelineModel(simulate(readPlan(readFileSync('samples/standalone-restart.hvmem.jsonc', 'utf8')).plan));
  assert.equal(sample.overview().headline.at(-1), 'WEB02 used Smart Paging: 4.5 GB on disk for 2 min 12 s.');
});

test('the failover limit reads apart from capacity', () => {
  assert.equal(formatBytesApart(125.5 * GB, 126 * GB), '125.5 GB');
  assert.equal(formatBytesApart(126 * GB, 126 * GB), '126 GB');
  assert.equal(formatBytesApart(124 * GB, 126 * GB), '124 GB');
  assert.equal(formatBytesApart(126 * GB - 1024 ** 2, 126 * GB), '125.999 GB');
});

test('names that are members of Object.prototype work as host and VM names, through JSON as the page gets them', () => {
  const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
  const text = JSON.stringify({
    hosts: [{ name: 'toString', memory: '16GB' }, { name: 'valueOf', memory: '16GB' }],
    vms: names.map((name, i) => ({ name, host: i % 2 ? 'valueOf' : 'toString', memory: { dynamic: true, startup: '2GB', minimum: '512MB', maximum: '4GB' }, demand: '1GB' })),
    scenario: { duration: '10m', events: [{ at: '1m', type: 'hostRestart', host: 'toString' }, { at: '2m', type: 'demand', vm: 'constructor', memory: '3GB' }] },
  });
  // The editor gets the result through JSON (LSP) and the page through postMessage: plain objects again.
  const result = JSON.parse(JSON.stringify(plan(text))) as SimulationResult;
  const model = new TimelineModel(result);
  assert.deepEqual(model.rows().map((r) => r.name).sort(), [...names].sort());
  assert.deepEqual(model.overview().hosts.map((h) => [h.name, h.vmCount]), [['toString', 3], ['valueOf', 2]]);
  const view = model.hostView('toString')!;
  assert.deepEqual(view.layers.filter((l) => l.kind === 'vm').map((l) => l.label).sort(), ['__proto__', 'toString', 'valueOf']);
  assert.ok(view.markers.some((m) => m.kind === 'hostRestart'));
  assert.ok(model.hostView('valueOf')!.markers.some((m) => m.kind === 'demand' && m.items[0].vm === 'constructor'));
  for (const name of names) assert.equal(model.vmView(name)?.vm, name, `${name}'s detail`);
  assert.equal(model.hostView('hasOwnProperty'), undefined, 'not a host: no view, not a function from the prototype');
  assert.equal(model.vmView('isPrototypeOf'), undefined);
});

/** A host whose dynamic VMs ramp up and down for minutes: the balancer moves them a step each second. */
const RAMPING = JSON.stringify({
  hosts: [{ name: 'H', memory: '64GB' }],
  vms: Array.from({ length: 6 }, (_, i) => ({
    name: `ramp${i}`, memory: { dynamic: true, startup: '4GB', minimum: '1GB', maximum: '24GB', buffer: 20 },
    demand: [{ at: 0, memory: '2GB' }, { at: 60 + 30 * i, memory: '16GB' }, { at: 900, memory: '3GB' }],
  })),
  scenario: { duration: '30m', events: [{ at: '5m', type: 'hostRestart', host: 'H' }] },
});

test('the drawn stack is the host: at every sample the VM bands add up to its physical memory and the stack never passes capacity', () => {
  // Plans the product simulates: without errors that block it (names are unique, so each VM has its own series).
  const simulated = (text: string) => {
    const analysis = analyzePlan(text, { scenario: false });
    return simulationBlockers(analysis.diagnostics).length ? [] : [simulate(analysis.plan)];
  };
  const results = [
    ...['standalone-restart', 'cluster'].map((s) => simulate(readPlan(readFileSync(`samples/${s}.hvmem.jsonc`, 'utf8')).plan)),
    ...PLAN_TEMPLATES.map((t) => plan(t.text)),
    strandedCluster(), plan(RAMPING),
    ...Array.from({ length: 60 }, (_, seed) => simulated(generatePlan(seed))).flat(),
  ];
  assert.ok(results.length > 40, `${results.length} results`);
  const MB = 1024 ** 2;
  for (const result of results) {
    const model = new TimelineModel(result);
    for (const host of model.hostNames()) {
      const series = result.series.hosts[host];
      const capacity = result.hosts[host].capacity;
      // Every VM its own band (what the series say, nothing summed into "others"), and the usual ten.
      for (const topVms of [Infinity, 10]) {
        const view = model.hostView(host, { topVms })!;
        const at = new Map(result.series.t.map((t, i) => [t, i]));
        view.t.forEach((t, j) => {
          const i = at.get(t)!;
          const vms = view.layers.filter((l) => l.kind === 'vm' || l.kind === 'others').reduce((s, l) => s + l.values[j], 0);
          assert.ok(Math.abs(vms - series.physical[i]) <= MB, `${host} at ${t}: bands ${vms} vs host ${series.physical[i]} (top ${topVms})`);
          const stack = view.layers.filter((l) => l.kind !== 'smartPaging').reduce((s, l) => s + l.values[j], 0);
          assert.ok(stack <= capacity + MB, `${host} at ${t}: the stack ${stack} passes capacity ${capacity}`);
        });
      }
    }
  }
});

test('migrations show on both nodes with their duration, a rolling update on every chart, memory arriving by migration as its own band', () => {
  const result = plan(JSON.stringify({
    cluster: { name: 'C' },
    hosts: [{ name: 'N1', memory: '64GB' }, { name: 'N2', memory: '64GB' }, { name: 'N3', memory: '64GB' }],
    vms: [{ name: 'a', host: 'N1', memory: { startup: '8GB' } }, { name: 'b', host: 'N1', memory: { startup: '8GB' } }, { name: 'c', host: 'N2', memory: { startup: '8GB' } }],
    scenario: { duration: '30m', events: [{ at: '1m', type: 'vmMigrate', vm: 'a', host: 'N2' }, { at: '15m', type: 'clusterUpdate' }] },
  }));
  const model = new TimelineModel(result);
  const at = (host: string, t: number) => model.hostView(host)!.markers.filter((m) => m.t === t).map((m) => m.kind);
  assert.deepEqual(at('N1', 60), ['vmMigrationStarted'], 'where it leaves');
  assert.deepEqual(at('N2', 68), ['vmMigrated'], 'where it arrives');
  assert.deepEqual(at('N3', 60), [], 'not on the node it does not touch');
  const started = model.hostView('N1')!.markers.find((m) => m.kind === 'vmMigrationStarted')!;
  assert.equal(started.items[0].text, 'a: live migration from N1 to N2 (8 GB), done at 0:01:08 in 8 s', 'the start says how long it took');
  const moved = model.hostView('N2')!.markers.find((m) => m.kind === 'vmMigrated')!;
  assert.deepEqual([moved.glyph, moved.tone, moved.items[0].text], ['arrow', 'started', 'a: live migration from N1 to N2 done in 8 s, since 0:01:00']);
  const ended = result.events.find((e) => e.type === 'clusterUpdateEnded')!;
  for (const host of ['N1', 'N2', 'N3']) assert.ok(at(host, ended.t).includes('clusterUpdateEnded'), `${host} shows the end of the rolling update`);
  const n2 = model.hostView('N2')!;
  const arriving = n2.layers.find((l) => l.kind === 'incoming')!.values;
  assert.equal(arriving[n2.t.indexOf(64)], 8 * GB + 88 * 1024 ** 2, 'a\'s memory and overhead, held for it while it crosses');
  assert.equal(arriving[n2.t.indexOf(120)], 0, 'and given back once it has arrived');
  assert.deepEqual(n2.arrivals[0], { vm: 'a', source: 'N1', from: 60, to: 68, bytes: 8 * GB, moveType: 'live', purpose: 'move', ok: true });
  const headline = model.overview().headline;
  assert.deepEqual(headline.slice(1), [
    'The rolling update went through: 3 nodes (N1, N2 and N3) in 32 s, 0:15:00 to 0:15:32.',
    'No VM went down: every move was live.',
    // The update's moves are its own story: only the single move is a migration of its own.
    '1 VM migrated: a to N2.',
  ]);
  const a = model.rows().find((r) => r.name === 'a')!;
  assert.deepEqual(a.moves.split('\n'), [
    'move: live from N1 to N2 at 0:01:00, 8 s',
    'drain: live from N2 to N3 at 0:15:16, 8 s',
    'failback: live from N3 to N2 at 0:15:24, 8 s',
  ]);
  const [update] = model.hostView('N3')!.updates;
  assert.deepEqual(update.nodes.map((n) => [n.host, n.ok, n.phases.map((p) => `${p.kind} ${p.from}-${p.to}`)]), [
    ['N1', true, ['drain 900-908', 'restart 908-908', 'failback 908-916']],
    ['N2', true, ['drain 916-924', 'restart 924-924', 'failback 924-932']],
    ['N3', true, ['drain 932-932', 'restart 932-932', 'failback 932-932']],
  ]);
  assert.deepEqual(update.end, { t: 932, ok: true, text: 'done in 32 s' });
  assert.equal(model.hostView('N1')!.markers.find((m) => m.kind === 'clusterUpdateEnded')!.tone, 'started');
});

const PATCH_NIGHT = () => simulate(readPlan(readFileSync('samples/patch-night.hvmem.jsonc', 'utf8')).plan);

test("the patch night: the headline says the run stopped at HV-C, after how long, why, and that no VM went down", () => {
  const model = new TimelineModel(PATCH_NIGHT());
  assert.deepEqual(model.overview().headline, [
    '11 VMs on 3 hosts over 45 min.',
    'The rolling update stopped at HV-C after 14 min 8 s (from 0:05:00): 2 of 3 nodes updated, HV-C left paused.',
    "What stopped it: HV-C's drain could not move SQL-C: no node it may run on (its possible owners: HV-C, HV-A) has room for the 96 GB it holds plus overhead (the best one could give 93.1 GB).",
    'No VM went down; quick migrations took WEB-A1, FILE-B and WEB-C1 offline while they moved (up to 32 s each).',
  ]);
  const [section] = model.overview().sections;
  assert.equal(section.title, 'Rolling update, node by node');
  assert.deepEqual(section.lines.map((l) => [l.host, l.tone]), [['HV-A', 'ok'], ['HV-B', 'ok'], ['HV-C', 'error']]);
  assert.equal(section.lines[0].text, 'HV-A: drained in 1 min 4 s: 4 VMs to HV-C (2) and HV-B (2), 3 live, 1 quick; restart: down at 0:06:04, back at 0:11:04 (5 min); failback: 4 VMs back in 1 min 4 s.');
  assert.match(section.lines[2].text, /^HV-C: drain failed at 0:19:08: SQL-C cannot move: no node it may run on .*; the others moved: 2 VMs to HV-B \(2\), 1 live, 1 quick\. The run stops here: HV-C stays paused and the nodes after it are not updated\.$/);
});

test('the patch night on the chart: phases per node across the top, the stop point, paused and down apart, arrivals labelled', () => {
  const model = new TimelineModel(PATCH_NIGHT());
  // From the sample: drains take as long as the slowest move (SQL-A: 64 GB at 1 GB/s), restarts 5 min.
  const views = ['HV-A', 'HV-B', 'HV-C'].map((h) => model.hostView(h)!);
  for (const v of views) assert.equal(v.updates.length, 1, `${v.host} shows the update`);
  const update = views[0].updates[0];
  assert.deepEqual(update.nodes.map((n) => [n.host, n.ok, n.phases.map((p) => `${p.kind} ${p.from}-${p.to}${p.ok ? '' : ' failed'}`)]), [
    ['HV-A', true, ['drain 300-364', 'restart 364-664', 'failback 664-728']],
    ['HV-B', true, ['drain 728-776', 'restart 776-1076', 'failback 1076-1124']],
    ['HV-C', false, ['drain 1124-1148 failed']],
  ]);
  assert.deepEqual(update.end, { t: 1148, ok: false, text: 'stopped at HV-C' });
  assert.deepEqual(update.notUpdated, [], 'HV-C was the last node');
  assert.deepEqual(update.nodes[0].labels, ['HV-A: drain 1 min 4 s, down 5 min, failback 1 min 4 s', 'HV-A: 7 min 8 s', 'HV-A'], 'the longest label that fits is drawn');
  assert.deepEqual(update.nodes[2].labels, ['HV-C: drain failed', 'HV-C: drain failed', 'HV-C']);
  assert.equal(views[2].markers.find((m) => m.kind === 'clusterUpdateEnded')!.tone, 'error', 'a run that stopped ends in red');
  // Paused from its drain, down while it restarts, taking VMs again once it resumes.
  assert.deepEqual(views[0].states.map((s) => [s.kind, s.from, s.to, s.label]), [['paused', 300, 364, 'paused'], ['restarting', 364, 664, 'restarting']]);
  assert.equal(views[0].states[0].detail, 'HV-A paused from 0:05:00: drained by 0:06:04; it takes no new VMs until it resumes at 0:11:04');
  assert.equal(views[0].states[1].detail, 'HV-A restarting from 0:06:04; back at 0:11:04');
  assert.deepEqual(views[2].states.map((s) => [s.kind, s.from, s.to, s.label]), [['paused', 1124, 2700, 'paused: drain failed']]);
  assert.equal(views[2].states[0].detail, 'HV-C paused from 0:18:44: its drain could not move SQL-C; it takes no new VMs to the end');
  assert.deepEqual(views[2].arrivals.map((a) => [a.vm, a.source, a.from, a.to, a.purpose]), [
    ['APP-A1', 'HV-A', 300, 315, 'drain'], ['APP-A2', 'HV-A', 315, 327, 'drain'], ['RDS-B1', 'HV-B', 728, 752, 'drain'], ['FILE-B', 'HV-B', 728, 748, 'drain'],
  ]);
  const sql = model.rows().find((r) => r.name === 'SQL-A')!;
  assert.equal(sql.moves, 'drain: live from HV-A to HV-B at 0:05:00, 1 min 4 s\nfailback: live from HV-B to HV-A at 0:11:04, 1 min 4 s');
  assert.equal(model.rows().find((r) => r.name === 'SQL-C')!.moves, 'drain: could not move from HV-C at 0:18:44 (no room)');
  assert.equal(model.rows().find((r) => r.name === 'BUILD-B')!.moves.split('\n')[0], 'drain: from HV-B to HV-A at 0:12:08, while off (owner only)');
});

test('the standalone restart: restored from saved state and booted in the headline, each shaded for as long as it lasts, each row says which', () => {
  const result = simulate(readPlan(readFileSync('samples/standalone-restart.hvmem.jsonc', 'utf8')).plan);
  const model = new TimelineModel(result);
  assert.deepEqual(model.overview().headline, [
    '7 VMs on 1 host over 30 min.',
    'HV01 restarted at 0:00:00 and was up again at 0:00:14.',
    'Restored from saved state: 2 VMs, 6.8 GB read back in 14 s (DC01 and APP01); booted: 4 VMs, 1 on Smart Paging (WEB02).',
    'WEB02 used Smart Paging: 4.5 GB on disk for 2 min 12 s.',
  ]);
  const view = model.hostView('HV01')!;
  const shades = Object.fromEntries(view.layers.filter((l) => l.starts).map((l) => [l.label, l.starts!.map((s) => `${s.kind} ${s.from}-${s.to}`)]));
  // Up at 14 s: the saved VMs are read back one after the other (DC01's 2 GB, then APP01's), the
  // ShutDown VMs boot for the model's 60 s, WEB01 and WEB02 after their 20 s start delay.
  assert.deepEqual(shades, {
    DC01: ['restore 14-18'], APP01: ['restore 14-28'], SQL01: ['boot 14-74'], APP02: ['boot 14-74'], WEB01: ['boot 34-94'], WEB02: ['boot 34-94'],
  });
  assert.match(view.layers.find((l) => l.label === 'WEB02')!.starts![0].detail, /^WEB02 booting \(restart\): holds its 6 GB startup memory, 4.5 GB of it on Smart Paging, for 1 min from 0:00:34$/);
  assert.equal(view.layers.find((l) => l.label === 'DC01')!.starts![0].detail, 'DC01 restoring from saved state: reads back the 2 GB it held, 0:00:14 to 0:00:18 (4 s); no boot, no Smart Paging');
  assert.deepEqual(view.states.map((s) => [s.kind, s.from, s.to]), [['restarting', 0, 14]]);
  const rows = new Map(model.rows().map((r) => [r.name, r]));
  assert.equal(rows.get('DC01')!.restart, 'saved 2 GB, restored at 0:00:14 in 4 s');
  assert.equal(rows.get('WEB02')!.restart, 'stopped at 0:00:00, booted at 0:00:34 on Smart Paging');
  assert.equal(rows.get('SQL01')!.restart, 'stopped at 0:00:00, booted at 0:00:14');
  assert.deepEqual([rows.get('TEST01')!.state, rows.get('TEST01')!.restart], ['off', ''], 'off throughout: the restart did nothing to it');
  assert.equal(rows.get('DC01')!.state, 'running');
});

test('a VM that ends saved: its row says so, and the headline', () => {
  const model = new TimelineModel(plan(JSON.stringify({
    hosts: [{ name: 'H', memory: '32GB' }],
    vms: [{ name: 'kept', memory: { startup: '4GB' }, automaticStartAction: 'Nothing' }, { name: 'web', memory: { startup: '2GB' }, automaticStopAction: 'TurnOff' }],
    scenario: { duration: '10m', events: [{ at: '1m', type: 'hostRestart', host: 'H' }] },
  })));
  const kept = model.rows().find((r) => r.name === 'kept')!;
  assert.deepEqual([kept.state, kept.restart], ['saved', 'saved 4 GB at 0:01:00, not restored']);
  assert.equal(model.rows().find((r) => r.name === 'web')!.restart, 'stopped at 0:01:00, booted at 0:01:08');
  const headline = model.overview().headline;
  assert.ok(headline.includes('Booted: 1 VM, 0 on Smart Paging.'), headline.join(' | '));
  assert.ok(headline.includes('kept ended saved: its memory is on disk, not running.'), headline.join(' | '));
});

test("a cluster node's restart: paused while it drains, restarting from the drain's end; a failed drain told once", () => {
  const model = new TimelineModel(plan(JSON.stringify({
    cluster: { name: 'C' },
    model: { hostBootSeconds: '2m' },
    hosts: [{ name: 'N1', memory: '64GB' }, { name: 'N2', memory: '32GB' }],
    vms: [{ name: 'a', host: 'N1', memory: { startup: '8GB' } }, { name: 'big', host: 'N1', memory: { startup: '40GB' } }],
    scenario: { duration: '30m', events: [{ at: '1m', type: 'hostRestart', host: 'N1' }] },
  })));
  const states = model.hostView('N1')!.states;
  // a (8 GB at 1 GB/s) moves in 8 s; big has no room on N2, is saved by the cluster, and the host goes down after it.
  assert.deepEqual(states.slice(0, 2).map((s) => [s.kind, s.from, s.to]), [['paused', 60, 68], ['restarting', 68, 268]]);
  assert.equal(states.filter((s) => s.kind === 'restarting').length, 1);
  const headline = model.overview().headline;
  assert.equal(headline.filter((l) => l.includes('big')).length, 2, `the drain line and the restore line: ${headline.join(' | ')}`);
  assert.ok(headline.includes('The drain of N1 could not move big.'));
  assert.ok(headline.some((l) => l.startsWith('Restored from saved state: 1 VM, 40 GB read back')), headline.join(' | '));
  assert.equal(headline.some((l) => /migrations? failed/.test(l)), false, 'the failed drain already says which move failed');
});

test("arrivals are labelled together while they overlap or queue in one operation, apart from the next operation's", () => {
  const arrival = (vm: string, from: number, to: number, purpose: 'drain' | 'failback', source = 'A'): Arrival => ({ vm, source, from, to, bytes: GB, moveType: 'live', purpose, ok: true });
  const groups = arrivalGroups([
    arrival('a1', 300, 315, 'drain'), arrival('a2', 315, 327, 'drain'),
    arrival('b1', 664, 728, 'failback', 'B'), arrival('b2', 679, 711, 'failback', 'C'),
    arrival('c1', 728, 776, 'drain', 'B'),
  ]);
  assert.deepEqual(groups.map((g) => [g.from, g.to, g.arrivals.map((a) => a.vm)]), [[300, 327, ['a1', 'a2']], [664, 728, ['b1', 'b2']], [728, 776, ['c1']]]);
});

test("the panel's review, host by host, is the core's review exactly: on the samples and on generated plans", () => {
  const results = [
    ...['standalone-restart', 'cluster', 'patch-night'].map((s) => simulate(readPlan(readFileSync(`samples/${s}.hvmem.jsonc`, 'utf8')).plan)),
    strandedCluster(), plan(RAMPING),
    ...Array.from({ length: 80 }, (_, seed) => {
      const analysis = analyzePlan(generatePlan(seed), { scenario: false });
      return simulationBlockers(analysis.diagnostics).length ? [] : [simulate(analysis.plan)];
    }).flat(),
  ];
  let operations = 0;
  for (const result of results) {
    const core = review(result);
    assert.deepEqual(reviewOf(result), core);
    operations += core.restarts.length + core.drains.length + core.failbacks.length + core.updates.length;
  }
  assert.ok(results.some((r) => review(r).updates.some((u) => u.ok === false)), 'a rolling update that stopped is among them');
  assert.ok(operations > 100, `${operations} operations compared`);
});
