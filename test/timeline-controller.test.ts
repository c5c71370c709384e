import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TimelineController, exportBytes, type ApplyOutcome, type ControllerHost } from '../client/src/timeline/controller';
import type { AdviceView } from '../client/webview/adviceModel';
import type { ToWebview } from '../client/webview/protocol';
import type { AdviseResponse, SimulateResponse } from '../server/src/protocol';
import { advise, type Advice, type AdvisedFix } from '../server/src/core/advise';
import { analyzePlan } from '../server/src/core/analyze';
import { syntheticResult } from './timeline-fixture';

/** A page and a language server under the test's control: each simulate() and advise() waits for the
 * test to answer it. The Advice section's messages collect apart from the rest. */
function harness(options: { host?: string } = {}) {
  const posted: ToWebview[] = [];
  const advice: AdviceView[] = [];
  const pending: ((r: SimulateResponse | null) => void)[] = [];
  const advising: Advising[] = [];
  const applied: { version: number; edits: AdvisedFix['edits'] }[] = [];
  let outcome: ApplyOutcome = 'applied';
  const revealed: string[] = [];
  const saved: [string, string, Uint8Array][] = [];
  const target: ControllerHost = {
    documentUri: 'file:///plan.hvmem.jsonc',
    post: (m) => { if (m.type === 'advice') advice.push(m.advice); else posted.push(m); },
    simulate: () => new Promise((resolve) => pending.push(resolve)),
    advise: (progress, signal) => new Promise((resolve) => advising.push({ resolve, progress, signal })),
    applyEdits: async (version, edits) => { applied.push({ version, edits }); return outcome; },
    reveal: (vm) => revealed.push(vm),
    save: (format, name, bytes) => saved.push([format, name, bytes]),
  };
  const controller = new TimelineController(target, { ...options, refreshDelayMs: 400, busyAfterMs: 250 });
  const types = () => posted.map((m) => m.type);
  const willApply = (o: ApplyOutcome) => { outcome = o; };
  return { controller, posted, advice, pending, advising, applied, willApply, revealed, saved, types };
}

interface Advising {
  resolve(r: AdviseResponse | null): void;
  progress(step: string | undefined, percentage: number | undefined): void;
  signal: AbortSignal;
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

// The advice of the restart sample as the server computes it: one finding (WEB02 restarts on Smart
// Paging) with three fixes, each with its edits in the sample's text.
const SAMPLE = readFileSync('samples/standalone-restart.hvmem.jsonc', 'utf8');
const sampleAdvice: Advice = (() => {
  const a = analyzePlan(SAMPLE, { scenario: false });
  return JSON.parse(JSON.stringify(advise({ text: SAMPLE, root: a.root, plan: a.plan })));
})();
const advised = (version: number): AdviseResponse => ({ ok: true, version, advice: sampleAdvice });
const settle = async () => { for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r)); };
const ready = (v: AdviceView | undefined) => {
  assert.equal(v?.state, 'ready', `the advice is on the page: ${JSON.stringify(v)}`);
  return v as Extract<AdviceView, { state: 'ready' }>;
};

/** A page that is ready, a good simulation of version `version`, and the advice asked for after it. */
async function simulated(h: ReturnType<typeof harness>, version = 1): Promise<Advising> {
  h.controller.received({ type: 'ready' });
  const run = h.controller.refresh();
  h.pending.at(-1)!({ ...good(), version });
  await run;
  return h.advising.at(-1)!;
}

test('after a good simulation the advice is asked for, its progress shown, then its findings and fixes', async () => {
  assert.equal(sampleAdvice.findings[0]?.code, 'restart-smart-paging', 'the sample has the finding this test is about');
  const h = harness();
  const asked = await simulated(h);
  assert.equal(h.advising.length, 1, 'one request, after the simulation');
  assert.deepEqual(h.advice, [{ state: 'pending' }]);
  asked.progress('Trying fixes for WEB02', 40);
  assert.deepEqual(h.advice.at(-1), { state: 'pending', step: 'Trying fixes for WEB02', percentage: 40 });
  asked.resolve(advised(1));
  await settle();
  const view = ready(h.advice.at(-1));
  assert.deepEqual(view.findings.map((f) => f.fixes.map((x) => x.title)), sampleAdvice.findings.map((f) => f.fixes.map((x) => x.title)));
  assert.equal(asked.signal.aborted, false);
  // Shown to a page that comes back.
  h.controller.pageGone();
  const before = h.advice.length;
  h.controller.received({ type: 'ready' });
  assert.equal(h.advice.length, before + 1);
  assert.deepEqual(h.advice.at(-1), view);
});

test('an edit cancels the advice being worked out; its late answer is dropped', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const h = harness();
  const asked = await simulated(h);
  asked.resolve(advised(1));
  await settle();
  ready(h.advice.at(-1));
  // The next simulation's advice is being worked out when the plan is edited again.
  h.controller.scheduleRefresh();
  assert.equal(h.advice.at(-1)?.state, 'pending', 'the fixes of the old text are gone at once');
  t.mock.timers.tick(400);
  h.pending.at(-1)!({ ...good(), version: 2 });
  await settle();
  const second = h.advising.at(-1)!;
  assert.notEqual(second, asked);
  h.controller.scheduleRefresh();
  assert.equal(second.signal.aborted, true, 'the request is cancelled');
  second.resolve(advised(2));
  await settle();
  assert.equal(h.advice.at(-1)?.state, 'pending', 'the late answer is not shown');
  h.controller.received({ type: 'applyFix', fix: ready(h.advice.find((v) => v.state === 'ready')).findings[0].fixes[0].id });
  await settle();
  assert.deepEqual(h.applied, [], 'nor can its fixes be applied');
  h.controller.dispose();
});

test('a click on a fix applies that fix\'s edits to the version its advice is for, and says so', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const h = harness();
  (await simulated(h, 7)).resolve(advised(7));
  await settle();
  const fix = ready(h.advice.at(-1)).findings[0].fixes[1];
  h.controller.received({ type: 'applyFix', fix: fix.id });
  await settle();
  assert.deepEqual(h.applied, [{ version: 7, edits: sampleAdvice.findings[0].fixes[1].edits }]);
  const title = sampleAdvice.findings[0].fixes[1].title;
  assert.deepEqual(h.advice.at(-1), { state: 'pending', note: `Applied: ${title}.` });
  // The panel simulates the edited plan and shows its advice, with the note, once.
  t.mock.timers.tick(400);
  assert.equal(h.pending.length, 2, 'the plan is simulated again');
  h.pending[1]({ ...good(), version: 8 });
  await settle();
  h.advising.at(-1)!.resolve({ ok: true, version: 8, advice: { ...sampleAdvice, findings: [] } });
  await settle();
  assert.equal(ready(h.advice.at(-1)).summary, 'No findings: nothing to fix.');
  assert.equal(h.advice.at(-1)?.note, `Applied: ${title}.`);
  h.controller.scheduleRefresh();
  assert.deepEqual(h.advice.at(-1), { state: 'pending' }, 'the note goes with the next edit');
  h.controller.dispose();
});

test('a plan changed before the fix reached it: nothing applied, and the page is told', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const h = harness();
  (await simulated(h)).resolve(advised(1));
  await settle();
  h.willApply('changed');
  h.controller.received({ type: 'applyFix', fix: ready(h.advice.at(-1)).findings[0].fixes[0].id });
  await settle();
  assert.equal(h.applied.length, 1, 'the host was asked, for version 1');
  assert.deepEqual(h.advice.at(-1), { state: 'pending', note: 'The plan changed since this advice was worked out: nothing was applied.' });
  t.mock.timers.tick(400);
  assert.equal(h.pending.length, 2, 'and the panel catches up with the plan');
  h.willApply('failed');
  h.pending[1]({ ...good(), version: 2 });
  await settle();
  h.advising.at(-1)!.resolve(advised(2));
  await settle();
  h.controller.received({ type: 'applyFix', fix: ready(h.advice.at(-1)).findings[0].fixes[2].id });
  await settle();
  assert.equal(ready(h.advice.at(-1)).note, `Could not apply "${sampleAdvice.findings[0].fixes[2].title}" to the plan.`);
  h.controller.dispose();
});

test('a fix of an older version\'s advice, or an id that names none, is refused', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const h = harness();
  (await simulated(h, 1)).resolve(advised(1));
  await settle();
  const old = ready(h.advice.at(-1)).findings[0].fixes[0].id;
  h.controller.scheduleRefresh();
  t.mock.timers.tick(400);
  h.pending.at(-1)!({ ...good(), version: 2 });
  await settle();
  h.advising.at(-1)!.resolve(advised(2));
  await settle();
  const current = ready(h.advice.at(-1)).findings[0].fixes[0].id;
  assert.notEqual(current, old);
  for (const id of [old, '2:0:9', '2:5:0', 'nonsense']) h.controller.received({ type: 'applyFix', fix: id });
  await settle();
  assert.deepEqual(h.applied, []);
  assert.equal(h.advice.at(-1)?.note, 'The plan changed since this advice was worked out: nothing was applied.');
  h.controller.dispose();
});

test('no advice: the server refuses, gives nothing, fails, or the plan cannot be simulated', async () => {
  const h = harness();
  (await simulated(h)).resolve({ ok: false, version: 1, errors: ['WEB02 changed while the advice was computed', 'second'] });
  await settle();
  assert.deepEqual(h.advice.at(-1), { state: 'failed', error: 'WEB02 changed while the advice was computed (and 1 more)' });
  (await simulated(h)).resolve(null);
  await settle();
  assert.match((h.advice.at(-1) as { error: string }).error, /gave no advice/);
  const asked = await simulated(h);
  (asked as unknown as { resolve(r: unknown): void }).resolve(Promise.reject(new Error('connection lost')));
  await settle();
  assert.deepEqual(h.advice.at(-1), { state: 'failed', error: 'The advice failed: connection lost' });
  const run = h.controller.refresh();
  h.pending.at(-1)!({ ok: false, version: 4, errors: ['plan.hvmem.jsonc:3:5 memory-order'] });
  await run;
  assert.deepEqual(h.advice.at(-1), { state: 'failed', error: 'No advice while the plan cannot be simulated.' });
  assert.equal(h.advising.length, 3, 'not asked for a plan that does not simulate');
});

test('advice for a newer text than the chart shows: that text is simulated first', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const h = harness();
  (await simulated(h, 1)).resolve(advised(2));
  await settle();
  assert.equal(h.advice.at(-1)?.state, 'pending');
  t.mock.timers.tick(400);
  assert.equal(h.pending.length, 2, 'simulated again');
  h.controller.dispose();
});
