// The web worker's scan results (server/src/web/scanFiles.ts), with a hand-driven clock and timers:
// a read is pending until the client answers, answers that came together are announced once, a scan
// used again after a while is asked for again (and announced only if it changed), an editor that does
// not answer ends as a problem, and the paths a plan writes resolve as they do on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RuntimeTimer } from '../server/src/lsp/runtime';
import type { ReadFileResponse } from '../server/src/protocol';
import { folderOf, resolveScanPath, ScanFiles } from '../server/src/web/scanFiles';

class FakeTime implements RuntimeTimer {
  now = 0;
  private timers: { at: number; callback: () => void; live: boolean }[] = [];
  schedule(callback: () => void, ms: number) {
    const timer = { at: this.now + ms, callback, live: true };
    this.timers.push(timer);
    return { dispose: () => { timer.live = false; } };
  }
  /** moves the clock on, running every timer due (and those they schedule), then lets answers settle */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      const due = this.timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.live = false;
      this.now = due.at;
      due.callback();
    }
    this.now = end;
  }
}

const PLAN = 'file:///work/plans/plan.hvmem.jsonc';
const WORKSPACE = ['file:///work'];

function setUp(answer: (uri: string) => Promise<ReadFileResponse>) {
  const time = new FakeTime();
  const asked: string[] = [];
  let announced = 0;
  const files = new ScanFiles((uri) => { asked.push(uri); return answer(uri); }, time, () => time.now);
  files.onChanged(() => announced++);
  const read = files.reader(PLAN, WORKSPACE)!;
  return { time, asked, read, announced: () => announced };
}

test('a read is pending until the client answers; answers that came together are announced once', async () => {
  const { time, asked, read, announced } = setUp(async (uri) => ({ text: `scan of ${uri}` }));
  assert.deepEqual(read('a.json'), { pending: true });
  assert.deepEqual(read('b.json'), { pending: true });
  assert.deepEqual(read('a.json'), { pending: true }, 'asked once while the answer is on its way');
  assert.deepEqual(asked, ['file:///work/plans/a.json', 'file:///work/plans/b.json']);
  await time.advance(0);
  assert.equal(announced(), 1);
  assert.deepEqual(read('a.json'), { text: 'scan of file:///work/plans/a.json' });
  assert.equal(asked.length, 2, 'a fresh answer is used as it is');
});

test('a scan used again after a while is asked for again, and announced only when it changed', async () => {
  let content = 'first';
  const { time, asked, read, announced } = setUp(async () => ({ text: content }));
  read('a.json');
  await time.advance(0);
  assert.equal(announced(), 1);
  await time.advance(5_000);
  assert.deepEqual(read('a.json'), { text: 'first' }, 'the kept answer, while it is asked for again');
  await time.advance(0);
  assert.equal(asked.length, 2);
  assert.equal(announced(), 1, 'the same answer is no news');
  content = 'second';
  await time.advance(5_000);
  read('a.json');
  await time.advance(0);
  assert.equal(announced(), 2);
  assert.deepEqual(read('a.json'), { text: 'second' });
});

test('refusals read as the Node reader words them, and an editor that does not answer ends as a problem', async () => {
  const answers: Record<string, ReadFileResponse> = {
    'file:///work/plans/dir': { refused: 'folder' },
    'file:///work/plans/big.bin': { refused: 'too-large', bytes: 5_242_880 },
    'file:///work/plans/gone.json': { refused: 'outside' },
    'file:///work/plans/odd.json': { error: 'EIO: i/o error' },
  };
  const { time, read } = setUp((uri) => (uri in answers ? Promise.resolve(answers[uri]) : new Promise(() => {})));
  for (const path of ['dir', 'big.bin', 'gone.json', 'odd.json', 'silent.json']) read(path);
  await time.advance(0);
  assert.deepEqual(read('dir'), { problem: '/work/plans/dir is a folder' });
  assert.match((read('big.bin') as { problem: string }).problem, /^\/work\/plans\/big\.bin has 5242880 bytes, far more than a scan result/);
  assert.deepEqual(read('gone.json'), { problem: "there is no such file inside the plan's folder or the workspace (a scan result is read only from there, not through a link out of it)" });
  assert.deepEqual(read('odd.json'), { problem: '/work/plans/odd.json: EIO: i/o error' });
  assert.deepEqual(read('silent.json'), { pending: true });
  await time.advance(15_000);
  assert.deepEqual(read('silent.json'), { problem: '/work/plans/silent.json: the editor did not answer when asked for the file' });
});

test('paths out of the plan\'s folder and the workspace, and devices, are refused without asking', async () => {
  const { asked, read } = setUp(async () => ({ text: '' }));
  const outside = "there is no such file inside the plan's folder or the workspace (a scan result is read only from there, not through a link out of it)";
  const device = "it names a device or a network share; a scan result is read only from a file inside the plan's folder or the workspace";
  assert.deepEqual(read('../../etc/passwd'), { problem: outside });
  assert.deepEqual(read('/etc/passwd'), { problem: outside });
  assert.deepEqual(read('../../../../../../work2/x.json'), { problem: outside });
  for (const path of ['/dev/zero', '//server/share/x.json', '\\\\server\\share\\x.json', 'NUL', 'scans/con.txt', 'a\0b']) assert.deepEqual(read(path), { problem: device }, path);
  assert.deepEqual(asked, []);
  // Inside the workspace, though out of the plan's folder, is asked for.
  assert.deepEqual(read('../shared/x.json'), { pending: true });
  assert.deepEqual(asked, ['file:///work/shared/x.json']);
});

test('scan paths resolve from the plan\'s folder as on disk, with URI escapes', () => {
  const folder = folderOf('file:///work/plans/plan.hvmem.jsonc')!;
  assert.equal(folder, 'file:///work/plans/');
  const cases: [string, string][] = [
    ['scans/a.json', 'file:///work/plans/scans/a.json'],
    ['./scans/../scans/a.json', 'file:///work/plans/scans/a.json'],
    ['scans\\a.json', 'file:///work/plans/scans/a.json'],
    ['/work/other/a.json', 'file:///work/other/a.json'],
    ['../../../../a.json', 'file:///a.json'],
    ['scan #1 (100%).json', 'file:///work/plans/scan%20%231%20%28100%25%29.json'],
    ['ü.json', 'file:///work/plans/%C3%BC.json'],
  ];
  for (const [written, uri] of cases) assert.equal(resolveScanPath(folder, written), uri, written);
  assert.equal(resolveScanPath(folderOf('vscode-vfs://github/owner/repo/plans/p.hvmem.jsonc')!, 'scans/a.json'), 'vscode-vfs://github/owner/repo/plans/scans/a.json');
  assert.equal(folderOf('untitled:Untitled-1'), undefined, 'an unsaved plan has no folder');
});
