// The timeline panel as a user meets it: the code lens opens it, the chart draws, a marker explains
// itself, a table row leads back to the plan, edits show up, a hostile name stays text, and a fix of
// the Advice section lands in the plan.
// Webview content is read through its frames (Workbench.webview()).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import type { Advice } from '../../server/src/core/advise';
import { applyEdits } from '../lspSession';
import { Workbench, WAIT, e2e, makeWorkspace } from './workbench';

const SAMPLE = 'standalone-restart.hvmem.jsonc';
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const HOSTILE = 'hostile.hvmem.jsonc';
const HOSTILE_PLAN = `{
  "hosts": [{ "name": "HV01", "memory": "16GB" }],
  "vms": [
    { "name": ${JSON.stringify(HOSTILE_NAME)}, "memory": { "startup": "2GB" } },
    { "name": "PLAIN01", "memory": { "startup": "2GB" } }
  ]
}
`;

const CLUSTER = 'cluster.hvmem.jsonc';
const PATCH = 'patch-night.hvmem.jsonc';
// The restart sample as shipped, beside the copy the steps above edit: its panel is shot as it ships.
const REBOOT = 'reboot.hvmem.jsonc';
// The restart sample once more, for the Advice section to fix.
const ADVISED = 'advised.hvmem.jsonc';
const SAMPLE_TEXT = readFileSync(join(import.meta.dirname, '..', '..', 'samples', SAMPLE), 'utf8');
const workspace = makeWorkspace('timeline', {
  [HOSTILE]: HOSTILE_PLAN,
  [REBOOT]: SAMPLE_TEXT,
  [ADVISED]: SAMPLE_TEXT,
}, [SAMPLE, CLUSTER, PATCH]);
const wb = new Workbench('timeline');
const dialogs: string[] = [];
before(async () => {
  await wb.open(workspace);
  wb.page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
});
after(() => wb.close());

const panel = () => wb.webview().locator('#timeline');
const rows = () => wb.webview().locator('#timeline .summary tbody tr');
const rowNames = () => rows().evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')?.textContent ?? ''));

/** How much of a canvas is drawn: pixels that differ from its most common colour, and distinct colours. */
function inkOf(canvas: Locator): Promise<{ inked: number; colours: number; width: number }> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const counts = new Map<number, number>();
    for (let i = 0; i < data.length; i += 4) {
      const key = (data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3];
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const background = Math.max(...counts.values());
    return { inked: data.length / 4 - background, colours: counts.size, width: c.width };
  });
}

wb.step('the Simulate code lens opens the timeline panel', async () => {
  await wb.openFile(SAMPLE, 'SQL01');
  const lens = wb.editor.locator('.codelens-decoration a', { hasText: 'Simulate' }).first();
  await lens.waitFor({ timeout: WAIT.server });
  await lens.click();
  await panel().waitFor({ timeout: WAIT.server });
});

wb.step('the chart draws', async () => {
  const canvas = wb.webview().locator('#timeline .chart canvas').first();
  await canvas.waitFor({ timeout: WAIT.server });
  const ink = await wb.until('the chart to be drawn', () => inkOf(canvas), (i) => i.width > 0 && i.inked > 2000 && i.colours > 3);
  assert.ok(ink.inked > 2000, `the canvas is not blank: ${JSON.stringify(ink)}`);
});

wb.step('the summary table lists the plan\'s VMs', async () => {
  const expected = ['APP01', 'APP02', 'DC01', 'SQL01', 'TEST01', 'WEB01', 'WEB02'];
  await wb.until('a row per VM', rowNames, (names) => JSON.stringify([...names].sort()) === JSON.stringify(expected));
});

wb.step('a marker on the chart explains itself in a tooltip', async () => {
  const over = wb.webview().locator('#timeline .chart .u-over').first();
  const box = await over.boundingBox();
  assert.ok(box, 'the chart has an interaction layer');
  const tooltip = wb.webview().locator('#timeline [role="tooltip"]');
  // The host restarts at t = 0 and VMs start after it: sweep from the left edge until a marker answers.
  let found = false;
  for (let x = box.x + 1; x < box.x + box.width && !found; x += 3) {
    await wb.page.mouse.move(x, box.y + box.height / 2);
    found = await tooltip.isVisible();
  }
  assert.ok(found, 'a tooltip appears over a marker');
  const text = await tooltip.innerText();
  assert.match(text, /HV01|restart|start/i, `the tooltip says what happened: ${text}`);
});

wb.step('clicking a table row selects that VM in the plan', async () => {
  const row = rows().filter({ hasText: 'WEB02' }).first();
  await row.click();
  // The status bar's cursor position: the VM's name selected, on its line in the plan.
  const text = readFileSync(join(workspace, SAMPLE), 'utf8');
  const line = text.slice(0, text.indexOf('"WEB02"')).split('\n').length;
  await wb.page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${line}, Col \\d+ \\(\\d+ selected\\)`) }).first().waitFor({ timeout: WAIT.ui });
  // …beside the timeline, which stays in view
  assert.ok(await panel().isVisible(), 'the timeline panel is still visible');
});

wb.step('editing the plan updates the panel', async () => {
  await wb.find('WEB02');
  await wb.page.keyboard.type('WEB09');
  await wb.until('the renamed VM in the table', rowNames, (names) => names.includes('WEB09') && !names.includes('WEB02'));
  await wb.page.keyboard.press('Control+S'); // so that closing the editor later asks nothing
});

wb.step('the panel follows the colour theme (light)', async () => {
  await setTheme('Light Modern', 'vscode-light');
});

wb.step('the panel follows the colour theme (dark)', async () => {
  await setTheme('Dark Modern', 'vscode-dark');
});

wb.step('a hostile VM name is shown as text', async () => {
  await wb.command('View: Close All Editors');
  await wb.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: WAIT.ui });
  await wb.openFile(HOSTILE, 'PLAIN01');
  await wb.editor.locator('.codelens-decoration a', { hasText: 'Simulate' }).first().click({ timeout: WAIT.server });
  await wb.until('the hostile name in the table', rowNames, (names) => names.includes(HOSTILE_NAME));
  const images = await wb.webview().locator('img').count();
  assert.equal(images, 0, 'no <img> element was created from the name');
  assert.deepEqual(dialogs, [], 'no script ran');
});

wb.step('a cluster opens on the node that needs attention, and the headline says what happened', async () => {
  await wb.command('View: Close All Editors');
  await wb.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: WAIT.ui });
  await wb.openFile(CLUSTER, 'HV-A');
  await wb.editor.locator('.codelens-decoration a', { hasText: 'Simulate' }).first().click({ timeout: WAIT.server });
  const headline = wb.webview().locator('#timeline .headline li');
  await wb.until('the headline', () => headline.allInnerTexts().catch(() => []), (lines) => lines.length >= 5);
  assert.deepEqual((await headline.allInnerTexts()).slice(1), [
    'HV-B failed at 0:05:00.',
    '3 VMs failed over: SQL-B to HV-C; RDS-B1 and FILE-B to HV-A.',
    'APP-C1 ended short of its demand, at 104 % pressure: it holds 27 GB of the 28 GB its guest needs.',
    'BUILD-B stayed off after HV-B failed.',
  ]);
  assert.equal(await wb.webview().locator('#timeline select').inputValue(), 'HV-C');
});

const THEMES = [['Light Modern', 'vscode-light', 'light'], ['Dark Modern', 'vscode-dark', 'dark']] as const;

/** A plan's panel, opened from its code lens beside the plan, once `ready` says it has drawn. */
async function openPanel(file: string, anchor: string, ready: (headline: string[]) => boolean): Promise<string[]> {
  await wb.command('View: Close All Editors');
  await wb.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: WAIT.ui });
  await wb.openFile(file, anchor);
  await wb.editor.locator('.codelens-decoration a', { hasText: 'Simulate' }).first().click({ timeout: WAIT.server });
  const headline = wb.webview().locator('#timeline .headline li');
  return wb.until(`the headline of ${file}`, () => headline.allInnerTexts().catch(() => []), ready);
}

/** Beside its plan (half the window) in light and dark: the table stacks, nothing scrolls sideways. */
function halfWidthShots(name: string): void {
  for (const [theme, bodyClass, scheme] of THEMES) {
    wb.step(`${name} at half the window (${scheme}): the table stacks, nothing scrolls sideways`, async () => {
      await setTheme(theme, bodyClass);
      const width = await wb.webview().locator('body').evaluate((b) => b.clientWidth);
      assert.ok(width < 700, `the panel beside the plan is ${width} px wide`);
      assert.equal(await overflow(), 0, 'no horizontal scroll');
      assert.equal(await wb.webview().locator('#timeline .summary tbody td').first().evaluate((td) => getComputedStyle(td).display), 'block');
      await panelShot(`timeline-${name}-half-${scheme}`);
    });
  }
}

/** The panel alone in the window (its plan closed, the side bar hidden), in light and dark: the table has its columns. */
function fullWidthShots(name: string, plan: string): void {
  wb.step(`${name}: the panel alone in the window`, async () => {
    await wb.page.locator('.tabs-container .tab', { hasText: plan }).first().click();
    await wb.command('View: Close Editor');
    await wb.command('View: Toggle Primary Side Bar Visibility');
    await wb.until('the panel to take the window', () => wb.webview().locator('body').evaluate((b) => b.clientWidth), (w) => w > 1200, WAIT.ui);
  });
  for (const [theme, bodyClass, scheme] of THEMES) {
    wb.step(`${name} at full width (${scheme}): the table has its columns`, async () => {
      await setTheme(theme, bodyClass);
      await wb.until('the chart to be drawn at the full width', () => inkOf(wb.webview().locator('#timeline .chart canvas').first()), (i) => i.width > 1200 && i.inked > 2000);
      assert.equal(await overflow(), 0, 'no horizontal scroll');
      assert.equal(await wb.webview().locator('#timeline .summary tbody td').first().evaluate((td) => getComputedStyle(td).display), 'table-cell');
      await panelShot(`timeline-${name}-full-${scheme}`);
    });
  }
  wb.step(`${name}: the side bar back`, async () => {
    await wb.command('View: Toggle Primary Side Bar Visibility');
    await wb.until('the side bar', () => wb.page.locator('.part.sidebar').isVisible(), (v) => v, WAIT.ui);
  });
}

halfWidthShots('cluster');

wb.step('the patch night: the headline says the run stopped at HV-C, after how long, and why', async () => {
  const headline = await openPanel(PATCH, 'HV-A', (lines) => lines.some((l) => l.startsWith('The rolling update')));
  assert.equal(headline[1], 'The rolling update stopped at HV-C after 14 min 8 s (from 0:05:00): 2 of 3 nodes updated, HV-C left paused.');
  assert.match(headline[2], /^What stopped it: HV-C's drain could not move SQL-C: no node it may run on \(its possible owners: HV-C, HV-A\) has room/);
  assert.equal(await wb.webview().locator('#timeline select').inputValue(), 'HV-C', 'it opens on the node the run stopped at');
});

wb.step('the patch night: the phases across the top of the chart, node by node, and the stop point', async () => {
  const view = wb.webview();
  const phases = view.locator('#timeline .phase-row .phase');
  await wb.until('a button per node over its turn', () => phases.evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.host)), (h) => h.join() === 'HV-A,HV-B,HV-C');
  const boxes = await phases.evaluateAll((bs) => bs.map((b) => { const r = b.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; }));
  const plot = (await view.locator('#timeline .chart .u-over').first().evaluate((o) => { const r = o.getBoundingClientRect(); return { top: r.top }; }));
  assert.ok(boxes.every((b) => b.bottom <= plot.top + 1), 'the strip is above the plot');
  assert.ok(boxes[0].right <= boxes[1].left + 1 && boxes[1].right <= boxes[2].left + 1, 'one node after the other');
  // The stop point: a red mark on the strip just after HV-C's turn, in the theme's red.
  const red = await view.locator('#timeline .chart canvas').first().evaluate((c: HTMLCanvasElement, at) => {
    const theme = getComputedStyle(document.documentElement).getPropertyValue('--vscode-charts-red').trim();
    const probe = document.createElement('canvas').getContext('2d')!;
    probe.fillStyle = theme;
    const hex = String(probe.fillStyle);
    const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const box = c.getBoundingClientRect();
    const dpr = devicePixelRatio;
    const data = c.getContext('2d')!.getImageData(Math.round((at.x - box.left) * dpr), Math.round((at.top - box.top) * dpr), Math.round(14 * dpr), Math.round((at.bottom - at.top) * dpr)).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 200 && want.every((v, k) => Math.abs(data[i + k] - v) < 40)) n++;
    return n;
  }, { x: boxes[2].right, top: boxes[2].top, bottom: boxes[2].bottom });
  assert.ok(red > 10, `the stop point is drawn in red (${red} pixels)`);
  await phases.nth(2).hover();
  const tooltip = view.locator('#timeline [role="tooltip"]');
  await tooltip.waitFor({ state: 'visible', timeout: WAIT.ui });
  assert.match(await tooltip.innerText(), /HV-C: its turn in the rolling update[\s\S]*drain failed at 0:19:08: SQL-C cannot move[\s\S]*The run stops here/);
  const section = await view.locator('#timeline .section li').allInnerTexts();
  assert.equal(section.length, 3);
  assert.match(section[0], /^HV-A: drained in 1 min 4 s: 4 VMs to /);
  assert.match(section[2], /^HV-C: drain failed at 0:19:08/);
  // A node of the strip shows that node's chart.
  await phases.nth(0).click();
  await wb.until('HV-A\'s chart', () => view.locator('#timeline select').inputValue(), (v) => v === 'HV-A');
  await view.locator('#timeline select').selectOption('HV-C');
  await wb.until('HV-C\'s chart again', () => view.locator('#timeline .u-legend').innerText(), (text) => text.includes('SQL-C'));
});

halfWidthShots('patch-night');
fullWidthShots('patch-night', PATCH);

wb.step('the restart sample: restored from saved state and booted, in the headline and the rows', async () => {
  const headline = await openPanel(REBOOT, 'SQL01', (lines) => lines.some((l) => l.startsWith('Restored from saved state')));
  assert.ok(headline.includes('Restored from saved state: 2 VMs, 6.8 GB read back in 14 s (DC01 and APP01); booted: 4 VMs, 1 on Smart Paging (WEB02).'), headline.join('\n'));
  const legend = await wb.webview().locator('#timeline .u-legend .u-series').allInnerTexts();
  assert.ok(legend.some((l) => l.startsWith('booting')) && legend.some((l) => l.startsWith('restoring from saved state')), legend.join(' | '));
  await wb.until('the rows of the restart', () => rows().allInnerTexts(), (r) => r.some((t) => t.includes('saved 2 GB, restored at 0:00:14 in 4 s')));
});

halfWidthShots('standalone-restart');
fullWidthShots('standalone-restart', REBOOT);

wb.step('the Advice section: its first fix applied from the panel lands in the plan, and the panel simulates again', async () => {
  const headline = await openPanel(ADVISED, 'SQL01', (lines) => lines.some((l) => l.startsWith('Restored from saved state')));
  assert.ok(headline.some((l) => l.includes('1 on Smart Paging (WEB02)')), headline.join('\n'));
  // What `hvmem advise` says of the same file, run as a process.
  const cli = spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', 'dist', 'cli.js'), 'advise', join(workspace, ADVISED), '--format', 'json'], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  const advice = JSON.parse(cli.stdout) as Advice;
  assert.equal(advice.findings[0]?.code, 'restart-smart-paging');
  const first = advice.findings[0].fixes[0];
  const section = wb.webview().locator('#timeline section.advice');
  const fixes = section.locator('button.advice-fix');
  await wb.until('the advice of the plan', () => fixes.allTextContents(), (t) => t.length > 0);
  assert.deepEqual(await fixes.allTextContents(), advice.findings.flatMap((f) => f.fixes.map((x) => `${x.title} — ${x.cost}`)), 'the fixes hvmem advise gives, in its order');
  assert.equal(await section.locator('.advice-heading').first().textContent(), 'restart-smart-paging on WEB02 (HV01)');
  assert.equal(await overflow(), 0, 'no horizontal scroll with the section');
  await scrollPanelTo(section);
  await panelShot('timeline-advice-half');

  await scrollPanelTo(fixes.first());
  await fixes.first().click();
  await wb.until('the note of the fix', () => section.locator('.advice-note').textContent(), (t) => t === `Applied: ${first.title}.`);
  // The panel simulates the edited text: WEB02 no longer restarts on Smart Paging, and its finding is gone.
  await wb.until('the new headline', () => wb.webview().locator('#timeline .headline li').allInnerTexts(), (lines) => lines.some((l) => l.startsWith('Restored from saved state')) && !lines.some((l) => l.includes('Smart Paging (WEB02)')));
  await wb.until('the advice of the edited plan', () => section.getAttribute('data-state'), (s) => s === 'ready');
  assert.equal(await section.locator('.advice-finding[data-code="restart-smart-paging"]').count(), 0);
  // The edit is the fix's, in the editor: saved, the file is the sample with exactly that edit.
  await wb.page.locator('.tabs-container .tab', { hasText: ADVISED }).first().click();
  await wb.focusEditor();
  await wb.page.keyboard.press('Control+S');
  const expected = applyEdits(SAMPLE_TEXT, first.edits);
  assert.notEqual(expected, SAMPLE_TEXT);
  await wb.until('the plan saved with the fix', async () => readFileSync(join(workspace, ADVISED), 'utf8'), (t) => t === expected, WAIT.ui);
  assert.match(expected.split('\n')[first.edits[0].range.start.line], /"memory": "45GB"/);
});

wb.step('the Advice section at full width', async () => {
  await wb.page.locator('.tabs-container .tab', { hasText: ADVISED }).first().click();
  await wb.command('View: Close Editor');
  await wb.command('View: Toggle Primary Side Bar Visibility');
  await wb.until('the panel to take the window', () => wb.webview().locator('body').evaluate((b) => b.clientWidth), (w) => w > 1200, WAIT.ui);
  assert.equal(await overflow(), 0, 'no horizontal scroll');
  await scrollPanelTo(wb.webview().locator('#timeline section.advice'));
  await panelShot('timeline-advice');
  await wb.command('View: Toggle Primary Side Bar Visibility');
  await wb.until('the side bar', () => wb.page.locator('.part.sidebar').isVisible(), (v) => v, WAIT.ui);
});

wb.step('no errors logged by the extension, nothing tried to leave the machine', async () => {
  assert.deepEqual(wb.extensionErrors(), []);
  assert.deepEqual(wb.blocked, []);
});

/** Scrolls the panel's page, and only it (as the wheel does), to put `target` in its middle: Playwright's
 * own scrolling into view may also move the workbench's parts around the webview's frame. */
async function scrollPanelTo(target: Locator): Promise<void> {
  await target.evaluate((e) => {
    const box = e.getBoundingClientRect();
    window.scrollBy(0, box.top + Math.min(box.height, innerHeight) / 2 - innerHeight / 2);
  });
}

/** How far the panel's page is wider than the panel (0: it fits). */
function overflow(): Promise<number> {
  return wb.webview().locator('html').evaluate((h) => h.scrollWidth - h.clientWidth);
}

/** The panel alone, as its user sees it: the webview's frame in the workbench, with no tooltip open. */
async function panelShot(name: string): Promise<void> {
  await wb.page.mouse.move(0, 0);
  await wb.webview().locator('#timeline [role="tooltip"]').waitFor({ state: 'hidden', timeout: WAIT.ui });
  await wb.page.locator('iframe.webview.ready').last().screenshot({ path: join(e2e.shots, `${name}.png`) });
}

async function setTheme(theme: string, bodyClass: string): Promise<void> {
  await wb.command('Preferences: Color Theme', { opensPicker: true });
  const input = wb.page.locator('.quick-input-widget .quick-input-box input').first();
  await input.fill(theme);
  await wb.pick(theme);
  await wb.webview().locator(`body.${bodyClass}`).waitFor({ timeout: WAIT.ui });
  const canvas = wb.webview().locator('#timeline .chart canvas').first();
  await wb.until('the chart to be drawn in the new theme', () => inkOf(canvas), (i) => i.inked > 2000);
}
