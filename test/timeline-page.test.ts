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

test('in a browser the page draws the chart and shows a hostile VM name as text', { skip: !existsSync(CHROMIUM) && `no browser at ${CHROMIUM}` }, async () => {
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
      await page.screenshot({ path: join(OUT, `standalone-${scheme}.png`), fullPage: true });

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
