import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  TimelineModel, csvCell, defaultHost, focusRange, decimationIndices, formatBytesApart, seriesCsv, sortRows, stackLayers,
} from '../client/webview/model';
import { hostMarkers, markerLabel } from '../client/webview/markers';
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
  assert.equal(rows.get('VM-2-1')!.failover, 'from HV02 to HV01 at 0:05:00');
  assert.equal(rows.get('VM-2-2')!.failover, 'from HV02 to HV03 at 0:05:00');
  assert.equal(rows.get('VM-2-3')!.failover, '', 'a VM failover did not move');
  assert.equal(rows.get('VM-1-1')!.failover, '');
  const sorted = sortRows([...rows.values()], 'failover', 'desc').map((r) => r.name);
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
    assert.equal(row.failover, `from HV-B to ${e.host} at 0:05:00`);
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
  assert.deepEqual(model.hostView('N1')!.down, [{ from: 300, to: 1800, failed: true, label: 'down: failed at 0:05:00' }]);
  assert.deepEqual(model.hostView('N2')!.down, []);
  const restart = new TimelineModel(syntheticResult({ hosts: 1, vmsPerHost: 2, seconds: 200 }));
  assert.deepEqual(restart.hostView('HV01')!.down, [{ from: 60, to: 60, failed: false, label: 'restarting' }]);
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
  assert.deepEqual(sample.overview().headline, [
    '7 VMs on 1 host over 30 min.', 'HV01 restarted at 0:00:00 and was up again at 0:00:14.', 'DC01 and APP01 were saved and restored with the memory they held.',
    'WEB02 used Smart Paging: 4.5 GB on disk for 2 min 12 s.',
  ]);
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

test('migrations show on both nodes, a rolling update on every chart, memory arriving by migration as its own band', () => {
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
  const moved = model.hostView('N2')!.markers.find((m) => m.kind === 'vmMigrated')!;
  assert.deepEqual([moved.glyph, moved.tone, moved.items[0].text], ['arrow', 'started', 'a: moved from N1 to N2 in 8 s']);
  const ended = result.events.find((e) => e.type === 'clusterUpdateEnded')!;
  for (const host of ['N1', 'N2', 'N3']) assert.ok(at(host, ended.t).includes('clusterUpdateEnded'), `${host} shows the end of the rolling update`);
  const n2 = model.hostView('N2')!;
  const arriving = n2.layers.find((l) => l.kind === 'incoming')!.values;
  assert.equal(arriving[n2.t.indexOf(64)], 8 * GB + 88 * 1024 ** 2, 'a\'s memory and overhead, held for it while it crosses');
  assert.equal(arriving[n2.t.indexOf(120)], 0, 'and given back once it has arrived');
  const headline = model.overview().headline;
  assert.ok(headline.includes('The rolling update was done in 32 s.'), headline.join(' | '));
  assert.match(headline.find((l) => / migrated: /.test(l))!, /^3 VMs migrated: /);
  assert.match(model.rows().find((r) => r.name === 'a')!.failover, /^migrated from N1 to N2 at 0:01:08; /);
});
