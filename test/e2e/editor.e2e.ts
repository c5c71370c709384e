// A plan in the editor, as a user meets it: the file opens in the plan language, the extension starts
// without errors, and nothing leaves the machine.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Workbench, WAIT, makeWorkspace } from './workbench';

const PLAN = `{
  "hosts": [{ "name": "HV01", "memory": "16GB" }],
  "vms": [
    { "name": "WEB01", "memory": { "startup": "2GB" } }
  ]
}
`;

const wb = new Workbench('editor');
before(() => wb.open(makeWorkspace('editor', { 'lab.hvmem.jsonc': PLAN })));
after(() => wb.close());

wb.step('a plan opens in the Hyper-V Memory Plan language', async () => {
  await wb.openFile('lab.hvmem.jsonc', 'WEB01');
  await wb.page.locator('.statusbar-item', { hasText: 'Hyper-V Memory Plan' }).first().waitFor({ timeout: WAIT.ui });
});

wb.step('the language server answers: the Simulate code lens appears', async () => {
  await wb.editor.locator('.codelens-decoration a', { hasText: 'Simulate' }).first().waitFor({ timeout: WAIT.server });
});

wb.step('no errors logged by the extension, nothing tried to leave the machine', async () => {
  assert.deepEqual(wb.extensionErrors(), []);
  assert.deepEqual(wb.blocked, []);
});
