// The page sharing what-if from a scan result file, through the adapters that read it: `hvmem check`
// and `hvmem simulate` as processes (the path starts from the plan's folder, not the working
// directory), and the language server (from the document's folder).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { DidOpenTextDocumentNotification, type CompletionList, type Diagnostic, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { runCli } from './support/baseline';
import { at, Session } from './lspSession';
import type { SimulationResult } from '../server/src/core/simulate/types';
import { plan, scanResult } from './pages-whatif-fixture';

let dir: string;
/** A plan in <dir>/plans naming a scan in <dir>/plans/scans, run from another working directory. */
function writePlan(pageSharing: string, name = 'plan'): string {
  const file = join(dir, 'plans', `${name}.hvmem.jsonc`);
  writeFileSync(file, plan(pageSharing));
  return file;
}
const scan = (pageSize: string, extra = '', path = 'scans/vm1.json') => `{ "scan": ${JSON.stringify(path)}, "pageSize": ${JSON.stringify(pageSize)}${extra} }`;
/** A working directory that is not the plan's folder. */
const elsewhere = () => join(dir, 'elsewhere');

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hvmem-whatif-'));
  mkdirSync(join(dir, 'plans'));
  mkdirSync(join(dir, 'plans', 'scans'));
  mkdirSync(elsewhere());
  writeFileSync(join(dir, 'plans', 'scans', 'vm1.json'), JSON.stringify(scanResult(), null, 2));
  writeFileSync(join(dir, 'plans', 'scans', 'not-a-scan.json'), '{ "hosts": [], "vms": [] }');
});
after(() => rmSync(dir, { recursive: true, force: true }));

function check(file: string): { code: string; severity: string; message: string }[] {
  const r = runCli(['check', file, '--format', 'json'], { cwd: elsewhere() });
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0, 'warnings only');
  return JSON.parse(r.stdout);
}

test('check: the scan, found from the plan\'s folder, avoids the Smart Paging restart at 4 KB but not at 2 MB', () => {
  const at4KB = check(writePlan(scan('4KB'))).map((d) => d.code);
  assert.ok(!at4KB.includes('page-sharing-scan') && !at4KB.includes('restart-smart-paging'), at4KB.join());
  const at2MB = check(writePlan(scan('2MB'))).map((d) => d.code);
  assert.ok(!at2MB.includes('page-sharing-scan') && at2MB.includes('restart-smart-paging'), at2MB.join());
});

test('check: a missing file and a file that is not a scan result are warnings naming the file', () => {
  const missing = check(writePlan(scan('4KB', '', 'scans/nowhere.json'))).find((d) => d.code === 'page-sharing-scan');
  assert.equal(missing?.severity, 'warning');
  assert.equal(missing?.message, 'The scan result "scans/nowhere.json" cannot be read: there is no such file inside the plan\'s folder (a scan result is read only from there, not through a link out of it). No page sharing is assumed for this host.');
  const wrong = check(writePlan(scan('4KB', '', 'scans/not-a-scan.json'))).find((d) => d.code === 'page-sharing-scan');
  assert.match(wrong?.message ?? '', /is not a result of `hvmem pages --format json`: it has no "pageSizes"/);
  // A memory image named by mistake is not read whole.
  writeFileSync(join(dir, 'plans', 'scans', 'vm1.bin'), Buffer.alloc(5 * 1024 * 1024));
  const image = check(writePlan(scan('4KB', '', 'scans/vm1.bin'))).find((d) => d.code === 'page-sharing-scan');
  assert.match(image?.message ?? '', /has 5242880 bytes, far more than a scan result \(is it a memory image\?/);
  const folder = check(writePlan(scan('4KB', '', 'scans'))).find((d) => d.code === 'page-sharing-scan');
  assert.match(folder?.message ?? '', /scans is a folder\./);
});

test('simulate: the share per host in the summary, and the capacity it gives in the JSON', () => {
  const text = runCli(['simulate', writePlan(scan('4KB'))], { cwd: elsewhere() });
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /\n {2}HV01: page sharing 25 % at 4 KB pages assumed \(from scans\/vm1\.json\)\n/);
  assert.match(text.stdout, /0 starts on Smart Paging/);
  const beyondZero = runCli(['simulate', writePlan(scan('2MB', ', "zeroPages": false'))], { cwd: elsewhere() });
  assert.match(beyondZero.stdout, /HV01: page sharing 3\.1 % at 2 MB pages assumed \(from scans\/vm1\.json, without zero pages\)/);
  assert.match(beyondZero.stdout, /1 start on Smart Paging/);
  const missing = runCli(['simulate', writePlan(scan('4KB', '', 'vm1.json'))], { cwd: join(dir, 'plans', 'scans') });
  assert.equal(missing.status, 0);
  assert.match(missing.stdout, /HV01: no page sharing assumed: the scan result vm1\.json could not be used \(run 'hvmem check' for why\)/);
  const json = runCli(['simulate', writePlan(scan('4KB')), '--format', 'json'], { cwd: elsewhere() });
  const result: SimulationResult = JSON.parse(json.stdout);
  assert.equal(result.hosts.HV01.capacity, Math.floor((2 * 2 ** 30) / 0.75));
  const percent = runCli(['simulate', writePlan('"12%"')], { cwd: elsewhere() });
  assert.match(percent.stdout, /\n {2}HV01: page sharing 12 % assumed\n/);
  assert.doesNotMatch(runCli(['simulate', writePlan('"0%"')]).stdout, /Page sharing/);
});

describe('the language server reads the scan from the document\'s folder', () => {
  let session: Session;
  before(async () => { session = await Session.start(); });
  after(async () => { await session.stop(); });

  async function open(uri: string, text: string): Promise<Diagnostic[]> {
    await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'hvmem', version: 1, text } });
    return session.diagnosticsFor(uri, 1);
  }

  test('a saved plan: the same diagnostics as check', async () => {
    // One document per case: the server keys its publications by URI and version.
    for (const [i, pageSharing] of [scan('4KB'), scan('2MB'), scan('4KB', '', 'nowhere.json')].entries()) {
      const file = writePlan(pageSharing, `open${i}`);
      const uri = pathToFileURL(file).href;
      const diagnostics = await open(uri, plan(pageSharing));
      assert.deepEqual(diagnostics.map((d) => ({ code: d.code, message: String(d.message) })), check(file).map((d) => ({ code: d.code, message: d.message })));
      await session.close(uri);
    }
  });

  test('completion and hover know the object form', async () => {
    const { text, position } = at(plan('{ "scan": "scans/vm1.json", | }'));
    const uri = pathToFileURL(join(dir, 'plans', 'complete.hvmem.jsonc')).href;
    await open(uri, text);
    const list = await session.request<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position });
    const labels = (list?.items ?? []).map((i) => i.label);
    for (const key of ['pageSize', 'zeroPages']) assert.ok(labels.some((l) => l.includes(key)), `${key} in ${labels.join()}`);
    assert.ok(!labels.some((l) => l.includes('scan')), 'a key already written is not offered again');
    const key = at(plan('{ "scan": "scans/vm1.json", "page|Size": "2MB" }'));
    const hoverUri = pathToFileURL(join(dir, 'plans', 'hover.hvmem.jsonc')).href;
    await open(hoverUri, key.text);
    const hover = await session.request<Hover | null>('textDocument/hover', { textDocument: { uri: hoverUri }, position: key.position });
    assert.match((hover?.contents as MarkupContent | undefined)?.value ?? '', /Which of the scan's page sizes/);
  });

  test('an unsaved plan: a warning that the scan cannot be read', async () => {
    const diagnostics = await open('untitled:Untitled-1', plan(scan('4KB')));
    const d = diagnostics.find((x) => x.code === 'page-sharing-scan');
    assert.match(String(d?.message ?? ''), /cannot be read here: the plan is not a file on disk/);
    assert.ok(diagnostics.some((x) => x.code === 'restart-smart-paging'), 'simulated without sharing');
  });
});
