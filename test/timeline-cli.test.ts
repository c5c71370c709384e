// `hvmem simulate --html` as a process, and its page in a browser (headless Chromium when present).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runCli } from './support/baseline';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SAMPLE = 'samples/standalone-restart.hvmem.jsonc';
const HOSTILE = '<img src=x onerror=alert(1)>';
const OUT = join('test-output', 'timeline');

let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'hvmem-html-')); });

const embedded = (html: string) => JSON.parse(html.match(/<script type="application\/json" id="hvmem-result">(.*?)<\/script>/s)![1]);

test('--html writes the page with the same result as --format json, and says where', () => {
  const file = join(dir, 'sample.html');
  const withPage = runCli(['simulate', SAMPLE, '--html', file]);
  assert.equal(withPage.status, 0, withPage.stderr);
  assert.equal(withPage.stdout, `${runCli(['simulate', SAMPLE]).stdout}\nTimeline written to ${file}: open it in a browser.\n`);
  const jsonWithPage = runCli(['simulate', SAMPLE, '--format', 'json', '--html', file]);
  assert.doesNotThrow(() => JSON.parse(jsonWithPage.stdout), 'JSON on stdout stays JSON');
  assert.match(jsonWithPage.stderr, /Timeline written to /);
  const json = runCli(['simulate', SAMPLE, '--format', 'json']);
  assert.deepEqual(embedded(readFileSync(file, 'utf8')), JSON.parse(json.stdout));
});

test('--html creates missing folders', () => {
  const file = join(dir, 'missing', 'deeper', 'x.html');
  const r = runCli(['simulate', SAMPLE, '--html', file]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(file));
});

test('--html where a folder cannot be made: one line, exit 2', () => {
  const blocker = join(dir, 'a-file');
  writeFileSync(blocker, 'not a folder');
  const r = runCli(['simulate', SAMPLE, '--html', join(blocker, 'x.html')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^hvmem: .*x\.html: cannot write the page \((ENOTDIR|EEXIST)\)\n$/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('the sample\'s page in light and dark, and a hostile VM name stays text', { skip: !existsSync(CHROMIUM) && `no browser at ${CHROMIUM}` }, async () => {
  const { chromium } = await import('playwright-core');
  mkdirSync(OUT, { recursive: true });
  const sample = join(dir, 'sample-page.html');
  assert.equal(runCli(['simulate', SAMPLE, '--html', sample]).status, 0);
  const hostilePlan = join(dir, 'hostile.hvmem.jsonc');
  writeFileSync(hostilePlan, JSON.stringify({
    hosts: [{ name: 'HV01', memory: '16GB' }],
    vms: [
      { name: HOSTILE, memory: { dynamic: true, startup: '8GB', minimum: '2GB', maximum: '8GB' }, demand: '2GB' },
      { name: 'big', memory: { startup: '6GB' } },
    ],
  }));
  const hostile = join(dir, 'hostile.html');
  const r = runCli(['simulate', hostilePlan, '--html', hostile]);
  assert.equal(r.status, 0, r.stderr);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ colorScheme: scheme, viewport: { width: 1100, height: 760 } });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
      await page.goto(`file://${sample}`);
      await page.waitForSelector('.uplot canvas');
      const first = page.locator('.summary tbody tr').first();
      assert.match(await first.textContent() ?? '', /WEB02.*4.5 GB.*D:\\Hyper-V\\SmartPaging/, 'the VM on Smart Paging comes first');
      await page.screenshot({ path: join(OUT, `sample-${scheme}.png`) });

      await page.goto(`file://${hostile}`);
      await page.waitForSelector('.uplot canvas');
      assert.equal(await page.locator('.summary td', { hasText: HOSTILE }).count(), 1);
      assert.equal(await page.locator('img').count(), 0);
      assert.deepEqual(problems, []);
      await page.close();
    }
  } finally {
    await browser.close();
  }
});
