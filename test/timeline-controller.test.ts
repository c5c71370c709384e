import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimelineController, exportBytes, type ControllerHost } from '../client/src/timeline/controller';
import type { ToWebview } from '../client/webview/protocol';
import type { SimulateResponse } from '../server/src/protocol';
import { syntheticResult } from './timeline-fixture';

/** A page and a language server under the test's control: each simulate() waits for the test to answer it. */
function harness(options: { host?: string } = {}) {
  const posted: ToWebview[] = [];
  const pending: ((r: SimulateResponse | null) => void)[] = [];
  const revealed: string[] = [];
  const saved: [string, string, Uint8Array][] = [];
  const target: ControllerHost = {
    documentUri: 'file:///plan.hvmem.jsonc',
    post: (m) => posted.push(m),
    simulate: () => new Promise((resolve) => pending.push(resolve)),
    reveal: (vm) => revealed.push(vm),
    save: (format, name, bytes) => saved.push([format, name, bytes]),
  };
  const controller = new TimelineController(target, { ...options, refreshDelayMs: 400, busyAfterMs: 250 });
  const types = () => posted.map((m) => m.type);
  return { controller, posted, pending, revealed, saved, types };
}

const good = (hosts = 2): SimulateResponse => ({ ok: true, version: 1, result: syntheticResult({ hosts, vmsPerHost: 4, seconds: 300 }) });

test('nothing reaches the page before ready; then it gets the result', async () => {
  const h = harness();
  const run = h.controller.refresh();
  h.pending[0](good());
  await run;
  assert.deepEqual(h.posted, []);
  h.controller.received({ type: 'ready' });
  assert.deepEqual(h.types(), ['result']);
  const result = h.posted[0] as Extract<ToWebview, { type: 'result' }>;
  assert.equal(result.documentUri, 'file:///plan.hvmem.jsonc');
  assert.equal(result.view?.host, 'HV01');
  assert.equal(result.overview.vmCount, 8);
  assert.deepEqual(result.overview.rows, [], 'rows follow when the page asks');
});

test('errors keep the last good result and show a banner; a good run clears it', async () => {
  const h = harness();
  h.controller.received({ type: 'ready' });
  let run = h.controller.refresh(); h.pending[0](good()); await run;
  run = h.controller.refresh(); h.pending[1]({ ok: false, version: 2, errors: ['plan.hvmem.jsonc:3:5 memory-order'] }); await run;
  assert.deepEqual(h.types(), ['result', 'errors', 'errors']);
  assert.deepEqual(h.posted[2], { type: 'errors', errors: ['plan.hvmem.jsonc:3:5 memory-order'] });
  h.controller.received({ type: 'selectHost', host: 'HV02' });
  assert.equal((h.posted[3] as Extract<ToWebview, { type: 'hostView' }>).view.host, 'HV02', 'the last good result still answers');
  run = h.controller.refresh(); h.pending[2](good()); await run;
  assert.deepEqual(h.posted.slice(-2).map((m) => m.type), ['result', 'errors']);
  assert.deepEqual(h.posted.at(-1), { type: 'errors', errors: [] });
  assert.equal((h.posted.at(-2) as Extract<ToWebview, { type: 'result' }>).view?.host, 'HV02', 'the chosen host is kept');
});

test('a failing request shows as an error, not a crash', async () => {
  const h = harness();
  h.controller.received({ type: 'ready' });
  const target = h.controller.refresh();
  h.pending[0](Promise.reject(new Error('server not running')) as unknown as SimulateResponse);
  await target;
  assert.deepEqual(h.posted, [{ type: 'errors', errors: ['the simulation failed: server not running'] }]);
});

test('no answer from the server (null) says so', async () => {
  const h = harness();
  h.controller.received({ type: 'ready' });
  const run = h.controller.refresh(); h.pending[0](null); await run;
  assert.equal(h.posted.length, 1);
  assert.match((h.posted[0] as Extract<ToWebview, { type: 'errors' }>).errors[0], /gave no simulation/);
});

test('an answer that a newer run superseded is dropped', async () => {
  const h = harness();
  h.controller.received({ type: 'ready' });
  const first = h.controller.refresh();
  const second = h.controller.refresh();
  h.pending[1](good(3));
  await second;
  h.pending[0](good(1));
  await first;
  const results = h.posted.filter((m): m is Extract<ToWebview, { type: 'result' }> => m.type === 'result');
  assert.equal(results.length, 1);
  assert.equal(results[0].overview.hosts.length, 3);
});

test('edits in a burst cause one simulation after they settle', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const h = harness();
  h.controller.scheduleRefresh();
  t.mock.timers.tick(300);
  h.controller.scheduleRefresh();
  t.mock.timers.tick(300);
  h.controller.scheduleRefresh();
  assert.equal(h.pending.length, 0);
  t.mock.timers.tick(400);
  assert.equal(h.pending.length, 1);
  h.controller.dispose();
});

test('a long simulation shows progress, and a restored panel shows its host again', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const h = harness({ host: 'HV02' });
  h.controller.received({ type: 'ready' });
  const run = h.controller.refresh();
  t.mock.timers.tick(100);
  assert.deepEqual(h.posted, [], 'a quick run shows no progress');
  t.mock.timers.tick(200);
  assert.deepEqual(h.posted, [{ type: 'busy', busy: true }]);
  h.pending[0](good());
  await run;
  assert.deepEqual(h.types(), ['busy', 'result', 'busy', 'errors']);
  assert.equal((h.posted[1] as Extract<ToWebview, { type: 'result' }>).view?.host, 'HV02');
  assert.deepEqual(h.posted[2], { type: 'busy', busy: false });
});

test('a page that comes back (panel shown again) gets the state again', async () => {
  const h = harness();
  h.controller.received({ type: 'ready' });
  const run = h.controller.refresh(); h.pending[0](good()); await run;
  h.controller.pageGone();
  h.controller.received({ type: 'selectVm', vm: 'VM-1-1' });
  assert.deepEqual(h.types(), ['result', 'errors'], 'nothing posted to a page that is gone');
  h.controller.received({ type: 'ready' });
  assert.deepEqual(h.types(), ['result', 'errors', 'result']);
});

test('reveal, VM detail and exports go where they should', async () => {
  const h = harness();
  h.controller.received({ type: 'ready' });
  const run = h.controller.refresh(); h.pending[0](good()); await run;
  h.controller.received({ type: 'reveal', vm: 'VM-1-2' });
  assert.deepEqual(h.revealed, ['VM-1-2']);
  h.controller.received({ type: 'allRows' });
  assert.equal((h.posted.at(-1) as Extract<ToWebview, { type: 'rows' }>).rows.length, 8);
  h.controller.received({ type: 'selectVm', vm: 'VM-1-2' });
  assert.equal((h.posted.at(-1) as Extract<ToWebview, { type: 'vmView' }>).view.vm, 'VM-1-2');
  h.controller.received({ type: 'selectVm', vm: 'nope' });
  h.controller.received({ type: 'selectHost', host: 'nope' });
  assert.equal(h.posted.at(-1)?.type, 'vmView', 'unknown names are ignored');
  h.controller.received({ type: 'export', format: 'csv', fileName: 'HV01-timeline.csv', data: 't,a\r\n' });
  h.controller.received({ type: 'export', format: 'png', fileName: 'x.png', data: 'javascript:alert(1)' });
  h.controller.received({ type: 'export', format: 'png', fileName: 'HV01.png', data: `data:image/png;base64,${Buffer.from([137, 80, 78, 71]).toString('base64')}` });
  assert.deepEqual(h.saved.map(([f, n, b]) => [f, n, [...b]]), [
    ['csv', 'HV01-timeline.csv', [...Buffer.from('t,a\r\n')]],
    ['png', 'HV01.png', [137, 80, 78, 71]],
  ]);
  assert.equal(exportBytes('png', 'data:text/html;base64,PGI+'), undefined);
});
