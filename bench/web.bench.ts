// The extension in the browser: the language server in a web worker (headless Chromium) from a
// one-character edit to its first publish of diagnostics, on plans of 1,000 and 8,000 VMs, beside the
// Node server over stdio on the same edits (the baseline); and the sizes of the minified browser
// bundles beside the desktop ones, with what their bytes are made of.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { LineIndex } from '../server/src/core/text';
import { ROOT, Session } from '../test/lspSession';
import { launchBrowser, openWorkerPage, skipWithoutBrowser, startWorker } from '../test/support/webWorker';
import { typingBench } from './generate';
import { ratio, row } from './util';

const RUNS = 7;
const GOALS = { 'web/client.js': 100 * 1024, 'web/server.js': 600 * 1024 };

/**
 * Runs in the page: a minimal LSP client speaking to the worker directly, so that the time is the
 * worker's and the page's, not the bridge's to this process. Returns the best edit → first publish,
 * and how many diagnostics the last one had.
 */
const DRIVER = `window.hvmemBench = async ({ text, uri, position, runs }) => {
  const worker = window.hvmemWorker;
  const waiting = new Map();
  const publishes = [];
  let wake = [];
  let nextId = 1;
  worker.onmessage = ({ data: m }) => {
    if (m.method === 'textDocument/publishDiagnostics') {
      publishes.push({ at: performance.now(), version: m.params.version, count: m.params.diagnostics.length });
      for (const w of wake.splice(0)) w();
    } else if (m.method && m.id !== undefined) {
      worker.postMessage({ jsonrpc: '2.0', id: m.id, result: m.method === 'workspace/configuration' ? m.params.items.map(() => null) : null });
    } else if (waiting.has(m.id)) {
      waiting.get(m.id)(m);
      waiting.delete(m.id);
    }
  };
  const request = (method, params) => new Promise((resolve) => { const id = nextId++; waiting.set(id, resolve); worker.postMessage({ jsonrpc: '2.0', id, method, params }); });
  const notify = (method, params) => worker.postMessage({ jsonrpc: '2.0', method, params });
  const publish = async (version, nth) => {
    for (;;) {
      const got = publishes.filter((p) => p.version === version);
      if (got.length >= nth) return got[nth - 1];
      await new Promise((resolve) => wake.push(resolve));
    }
  };
  await request('initialize', { processId: null, rootUri: null, workspaceFolders: null, capabilities: { workspace: { configuration: true } }, initializationOptions: { validationDelayMs: 0, scenarioDelayMs: 0 } });
  notify('initialized', {});
  notify('textDocument/didOpen', { textDocument: { uri, languageId: 'hvmem', version: 1, text } });
  await publish(1, 2);
  let best = Infinity;
  let last;
  for (let version = 2; version < 2 + runs; version++) {
    const end = version % 2 ? { line: position.line, character: position.character + 1 } : position;
    const t0 = performance.now();
    notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: position, end }, text: version % 2 ? '' : ' ' }] });
    last = await publish(version, 1);
    best = Math.min(best, last.at - t0);
    await publish(version, 2);
  }
  await request('shutdown');
  return { best, diagnostics: last.count };
};`;

export async function run(): Promise<void> {
  sizes();
  console.log();
  if (skipWithoutBrowser) {
    console.log(`  keystroke to diagnostics in the worker: not measured (${skipWithoutBrowser})`);
    return;
  }
  const browser = await launchBrowser();
  const node = await Session.start(null, { validationDelayMs: 0, scenarioDelayMs: 0 });
  try {
    for (const vmCount of [1000, 8000]) {
      const { text, at } = typingBench(vmCount);
      const position = new LineIndex(text).positionAt(at);

      const opened = await node.open(text);
      await node.diagnosticsFor(opened.uri, 1, 2);
      let nodeMs = Infinity;
      let nodeDiagnostics = 0;
      for (let i = 0; i < RUNS; i++) {
        const insert = i % 2 === 0;
        const range = { start: position, end: insert ? position : { line: position.line, character: position.character + 1 } };
        const t0 = performance.now();
        nodeDiagnostics = (await node.edit(opened.uri, range, insert ? ' ' : '')).length;
        nodeMs = Math.min(nodeMs, performance.now() - t0);
        await node.diagnosticsFor(opened.uri, node.versionOf(opened.uri), 2);
      }
      await node.close(opened.uri);

      // A fresh worker per plan, as a fresh server process would be.
      const { page, errors } = await openWorkerPage(browser);
      await startWorker(page);
      await page.addScriptTag({ content: DRIVER });
      const worker = await page.evaluate((input) => (window as unknown as { hvmemBench(i: unknown): Promise<{ best: number; diagnostics: number }> }).hvmemBench(input), { text, uri: `file:///bench/${vmCount}.hvmem.jsonc`, position, runs: RUNS });
      await page.close();
      if (errors.length) throw new Error(`the worker failed: ${errors.join('; ')}`);
      // The same edits must give the same publishes, or the times are of different work.
      if (worker.diagnostics !== nodeDiagnostics) throw new Error(`the worker published ${worker.diagnostics} diagnostics, the Node server ${nodeDiagnostics}`);
      const workerMs = worker.best;

      const goal = vmCount > 1000 ? (workerMs < 100 ? '(< 100 ms)' : '(over 100 ms)') : '';
      console.log(`  each first publish carries ${nodeDiagnostics} diagnostics (the static findings and the last scenario's)`);
      row('baseline: Node server, edit → diagnostics (over stdio)', nodeMs);
      row('web worker server, edit → diagnostics (in Chromium)', workerMs, nodeMs, goal);
    }
  } finally {
    await node.stop();
    await browser.close();
  }
}

/** The minified bundles, built as `npm run package` builds them, into a folder of their own. */
function sizes(): void {
  const out = mkdtempSync(join(tmpdir(), 'hvmem-bundles-'));
  try {
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--production', '--metafile', '--outdir', out], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`the production build failed: ${build.stderr}`);
    const size = (file: string) => statSync(join(out, file)).size;
    const gzip = (file: string) => gzipSync(readFileSync(join(out, file)), { level: 9 }).length;
    console.log('  bundle sizes, minified (gzip -9 in brackets), beside the desktop bundle of the same part and the LSP library alone');
    const parts = [
      ['web/client.js', 'client.js', "export { LanguageClient } from 'vscode-languageclient/browser';", 'cjs'],
      ['web/server.js', 'server.js', "export { createConnection } from 'vscode-languageserver/browser';", 'iife'],
    ] as const;
    for (const [web, desktop, library, format] of parts) {
      const goal = GOALS[web];
      const met = size(web) <= goal ? 'met' : 'missed';
      const alone = libraryAlone(library, format);
      console.log(`  ${web.padEnd(14)} ${kb(size(web)).padStart(9)} (${kb(gzip(web))})  (goal < ${kb(goal)}: ${met})`);
      console.log(`    ${ratio(size(web), size(desktop))} of ${desktop}, ${kb(size(desktop))}; ${ratio(size(web), alone)} of an empty bundle of ${library.match(/'([^']+)'/)![1]}, ${kb(alone)}`);
      console.log(`    made of: ${madeOf(join(out, `${web}.meta.json`))}`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** A minified bundle of nothing but `source` (an export of the LSP library), as the build would make it. */
function libraryAlone(source: string, format: 'cjs' | 'iife'): number {
  const result = buildSync({ stdin: { contents: source, resolveDir: ROOT }, bundle: true, minify: true, write: false, platform: 'browser', target: 'es2022', format, external: ['vscode'], logLevel: 'silent' });
  return result.outputFiles[0].contents.length;
}

/** The largest parts of a bundle by package (or our folder), from esbuild's metafile. */
function madeOf(metafile: string): string {
  const meta = JSON.parse(readFileSync(metafile, 'utf8')) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
  const parts = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(Object.values(meta.outputs)[0].inputs)) {
    const part = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? input.match(/^(server\/src\/core\/[^/.]+|server\/src\/[^/]+|client\/[^/]+\/[^/.]+)/)?.[1] ?? input;
    parts.set(part, (parts.get(part) ?? 0) + bytesInOutput);
  }
  return [...parts].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([part, bytes]) => `${part} ${kb(bytes)}`).join(', ');
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
