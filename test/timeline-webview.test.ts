// The panel's page and the panel's controller talking through the message protocol, in headless
// Chromium with the editor's webview API stubbed: everything of the panel but VS Code itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TimelineController } from '../client/src/timeline/controller';
import { adviceView, type AdviceView } from '../client/webview/adviceModel';
import type { FromWebview, ToWebview } from '../client/webview/protocol';
import { shellHtml } from '../client/webview/shell';
import type { AdviseResponse, SimulateResponse } from '../server/src/protocol';
import { advise, type AdvisedFix } from '../server/src/core/advise';
import { analyzePlan } from '../server/src/core/analyze';
import { TimelineModel } from '../client/webview/model';
import { syntheticResult, withFailover } from './timeline-fixture';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The panel's page with the editor's webview API stubbed: what it posts collects in `window.posted`. */
function panelHtml(): string {
  if (!existsSync(join('dist', 'timeline.js'))) spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const stub = 'window.posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m), getState: () => window.saved, setState: (s) => { window.saved = s; } });';
  const script = readFileSync(join('dist', 'timeline.js'), 'utf8').replace(/<\/(script)/gi, '<\\/$1');
  return shellHtml({ nonce: 't', title: 't', imgSrc: 'data:', body: `<script nonce="t">${stub}</script><script nonce="t">${script}</script>` });
}

type Page = Awaited<ReturnType<Awaited<ReturnType<typeof import('playwright-core')['chromium']['launch']>>['newPage']>>;

/** Carries messages both ways between the page and the controller until neither has anything more to say. */
async function carry(page: Page, controller: TimelineController, toPage: ToWebview[]): Promise<void> {
  for (let quiet = 0; quiet < 3;) {
    const posted = await page.evaluate(() => (window as unknown as { posted: FromWebview[] }).posted.splice(0));
    for (const m of posted) controller.received(m);
    const out = toPage.splice(0);
    for (const m of out) await page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data })), m);
    quiet = posted.length || out.length ? 0 : quiet + 1;
    await page.waitForTimeout(20);
  }
}

test('the page and the controller: handshake, live updates, banner, progress, clicks and exports', { skip: !existsSync(CHROMIUM) && `no browser at ${CHROMIUM}` }, async () => {
  const { chromium } = await import('playwright-core');
  const html = panelHtml();

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent(html);

    let answer: SimulateResponse = { ok: true, version: 1, result: syntheticResult({ hosts: 2, vmsPerHost: 5, seconds: 600 }) };
    const fromPage: FromWebview[] = [];
    const toPage: ToWebview[] = [];
    const controller = new TimelineController({
      documentUri: 'file:///plan.hvmem.jsonc',
      post: (m) => toPage.push(m),
      simulate: async () => answer,
      // The Advice section has its own test below.
      advise: async () => null,
      applyEdits: async () => 'failed',
      reveal: (vm) => fromPage.push({ type: 'reveal', vm }),
      save: (format, fileName, bytes) => fromPage.push({ type: 'export', format, fileName, data: new TextDecoder().decode(bytes) }),
    });
    const pump = () => carry(page, controller, toPage);

    await controller.refresh();
    await pump();
    await page.waitForSelector('.uplot canvas');
    const rowNames = () => page.locator('.summary tbody tr td:first-child').allTextContents();
    assert.equal((await rowNames()).length, 10, 'all rows, asked for after the chart');
    assert.deepEqual(await page.evaluate(() => (window as unknown as { saved: unknown }).saved), { documentUri: 'file:///plan.hvmem.jsonc', host: 'HV01' });

    answer = { ok: false, version: 2, errors: ['plan.hvmem.jsonc:4:20: memory-order: minimum above startup'] };
    await controller.refresh();
    await pump();
    assert.match(await page.locator('.banner').innerText(), /showing the last simulation that ran[\s\S]*memory-order/);
    assert.equal((await rowNames()).length, 10, 'the last good result stays');

    answer = { ok: true, version: 3, result: syntheticResult({ hosts: 2, vmsPerHost: 5, seconds: 600, vmName: (h, i) => `NEW-${h + 1}-${i + 1}` }) };
    await controller.refresh();
    await pump();
    assert.equal(await page.locator('.banner').isHidden(), true, 'the banner goes when the plan is fine');
    assert.ok((await rowNames()).every((n) => n.startsWith('NEW-')), 'the table follows the edit');

    await page.selectOption('select', 'HV02');
    await pump();
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.u-legend th')).some((th) => th.textContent?.includes('NEW-2-')));

    await page.locator('.summary tbody tr', { hasText: 'NEW-2-3' }).click();
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await pump();
    assert.deepEqual(fromPage[0], { type: 'reveal', vm: 'NEW-2-3' });
    const csv = fromPage[1] as Extract<FromWebview, { type: 'export' }>;
    assert.equal(csv.fileName, 'HV02-timeline.csv');
    assert.match(csv.data, /^"t_seconds","NEW-2-/);

    let release: (r: SimulateResponse) => void = () => undefined;
    const slow = new TimelineController({
      documentUri: 'file:///plan.hvmem.jsonc', post: (m) => toPage.push(m), simulate: () => new Promise((r) => { release = r; }), advise: async () => null, applyEdits: async () => 'failed', reveal: () => undefined, save: () => undefined,
    }, { busyAfterMs: 10 });
    slow.received({ type: 'ready' });
    const run = slow.refresh();
    await new Promise((r) => setTimeout(r, 30));
    await pump();
    assert.equal(await page.locator('.busy').isVisible(), true, 'a long run shows progress');
    release(answer);
    await run;
    await pump();
    assert.equal(await page.locator('.busy').isHidden(), true);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a cluster node: markers by keyboard, the failover reserve line, and where failover moved each VM', { skip: !existsSync(CHROMIUM) && `no browser at ${CHROMIUM}` }, async () => {
  const { chromium } = await import('playwright-core');
  // HV02 fails at 5:00; two of its VMs land on HV01 at the same instant (one marker), one on HV03.
  const result = withFailover(syntheticResult({ hosts: 3, vmsPerHost: 4, seconds: 600 }), { failed: 'HV02', at: 300, moves: { 'VM-2-1': 'HV01', 'VM-2-2': 'HV01', 'VM-2-3': 'HV03' } });
  const model = new TimelineModel(result);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent(panelHtml());
    const message: ToWebview = { type: 'result', documentUri: 'file:///plan.hvmem.jsonc', overview: model.overview(50), view: model.hostView('HV01')! };
    await page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data })), message);
    await page.waitForSelector('.uplot canvas');
    const posted = () => page.evaluate(() => (window as unknown as { posted: FromWebview[] }).posted.splice(0));
    await posted();

    const focused = () => page.evaluate(() => {
      const e = document.activeElement!;
      return { marker: e.classList.contains('marker'), label: e.getAttribute('aria-label') ?? e.textContent ?? '' };
    });
    const tip = page.locator('[role=tooltip]');
    // Tab from the toolbar's last button reaches the markers, first in time first.
    await page.getByRole('button', { name: 'Export CSV' }).focus();
    await page.keyboard.press('Tab');
    assert.deepEqual(await focused(), { marker: true, label: '0:01:00 host restart: HV01 restarts: its VMs stop' });
    assert.equal(await tip.isVisible(), true, 'focus shows the tooltip');
    assert.match(await tip.textContent() ?? '', /^0:01:00 host restart/);
    await page.keyboard.press('ArrowRight');
    assert.match((await focused()).label, /^0:01:00 host up/);
    assert.match(await tip.textContent() ?? '', /^0:01:00 host up/);
    await page.keyboard.press('ArrowRight');
    assert.equal((await focused()).label, '0:01:02 VM started: VM-1-1: restart with 6 GB physical');
    await page.keyboard.press('Enter');
    assert.deepEqual(await posted(), [{ type: 'reveal', vm: 'VM-1-1' }], 'Enter on a one-VM marker reveals it, as a click does');

    // The failover marker holds two VMs: Enter pins the tooltip and focuses its first VM.
    await page.keyboard.press('End');
    assert.match((await focused()).label, /^0:05:00 VM started: VM-2-1: failover start .*; VM-2-2: failover start/);
    await page.keyboard.press('Enter');
    assert.match((await focused()).label, /^VM-2-1: failover start/);
    assert.equal(await page.locator('.tooltip.pinned button').count(), 2);
    await page.keyboard.press('Escape');
    assert.match((await focused()).label, /^0:05:00 VM started/, 'Escape goes back to the marker');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    assert.deepEqual(await posted(), [{ type: 'reveal', vm: 'VM-2-2' }]);
    // One tab stop for the whole row: Tab leaves it.
    await page.getByRole('button', { name: 'Export CSV' }).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal((await focused()).marker, false);
    assert.equal(await tip.isHidden(), true, 'the tooltip goes with the focus');

    // The reserve line: in the legend, with its value, and it toggles like the bands.
    const reserveEntry = page.locator('.u-legend .u-series', { hasText: 'keep free for failover: 512 MB' });
    assert.equal(await reserveEntry.count(), 1);
    const over = (await page.locator('.u-over').first().boundingBox())!;
    await page.mouse.move(over.x + over.width / 2, over.y + over.height / 2);
    assert.match(await reserveEntry.textContent() ?? '', /21\.5 GB/, 'capacity 22 GB less 512 MB');
    await reserveEntry.locator('th').click();
    assert.match(await reserveEntry.getAttribute('class') ?? '', /u-off/);

    // Where failover moved each VM, in the table: as text, filterable and sortable.
    const row = (vm: string) => page.locator('.summary tbody tr', { hasText: vm });
    assert.match(await row('VM-2-1').textContent() ?? '', /from HV02 to HV01 at 0:05:00/);
    assert.match(await row('VM-2-3').textContent() ?? '', /from HV02 to HV03 at 0:05:00/);
    const names = () => page.locator('.summary tbody tr td:first-child').allTextContents();
    const sortByMoves = () => page.locator('.summary th button', { hasText: 'Moves' }).click();
    await sortByMoves();
    await sortByMoves();
    assert.deepEqual((await names()).slice(0, 3), ['VM-2-3', 'VM-2-1', 'VM-2-2'], 'descending by the moves, ties by name');
    await page.fill('.summary input', 'to HV01');
    assert.deepEqual((await names()).sort(), ['VM-2-1', 'VM-2-2']);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('the Advice section: progress, why there is none, the findings with their fixes; a click applies that fix', { skip: !existsSync(CHROMIUM) && `no browser at ${CHROMIUM}` }, async () => {
  const { chromium } = await import('playwright-core');
  const text = readFileSync('samples/standalone-restart.hvmem.jsonc', 'utf8');
  const analysis = analyzePlan(text, { scenario: false });
  const advice = JSON.parse(JSON.stringify(advise({ text, root: analysis.root, plan: analysis.plan })));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const errors: string[] = [];
    const dialogs: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await page.setContent(panelHtml());
    const toPage: ToWebview[] = [];
    let answerAdvice: (r: AdviseResponse) => void = () => undefined;
    let reportProgress: (step: string, percentage: number) => void = () => undefined;
    const applied: { version: number; edits: AdvisedFix['edits'] }[] = [];
    const controller = new TimelineController({
      documentUri: 'file:///plan.hvmem.jsonc',
      post: (m) => toPage.push(m),
      simulate: async () => ({ ok: true, version: 3, result: syntheticResult({ hosts: 1, vmsPerHost: 4, seconds: 300 }) }),
      advise: (progress) => new Promise((resolve) => { answerAdvice = resolve; reportProgress = progress; }),
      applyEdits: async (version, edits) => { applied.push({ version, edits }); return 'applied'; },
      reveal: () => undefined,
      save: () => undefined,
    }, { refreshDelayMs: 60_000 });
    const pump = () => carry(page, controller, toPage);
    const section = page.locator('section.advice');
    await pump();
    assert.equal(await section.isHidden(), true, 'nothing to show before the advice is asked for');
    await controller.refresh();
    await pump();
    assert.equal(await section.getByRole('heading', { name: 'Advice' }).isVisible(), true);
    assert.equal(await section.locator('.advice-pending').textContent(), 'Working out the advice…');
    reportProgress('Trying fixes for WEB02', 42.4);
    await pump();
    assert.equal(await section.locator('.advice-pending').textContent(), 'Working out the advice: Trying fixes for WEB02, 42 %');

    answerAdvice({ ok: true, version: 3, advice });
    await pump();
    assert.equal(await section.getAttribute('data-state'), 'ready');
    assert.equal(await section.locator('.advice-summary').textContent(), '1 finding, 3 fixes.');
    const finding = section.locator('.advice-finding');
    assert.equal(await finding.locator('.advice-heading').textContent(), 'restart-smart-paging on WEB02 (HV01)');
    assert.equal(await finding.locator('.advice-heading').getAttribute('title'), advice.findings[0].message, 'the whole message in the tooltip');
    const fixes = section.getByRole('button', { name: /^Apply: / });
    assert.deepEqual(await fixes.allTextContents(), advice.findings[0].fixes.map((f: AdvisedFix) => `${f.title} — ${f.cost}`));
    assert.match(await section.locator('.advice-headroom').innerText(), /^HV01: no room for another$/);
    assert.match(await section.locator('.advice-growth').textContent() ?? '', /^Growth: \+\d+ % demand on every VM brings the first new finding \(restart-failure\)\.$/);
    mkdirSync(join('test-output', 'timeline'), { recursive: true });
    await section.screenshot({ path: join('test-output', 'timeline', 'advice-section.png') });

    // By keyboard: Tab reaches the fixes; Enter on the second applies the second.
    await fixes.first().focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await pump();
    assert.deepEqual(applied, [{ version: 3, edits: advice.findings[0].fixes[1].edits }]);
    assert.equal(await section.locator('.advice-note').textContent(), `Applied: ${advice.findings[0].fixes[1].title}.`);
    assert.equal(await section.locator('.advice-pending').isVisible(), true, 'the old fixes are gone until the plan is simulated again');
    assert.equal(await fixes.count(), 0);

    // Why there is none; and names from the plan stay text.
    const show = (view: AdviceView) => page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data })), { type: 'advice', advice: view } satisfies ToWebview);
    await show({ state: 'failed', error: 'No advice while the plan cannot be simulated.' });
    assert.equal(await section.locator('.advice-failed').textContent(), 'No advice while the plan cannot be simulated.');
    const HOSTILE = '<img src=x onerror=alert(1)>';
    const hostile = JSON.parse(JSON.stringify(advice).replaceAll('WEB02', HOSTILE.replaceAll('"', '\\"')));
    await show(adviceView(hostile, 4));
    assert.equal(await finding.locator('.advice-heading').textContent(), `restart-smart-paging on ${HOSTILE} (HV01)`);
    assert.equal(await page.locator('img').count(), 0);
    await section.getByRole('button', { name: /^Apply: Lower/ }).click();
    assert.deepEqual(await page.evaluate(() => (window as unknown as { posted: FromWebview[] }).posted.splice(0)), [{ type: 'applyFix', fix: '4:0:1' }]);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
    controller.dispose();
  } finally {
    await browser.close();
  }
});
