// The page sharing and import/export commands as a user meets them: opening a Get-VM JSON file offers
// to convert it, "Export to PowerShell…" writes a script next to the plan, "Analyze Page Sharing…"
// shows a panel. Every expected value comes from `hvmem` itself (check, export, pages) on the same files.
// code-server's file dialogs are its simple file dialog: a quick input holding a path.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workbench, WAIT, e2e, makeWorkspace } from './workbench';
import { readPlan } from '../../server/src/core/read';
import { formatBytes as formatSize } from '../../server/src/core/units';
import type { PageScanReport } from '../../client/src/pages/protocol';

const root = join(import.meta.dirname, '..', '..');
const INVENTORY_SOURCE = readFileSync(join(root, 'test', 'fixtures', 'import', 'get-vm-ps51.json'), 'utf8');
const INVENTORY = 'inventory.json';
const IMPORTED = 'inventory.hvmem.jsonc';
const SAMPLE = 'standalone-restart.hvmem.jsonc';
const SCRIPT = 'standalone-restart.apply-memory.ps1';
const HOST_SOURCE = readFileSync(join(root, 'test', 'fixtures', 'import', 'get-vmhost.json'), 'utf8');
const HOST = 'vmhost.json';
const HOST_PLAN = 'vmhost.hvmem.jsonc';
const XML = 'legacy-sql.xml';
const XML_PLAN = 'legacy-sql.hvmem.jsonc';
const IMAGE = 'guest.img';
const SCAN = 'page-scan.json';

const PAGE = 4096;
/**
 * A 1 MB memory image of 256 pages with known sharing: 64 zero pages, 64 copies of one page, 32 pages
 * drawn from 8 contents, and 96 pages that differ from each other (and from another seed's).
 */
function memoryImage(seed: number): Buffer {
  const image = Buffer.alloc(256 * PAGE);
  for (let p = 64; p < 256; p++) {
    const content = p < 128 ? 1 : p < 160 ? 10 + (p % 8) : seed * 1000 + p;
    for (let i = 0; i < PAGE; i += 4) image.writeUInt32LE(Math.imul(content, 2654435761) + i >>> 0, p * PAGE + i);
  }
  return image;
}

const workspace = makeWorkspace('commands', { [INVENTORY]: INVENTORY_SOURCE, [HOST]: HOST_SOURCE }, [SAMPLE]);
copyFileSync(join(root, 'test', 'fixtures', 'import', XML), join(workspace, XML)); // UTF-16, as Hyper-V writes it
writeFileSync(join(workspace, IMAGE), memoryImage(1));

function cli(args: string[], okCodes = [0]): string {
  const result = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), ...args], { encoding: 'utf8' });
  assert.ok(okCodes.includes(result.status ?? -1), `hvmem ${args.join(' ')} ran: ${result.stderr}`);
  return result.stdout;
}

/** `hvmem check --format json` on the workspace copy: the codes the editor must show. */
function checkCodes(file: string): string[] {
  return (JSON.parse(cli(['check', '--format', 'json', join(workspace, file)], [0, 1])) as { code: string }[]).map((d) => d.code).sort();
}

const wb = new Workbench('commands');
before(() => wb.open(workspace));
after(() => wb.close());

const quickInput = () => wb.page.locator('.quick-input-widget .quick-input-box input').first();

/**
 * Waits until the simple file dialog's quick input holds `path` (it fills the folder first, then
 * the proposed name): what the user sees before accepting.
 */
async function fileDialog(path: string): Promise<void> {
  await wb.until(`the file dialog to propose ${path}`, () => quickInput().inputValue({ timeout: 1000 }).catch(() => ''), (v) => v === path, WAIT.ui);
}

/** A notification toast holding `text`. */
const toast = (text: string | RegExp) => wb.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();

wb.step('opening a Get-VM JSON file offers to convert it', async () => {
  await wb.openFile(INVENTORY, 'MemoryStartup');
  await toast(/looks like Hyper-V inventory/).waitFor({ timeout: WAIT.server });
});

wb.step('Convert asks where to save, and the plan opens with the imported VMs', async () => {
  await toast(/looks like Hyper-V inventory/).locator('.monaco-button', { hasText: /^Convert$/ }).click();
  await fileDialog(join(workspace, IMPORTED)); // next to the inventory
  await wb.page.keyboard.press('Enter');
  await wb.page.locator('.tabs-container .tab.active', { hasText: IMPORTED }).waitFor({ timeout: WAIT.server });
  assert.ok(existsSync(join(workspace, IMPORTED)), 'the plan is saved in the workspace');
  // The first VM of the inventory, with its startup memory written as the importer writes sizes.
  const first = (JSON.parse(INVENTORY_SOURCE.replace(/^\uFEFF/, '')) as { Name: string; MemoryStartup: number }[])[0];
  await wb.editor.locator('.view-lines', { hasText: `"name": "${first.Name}"` }).waitFor({ timeout: WAIT.ui });
  const text = await wb.visibleText();
  assert.match(text, new RegExp(`"startup": "${first.MemoryStartup / 2 ** 30}GB"`), `the startup of ${first.Name} is in the plan`);
  assert.equal(readFileSync(join(workspace, IMPORTED), 'utf8'), cli(['import', join(workspace, INVENTORY)]), 'the plan is what hvmem import writes');
});

wb.step('the Problems panel lists what hvmem check reports for the imported plan', async () => {
  const expected = checkCodes(IMPORTED);
  assert.ok(expected.length > 0, 'the imported plan has findings (the host\'s memory is unknown)');
  await wb.until('the Problems panel to list the codes of hvmem check', () => wb.problemCodes(), (codes) => JSON.stringify(codes) === JSON.stringify(expected));
});

wb.step('Import into a plan… from the palette reads a Hyper-V XML configuration', async () => {
  await wb.command('Hyper-V Memory: Import into a plan…', { opensPicker: true });
  await fileDialog(`${workspace}/`);
  // The simple file dialog takes one path: type it and accept, then accept the proposed plan name.
  await quickInput().fill(join(workspace, XML));
  await wb.page.keyboard.press('Enter');
  await fileDialog(join(workspace, XML_PLAN));
  await wb.page.keyboard.press('Enter');
  await wb.page.locator('.tabs-container .tab.active', { hasText: XML_PLAN }).waitFor({ timeout: WAIT.server });
  await wb.editor.locator('.view-lines', { hasText: '"name": "LEGACY-SQL"' }).waitFor({ timeout: WAIT.ui });
  assert.equal(readFileSync(join(workspace, XML_PLAN), 'utf8'), cli(['import', join(workspace, XML)]), 'the plan is what hvmem import writes');
});

wb.step('Import into a plan… from the explorer reads every selected file into one plan', async () => {
  const row = (file: string) => wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).first();
  await row(INVENTORY).click();
  await row(HOST).click({ modifiers: ['Control'] });
  await wb.page.locator('.explorer-folders-view .monaco-list-row.selected').nth(1).waitFor({ timeout: WAIT.ui });
  await row(HOST).click({ button: 'right' });
  // The menu acts on keys (a click right after it opens can be taken for the opening click's release).
  const item = wb.page.locator('.context-view .monaco-menu .action-item', { hasText: 'Import into a plan…' }).first();
  await item.hover();
  await wb.page.locator('.context-view .monaco-menu .action-item.focused', { hasText: 'Import into a plan…' }).waitFor({ timeout: WAIT.ui });
  await wb.page.keyboard.press('Enter');
  // The plan is named after the file the menu was opened on.
  await fileDialog(join(workspace, HOST_PLAN));
  await wb.page.keyboard.press('Enter');
  await wb.page.locator('.tabs-container .tab.active', { hasText: HOST_PLAN }).waitFor({ timeout: WAIT.server });
  // The host's memory comes from Get-VMHost, the VMs from Get-VM: both files went into the plan.
  const capacity = (JSON.parse(HOST_SOURCE) as { MemoryCapacity: number }).MemoryCapacity;
  await wb.editor.locator('.view-lines', { hasText: `"memory": "${capacity / 2 ** 30}GB"` }).waitFor({ timeout: WAIT.ui });
  assert.equal(readFileSync(join(workspace, HOST_PLAN), 'utf8'), cli(['import', join(workspace, HOST), join(workspace, INVENTORY)]),
    'the plan is what hvmem import writes for the two files');
});

wb.step('Export to PowerShell… writes the script the command line writes', async () => {
  await wb.openFile(SAMPLE, 'SQL01');
  await wb.command('Hyper-V Memory: Export to PowerShell…', { opensPicker: true });
  await fileDialog(join(workspace, SCRIPT)); // next to the plan
  await wb.page.keyboard.press('Enter');
  await wb.page.locator('.tabs-container .tab.active', { hasText: SCRIPT }).waitFor({ timeout: WAIT.server });
  const script = readFileSync(join(workspace, SCRIPT), 'utf8');
  const vms = readPlan(readFileSync(join(workspace, SAMPLE), 'utf8')).plan.vms.map((vm) => vm.name);
  assert.ok(vms.length > 0);
  for (const vm of vms) assert.match(script, new RegExp(`^Update-HvmemVM -Name '${vm}' `, 'm'), `the script sets ${vm}`);
  assert.match(script, /Set-VMMemory -VM \$vm/);
  // Apart from when it was generated, the script is exactly what `hvmem export -o` writes.
  const reference = join(e2e.state, 'tmp', SCRIPT);
  cli(['export', join(workspace, SAMPLE), '--to', 'powershell', '-o', reference]);
  const undated = (s: string) => s.replace(/ on \d{4}-\d\d-\d\dT[\d:.]+Z\./, ' on <date>.');
  assert.ok(undated(script) === undated(readFileSync(reference, 'utf8')), 'the script equals the one hvmem export writes');
});

wb.step('Analyze Page Sharing… on a memory image shows the numbers of hvmem pages', async () => {
  await wb.command('Hyper-V Memory: Analyze Page Sharing…', { opensPicker: true });
  await wb.pick('Memory image files…');
  await fileDialog(`${workspace}/`);
  // One image: the simple file dialog takes one path, so the across-images share stays 0 here.
  await quickInput().fill(join(workspace, IMAGE));
  await wb.page.keyboard.press('Enter');
  const report = JSON.parse(cli(['pages', join(workspace, IMAGE), '--format', 'json'])) as PageScanReport;
  const small = report.pageSizes[String(PAGE)];
  // The image is built to share: the scan agrees with how it was built before the panel is compared with it.
  assert.deepEqual([small.pages, small.zeroPages, small.distinctPages], [256, 64, 1 + 1 + 8 + 96]);
  const headings = wb.webview().locator('#root h2');
  // A 1 MB image has no whole 2 MB page: that size says so instead of "0 B of 0 B saved".
  const expected = Object.entries(report.pageSizes).sort(([a], [b]) => Number(a) - Number(b))
    .map(([size, s]) => (s.pages === 0 ? `${formatSize(Number(size))} pages: nothing to compare`
      : `${formatSize(Number(size))} pages: ${formatSize(s.savedBytes)} of ${formatSize(s.pages * Number(size))} saved (${((s.savedBytes / (s.pages * Number(size))) * 100).toFixed(1)}%)`));
  assert.deepEqual(expected.at(-1), '2 MB pages: nothing to compare');
  await wb.until('the panel to show a heading per page size', () => headings.allInnerTexts().catch(() => []),
    (texts) => JSON.stringify(texts.slice(0, expected.length)) === JSON.stringify(expected));
  const bar = wb.webview().locator('#root .bar').first();
  const zeroShare = small.zeroPages / small.pages;
  const widths = await bar.locator(':scope > div').evaluateAll((parts) => parts.map((p) => (p as HTMLElement).getBoundingClientRect().width));
  const total = widths.reduce((a, b) => a + b, 0);
  assert.ok(total > 0, 'the bar is drawn');
  assert.ok(Math.abs(widths[0] / total - zeroShare) < 0.01, `the zero-page part is ${zeroShare * 100}% of the bar: ${JSON.stringify(widths)}`);
  const legend = await wb.webview().locator('#root .legend').first().innerText();
  assert.ok(legend.includes(`zero pages: ${formatSize(small.zeroPages * PAGE)} (${(zeroShare * 100).toFixed(1)}%)`), legend);
  const row = await wb.webview().locator('#root table tr', { hasText: IMAGE }).first().innerText();
  assert.ok(row.includes(formatSize(report.images[0].bytes)), row);
  // One definition of "shared inside one image" in the bar and the table: the non-zero copies.
  const within = (small.savedWithinBytes - (small.zeroPages - 1) * PAGE) / (small.pages * PAGE);
  assert.ok(legend.includes(`shared inside one image: ${formatSize(within * small.pages * PAGE)} (${(within * 100).toFixed(1)}%)`), legend);
  assert.ok(row.includes(`${(within * 100).toFixed(1)}%`) && row.includes('smaller than a 2 MB page'), row);
});

wb.step('Save scan as JSON writes what hvmem pages --format json prints', async () => {
  await wb.webview().getByRole('button', { name: 'Save scan as JSON' }).click();
  await fileDialog(join(workspace, SCAN));
  await wb.page.keyboard.press('Enter');
  await wb.webview().locator('#root .actions', { hasText: `Saved as ${SCAN}` }).waitFor({ timeout: WAIT.ui });
  assert.equal(readFileSync(join(workspace, SCAN), 'utf8'), cli(['pages', join(workspace, IMAGE), '--format', 'json']));
});

wb.step('Use in plan… points the chosen host of the chosen plan at the saved scan', async () => {
  await wb.webview().getByRole('button', { name: 'Use in plan…' }).click();
  // Several plans in the workspace: the user picks one; it has one host and the scan one whole page size.
  await wb.pick(SAMPLE);
  await wb.page.locator('.tabs-container .tab.active', { hasText: SAMPLE }).waitFor({ timeout: WAIT.server });
  await toast(/HV01 now assumes the page sharing of page-scan\.json at 4KB pages/).waitFor({ timeout: WAIT.ui });
  await wb.editor.locator('.view-lines', { hasText: '"pageSharing"' }).waitFor({ timeout: WAIT.ui });
  const text = await wb.visibleText();
  assert.match(text, /"pageSharing": \{\s*"scan": "page-scan\.json",\s*"pageSize": "4KB"/, text);
  // The plan now reads the scan: no page-sharing-scan warning, as the command line finds for the same text.
  await wb.page.keyboard.press('Control+S');
  assert.deepEqual(checkCodes(SAMPLE).filter((c) => c === 'page-sharing-scan'), []);
});

wb.step('no errors logged by the extension, nothing tried to leave the machine', async () => {
  assert.deepEqual(wb.extensionErrors(), []);
  assert.deepEqual(wb.blocked, []);
});
