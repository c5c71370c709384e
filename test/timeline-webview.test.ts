// The panel's page and the panel's controller talking through the message protocol, in headless
// Chromium with the editor's webview API stubbed: everything of the panel but VS Code itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TimelineController } from '../client/src/timeline/controller';
import type { FromWebview, ToWebview } from '../client/webview/protocol';
import { shellHtml } from '../client/webview/shell';
import type { SimulateResponse } from '../server/src/protocol';
import { syntheticResult } from './timeline-fixture';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

test('the page and the controller: handshake, live updates, banner, progress, clicks and exports', { skip: !existsSync(CHROMIUM) && `no browser at ${CHROMIUM}` }, async () => {
  if (!existsSync(join('dist', 'timeline.js'))) spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const { chromium } = await import('playwright-core');
  const stub = 'window.posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m), getState: () => window.saved, setState: (s) => { window.saved = s; } });';
  const script = readFileSync(join('dist', 'timeline.js'), 'utf8').replace(/<\/(script)/gi, '<\\/$1');
  const html = shellHtml({ nonce: 't', title: 't', imgSrc: 'data:', body: `<script nonce="t">${stub}</script><script nonce="t">${script}</script>` });

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
      reveal: (vm) => fromPage.push({ type: 'reveal', vm }),
      save: (format, fileName, bytes) => fromPage.push({ type: 'export', format, fileName, data: new TextDecoder().decode(bytes) }),
    });
    /** Carries messages both ways until neither side has anything more to say. */
    const pump = async () => {
      for (let quiet = 0; quiet < 3;) {
        const posted = await page.evaluate(() => (window as unknown as { posted: FromWebview[] }).posted.splice(0));
        for (const m of posted) controller.received(m);
        const out = toPage.splice(0);
        for (const m of out) await page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data })), m);
        quiet = posted.length || out.length ? 0 : quiet + 1;
        await page.waitForTimeout(20);
      }
    };

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
      documentUri: 'file:///plan.hvmem.jsonc', post: (m) => toPage.push(m), simulate: () => new Promise((r) => { release = r; }), reveal: () => undefined, save: () => undefined,
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
