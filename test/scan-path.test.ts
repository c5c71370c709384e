// The page sharing scan a plan names is read only from inside the plan's folder tree (or, in the
// editor, a workspace folder): a plan from a cloned repository cannot make `hvmem check` or the
// language server read, wait on or probe anything else. Paths out by `..`, absolute paths, links out
// of the tree, devices, a FIFO, standard input, network paths and a 5 GB sparse file, through the CLI
// and the language server; and in an untrusted workspace nothing beside the plan is read at all.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { WORKSPACE_TRUST_NOTIFICATION } from '../server/src/protocol';
import { CLI, runCli } from './support/baseline';
import { Session } from './lspSession';
import { scanResult } from './pages-whatif-fixture';

let dir: string;
const plans = () => join(dir, 'plans');
const OUTSIDE = "there is no such file inside the plan's folder (a scan result is read only from there, not through a link out of it)";
const DEVICE = "it names a device or a network share; a scan result is read only from a file inside the plan's folder";

/** What each written path must give: applied, or the problem the diagnostic states. */
function cases(): [path: string, expected: 'applied' | string][] {
  return [
    ['scans/good.json', 'applied'],
    [join(plans(), 'scans', 'good.json'), 'applied'],
    ['./scans/../scans/good.json', 'applied'],
    ['../outside/secret.json', OUTSIDE],
    ['../outside/nothing.json', OUTSIDE],
    [join(dir, 'outside', 'secret.json'), OUTSIDE],
    ['../../../../../../../../etc/passwd', OUTSIDE],
    ['/etc/passwd', OUTSIDE],
    ['link-out.json', OUTSIDE],
    ['link-dir/secret.json', OUTSIDE],
    ['link-dir/nothing.json', OUTSIDE],
    ['dangling.json', OUTSIDE],
    ['link-zero', OUTSIDE],
    ['/dev/zero', DEVICE],
    ['/dev/stdin', DEVICE],
    ['/dev/fd/0', DEVICE],
    ['/proc/self/environ', DEVICE],
    ['\\\\server\\share\\scan.json', DEVICE],
    ['//server/share/scan.json', DEVICE],
    ['\\\\?\\C:\\scans\\scan.json', DEVICE],
    ['\\\\.\\PhysicalDrive0', DEVICE],
    ['NUL', DEVICE],
    ['scans/con.json', DEVICE],
    ['fifo', `${join(plans(), 'fifo')} is not a regular file`],
    ['sparse.json', `${join(plans(), 'sparse.json')} has 5368709120 bytes, far more than a scan result (is it a memory image? give the JSON that \`hvmem pages --format json\` prints)`],
    ['scans', `${join(plans(), 'scans')} is a folder`],
  ];
}

/** One host per case, each on its own line: a diagnostic's line tells which path it is about. */
function plan(paths: readonly string[]): string {
  const hosts = paths.map((p, i) => `    { "name": "H${i}", "memory": "64GB", "pageSharing": { "scan": ${JSON.stringify(p)}, "pageSize": "4KB" } }`);
  return `{\n  "hosts": [\n${hosts.join(',\n')}\n  ],\n  "vms": [ { "name": "vm", "host": "H0", "memory": { "startup": "4GB" } } ]\n}\n`;
}

/** Per path: 'applied', or the problem its page-sharing-scan warning states. */
function outcomes(paths: readonly string[], diagnostics: { code: string; message: string; line: number }[]): string[] {
  return paths.map((p, i) => {
    const d = diagnostics.find((x) => x.code === 'page-sharing-scan' && x.line === i + 2);
    if (!d) return 'applied';
    const prefix = `The scan result ${JSON.stringify(p)} cannot be read: `;
    assert.ok(d.message.startsWith(prefix) && d.message.endsWith('. No page sharing is assumed for this host.'), d.message);
    return d.message.slice(prefix.length, -'. No page sharing is assumed for this host.'.length);
  });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hvmem-scan-path-'));
  mkdirSync(join(plans(), 'scans'), { recursive: true });
  mkdirSync(join(dir, 'outside'));
  const scan = JSON.stringify(scanResult());
  writeFileSync(join(plans(), 'scans', 'good.json'), scan);
  // Outside the tree, a perfectly good scan result: it must not be used, nor its existence told.
  writeFileSync(join(dir, 'outside', 'secret.json'), scan);
  symlinkSync(join(dir, 'outside', 'secret.json'), join(plans(), 'link-out.json'));
  symlinkSync(join(dir, 'outside'), join(plans(), 'link-dir'));
  symlinkSync(join(dir, 'outside', 'nothing.json'), join(plans(), 'dangling.json'));
  symlinkSync('/dev/zero', join(plans(), 'link-zero'));
  const fifo = spawnSync('mkfifo', [join(plans(), 'fifo')]);
  assert.equal(fifo.status, 0, `mkfifo: ${fifo.stderr}`);
  // 5 GB that takes no room: a reader that reads first and checks after would never finish.
  const fd = openSync(join(plans(), 'sparse.json'), 'w');
  ftruncateSync(fd, 5 * 1024 ** 3);
  closeSync(fd);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const paths = () => cases().map(([p]) => p);
const expected = () => cases().map(([, e]) => e);

describe('hvmem check and simulate', () => {
  test('each path is applied or refused as it must be, the same way whatever lies outside', () => {
    const file = join(plans(), 'hostile.hvmem.jsonc');
    writeFileSync(file, plan(paths()));
    const r = runCli(['check', file, '--format', 'json'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const rows = (JSON.parse(r.stdout) as { code: string; message: string; range: { start: { line: number } } }[]).map((d) => ({ ...d, line: d.range.start.line }));
    assert.deepEqual(outcomes(paths(), rows), expected());
    const simulated = runCli(['simulate', file], { cwd: dir });
    assert.equal(simulated.status, 0, simulated.stderr);
    assert.match(simulated.stdout, /H0: page sharing 25 % at 4 KB pages assumed/);
    assert.match(simulated.stdout, /H3: no page sharing assumed/);
  });

  test('standard input left open: check reads the plan and exits without waiting on it', async () => {
    const file = join(plans(), 'stdin.hvmem.jsonc');
    writeFileSync(file, plan(['/dev/stdin', 'fifo']));
    const child = spawn(process.execPath, [CLI, 'check', file], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    const guard = setTimeout(() => child.kill(), 60_000);
    const [code, signal] = await once(child, 'exit');
    clearTimeout(guard);
    child.stdin.end();
    assert.equal(signal, null, 'check had to be killed: it waited on standard input or the FIFO');
    assert.equal(code, 0);
    assert.equal(stdout.match(/page-sharing-scan/g)?.length, 2);
  });
});

describe('the language server', () => {
  const uri = (name: string) => pathToFileURL(join(plans(), name)).href;
  const asRows = (ds: Diagnostic[]) => ds.map((d) => ({ code: String(d.code), message: String(d.message), line: d.range.start.line }));

  test('the same outcomes as check; standard input and the FIFO do not stop it', async () => {
    const session = await Session.start();
    try {
      const { diagnostics } = await session.open(plan(paths()), uri('lsp.hvmem.jsonc'));
      assert.deepEqual(outcomes(paths(), asRows(diagnostics)), expected());
      // Still serving: a hover answers after the FIFO and standard input were named.
      const hover = await session.request('textDocument/hover', { textDocument: { uri: uri('lsp.hvmem.jsonc') }, position: { line: 2, character: 16 } });
      assert.ok(hover);
    } finally {
      await session.stop();
    }
  });

  test('a workspace folder widens the tree: a scan beside the plan\'s folder is read, one outside it still not', async () => {
    const session = await Session.start(null, {}, [pathToFileURL(dir).href]);
    try {
      const written = ['../outside/secret.json', '../../etc/passwd', 'scans/good.json'];
      const { diagnostics } = await session.open(plan(written), uri('workspace.hvmem.jsonc'));
      assert.deepEqual(outcomes(written, asRows(diagnostics)), ['applied', OUTSIDE.replace("the plan's folder", "the plan's folder or the workspace"), 'applied']);
    } finally {
      await session.stop();
    }
  });

  test('untrusted workspace: no scan is read, until trust is granted', { timeout: 60_000 }, async () => {
    const session = await Session.start(null, { workspaceTrusted: false });
    try {
      const written = ['scans/good.json', '../outside/secret.json', 'fifo'];
      const doc = uri('untrusted.hvmem.jsonc');
      const { diagnostics } = await session.open(plan(written), doc);
      const refused = 'files beside the plan are not read in an untrusted workspace (restricted mode); trust the workspace to use it';
      assert.deepEqual(outcomes(written, asRows(diagnostics)), [refused, refused, refused]);
      await session.connection.sendNotification(WORKSPACE_TRUST_NOTIFICATION, { trusted: true });
      // The document is checked again (settings pulled at start may add a publish of their own before).
      let trusted = outcomes(written, asRows(await session.diagnosticsFor(doc, 1, 2)));
      for (let nth = 3; trusted[0] !== 'applied' && nth <= 4; nth++) trusted = outcomes(written, asRows(await session.diagnosticsFor(doc, 1, nth)));
      assert.deepEqual(trusted, ['applied', OUTSIDE, `${join(plans(), 'fifo')} is not a regular file`]);
    } finally {
      await session.stop();
    }
  });
});
