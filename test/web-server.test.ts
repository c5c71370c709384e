// The language server's web worker bundle (dist/web/server.js) in headless Chromium, driven over LSP
// as the extension in the browser drives it: exactly `hvmem check`'s diagnostics for every sample,
// hovers with computed numbers, quick fixes, the simulation the desktop server gives, the scan result
// files asked of the client (hvmem/readFile) without a flash of "cannot be read", and import and
// export as the CLI does them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import type { CodeAction, CodeLens, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol/node';
import { analyzePlan } from '../server/src/core/analyze';
import { startNeedBytes } from '../server/src/core/capacity';
import { formatBytes } from '../server/src/core/units';
import { ExportRequest, ImportRequest, ReadFileRequest, SimulateRequest, type ReadFileResponse } from '../server/src/protocol';
import { applyWorkspaceEdit, at, checkWithCli, ROOT, Session } from './lspSession';
import { plan as scanPlan, scanResult } from './pages-whatif-fixture';
import { runCli } from './support/baseline';
import { launchBrowser, openWorkerPage, skipWithoutBrowser, workerSession } from './support/webWorker';

const SAMPLES = join(ROOT, 'samples');
const SEVERITY_NAMES = ['', 'error', 'warning', 'information', 'hint'];
const asCheck = (d: Diagnostic) => ({ severity: SEVERITY_NAMES[d.severity!], code: d.code, message: d.message, range: d.range });
const cliCheck = (text: string) => checkWithCli(text).map(({ file: _file, ...rest }: Record<string, unknown>) => rest);

const LAB = `{
  "hosts": [{ "name": "HV01", "memory": "64GB" }],
  "vms": [
    { "name": "SQL01", "memory": { "dynamic": true, "startup": "6GB", "minimum": "2GB", "maximum": "12GB" } },
    { "name": "APP01", "memory": { "startup": "4097MB" } }
  ]
}
`;

describe('the language server in a web worker', { skip: skipWithoutBrowser }, () => {
  let browser: Browser;
  let session: Session;
  let pageErrors: string[] = [];
  let workerEnded: Promise<void>;
  before(async () => {
    browser = await launchBrowser();
    const { page, errors, ended } = await openWorkerPage(browser);
    pageErrors = errors;
    workerEnded = ended;
    session = await workerSession(page);
  });
  after(async () => {
    await browser?.close();
    assert.deepEqual(pageErrors, [], 'nothing thrown in the page or the worker');
  });

  for (const file of readdirSync(SAMPLES).filter((f) => f.endsWith('.hvmem.jsonc')).sort()) {
    test(`${file}: exactly the diagnostics of hvmem check, opened and after an edit inside a VM`, async () => {
      const text = readFileSync(join(SAMPLES, file), 'utf8');
      const { uri, diagnostics } = await session.open(text);
      assert.deepEqual(diagnostics.map(asCheck), cliCheck(text));
      const edited = text.replace(/"startup": "(\d+)GB"/, (_m, n) => `"startup": "${Number(n) + 2}GB"`);
      assert.notEqual(edited, text);
      assert.deepEqual((await session.change(uri, edited)).map(asCheck), cliCheck(edited));
      await session.close(uri);
    });
  }

  test('a hover on a VM shows the memory it needs to start, computed by the core', async () => {
    const { text, position } = at(LAB.replace('"SQL01"', '"SQ|L01"'));
    const { uri } = await session.open(text);
    const { plan } = analyzePlan(text);
    const need = formatBytes(startNeedBytes(plan.hosts[0], plan.vms.find((v) => v.name === 'SQL01')!));
    assert.ok(!text.includes(need.replace(/\s/g, '')), `${need} is computed, not written in the plan`);
    const hover = await session.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
    const markdown = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    assert.ok(markdown.includes(`startup 6 GB + overhead `) && markdown.includes(` = **${need}**`), markdown);
    // startup 6 GB - minimum 2 GB
    assert.match(markdown, /worst-case Smart Paging file at a restart: \*\*4 GB\*\*/);
    await session.close(uri);
  });

  test('a quick fix for a misaligned size, applied, leaves what hvmem check says of the fixed plan', async () => {
    const { uri, diagnostics } = await session.open(LAB);
    const aligned = diagnostics.find((d) => d.code === 'memory-alignment');
    assert.ok(aligned, 'APP01\'s 4097 MB is reported');
    const actions = await session.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: aligned.range, context: { diagnostics: [aligned] } });
    const fix = actions.find((a) => a.diagnostics?.some((d) => d.code === 'memory-alignment'));
    assert.ok(fix?.edit, `a quick fix among ${actions.map((a) => a.title).join('; ')}`);
    const fixed = applyWorkspaceEdit(LAB, uri, fix.edit);
    const after = await session.change(uri, fixed);
    assert.ok(!after.some((d) => d.code === 'memory-alignment'), fixed);
    assert.deepEqual(after.map(asCheck), cliCheck(fixed));
    await session.close(uri);
  });

  test('the code lens and the timeline\'s simulation are the desktop server\'s', async () => {
    const text = readFileSync(join(SAMPLES, 'standalone-restart.hvmem.jsonc'), 'utf8');
    const desktop = await Session.start();
    try {
      const ours = await session.open(text);
      const theirs = await desktop.open(text);
      const lenses = async (s: Session, uri: string) => s.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      assert.deepEqual((await lenses(session, ours.uri)).map((l) => l.command?.title), (await lenses(desktop, theirs.uri)).map((l) => l.command?.title));
      const simulated = await session.request<{ ok: boolean; result?: unknown }>(SimulateRequest.method, { uri: ours.uri });
      assert.equal(simulated.ok, true);
      assert.deepEqual(simulated, await desktop.request(SimulateRequest.method, { uri: theirs.uri }));
      await session.close(ours.uri);
    } finally {
      await desktop.stop();
    }
  });

  test('import: source files into the plan hvmem import writes, with its notes', async () => {
    const fixtures = join(ROOT, 'test', 'fixtures', 'import');
    const files = ['get-vm-ps51.json', 'get-vmhost.json', 'deploy-lab.ps1'];
    const cli = runCli(['import', ...files], { cwd: fixtures });
    assert.equal(cli.status, 0, cli.stderr);
    const sources = files.map((file) => ({ file, base64: readFileSync(join(fixtures, file)).toString('base64') }));
    const imported = await session.request<{ ok: true; text: string; notes: string[]; summary: string }>(ImportRequest.method, { sources });
    assert.equal(imported.text, cli.stdout);
    assert.deepEqual([...imported.notes, `hvmem: ${imported.summary}`], cli.stderr.trimEnd().split('\n'));
    assert.ok(imported.notes.length > 0, 'the fixtures give notes');
    const unknown = await session.request<{ ok: false; error: string }>(ImportRequest.method, { sources: [{ file: 'notes.txt', base64: Buffer.from('just words').toString('base64') }] });
    assert.equal(unknown.ok, false);
    assert.equal(`hvmem: ${unknown.error}`, runCli(['import', 'notes.txt'], { cwd: writeTemp('notes.txt', 'just words') }).stderr.trimEnd());
  });

  test('export: the script hvmem export writes, and the same refusal of a plan Hyper-V would reject', async () => {
    const text = readFileSync(join(SAMPLES, 'standalone-restart.hvmem.jsonc'), 'utf8');
    const dir = writeTemp('plan.hvmem.jsonc', text);
    assert.equal(runCli(['export', 'plan.hvmem.jsonc', '--to', 'powershell', '-o', 'plan.ps1'], { cwd: dir }).status, 0);
    const { uri } = await session.open(text);
    const exported = await session.request<{ ok: true; fileText: string }>(ExportRequest.method, { uri, planFile: 'plan.hvmem.jsonc' });
    const undated = (s: string) => s.replace(/ on \d{4}-\d\d-\d\dT[\d:.]+Z\./, ' on <date>.');
    assert.equal(undated(exported.fileText), undated(readFileSync(join(dir, 'plan.ps1'), 'utf8')));
    await session.close(uri);

    writeFileSync(join(dir, 'plan.hvmem.jsonc'), LAB);
    const cli = runCli(['export', 'plan.hvmem.jsonc', '--to', 'powershell'], { cwd: dir });
    assert.equal(cli.status, 1);
    const lab = await session.open(LAB);
    const refused = await session.request<{ ok: false; error: string }>(ExportRequest.method, { uri: lab.uri, planFile: 'plan.hvmem.jsonc' });
    assert.equal(refused.error, cli.stderr.split('\n')[0]);
    await session.close(lab.uri);
  });

  test('shutdown and exit end the worker, so a restarted server leaves no old one running', { timeout: 20_000 }, async () => {
    await session.stop();
    await workerEnded;
  });
});

describe('page sharing scans, asked of the client', { skip: skipWithoutBrowser }, () => {
  let dir: string;
  /** what the stand-in client was asked, in order */
  const asked: string[] = [];
  let browser: Browser;
  let worker: Session;
  let desktop: Session;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hvmem-web-scan-'));
    mkdirSync(join(dir, 'plans', 'scans'), { recursive: true });
    mkdirSync(join(dir, 'outside'));
    writeFileSync(join(dir, 'plans', 'scans', 'vm1.json'), JSON.stringify(scanResult(), null, 2));
    writeFileSync(join(dir, 'plans', 'scans', 'not-a-scan.json'), '{ "hosts": [], "vms": [] }');
    writeFileSync(join(dir, 'plans', 'scans', 'vm1.bin'), Buffer.alloc(5 * 1024 * 1024));
    writeFileSync(join(dir, 'outside', 'secret.json'), JSON.stringify(scanResult()));
    browser = await launchBrowser();
    const folders = [pathToFileURL(join(dir, 'plans')).href];
    const { page } = await openWorkerPage(browser);
    worker = await workerSession(page, null, {}, folders);
    // The editor's side (client/src/web/readFile.ts) over node:fs: regular files inside the workspace
    // folder, bounded; answered late, as a remote file system would.
    worker.connection.onRequest(ReadFileRequest, async ({ uri }): Promise<ReadFileResponse> => {
      asked.push(uri);
      await new Promise((resolve) => setTimeout(resolve, 150));
      const path = fileURLToPath(uri);
      if (!path.startsWith(join(dir, 'plans') + sep)) return { refused: 'outside' };
      try {
        const stat = statSync(path);
        if (stat.isDirectory()) return { refused: 'folder' };
        if (stat.size > 4 * 1024 * 1024) return { refused: 'too-large', bytes: stat.size };
        return { text: readFileSync(path, 'utf8') };
      } catch {
        return { refused: 'outside' };
      }
    });
    desktop = await Session.start(null, {}, folders);
  });
  after(async () => {
    await worker?.stop();
    await desktop?.stop();
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const scan = (path: string, pageSize = '4KB') => `{ "scan": ${JSON.stringify(path)}, "pageSize": ${JSON.stringify(pageSize)} }`;
  const cases: [string, string][] = [
    ['a scan that avoids the Smart Paging restart', scan('scans/vm1.json')],
    ['a scan at a page size where it does not', scan('scans/vm1.json', '2MB')],
    ['a file that is not there', scan('scans/nowhere.json')],
    ['a file that is not a scan result', scan('scans/not-a-scan.json')],
    ['a memory image named by mistake', scan('scans/vm1.bin')],
    ['a folder', scan('scans')],
    ['a path out of the workspace', scan('../outside/secret.json')],
    ['a device', scan('/dev/zero')],
  ];
  for (const [name, pageSharing] of cases) {
    test(`${name}: the first publish is what the desktop server says`, async () => {
      const text = scanPlan(pageSharing);
      const uri = pathToFileURL(join(dir, 'plans', `${name.replace(/\W+/g, '-')}.hvmem.jsonc`)).href;
      const ours = await worker.open(text, uri);
      const theirs = await desktop.open(text, uri);
      assert.ok(!ours.diagnostics.some((d) => String(d.message).includes('being read')), 'no publish while the file is on its way');
      assert.deepEqual(ours.diagnostics.map(asCheck), theirs.diagnostics.map(asCheck));
      await worker.close(uri);
      await desktop.close(uri);
    });
  }

  test('a path written on Windows (with "\\") is read as Windows reads it', async () => {
    const uri = pathToFileURL(join(dir, 'plans', 'windows.hvmem.jsonc')).href;
    const ours = await worker.open(scanPlan(scan('scans\\vm1.json')), uri);
    // The desktop server here runs on Linux, where "\" is part of a name: it is given "/" instead.
    const theirs = await desktop.open(scanPlan(scan('scans/vm1.json')), uri);
    assert.deepEqual(ours.diagnostics.map((d) => d.code), theirs.diagnostics.map((d) => d.code));
    assert.ok(!ours.diagnostics.some((d) => d.code === 'page-sharing-scan'), 'the scan is applied');
    await worker.close(uri);
    await desktop.close(uri);
  });

  test('the client is asked only for files inside the plan\'s folder or the workspace', () => {
    assert.ok(asked.length > 0);
    for (const uri of asked) assert.ok(uri.startsWith(pathToFileURL(join(dir, 'plans')).href + '/'), uri);
  });

  test('in an untrusted workspace the client is asked for nothing', async () => {
    const { page } = await openWorkerPage(browser);
    const untrusted = await workerSession(page, null, { workspaceTrusted: false }, [pathToFileURL(join(dir, 'plans')).href]);
    let asks = 0;
    untrusted.connection.onRequest(ReadFileRequest, () => { asks++; return { refused: 'untrusted' } satisfies ReadFileResponse; });
    try {
      const { diagnostics } = await untrusted.open(scanPlan(scan('scans/vm1.json')), pathToFileURL(join(dir, 'plans', 'untrusted.hvmem.jsonc')).href);
      assert.match(String(diagnostics.find((d) => d.code === 'page-sharing-scan')?.message), /not read in an untrusted workspace/);
      assert.equal(asks, 0);
    } finally {
      await untrusted.stop();
    }
  });
});

/** A new folder holding one file; returns the folder. */
function writeTemp(file: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hvmem-web-'));
  writeFileSync(join(dir, file), text);
  return dir;
}
