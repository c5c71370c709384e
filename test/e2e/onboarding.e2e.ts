// What a newcomer meets: the walkthrough, New Plan… from a template, the outcome in the status bar
// (a click opens the timeline), the timeline's key and its place in the palette.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Workbench, WAIT, makeWorkspace } from './workbench';

const SAMPLE = 'cluster.hvmem.jsonc';
const workspace = makeWorkspace('onboarding', {}, [SAMPLE]);
const wb = new Workbench('onboarding');
before(() => wb.open(workspace));
after(() => wb.close());

const statusItem = (text: string | RegExp) => wb.page.locator('.statusbar-item', { hasText: text }).first();
const timeline = () => wb.webview().locator('#timeline');

async function closeAll(): Promise<void> {
  await wb.command('View: Close All Editors');
  await wb.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: WAIT.ui });
}

wb.step('the walkthrough shows its four steps', async () => {
  await wb.command('Welcome: Open Walkthrough...', { opensPicker: true });
  await wb.pick('Plan Hyper-V memory');
  const steps = wb.page.locator('.gettingStartedContainer .getting-started-step .step-title');
  await wb.until('the steps', () => steps.allInnerTexts(), (t) => t.length === 4, WAIT.ui);
  assert.deepEqual(await steps.allInnerTexts(), ['Write a plan', 'See what the checks say', 'Simulate the scenario', 'Import from a host']);
});

wb.step('New Plan… opens the standalone template unsaved, as a plan', async () => {
  await closeAll();
  await wb.command('Hyper-V Memory: New Plan…', { opensPicker: true });
  await wb.pick('Standalone host');
  await wb.pick('Open it unsaved');
  await wb.editor.locator('.view-lines', { hasText: 'A Hyper-V memory plan: one host' }).waitFor({ timeout: WAIT.ui });
  await statusItem('Hyper-V Memory Plan').waitFor({ timeout: WAIT.ui });
});

wb.step('the status bar says what the scenario does: one VM on Smart Paging', async () => {
  await statusItem('1 on Smart Paging').waitFor({ timeout: WAIT.server });
});

wb.step('a click on it opens the timeline', async () => {
  await statusItem('1 on Smart Paging').click();
  await timeline().waitFor({ timeout: WAIT.server });
  await wb.webview().locator('#timeline .headline li', { hasText: 'WEB01 used Smart Paging' }).waitFor({ timeout: WAIT.server });
});

wb.step('Ctrl+K V in a plan opens its timeline', async () => {
  await wb.openFile(SAMPLE, 'HV-A');
  await statusItem('1 short of demand').waitFor({ timeout: WAIT.server });
  await wb.focusEditor();
  await wb.page.keyboard.press('Control+K');
  await wb.page.keyboard.press('V');
  await wb.webview().locator('#timeline .headline li', { hasText: 'HV-B failed at 0:05:00.' }).waitFor({ timeout: WAIT.server });
});

wb.step('Show Timeline is in the palette with the timeline in front, and brings it back', async () => {
  await wb.webview().locator('#timeline .headline').click();
  await wb.command('Hyper-V Memory: Show Timeline');
  await wb.page.locator('.tabs-container .tab.active', { hasText: 'Timeline: cluster' }).waitFor({ timeout: WAIT.ui });
  assert.equal(await wb.page.locator('.tabs-container .tab', { hasText: 'Timeline: cluster' }).count(), 1, 'one panel per plan');
});

wb.step('no errors logged by the extension, nothing tried to leave the machine', async () => {
  assert.deepEqual(wb.extensionErrors(), []);
  assert.deepEqual(wb.blocked, []);
});
