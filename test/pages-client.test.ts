// The editor's page sharing command runs the bundled CLI in a child process; this checks that path
// without the editor: the report, the progress, cancellation and a failing scan.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runPageScan, ScanCancelled, type ScanCancellation } from '../client/src/pages/scan';
import { CLI, ROOT } from './support/baseline';
import { image } from './support/pages';

let dir: string;
before(() => {
  if (!existsSync(CLI)) spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'hvmem-pages-client-'));
});

/** A cancellation token as VS Code's behaves: cancel() sets the flag and calls the listeners. */
function token() {
  const listeners: (() => unknown)[] = [];
  const t = {
    isCancellationRequested: false,
    onCancellationRequested: (l: () => unknown) => { listeners.push(l); return { dispose: () => undefined }; },
    cancel() { t.isCancellationRequested = true; listeners.forEach((l) => l()); },
  };
  return t satisfies ScanCancellation;
}

test('the report of two images, with progress up to 100 %', async () => {
  const a = join(dir, 'a.img');
  const b = join(dir, 'b.img');
  writeFileSync(a, image('A B A 0', 4096));
  writeFileSync(b, image('B C 0 0', 4096));
  const reports: { message?: string; increment?: number }[] = [];
  const report = await runPageScan(CLI, { files: [a, b], pids: [] }, { report: (r) => reports.push(r) }, token());
  assert.equal(report.pageSizes['4096'].savedBytes, 4 * 4096);
  assert.deepEqual(report.images.map((i) => [i.name, i.kind]), [[a, 'file'], [b, 'file']]);
  assert.ok(reports.length > 0);
  const total = reports.reduce((n, r) => n + (r.increment ?? 0), 0);
  assert.ok(total > 0 && total <= 100, `progress adds up to ${total}`);
});

test('a failing scan rejects with the CLI\'s reason', async () => {
  await assert.rejects(runPageScan(CLI, { files: [join(dir, 'missing.img')], pids: [] }, { report: () => undefined }, token()), /missing\.img: no such file$/);
});

test('a cancelled scan ends in ScanCancelled, not in a report', async () => {
  const big = join(dir, 'big.img');
  writeFileSync(big, Buffer.alloc(64 * 1024 * 1024, 1));
  const t = token();
  const scan = runPageScan(CLI, { files: [big, big, big, big], pids: [] }, { report: () => t.cancel() }, t);
  await assert.rejects(scan, ScanCancelled);
});
