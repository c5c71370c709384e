// The standalone page of `hvmem simulate --html`, as a browser sees it (headless Chromium when the
// machine has it). The same bundle runs in the editor's panel, so this also covers the panel's page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readTimelineScript, timelinePage } from '../server/src/cli/timeline-html';
import { escapeHtml } from '../client/webview/shell';
import { syntheticResult } from './timeline-fixture';
import { readPlan } from '../server/src/core/read';
import { simulate } from '../server/src/core/simulate';

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
    assert.equal(await page.locator('.summary h3').textContent(), '450 VMs, those in trouble first');
    const headline = await page.locator('.headline li').allTextContents();
    assert.equal(headline[0], '450 VMs on 3 hosts over 5 min.');
    assert.ok(headline.includes('3 VMs failed to start: VM-1-150 (not enough memory), VM-2-150 (not enough memory) and VM-3-150 (not enough memory).'), headline.join('\n'));
    assert.ok(headline.some((l) => l.startsWith('222 VMs used Smart Paging: ')), headline.join('\n'));
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

/** Pixels of the chart's left strip (the memory axis labels) at least as light as `min` on every channel. */
function lightAxisPixels(page: Page, min: number): Promise<number> {
  return page.evaluate((limit) => {
    const c = document.querySelector<HTMLCanvasElement>('.uplot canvas')!;
    const px = c.getContext('2d')!.getImageData(0, 0, 60, c.height).data;
    let n = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i] >= limit && px[i + 1] >= limit && px[i + 2] >= limit && px[i + 3] > 200) n++;
    return n;
  }, min);
}

test('a dark system theme, at load or switched to while open: light axis labels and swatches on the dark page', { skip: !existsSync(CHROMIUM) && `no browser at ${CHROMIUM}` }, async () => {
  const { chromium } = await import('playwright-core');
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, 'dark.html');
  writeFileSync(file, timelinePage(syntheticResult({ hosts: 1, vmsPerHost: 6, seconds: 600 }), { title: 'dark', script: script() }));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    for (const start of ['dark', 'light'] as const) {
      const page = await browser.newPage({ colorScheme: start });
      await page.goto(`file://${join(process.cwd(), file)}`);
      await page.waitForSelector('.uplot canvas');
      if (start === 'light') {
        assert.equal(await lightAxisPixels(page, 150), 0, 'dark labels on the light page');
        await page.emulateMedia({ colorScheme: 'dark' });
      }
      await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === 'rgb(31, 31, 31)');
      const labels = await page.waitForFunction((min) => {
        const c = document.querySelector<HTMLCanvasElement>('.uplot canvas')!;
        const px = c.getContext('2d')!.getImageData(0, 0, 60, c.height).data;
        let n = 0;
        for (let i = 0; i < px.length; i += 4) if (px[i] >= min && px[i + 1] >= min && px[i + 2] >= min && px[i + 3] > 200) n++;
        return n > 50 && n;
      }, 150);
      assert.ok(Number(await labels.jsonValue()) > 50, `${start} → dark: the axis labels are drawn light`);
      const swatch = await page.locator('.u-legend .u-series', { hasText: 'capacity' }).locator('.u-marker').evaluate((m) => getComputedStyle(m).borderColor);
      assert.equal(swatch, 'rgb(204, 204, 204)', 'the capacity swatch in the dark foreground');
      await page.screenshot({ path: join(OUT, `standalone-dark-from-${start}.png`), fullPage: true });
      await page.close();
    }
  } finally {
    await browser.close();
  }
});

test('half a window wide: the table stacks its rows, nothing scrolls sideways, a row click keeps the page still', { skip: !existsSync(CHROMIUM) && `no browser at ${CHROMIUM}` }, async () => {
  const { chromium } = await import('playwright-core');
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, 'narrow.html');
  const result = syntheticResult({ hosts: 1, vmsPerHost: 8, seconds: 600, vmName: (_, i) => `VM-with-a-long-name-${i}` });
  for (const vm of Object.values(result.vms)) if (vm.smartPagingPath) vm.smartPagingPath = 'D:\\Hyper-V\\Smart Paging\\Cluster-Storage-Volume-01';
  writeFileSync(file, timelinePage(result, { title: 'narrow', script: script() }));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 560, height: 900 } });
    await page.goto(`file://${join(process.cwd(), file)}`);
    await page.waitForSelector('.summary tbody tr');
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(await overflow(), 0, 'nothing is wider than the page');
    const cell = page.locator('.summary tbody tr').first().locator('td').nth(1);
    assert.equal(await cell.evaluate((td) => getComputedStyle(td).display), 'block', 'cells stack under each other');
    assert.equal(await cell.evaluate((td) => getComputedStyle(td, '::before').content), '"Host: "', 'each with its heading');
    // A path wraps after a backslash, never inside a name (not at the hyphen of Hyper-V).
    const path = page.locator('.summary td', { hasText: 'Cluster-Storage' }).first();
    const lines = await path.evaluate((td) => Array.from(td.querySelectorAll('span'), (s) => s.getClientRects().length));
    assert.ok(lines.every((n) => n === 1), `each part of the path on one line: ${lines}`);
    // The row in view first, so that any move after the click is the click's. The click opens the VM's
    // chart above the table: the row stays where it was on screen, and nothing slides sideways.
    const target = page.locator('.summary tbody tr').nth(3);
    await target.scrollIntoViewIfNeeded();
    const where = () => target.evaluate((tr) => [window.scrollX, Math.round(tr.getBoundingClientRect().top)]);
    const before = await where();
    await target.click({ position: { x: 20, y: 8 } });
    await page.waitForSelector('.detail .uplot canvas');
    const after = await where();
    assert.equal(after[0], before[0], 'no sideways scroll');
    assert.ok(Math.abs(after[1] - before[1]) <= 2, `the row stays put on screen: ${before[1]} → ${after[1]}`);
    await page.screenshot({ path: join(OUT, 'standalone-narrow.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});

test('markers at one instant sit one under the other; the VM detail follows the zoom of the chart', { skip: !existsSync(CHROMIUM) && `no browser at ${CHROMIUM}` }, async () => {
  const { chromium } = await import('playwright-core');
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, 'markers.html');
  // At 60 s the host restarts and is up again: two markers at one instant.
  writeFileSync(file, timelinePage(syntheticResult({ hosts: 1, vmsPerHost: 6, seconds: 900 }), { title: 'markers', script: script() }));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`file://${join(process.cwd(), file)}`);
    await page.waitForSelector('.marker-row .marker');
    const places = await page.locator('.marker-row .marker').evaluateAll((bs) => bs.slice(0, 2).map((b) => [b.getAttribute('aria-label')?.slice(0, 20), (b as HTMLElement).style.left, (b as HTMLElement).style.top]));
    assert.deepEqual(places.map((p) => p[0]), ['0:01:00 host restart', '0:01:00 host up: HV0']);
    assert.equal(places[0][1], places[1][1], 'the same time, the same x');
    assert.notEqual(places[0][2], places[1][2], 'in different lanes');

    await page.locator('.summary tbody tr', { hasText: 'VM-1-4' }).getByRole('button', { name: 'Chart' }).click();
    await page.waitForSelector('.detail .uplot canvas');
    const ranges = () => page.locator('.range, .detail-range').allTextContents();
    const [main, detail] = await ranges();
    assert.equal(detail, main, 'the detail opens on the time the chart shows');
    const over = (await page.locator('.chart .u-over').first().boundingBox())!;
    await page.mouse.move(over.x + over.width / 3, over.y + over.height / 2);
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -100);
    await page.waitForFunction((was) => document.querySelector('.range')?.textContent !== was, main);
    const [zoomed, followed] = await ranges();
    assert.notEqual(zoomed, main);
    assert.equal(followed, zoomed, 'zooming the chart zooms the detail');
    await page.getByRole('button', { name: 'Reset zoom' }).click();
    assert.deepEqual(await ranges(), ['0:00:00 – 0:15:00', '0:00:00 – 0:15:00']);
  } finally {
    await browser.close();
  }
});

test('hosts and VMs named like members of every object (toString, constructor, __proto__…) draw, list and open', { skip: !existsSync(CHROMIUM) && `no browser at ${CHROMIUM}` }, async () => {
  const { chromium } = await import('playwright-core');
  const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
  const text = JSON.stringify({
    hosts: [{ name: 'toString', memory: '16GB' }, { name: 'valueOf', memory: '16GB' }],
    vms: names.map((name, i) => ({ name, host: i % 2 ? 'valueOf' : 'toString', memory: { dynamic: true, startup: '2GB', minimum: '512MB', maximum: '4GB' }, demand: '1GB' })),
    scenario: { duration: '10m', events: [{ at: '1m', type: 'hostRestart', host: 'toString' }, { at: '2m', type: 'demand', vm: 'constructor', memory: '3GB' }] },
  });
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, 'member-names.html');
  writeFileSync(file, timelinePage(simulate(readPlan(text).plan), { title: 'member names', script: script() }));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${join(process.cwd(), file)}`);
    await page.waitForSelector('.uplot canvas');
    assert.deepEqual(await page.locator('select option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)), ['toString', 'valueOf']);
    await page.waitForFunction(() => document.querySelectorAll('.summary tbody tr').length === 5);
    assert.deepEqual((await page.locator('.summary tbody tr td:first-child').allTextContents()).sort(), [...names].sort());
    await page.selectOption('select', 'valueOf');
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.u-legend th')).some((th) => th.textContent?.includes('hasOwnProperty')));
    await page.locator('.summary tbody tr', { hasText: 'constructor' }).getByRole('button', { name: 'Chart' }).click();
    await page.waitForFunction(() => document.querySelector('.detail h3')?.textContent === 'VM constructor: memory, demand and pressure');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('Smart Paging is drawn while the file exists and nowhere after it is deleted', { skip: !existsSync(CHROMIUM) && `no browser at ${CHROMIUM}` }, async () => {
  const { chromium } = await import('playwright-core');
  const result = simulate(readPlan(readFileSync('samples/standalone-restart.hvmem.jsonc', 'utf8')).plan);
  const ended = result.events.find((e) => e.type === 'smartPagingEnded')!;
  const started = result.events.find((e) => e.type === 'smartPagingStarted')!;
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, 'smart-paging.html');
  writeFileSync(file, timelinePage(result, { title: 'smart paging', script: script() }));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`file://${join(process.cwd(), file)}`);
    await page.waitForSelector('.uplot canvas');
    await page.getByRole('button', { name: 'Reset zoom' }).click();
    /** Orange pixels (the theme's Smart Paging colour) in the plot between two times. */
    const orange = (from: number, to: number) => page.evaluate(({ from, to, duration }) => {
      const c = document.querySelector<HTMLCanvasElement>('.uplot canvas')!;
      const over = document.querySelector<HTMLElement>('.u-over')!;
      const dpr = devicePixelRatio;
      const [x0, x1] = [from, to].map((t) => Math.round((over.offsetLeft + (over.clientWidth * t) / duration) * dpr));
      const px = c.getContext('2d')!.getImageData(x0, Math.round(over.offsetTop * dpr), Math.max(1, x1 - x0), Math.round(over.clientHeight * dpr)).data;
      let n = 0;
      // #d18616, the light page's --vscode-charts-orange, in the hatch's stripes and the outline (the canvas is see-through)
      for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i] - 209) < 12 && Math.abs(px[i + 1] - 134) < 12 && Math.abs(px[i + 2] - 22) < 12 && px[i + 3] > 40) n++;
      return n;
    }, { from, to, duration: result.duration });
    const lastMarker = Math.max(...result.events.map((e) => e.t));
    assert.ok(await orange(started.t + 10, ended.t - 10) > 100, 'the file is drawn while it exists');
    // From a little after the last marker (its line is orange) to the end of the run.
    assert.equal(await orange(Math.max(ended.t, lastMarker) + 20, result.duration), 0, `nothing orange after the file was deleted at ${ended.t} s`);
  } finally {
    await browser.close();
  }
});

/** The page of a sample, open in a browser at a width and scheme; what its tests share. */
async function samplePage(browser: Browser, sample: string, width: number, scheme: 'light' | 'dark' = 'light') {
  const result = simulate(readPlan(readFileSync(`samples/${sample}.hvmem.jsonc`, 'utf8')).plan);
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `${sample}.html`);
  writeFileSync(file, timelinePage(result, { title: sample, script: script() }));
  const page = await browser.newPage({ colorScheme: scheme, viewport: { width, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${join(process.cwd(), file)}`);
  await page.waitForSelector('.uplot canvas');
  return { page, result, errors, ...await chartHelpers(page) };
}

type Browser = Awaited<ReturnType<typeof import('playwright-core')['chromium']['launch']>>;

test('the patch night in a browser: the phases across the top, the stop point, paused and arriving told on hover', { skip: !existsSync(CHROMIUM) && `no browser at ${CHROMIUM}` }, async () => {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    for (const width of [1100, 560]) {
      const { page, errors, over, x, hoverAt } = await samplePage(browser, 'patch-night', width);
      assert.equal(await page.locator('select').inputValue(), 'HV-C', 'it opens on the node the run stopped at');
      // One button per node over its turn on the strip, in order, each as wide as its turn.
      const phases = page.locator('.phase-row .phase');
      assert.deepEqual(await phases.evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.host)), ['HV-A', 'HV-B', 'HV-C']);
      const boxes = await phases.evaluateAll((bs) => bs.map((b) => { const r = b.getBoundingClientRect(); return [r.left, r.right, r.bottom]; }));
      assert.ok(Math.abs(boxes[0][0] - x(300)) <= 2 && Math.abs(boxes[0][1] - x(728)) <= 2, `HV-A from 0:05:00 to 0:12:08: ${boxes[0]} (${x(300)}, ${x(728)})`);
      assert.ok(boxes.every(([, , bottom]) => bottom <= over.y + 1), 'above the plot');
      /** The colour on the canvas in the strip's bar at time t, under the words a wide bar has. */
      const bar = (t: number) => page.evaluate(({ px, py }) => {
        const c = document.querySelector<HTMLCanvasElement>('.chart .uplot canvas')!;
        const box = c.getBoundingClientRect();
        const d = c.getContext('2d')!.getImageData(Math.round((px - box.left) * devicePixelRatio), Math.round((py - box.top) * devicePixelRatio), 1, 1).data;
        return [d[0], d[1], d[2]];
      }, { px: x(t), py: over.y - 7 });
      const near = (rgb: number[], hex: string) => [1, 3, 5].every((i, k) => Math.abs(rgb[k] - parseInt(hex.slice(i, i + 2), 16)) < 40);
      // The light page's colours: drain purple, restart grey, failback green, the failed drain red.
      assert.ok(near(await bar(358), '#652d90'), `HV-A's drain: ${await bar(358)}`);
      assert.ok(near(await bar(640), '#616161'), `HV-A's restart: ${await bar(640)}`);
      assert.ok(near(await bar(720), '#388a34'), `HV-A's failback: ${await bar(720)}`);
      assert.ok(near(await bar(1140), '#e51400'), `HV-C's failed drain: ${await bar(1140)}`);
      assert.ok(!near(await bar(1300), '#e51400') && !near(await bar(1300), '#652d90'), 'nothing after the run stopped');

      await phases.nth(2).hover();
      const tip = page.locator('.tooltip');
      await tip.waitFor({ state: 'visible' });
      assert.match(await tip.textContent() ?? '', /^HV-C: its turn in the rolling update0:18:44–0:19:08 drain failed at 0:19:08: SQL-C cannot move/);
      assert.match(await tip.textContent() ?? '', /The run stops here: HV-C stays paused/);
      // By keyboard: one tab stop, on the node shown; arrows move along the nodes, Enter shows one.
      assert.deepEqual(await phases.evaluateAll((bs) => bs.map((b) => (b as HTMLButtonElement).tabIndex)), [-1, -1, 0]);
      await phases.nth(2).focus();
      await page.keyboard.press('ArrowLeft');
      assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.host), 'HV-B');
      assert.match(await tip.textContent() ?? '', /^HV-B: its turn in the rolling update/);
      assert.match(await page.evaluate(() => document.activeElement!.getAttribute('aria-label')!), /^HV-B: drained in 48 s: /);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('select')!.value === 'HV-B');
      await page.selectOption('select', 'HV-C');
      await page.waitForFunction(() => Array.from(document.querySelectorAll('.u-legend th')).some((th) => th.textContent?.includes('SQL-C')));
      // Paused, not down: the hover says which.
      assert.match(await hoverAt(1300, /paused/), /^paused \(drained\)HV-C paused from 0:18:44: its drain could not move SQL-C; it takes no new VMs to the end$/);
      // Between the markers at 0:05:00 and 0:05:15, zoomed in so the pointer is clear of both.
      const zoomed = await zoomAt(page, x(308));
      assert.match(await zoomed.hoverAt(308, /arriving/), /^arriving by migrationAPP-A1 from HV-A: live, [\d.]+ GB \(drain\), 0:05:00 to 0:05:15 \(15 s\)$/);
      // A node's button shows its chart; there, its restart is down, not paused.
      await phases.nth(0).click();
      await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('select')!.value === 'HV-A');
      const onA = await chartHelpers(page);
      assert.match(await onA.hoverAt(500, /restarting/), /^down: restartingHV-A restarting from 0:06:04; back at 0:11:04$/);
      const drainOfA = await zoomAt(page, onA.x(337));
      assert.match(await drainOfA.hoverAt(337, /paused/), /^paused \(drained\)HV-A paused from 0:05:00: drained by 0:06:04/);
      // The node-by-node section: the failed node says so, a line selects its node.
      const lines = await page.locator('.section li').allTextContents();
      assert.equal(lines.length, 3);
      assert.match(lines[2], /^HV-C: drain failed at 0:19:08/);
      await page.locator('.section li', { hasText: 'HV-B:' }).getByRole('button').click();
      await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('select')!.value === 'HV-B');
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'nothing wider than the page');
      assert.deepEqual(errors, []);
      await page.close();
    }
  } finally {
    await browser.close();
  }
});

/** Zooms the chart in around a page x, far enough to point between markers a few seconds apart. */
async function zoomAt(page: Page, x: number) {
  const over = (await page.locator('.chart .u-over').first().boundingBox())!;
  await page.mouse.move(x, over.y + over.height / 2);
  for (let i = 0; i < 8; i++) {
    const before = await page.locator('.range').textContent();
    await page.mouse.wheel(0, -100);
    await page.waitForFunction((was) => document.querySelector('.range')?.textContent !== was, before);
  }
  return chartHelpers(page);
}

/** For the chart on screen now (after a host change it is a new one): `x`, the page x of a time of the
 * range shown, and `hoverAt`, which moves the pointer down the chart at a time until the tooltip says
 * what is wanted (its text, or '' if it never did). */
async function chartHelpers(page: Page) {
  const over = (await page.locator('.chart .u-over').first().boundingBox())!;
  const seconds = (clock: string) => clock.split(':').reduce((m, x) => m * 60 + Number(x), 0);
  const [from, to] = (await page.locator('.range').textContent())!.split(' – ').map(seconds);
  const x = (t: number) => over.x + (over.width * (t - from)) / (to - from);
  const hoverAt = async (t: number, want: RegExp): Promise<string> => {
    for (let y = over.y + 30; y < over.y + over.height; y += 3) {
      await page.mouse.move(x(t), y);
      const text = await page.locator('.tooltip').evaluate((tip) => ((tip as HTMLElement).hidden ? '' : tip.textContent ?? ''));
      if (want.test(text)) return text;
    }
    return '';
  };
  return { over, x, hoverAt };
}

test('the standalone restart in a browser: a restore and a boot each in their own texture, told on hover, toggled in the legend', { skip: !existsSync(CHROMIUM) && `no browser at ${CHROMIUM}` }, async () => {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const { page, errors, hoverAt } = await samplePage(browser, 'standalone-restart', 1100);
    assert.match(await hoverAt(20, /restoring/), /^0:00:14 restoring from saved stateAPP01 restoring from saved state: reads back the 4.8 GB it held/);
    assert.match(await hoverAt(25, /booting/), /^0:00:14 booting(SQL01|APP02) booting \(restart\): holds its \d+ GB startup memory for 1 min from 0:00:14$/);
    assert.equal(await hoverAt(150, /booting|restoring/), '', 'no texture once the boots are over');
    assert.match(await hoverAt(9, /restarting/), /^down: restartingHV01 restarting from 0:00:00: its VMs saved or stopped by 0:00:14; back at 0:00:14$/);
    for (const entry of ['booting (holds startup memory)', 'restoring from saved state']) {
      const row = page.locator('.u-legend .u-series', { hasText: entry });
      assert.equal(await row.count(), 1, `${entry} in the legend`);
      assert.match(await row.locator('.u-marker').evaluate((m) => getComputedStyle(m).backgroundImage), /gradient/, 'its swatch shows the texture');
    }
    // Hidden in the legend, the boot's texture goes from the chart.
    const pixels = () => page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('.chart .uplot canvas')!;
      return Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data).join(',');
    });
    const drawn = await pixels();
    await page.locator('.u-legend .u-series', { hasText: 'booting' }).locator('th').click();
    assert.notEqual(await pixels(), drawn, 'the chart changed');
    assert.equal(await hoverAt(25, /booting/), '', 'and says nothing of a boot it does not draw');
    const headline = await page.locator('.headline li').allTextContents();
    assert.ok(headline.includes('Restored from saved state: 2 VMs, 6.8 GB read back in 14 s (DC01 and APP01); booted: 4 VMs, 1 on Smart Paging (WEB02).'), headline.join('\n'));
    assert.equal(await page.locator('.summary td[data-label="At end"]', { hasText: 'off' }).count(), 1, 'TEST01 is off at the end');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
