// The language server as a user sees it: squiggles and the Problems panel, a hover with computed
// numbers, key completion and a quick fix. Expected values come from the product's contract: the
// Problems panel must list what `hvmem check` reports, the hover the numbers the core computes.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePlan } from '../../server/src/core/analyze';
import { startNeedBytes } from '../../server/src/core/capacity';
import { formatBytes } from '../../server/src/core/units';
import { Workbench, WAIT, makeWorkspace } from './workbench';

const root = join(import.meta.dirname, '..', '..');
const MISTAKES = 'mistakes.hvmem.jsonc';
const LAB = 'lab.hvmem.jsonc';
const LAB_PLAN = `{
  "hosts": [{ "name": "HV01", "memory": "64GB" }],
  "vms": [
    { "name": "SQL01", "memory": { "dynamic": true, "startup": "6GB", "minimum": "2GB", "maximum": "12GB" } },
    { "name": "APP01", "memory": { "startup": "3GB" } }
  ]
}
`;

const workspace = makeWorkspace('language', { [LAB]: LAB_PLAN }, [MISTAKES]);
const wb = new Workbench('language');
before(() => wb.open(workspace));
after(() => wb.close());

/** `hvmem check --format json` on the workspace copy: the codes the editor must show. */
function checkCodes(file: string): string[] {
  const result = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'check', '--format', 'json', join(workspace, file)], { encoding: 'utf8' });
  assert.ok(result.status === 0 || result.status === 1, `hvmem check ran: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { code: string }[]).map((d) => d.code).sort();
}

wb.step('a plan with mistakes gets squiggles', async () => {
  await wb.openFile(MISTAKES, 'duplicate-name');
  await wb.editor.locator('.squiggly-error').first().waitFor({ timeout: WAIT.server });
  await wb.editor.locator('.squiggly-warning').first().waitFor({ timeout: WAIT.server });
});

wb.step('the Problems panel lists exactly what hvmem check reports', async () => {
  const expected = checkCodes(MISTAKES);
  assert.ok(expected.length > 10, 'the sample exercises many rules');
  await wb.until('the Problems panel to list the codes of hvmem check', () => wb.problemCodes(), (codes) => JSON.stringify(codes) === JSON.stringify(expected));
  await wb.command('Problems: Focus on Problems View'); // for the step's screenshot
});

wb.step('hovering a VM shows the memory it needs to start, computed', async () => {
  await wb.command('View: Hide Panel');
  await wb.openFile(LAB, 'SQL01');
  const { plan } = analyzePlan(LAB_PLAN);
  const vm = plan.vms.find((v) => v.name === 'SQL01')!;
  const host = plan.hosts.find((h) => h.name === vm.host)!;
  const need = formatBytes(startNeedBytes(host, vm));
  assert.ok(!LAB_PLAN.includes(need.replace(/\s/g, '')), `the expected ${need} is computed, not written in the plan`);
  const name = wb.editor.locator('.view-line span', { hasText: /^"SQL01"$/ }).first();
  const hover = wb.page.locator('.monaco-hover:visible', { hasText: 'SQL01' }).first();
  // Point at the name again while the layout settles (the panel closing moves the text).
  await wb.until('a hover on the VM name', async () => {
    await wb.page.mouse.move(0, 0);
    await name.hover();
    return hover.waitFor({ timeout: 3000 }).then(() => true, () => false);
  }, (shown) => shown);
  const text = (await hover.innerText()).replace(/\s+/g, ' ');
  assert.ok(text.includes(need), `the hover shows ${need}: ${text}`);
});

wb.step('completion offers the keys a VM may have', async () => {
  await wb.find('"APP01", ');
  await wb.page.keyboard.press('ArrowRight'); // the cursor after the match, where a key may go
  await wb.page.keyboard.type('"automatic');
  await wb.page.keyboard.press('Control+Space');
  const labels = () => wb.page.locator('.editor-widget.suggest-widget .monaco-list-row').allInnerTexts();
  await wb.until('key suggestions', labels,
    (rows) => ['automaticStartAction', 'automaticStartDelay', 'automaticStopAction'].every((k) => rows.some((r) => r.includes(k))), WAIT.ui);
  await wb.screenshot('completion list');
  await wb.page.keyboard.press('Escape');
  await wb.command('File: Revert File');
  await wb.until('the edit to be reverted', () => wb.visibleText(), (text) => !text.includes('"automatic'), WAIT.ui);
});

wb.step('a quick fix turns a bare byte count into megabytes', async () => {
  await wb.openFile(MISTAKES, 'duplicate-name');
  assert.match(readFileSync(join(workspace, MISTAKES), 'utf8'), /"startup": 4096 \}/);
  await wb.find('4096');
  await wb.page.keyboard.press('Control+.');
  await wb.page.locator('.action-widget .monaco-list-row', { hasText: 'MB' }).first().waitFor({ timeout: WAIT.server });
  // the menu takes keys, as for a user: down to the fix, then Enter
  await wb.until('the fix to be focused in the menu', async () => {
    const focused = await wb.page.locator('.action-widget .monaco-list-row.focused').first().innerText().catch(() => '');
    if (!focused.includes('MB')) await wb.page.keyboard.press('ArrowDown');
    return focused;
  }, (focused) => focused.includes('MB'), WAIT.ui);
  await wb.screenshot('quick fix menu');
  await wb.page.keyboard.press('Enter');
  await wb.until('the fix to change the text', () => wb.visibleText(), (text) => text.includes('"startup": "4096MB" }'), WAIT.ui);
  await wb.page.keyboard.press('Control+S');
  await wb.until('the file to be saved', async () => readFileSync(join(workspace, MISTAKES), 'utf8'), (text) => text.includes('"4096MB"'), WAIT.ui);
  // What the editor shows now, for both open plans, is again exactly what hvmem check says of the files.
  const expected = [...checkCodes(MISTAKES), ...checkCodes(LAB)].sort();
  assert.ok(!expected.includes('size-suspicious'));
  await wb.until('the Problems panel to follow the fix', () => wb.problemCodes(), (codes) => JSON.stringify(codes) === JSON.stringify(expected));
});

wb.step('no errors logged by the extension, nothing tried to leave the machine', async () => {
  assert.deepEqual(wb.extensionErrors(), []);
  assert.deepEqual(wb.blocked, []);
});
