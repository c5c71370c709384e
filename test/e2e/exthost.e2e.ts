// Runs test/exthost/suite.ts (bundled to dist/test/suite.js) inside the editor's extension host: the
// workbench is opened with a test payload, as `code --extensionTestsPath` would, and reports the exit
// code through window.codeAutomationExit. Each case of the suite becomes a test here.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workbench, e2e, makeWorkspace, sampleNames } from './workbench';

const suite = join(import.meta.dirname, '..', '..', 'dist', 'test', 'suite.js');
const wb = new Workbench('exthost');
after(() => wb.close());

test('extension host suite', async (t) => {
  assert.ok(existsSync(suite), `${suite} is built (scripts/build.mjs bundles test/exthost/suite.ts)`);
  const host = new URL(e2e.url).host;
  let exit: (code: number) => void;
  const exited = new Promise<number>((resolve) => { exit = resolve; });
  await wb.open(makeWorkspace('exthost', {}, sampleNames()), [
    // the installed extension, loaded as the development extension so that the test payload applies
    ['extensionDevelopmentPath', `vscode-remote://${host}${e2e.extension}`],
    ['extensionTestsPath', `vscode-remote://${host}${suite}`],
  ], async (page) => { await page.exposeFunction('codeAutomationExit', (code: number) => exit(code)); });
  const timeout = new Promise<string>((resolve) => { const timer = setTimeout(() => resolve('timeout'), 180_000); timer.unref(); });
  const code = await Promise.race([exited, timeout]);
  await wb.screenshot('done');
  assert.notEqual(code, 'timeout', 'the suite finished within 3 minutes');

  const resultsFile = join(e2e.state, 'exthost-results.json');
  assert.ok(existsSync(resultsFile), 'the suite wrote its results');
  const results: { name: string; ok: boolean; error?: string }[] = JSON.parse(readFileSync(resultsFile, 'utf8'));
  for (const r of results) {
    await t.test(r.name, () => { if (!r.ok) throw new Error(r.error); });
  }
  assert.equal(code, 0, 'the suite reported success');
});
