// The standalone page of `hvmem simulate --html`, as a browser sees it (headless Chromium when the
// machine has it). The same bundle runs in the editor's panel, so this also covers the panel's page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readTimelineScript, timelinePage } from '../server/src/cli/timeline-html';
import { escapeHtml } from '../client/webview/shell';
import { syntheticResult } from './timeline-fixture';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HOSTILE = '<img src=x onerror=alert(1)>';
const OUT = join('test-output', 'timeline');

function script(): string {
  if (!existsSync(join('dist', 'timeline.js'))) spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  return readTimelineScript();
}

test('the page embeds the result as inert JSON and nothing of the plan as markup', () => {
  const result = syntheticResult({ hosts: 1, vmsPerHost: 3, seconds: 100, vmName: (_, i) => [HOSTILE, '</script><script>alert(2)</script>', 'ok'][i] });
  const page = timelinePage(result, { title: `plan ${HOSTILE}`, script: 'var s = "</script>";', nonce: 'abc' });
  assert.equal(page.includes('<img'), false);
  assert.equal((page.match(/<\/script>/g) ?? []).length, 2, 'only the two script elements close');
  assert.match(page, /<title>plan &#60;img src=x onerror=alert\(1\)&#62;<\/title>/);
  const csp = page.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)![1].replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
  assert.equal(csp, "default-src 'none'; script-src 'nonce-abc'; style-src 'nonce-abc'; img-src data: blob:");
  const json = page.match(/<script type="application\/json" id="hvmem-result">(.*?)<\/script>/s)![1];
  assert.deepEqual(JSON.parse(json), result);
  assert.equal(escapeHtml(`a&"'`), 'a&#38;&#34;&#39;');
});

test('in a browser the page draws, shows a hostile VM name as text, and its markers, legend and zoom work', { skip: !existsSync(CHROMIUM) && `no browser at ${CHROMIUM}` }, async () => {
  const { chromium } = await import('playwright-core');
  const result = syntheticResult({ hosts: 2, vmsPerHost: 16, seconds: 900, vmName: (h, i) => (h === 0 && i === 9 ? HOSTILE : `VM-${h + 1}-${i + 1}`) });
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, 'page.html');
  writeFileSync(file, timelinePage(result, { title: 'test plan', script: script() }));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ colorScheme: scheme, viewport: { width: 1100, height: 900 } });
      const dialogs: string[] = [];
      const errors: string[] = [];
      page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await page.goto(`file://${join(process.cwd(), file)}`);
      await page.waitForSelector('.uplot canvas');
      assert.deepEqual(errors, [], 'no script or CSP errors');
      assert.deepEqual(dialogs, [], 'no script from a VM name ran');
      const cell = page.locator('.summary td', { hasText: HOSTILE });
      assert.equal(await cell.count(), 1, 'the hostile name is a table cell, as text');
      assert.equal(await page.locator('.summary img, .uplot img').count(), 0);
      const painted = await page.evaluate(() => {
        const c = document.querySelector<HTMLCanvasElement>('.uplot canvas')!;
        const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
        return n / (px.length / 4);
      });
      assert.ok(painted > 0.05, `chart has ink on ${(painted * 100).toFixed(1)}% of its pixels`);
      const options = await page.locator('select option').allTextContents();
      assert.equal(options.length, 2);
      assert.match(options.join('\n'), /HV01 .*16 VMs/);
      assert.equal(await page.locator('.u-legend .u-series', { hasText: 'keep free for failover' }).count(), 0, 'not a cluster: no failover line');
      await page.screenshot({ path: join(OUT, `standalone-${scheme}.png`), fullPage: true });
      if (scheme === 'light') {
        await interact(page);
        await highContrast(page);
      }

      await page.selectOption('select', 'HV02');
      await page.waitForFunction(() => Array.from(document.querySelectorAll('.u-legend th')).some((th) => th.textContent?.includes('VM-2-')));
      await page.locator('.summary tbody tr', { hasText: 'VM-2-12' }).getByRole('button', { name: 'Chart' }).click();
      await page.waitForSelector('.detail .uplot canvas');
      assert.match(await page.locator('.detail h3').textContent() ?? '', /VM-2-12/);
      await page.close();
    }
  } finally {
    await browser.close();
  }
});

test('a long table shows its first rows with the chart, then all of them on request', { skip: !existsSync(CHROMIUM) && `no browser at ${CHROMIUM}` }, async () => {
  const { chromium } = await import('playwright-core');
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, 'long-table.html');
  writeFileSync(file, timelinePage(syntheticResult({ hosts: 3, vmsPerHost: 150, seconds: 300 }), { title: 'long', script: script() }));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(`file://${join(process.cwd(), file)}`);
    await page.getByRole('button', { name: 'Show all 450 VMs' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.summary tbody tr').length === 450);
    assert.match(await page.locator('.summary h3').textContent() ?? '', /^450 VMs over 5 min: 3 failed to start, 222 used Smart Paging\.$/);
    await page.fill('.summary input', 'VM-2-1');
    const names = await page.locator('.summary tbody tr td:first-child').allTextContents();
    assert.equal(names.length, 1 + 10 + 51, 'VM-2-1, VM-2-10..19, VM-2-100..150');
    assert.equal(names[0], 'VM-2-150', 'the failed start still first');
  } finally {
    await browser.close();
  }
});

type Page = Awaited<ReturnType<Awaited<ReturnType<typeof import('playwright-core')['chromium']['launch']>>['newPage']>>;

/** Markers, legend and zoom on HV01 of the fixture: the run is 900 s, the hostile VM's Smart Paging starts at 80 s. */
async function interact(page: Page): Promise<void> {
  const over = (await page.locator('.u-over').first().boundingBox())!;
  const range = () => page.locator('.range').textContent();
  const seconds = (clock: string) => clock.split(':').reduce((m, x) => m * 60 + Number(x), 0);
  // It opens on the events (all in the first minutes of the run), not the whole 15 minutes.
  const [shownFrom, shownTo] = (await range())!.split(' – ').map(seconds);
  assert.equal(shownFrom, 0);
  assert.ok(shownTo > 210 && shownTo < 900, `opens on 0..${shownTo}`);
  const xOf = (t: number) => over.x + (over.width * t) / shownTo;

  await page.mouse.move(xOf(60), over.y + 10);
  const tip = page.locator('.tooltip');
  await tip.waitFor({ state: 'visible' });
  assert.match(await tip.textContent() ?? '', /0:01:00 host restart/);

  await page.mouse.move(xOf(80), over.y + 10);
  await page.waitForFunction((name) => document.querySelector('.tooltip')?.textContent?.includes(name), HOSTILE);
  assert.equal(await page.locator('.tooltip img').count(), 0, 'the name in a tooltip is text');
  // One VM under the pointer: a click goes straight to it (standalone: its own chart).
  await page.mouse.click(xOf(80), over.y + 10);
  await page.waitForFunction((name) => document.querySelector('.detail h3')?.textContent?.includes(name), HOSTILE);
  await page.getByRole('button', { name: 'Close' }).click();

  const legendFree = page.locator('.u-legend .u-series', { hasText: 'free' }).first();
  await legendFree.click();
  assert.match(await legendFree.getAttribute('class') ?? '', /u-off/);
  await legendFree.click();

  await page.getByRole('button', { name: 'Reset zoom' }).click();
  assert.equal(await range(), '0:00:00 – 0:15:00');
  const full = (t: number) => over.x + (over.width * t) / 900;
  // Zoomed out, neighbouring starts share the pointer: a click pins a tooltip listing each VM.
  await page.mouse.click(full(80), over.y + 10);
  await page.locator('.tooltip.pinned button', { hasText: HOSTILE }).first().click();
  await page.waitForFunction((name) => document.querySelector('.detail h3')?.textContent?.includes(name), HOSTILE);
  await page.mouse.move(full(450), over.y + over.height / 2);
  for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -100);
  await page.waitForFunction(() => document.querySelector('.range')?.textContent !== '0:00:00 – 0:15:00');
  const [from, to] = (await range())!.split(' – ').map(seconds);
  assert.ok(from > 0 && to < 900 && from < 450 && to > 450, `zoomed in around 7:30: ${from}..${to}`);
  await page.getByRole('button', { name: 'Reset zoom' }).click();
  assert.equal(await range(), '0:00:00 – 0:15:00');
}

/** What VS Code does when the theme changes to high contrast: new variables, new body class. */
async function highContrast(page: Page): Promise<void> {
  await page.evaluate(() => {
    const vars: Record<string, string> = {
      '--vscode-editor-background': '#000000', '--vscode-editor-foreground': '#ffffff', '--vscode-contrastBorder': '#6fc3df',
      '--vscode-descriptionForeground': '#ffffff', '--vscode-panel-border': '#6fc3df', '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-orange': '#ffa500', '--vscode-button-background': '#000000', '--vscode-input-background': '#000000',
      '--vscode-input-foreground': '#ffffff', '--vscode-editorHoverWidget-background': '#000000',
    };
    for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
    document.body.className = 'vscode-high-contrast';
  });
  // The chart redraws with the theme's colours: its background-free canvas now has white axis text.
  await page.waitForFunction(() => {
    const c = document.querySelector<HTMLCanvasElement>('.uplot canvas')!;
    const px = c.getContext('2d')!.getImageData(0, 0, 80, c.height).data;
    for (let i = 0; i < px.length; i += 4) if (px[i] > 240 && px[i + 1] > 240 && px[i + 2] > 240 && px[i + 3] > 200) return true;
    return false;
  });
  await page.screenshot({ path: join(OUT, 'standalone-high-contrast.png'), fullPage: true });
}
