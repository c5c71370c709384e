// The packaged extension's browser entry (dist/web/client.js) in code-server's web worker extension
// host, with its language server in a web worker (dist/web/server.js): the workspace asks for it with
// `remote.extensionKind` set to ["web"], as a user can. The same results as the desktop entry and the
// command line, for the samples, the timeline, a scan result named by a plan (read through the
// workspace file system API), import and export; page scans say in one line why they cannot run.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { plan as scanPlan, scanResult } from '../pages-whatif-fixture';
import { Workbench, WAIT, e2e, makeWorkspace, sampleNames } from './workbench';

const root = join(import.meta.dirname, '..', '..');
const EXTENSION_ID = 'hvmem.hyperv-memory-planner';
const SAMPLES = sampleNames();
const INVENTORY = 'inventory.json';
const IMPORTED = 'inventory.hvmem.jsonc';
const SCRIPT = 'standalone-restart.apply-memory.ps1';
const SCANNED = 'scanned.hvmem.jsonc';
const OUT_OF_REACH = 'out-of-reach.hvmem.jsonc';

const workspace = makeWorkspace('web', {
  [INVENTORY]: readFileSync(join(root, 'test', 'fixtures', 'import', 'get-vm-ps51.json'), 'utf8'),
  [SCANNED]: scanPlan('{ "scan": "scans/vm1.json", "pageSize": "4KB" }'),
  [OUT_OF_REACH]: scanPlan('{ "scan": "../web-secret.json", "pageSize": "4KB" }'),
}, SAMPLES);
mkdirSync(join(workspace, 'scans'));
writeFileSync(join(workspace, 'scans', 'vm1.json'), JSON.stringify(scanResult(), null, 2));
writeFileSync(join(workspace, '..', 'web-secret.json'), JSON.stringify(scanResult()));
// What a user writes to run the extension in the browser's extension host.
mkdirSync(join(workspace, '.vscode'));
writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'remote.extensionKind': { [EXTENSION_ID]: ['web'] } }, null, 2));

function cli(args: string[], okCodes = [0]): string {
  const result = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), ...args], { encoding: 'utf8' });
  assert.ok(okCodes.includes(result.status ?? -1), `hvmem ${args.join(' ')} ran: ${result.stderr}`);
  return result.stdout;
}
const checkCodes = (file: string) => (JSON.parse(cli(['check', '--format', 'json', join(workspace, file)], [0, 1])) as { code: string }[]).map((d) => d.code);

const wb = new Workbench('web');
/** The web worker extension host logs into the page's console, not into code-server's log files. */
const consoleErrors: string[] = [];
before(async () => {
  await wb.open(workspace);
  wb.page.on('console', (m) => {
    if (m.type() === 'error' && /hvmem|Hyper-V Memory/i.test(m.text())) consoleErrors.push(m.text().slice(0, 800));
  });
});
after(() => wb.close());

const quickInput = () => wb.page.locator('.quick-input-widget .quick-input-box input').first();
const toast = (text: string | RegExp) => wb.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
async function fileDialog(path: string): Promise<void> {
  await wb.until(`the file dialog to propose ${path}`, () => quickInput().inputValue({ timeout: 1000 }).catch(() => ''), (v) => v === path, WAIT.ui);
}

// The Problems panel lists every open plan's findings, and a plan's stay while it is open: the steps
// open plans one after the other and compare with hvmem check of all those opened so far.
const opened: string[] = [];
async function openPlan(file: string, expectText: string): Promise<void> {
  await wb.openFile(file, expectText);
  opened.push(file);
}
const problemsAreChecks = () => wb.until(`the Problems panel to list hvmem check's codes for ${opened.join(', ')}`, () => wb.problemCodes(),
  (codes) => JSON.stringify(codes) === JSON.stringify(opened.flatMap(checkCodes).sort()));

wb.step('the extension runs in the browser: page scans say they need the desktop', async () => {
  await openPlan(SCANNED, '"scan"');
  await wb.command('Hyper-V Memory: Analyze Page Sharing…');
  await toast(/Page sharing analysis reads memory images and processes on this machine, which an editor in the browser cannot do/).waitFor({ timeout: WAIT.server });
});

wb.step('a scan result the plan names is read through the workspace file system, as the command line reads it', async () => {
  // On disk the scan avoids the restart's Smart Paging: no page-sharing-scan, no restart-smart-paging.
  assert.ok(!checkCodes(SCANNED).includes('page-sharing-scan') && !checkCodes(SCANNED).includes('restart-smart-paging'));
  await problemsAreChecks();
  // A file out of the workspace is not read, in the words of the command line.
  await openPlan(OUT_OF_REACH, '"scan"');
  assert.ok(checkCodes(OUT_OF_REACH).includes('page-sharing-scan'));
  await problemsAreChecks();
});

wb.step('every sample: the Problems panel lists what hvmem check reports', async () => {
  for (const sample of SAMPLES) await openPlan(sample, '"hosts"');
  assert.ok(SAMPLES.flatMap(checkCodes).length > 10, 'the samples exercise many rules');
  await problemsAreChecks();
  await wb.command('View: Hide Panel');
});

wb.step('the Simulate code lens opens the timeline, and the chart draws', async () => {
  await wb.openFile('standalone-restart.hvmem.jsonc', 'SQL01');
  await wb.editor.locator('.codelens-decoration a', { hasText: 'Simulate' }).first().click({ timeout: WAIT.server });
  const canvas = wb.webview().locator('#timeline .chart canvas').first();
  await canvas.waitFor({ timeout: WAIT.server });
  const inked = () => canvas.evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
  await wb.until('the chart to be drawn', inked, (n) => n > 2000);
  const names = () => wb.webview().locator('#timeline .summary tbody tr td:first-child').allInnerTexts();
  await wb.until('a row per VM', names, (n) => JSON.stringify([...n].sort()) === JSON.stringify(['APP01', 'APP02', 'DC01', 'SQL01', 'TEST01', 'WEB01', 'WEB02']));
  await wb.command('View: Close All Editors');
});

wb.step('Restart Language Server starts a new worker, which checks the next edit', async () => {
  await wb.openFile(SCANNED, '"scan"');
  assert.equal(await wb.editor.locator('.squiggly-error').count(), 0, 'the plan has no errors');
  await wb.command('Hyper-V Memory: Restart Language Server');
  await wb.find('"1536MB"');
  await wb.page.keyboard.type('"1537MB"');
  await wb.editor.locator('.squiggly-error').first().waitFor({ timeout: WAIT.server });
  await wb.command('File: Revert File');
  await wb.editor.locator('.squiggly-error').first().waitFor({ state: 'detached', timeout: WAIT.server });
});

wb.step('opening a Get-VM JSON file offers to convert it, and the plan is what hvmem import writes', async () => {
  await wb.openFile(INVENTORY, 'MemoryStartup');
  await toast(/looks like Hyper-V inventory/).locator('.monaco-button', { hasText: /^Convert$/ }).click({ timeout: WAIT.server });
  await fileDialog(join(workspace, IMPORTED));
  await wb.page.keyboard.press('Enter');
  await wb.page.locator('.tabs-container .tab.active', { hasText: IMPORTED }).waitFor({ timeout: WAIT.server });
  await wb.until('the imported plan on disk', async () => existsSync(join(workspace, IMPORTED)), (v) => v, WAIT.ui);
  assert.equal(readFileSync(join(workspace, IMPORTED), 'utf8'), cli(['import', join(workspace, INVENTORY)]));
});

wb.step('Export to PowerShell… writes the script the command line writes', async () => {
  await wb.openFile('standalone-restart.hvmem.jsonc', 'SQL01');
  await wb.command('Hyper-V Memory: Export to PowerShell…', { opensPicker: true });
  await fileDialog(join(workspace, SCRIPT));
  await wb.page.keyboard.press('Enter');
  await wb.page.locator('.tabs-container .tab.active', { hasText: SCRIPT }).waitFor({ timeout: WAIT.server });
  const reference = join(e2e.state, 'tmp', `web-${SCRIPT}`);
  cli(['export', join(workspace, 'standalone-restart.hvmem.jsonc'), '--to', 'powershell', '-o', reference]);
  const undated = (s: string) => s.replace(/ on \d{4}-\d\d-\d\dT[\d:.]+Z\./, ' on <date>.');
  assert.ok(undated(readFileSync(join(workspace, SCRIPT), 'utf8')) === undated(readFileSync(reference, 'utf8')), 'the script equals the one hvmem export writes');
});

wb.step('no errors from the extension, nothing tried to leave the machine', async () => {
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(wb.extensionErrors(), []);
  assert.deepEqual(wb.blocked, []);
});
