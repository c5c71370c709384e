// The layers of docs/ARCHITECTURE.md, checked: each row of its import table is a rule here, and every
// source file falls under exactly one row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

interface Layer {
  name: string;
  /** files of the layer, as paths from the repository root with '/' */
  holds(path: string): boolean;
  /** may it import this file of the project (a path from the root, without extension)? */
  mayImport(target: string, typeOnly: boolean): boolean;
  /** packages it may import (exact names, or a prefix ending in '/') */
  packages: readonly string[];
  /** Node's modules (node:*) */
  node: boolean;
  /** globals it must not use: the runtime gives them */
  noGlobals?: boolean;
}

const under = (dir: string) => (p: string) => p.startsWith(dir);
const CORE = under('server/src/core/');
const WEB_CLIENT = under('client/src/web/');
const LSP_PACKAGES = ['vscode-languageserver', 'vscode-languageserver-textdocument', 'vscode-languageserver-protocol', 'vscode-jsonrpc', 'vscode-json-languageservice'];

const LAYERS: Layer[] = [
  {
    name: 'core', holds: CORE, node: false, noGlobals: true,
    mayImport: (t) => CORE(t), packages: ['jsonc-parser', '@rgrove/parse-xml'],
  },
  {
    name: 'protocol', holds: (p) => p === 'server/src/protocol.ts', node: false, noGlobals: true,
    mayImport: (t, typeOnly) => typeOnly && CORE(t), packages: ['vscode-languageserver-protocol', 'vscode-jsonrpc'],
  },
  {
    name: 'language server', holds: under('server/src/lsp/'), node: false, noGlobals: true,
    mayImport: (t) => CORE(t) || t.startsWith('server/src/lsp/') || t === 'server/src/protocol', packages: LSP_PACKAGES,
  },
  {
    name: 'Node entries of the server', holds: (p) => p === 'server/src/server.ts' || p === 'server/src/sharingScanFile.ts', node: true,
    mayImport: (t) => CORE(t) || t.startsWith('server/src/lsp/') || t === 'server/src/sharingScanFile' || t === 'server/src/protocol',
    packages: ['vscode-languageserver/node'],
  },
  {
    name: 'web worker entry of the server', holds: under('server/src/web/'), node: false,
    mayImport: (t) => CORE(t) || t.startsWith('server/src/lsp/') || t.startsWith('server/src/web/') || t === 'server/src/protocol',
    packages: ['vscode-languageserver/browser'],
  },
  {
    name: 'command line', holds: (p) => p === 'server/src/cli.ts' || p.startsWith('server/src/cli/'), node: true,
    mayImport: (t, typeOnly) => CORE(t) || t.startsWith('server/src/cli/') || t === 'server/src/sharingScanFile'
      || t === 'client/webview/shell' || t === 'client/webview/protocol' || (typeOnly && t === 'server/src/protocol'),
    packages: [],
  },
  {
    name: 'extension client', holds: (p) => p.startsWith('client/src/') && !WEB_CLIENT(p), node: true,
    // The client never runs the core's logic: plans are analysed and simulated in the server.
    mayImport: (t, typeOnly) => (t.startsWith('client/') && !WEB_CLIENT(t)) || t === 'server/src/protocol' || (typeOnly && CORE(t)),
    packages: ['vscode', 'vscode-languageclient', 'vscode-languageclient/', 'jsonc-parser'],
  },
  {
    name: 'web extension client', holds: WEB_CLIENT, node: false,
    mayImport: (t, typeOnly) => t.startsWith('client/src/') || t === 'server/src/protocol' || (typeOnly && CORE(t)),
    packages: ['vscode', 'vscode-languageclient/browser'],
  },
  {
    name: 'webview', holds: under('client/webview/'), node: false,
    mayImport: (t, typeOnly) => t.startsWith('client/webview/') || t === 'client/src/pages/protocol'
      || t === 'server/src/core/units' || t === 'server/src/core/words' || t === 'server/src/core/records' || t === 'server/src/core/simulate/review' || (typeOnly && CORE(t)),
    packages: ['uplot', 'uplot/'],
  },
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? files(path) : /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

const IMPORT = /(import|export)(\s+type)?\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

test('every source file belongs to one layer of docs/ARCHITECTURE.md, and imports only what its row allows', () => {
  const offences: string[] = [];
  for (const file of [...files(join(ROOT, 'server', 'src')), ...files(join(ROOT, 'client'))]) {
    const path = relative(ROOT, file).split(sep).join('/');
    const layers = LAYERS.filter((l) => l.holds(path));
    if (layers.length !== 1) { offences.push(`${path} is in ${layers.length} layers`); continue; }
    const layer = layers[0];
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const m of code.matchAll(IMPORT)) {
      const spec = m[3] ?? m[4] ?? m[5];
      const typeOnly = !!m[2];
      if (spec.startsWith('.')) {
        const target = relative(ROOT, join(file, '..', spec)).split(sep).join('/').replace(/\.(ts|css)$/, '');
        if (spec.endsWith('.css')) continue;
        if (!layer.mayImport(target, typeOnly)) offences.push(`${path} (${layer.name}) imports ${typeOnly ? 'types of ' : ''}${target}`);
      } else if (spec.startsWith('node:')) {
        if (!layer.node) offences.push(`${path} (${layer.name}) imports ${spec}`);
      } else if (!layer.packages.some((p) => p.endsWith('/') ? spec.startsWith(p) : spec === p)) {
        offences.push(`${path} (${layer.name}) imports ${spec}`);
      }
    }
    if (layer.noGlobals) {
      for (const name of ['process.', 'setTimeout(', 'setInterval(', 'setImmediate(', 'Buffer.', '__dirname', 'require(']) {
        // `runtime.timer.setTimeout(` is the runtime's; only the global is an offence.
        const escaped = name.replace(/[.(]/g, '\\$&');
        if (new RegExp(`(?<![.\\w])${escaped}`).test(code)) offences.push(`${path} (${layer.name}) uses ${name}: the runtime gives it`);
      }
    }
  }
  assert.deepEqual(offences, []);
});

test('the browser bundles reach no Node module through any chain of imports', () => {
  // The rows above check each file's own imports; the web entries also share client and server files
  // with the Node entries, and none of those may bring Node in. Type-only imports are erased.
  const reached = new Set<string>();
  const offences: string[] = [];
  const visit = (file: string, from: string) => {
    if (reached.has(file)) return;
    reached.add(file);
    const code = readFileSync(join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const m of code.matchAll(IMPORT)) {
      const spec = m[3] ?? m[4] ?? m[5];
      if (m[2] || spec.endsWith('.css')) continue;
      if (spec.startsWith('.')) {
        const target = relative(ROOT, join(ROOT, file, '..', spec)).split(sep).join('/');
        visit(existsSync(join(ROOT, `${target}.ts`)) ? `${target}.ts` : `${target}/index.ts`, file);
      } else if (spec.startsWith('node:') || spec.endsWith('/node')) {
        offences.push(`${file} (reached from ${from}) imports ${spec}`);
      }
    }
  };
  for (const entry of ['server/src/web/server.ts', 'client/src/web/extension.ts']) visit(entry, entry);
  assert.deepEqual(offences, []);
  assert.ok(reached.has('server/src/lsp/server.ts') && reached.has('client/src/activate.ts'), 'the walk follows the imports');
});

test('docs/ARCHITECTURE.md names every layer this test checks', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
  const table = doc.slice(doc.indexOf('## Who may import whom'));
  for (const l of LAYERS) assert.ok(table.includes(`**${l.name}**`), `the import table has no row for **${l.name}**`);
});
