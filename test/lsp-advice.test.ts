// The advice in the language server, spoken to over stdio: the advice's verified fixes among the quick
// fixes of a scenario finding, the headroom in the host lenses once the background advice is done (the
// server asks the editor to refresh its lenses), and hvmem/advise: the same answer as `hvmem advise`,
// cancelled by the client or by an edit.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancellationTokenSource, CodeLensRefreshRequest, DidChangeTextDocumentNotification, LSPErrorCodes, ResponseError, type CodeAction, type CodeLens } from 'vscode-languageserver-protocol';
import { AdviseRequest, type AdviseResponse } from '../server/src/protocol';
import { generatePlan } from '../bench/generate';
import { runCli } from './support/baseline';
import { applyWorkspaceEdit, Session } from './lspSession';
import { BOOK_CASE } from './support/plans';

let session: Session;
const refreshed: (() => void)[] = [];
before(async () => {
  // An editor that refreshes its lenses when asked, and the advice without its pause.
  session = await Session.start(null, { adviceDelayMs: 0 }, null, { workspace: { configuration: true, codeLens: { refreshSupport: true } } });
  session.connection.onRequest(CodeLensRefreshRequest.type, () => { for (const r of refreshed.splice(0)) r(); });
});
after(async () => { await session.stop(); });

const lensRefresh = () => new Promise<void>((resolve) => refreshed.push(resolve));
const hostLens = async (uri: string, host: string) =>
  (await session.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } })).find((l) => l.command?.title.startsWith(`${host}:`))?.command?.title ?? '';
/** The host's lens once it has its headroom: asked again at each refresh the server sends (for any document). */
async function lensWithRoom(uri: string, host: string, pattern: RegExp): Promise<string> {
  for (;;) {
    const next = lensRefresh();
    const title = await hostLens(uri, host);
    if (pattern.test(title)) return title;
    await next;
  }
}

test('the quick fixes of a Smart Paging restart include the advice\'s, each one removing the warning', async () => {
  const { uri, diagnostics } = await session.open(BOOK_CASE);
  const paging = diagnostics.find((d) => d.code === 'restart-smart-paging')!;
  const actions = await session.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: paging.range, context: { diagnostics: [paging] } });
  const titles = actions.map((a) => a.title);
  // The verified Save fix the finding carries, then the advice's other fixes; its own Save is the same edit, so it is not offered twice.
  assert.deepEqual(titles, [
    'Set B\'s stop action to Save (restored after a host restart, no Smart Paging)',
    'Raise HV01\'s memory to 10 GB (+2 GB on HV01)',
    'Lower B\'s startup memory to 2 GB (B starts with 2 GB less)',
  ]);
  assert.deepEqual(actions.map((a) => a.isPreferred ?? false), [true, false, false]);
  for (const action of actions.slice(1)) {
    const fixed = applyWorkspaceEdit(BOOK_CASE, uri, action.edit);
    assert.match(fixed, /\/\/ the application server/, 'comments stay');
    const { diagnostics: after } = await session.open(fixed);
    assert.deepEqual(after.filter((d) => d.code === 'restart-smart-paging'), [], action.title);
  }
});

test('once the background advice is done, each host lens says how many more VMs it takes', async () => {
  // 14 GB for VMs: A (2 GB) and 6 more copies of it come back after the restart; a 7th does not fit.
  const clean = `{
  "hosts": [{ "name": "H", "memory": "16GB", "vmOverhead": "none" }],
  "vms": [{ "name": "A", "memory": { "startup": "2GB" } }]
}`;
  const { uri } = await session.open(clean);
  assert.match(await lensWithRoom(uri, 'H', /room for/), / · room for 6 more like A$/);
  // An edit starts over: 4 GB less memory, 2 fewer.
  await session.change(uri, clean.replace('"16GB"', '"12GB"'));
  assert.match(await lensWithRoom(uri, 'H', /room for 4/), /^H: 2 GB of 10 GB committed · .* · room for 4 more like A$/);
});

test('on a cluster, the lens says whether it survives losing any node', async () => {
  const cluster = `{
  "hosts": [
    { "name": "N1", "memory": "10GB", "vmOverhead": "none" },
    { "name": "N2", "memory": "10GB", "vmOverhead": "none" }
  ],
  "cluster": { "name": "CL" },
  "vms": [
    { "name": "a", "host": "N1", "memory": { "startup": "3GB" } },
    { "name": "b", "host": "N2", "memory": { "startup": "6GB" } }
  ],
  "scenario": { "events": [] }
}`;
  // 8 GB for VMs per node: if N2 fails, b (6 GB) needs N1 where a leaves 5 GB. Not N+1 safe.
  const { uri } = await session.open(cluster);
  assert.match(await lensWithRoom(uri, 'N1', / · (room for \d+ more|no room for another) /), /; the cluster does not survive losing N2$/);
});

test('hvmem/advise answers what hvmem advise prints for the same text', async () => {
  const { uri } = await session.open(BOOK_CASE);
  const r = await session.request<AdviseResponse>(AdviseRequest.method, { uri });
  assert.ok(r.ok, JSON.stringify(r));
  const file = join(mkdtempSync(join(tmpdir(), 'hvmem-lsp-advise-')), 'p.hvmem.jsonc');
  writeFileSync(file, BOOK_CASE);
  const cli = JSON.parse(runCli(['advise', file, '--format', 'json']).stdout);
  // The simulations differ: the server's advice shares what its background advice already simulated.
  assert.deepEqual({ ...r.advice, simulations: 0 }, { ...cli, simulations: 0 });
  const like = await session.request<AdviseResponse>(AdviseRequest.method, { uri, like: 'B' });
  assert.ok(like.ok);
  assert.deepEqual(like.advice.headroom?.shape, { startup: 4 * 1024 ** 3, dynamic: true, like: 'B' });
  const nobody = await session.request<AdviseResponse>(AdviseRequest.method, { uri, like: 'nobody' });
  assert.deepEqual(nobody, { ok: false, version: 1, errors: ['The plan has no VM named "nobody".'] });
  const broken = await session.open(BOOK_CASE.replace('"name": "B"', '"name": "A"'));
  const refused = await session.request<AdviseResponse>(AdviseRequest.method, { uri: broken.uri });
  assert.equal(refused.ok, false);
  assert.match(!refused.ok ? refused.errors[0] : '', /^line \d+, column \d+: Another VM is already named "A"/);
});

test('hvmem/advise stops when the document changes, and answers cancelled when the client cancels', async () => {
  // 300 VMs on 8 hosts, every host restarting: many findings, so many steps.
  const big = generatePlan(300, 8);
  const { uri } = await session.open(big);
  const pending = session.request<AdviseResponse>(AdviseRequest.method, { uri });
  await session.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text: big + '\n' }] });
  assert.deepEqual(await pending, { ok: false, version: 1, errors: ['The plan changed while the advice was computed.'] });
  const source = new CancellationTokenSource();
  const cancelled = session.connection.sendRequest(AdviseRequest.method, { uri }, source.token);
  source.cancel();
  await assert.rejects(cancelled, (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled);
});
