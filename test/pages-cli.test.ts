// `hvmem pages` as a process: images written to files with known answers, real process memory,
// and inputs that cannot be read (one line on standard error, exit 2).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { CLI, runCli } from './support/baseline';
import { image } from './support/pages';
import { readableRegions } from '../server/src/cli/pages';

const KB = 1024;
const MB = 1024 * KB;
let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'hvmem-pages-')); chmodSync(dir, 0o755); });
after(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, bytes: Uint8Array) => { const p = join(dir, name); writeFileSync(p, bytes); return p; };

/** Exit 2 and the reason on one line; bad usage may add the usage line after it. */
function assertOneLineError(r: ReturnType<typeof runCli>, pattern: RegExp) {
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stdout, '');
  const [reason, ...rest] = r.stderr.trimEnd().split('\n');
  assert.match(reason, pattern);
  assert.ok(rest.length === 0 || (rest.length === 1 && rest[0].startsWith('usage: hvmem pages')), r.stderr);
  assert.doesNotMatch(r.stderr, /\bat .*:\d+:\d+/);
}

test('JSON for two files, exactly as the format says', () => {
  const a = write('a.img', image('A B A 0', 4 * KB));
  const b = write('b.img', image('B C 0 0', 4 * KB, 100));
  const r = runCli(['pages', a, b, '--page-size', '4KB,16KB', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    pageSizes: {
      '4096': { pages: 8, zeroPages: 3, distinctPages: 4, savedBytes: 4 * 4 * KB, savedNonZeroBytes: 2 * 4 * KB, savedWithinBytes: 2 * 4 * KB, savedAcrossBytes: 2 * 4 * KB, hashCollisions: 0 },
      '16384': { pages: 2, zeroPages: 0, distinctPages: 2, savedBytes: 0, savedNonZeroBytes: 0, savedWithinBytes: 0, savedAcrossBytes: 0, hashCollisions: 0 },
    },
    images: [
      { name: a, kind: 'file', bytes: 16 * KB, pageSizes: { '4096': { pages: 4, zeroPages: 1, savedWithinBytes: 4 * KB }, '16384': { pages: 1, zeroPages: 0, savedWithinBytes: 0 } } },
      { name: b, kind: 'file', bytes: 16 * KB + 100, pageSizes: { '4096': { pages: 4, zeroPages: 2, savedWithinBytes: 4 * KB }, '16384': { pages: 1, zeroPages: 0, savedWithinBytes: 0 } } },
    ],
  });
});

test('text: one column per page size, the default being 4 KB and 2 MB', () => {
  const a = write('text.img', image('A A 0 0 A A', 1 * MB));
  const r = runCli(['pages', a]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'no progress when standard error is not a terminal');
  assert.match(r.stdout, /4 KB pages\s+2 MB pages/);
  assert.match(r.stdout, /^zero pages\s+2 MB \(33\.3%\)\s+2 MB \(33\.3%\)$/m);
  // 4 KB: 1,536 pages, 257 contents (the 256 pages of A, and zero); 2 MB: 3 pages, 2 contents.
  assert.match(r.stdout, /^distinct contents\s+257\s+2$/m);
  assert.match(r.stdout, /^saved by sharing\s+5 MB \(83\.3%\)\s+2 MB \(33\.3%\)$/m);
});

test('bad usage: a clear line and exit 2', () => {
  const a = write('u.img', image('A', 4 * KB));
  assertOneLineError(runCli(['pages']), /no image given/);
  assertOneLineError(runCli(['pages', a, '--page-size', '3KB']), /--page-size '3KB' must be a power of two/);
  assertOneLineError(runCli(['pages', a, '--page-size', '4 parsecs']), /--page-size '4 parsecs'/);
  assertOneLineError(runCli(['pages', a, '--pid', 'self']), /--pid 'self' is not a process id/);
  assertOneLineError(runCli(['pages', a, '--format', 'xml']), /--format must be one of text, json/);
});

test('a missing file and a folder', () => {
  assertOneLineError(runCli(['pages', join(dir, 'missing.img')]), /missing\.img: no such file$/m);
  const folder = join(dir, 'folder.img');
  mkdirSync(folder);
  assertOneLineError(runCli(['pages', folder]), /folder\.img: is a folder/);
});

test('an unreadable file', (t) => {
  const secret = write('secret.img', image('A', 4 * KB));
  chmodSync(secret, 0o000);
  let cli = CLI;
  let asNobody = {};
  if (process.getuid?.() === 0) {
    // root reads any file: run as nobody then, so permissions apply. The checkout may sit where nobody
    // cannot look (a root user's 0700 folder), so nobody runs a copy of the bundle from the test's folder.
    cli = join(dir, 'cli.js');
    copyFileSync(CLI, cli);
    chmodSync(cli, 0o644);
    asNobody = { uid: 65534, gid: 65534 };
    const probe = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8', cwd: dir, ...asNobody });
    if (probe.status !== 0) {
      t.skip(`nobody cannot run ${process.execPath} on ${cli} here (${(probe.stderr || String(probe.error)).split('\n')[0]}), so permissions cannot be tested as root`);
      return;
    }
  }
  const r = spawnSync(process.execPath, [cli, 'pages', secret], { encoding: 'utf8', cwd: dir, ...asNobody });
  assertOneLineError({ status: r.status, stdout: r.stdout, stderr: r.stderr }, /secret\.img: permission denied$/m);
});

test('a process that has ended', async () => {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid!;
  await once(child, 'exit');
  assertOneLineError(runCli(['pages', '--pid', String(pid)]), new RegExp(`pid ${pid}: no such process`));
});

test('a live process: identical 4 KB pages that do not make identical 2 MB pages', async (t) => {
  // 64 MB whose 4 KB pages each hold one of two contents, in an order that differs between 2 MB pages.
  const holder = spawn(process.execPath, ['-e', `
    const b = Buffer.alloc(64 << 20);
    for (let p = 0, s = 1; p < b.length; p += 4096) { s = (s * 1103515245 + 12345) >>> 0; b.fill((s >>> 16) & 1 ? 1 : 2, p, p + 4096); }
    process.stdout.write('ready\\n');
    setInterval(() => b[0]++, 60000);
  `], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => holder.kill());
  await once(holder.stdout!, 'data');
  const r = runCli(['pages', '--pid', String(holder.pid), '--format', 'json']);
  if (r.status === 2 && /permission denied/.test(r.stderr)) { t.skip('cannot read process memory here'); return; }
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.images[0].kind, 'process');
  assert.equal(report.images[0].pid, holder.pid);
  const small = report.pageSizes['4096'];
  const large = report.pageSizes['2097152'];
  // The buffer alone holds 16,384 pages of two contents: at least 64 MB less two pages saved.
  assert.ok(small.savedNonZeroBytes >= 64 * MB - 2 * 4 * KB, `4 KB saved ${small.savedNonZeroBytes}`);
  assert.ok(large.savedNonZeroBytes < small.savedNonZeroBytes / 4, `2 MB saved ${large.savedNonZeroBytes}`);
});

test('started by the editor: progress over IPC, the JSON on standard output, and the process exits', async () => {
  const a = write('ipc.img', image('A B A 0', 4 * KB));
  const child = fork(CLI, ['pages', a, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const messages: { type: string; doneBytes: number; totalBytes: number; image: string }[] = [];
  let stdout = '';
  child.on('message', (m) => messages.push(m as (typeof messages)[number]));
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
  assert.equal(JSON.parse(stdout).pageSizes['4096'].pages, 4);
  assert.deepEqual(messages[0], { type: 'progress', image: a, doneBytes: 16 * KB, totalBytes: 16 * KB });
});

test('process mappings: readable ones only, without the kernel\'s vvar and vsyscall', () => {
  const maps = [
    '55d0c0a00000-55d0c0a21000 r--p 00000000 fd:01 1234  /usr/bin/node',
    '55d0c0a21000-55d0c0a40000 r-xp 00021000 fd:01 1234  /usr/bin/node',
    '7f0000000000-7f0000100000 rw-p 00000000 00:00 0 ',
    '7f0000100000-7f0000200000 ---p 00000000 00:00 0 ',
    '7ffd1e5f0000-7ffd1e611000 rw-p 00000000 00:00 0  [stack]',
    '7ffd1e6f6000-7ffd1e6fa000 r--p 00000000 00:00 0  [vvar]',
    '7ffd1e6fa000-7ffd1e6fc000 r-xp 00000000 00:00 0  [vdso]',
    'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0  [vsyscall]',
    '',
  ].join('\n');
  assert.deepEqual(readableRegions(maps).map((r) => [r.start.toString(16), r.end.toString(16)]), [
    ['55d0c0a00000', '55d0c0a21000'], ['55d0c0a21000', '55d0c0a40000'], ['7f0000000000', '7f0000100000'],
    ['7ffd1e5f0000', '7ffd1e611000'], ['7ffd1e6fa000', '7ffd1e6fc000'],
  ]);
});
