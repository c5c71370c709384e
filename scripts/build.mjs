// One esbuild script for every bundle: Node bundles (CLI, language server, extension client), the
// extension in the browser (its client and its language server in a web worker) and the browser
// bundles of the panels. `--production` minifies; `--outdir <dir>` writes somewhere else than dist/
// and `--metafile` adds esbuild's account of each bundle's inputs (<bundle>.meta.json), for the size
// benchmark. Also writes the plan's JSON Schema, generated from the same field table the core reads
// plans with.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const metafile = process.argv.includes('--metafile');
const outdirAt = process.argv.indexOf('--outdir');
const outdir = outdirAt > 0 ? resolve(process.argv[outdirAt + 1]) : join(root, 'dist');

// 'module' first: some dependencies (jsonc-parser) ship a UMD main that esbuild cannot follow.
const node = { platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'], mainFields: ['module', 'main'] };
const browser = { platform: 'browser', target: 'es2022', format: 'iife' };
// The extension in the browser: the client runs in VS Code's web worker extension host (CommonJS,
// `vscode` given), the language server in a worker of its own (as the panels' bundles).
const webClient = { platform: 'browser', target: 'es2022', format: 'cjs', external: ['vscode'] };
const entries = [
  { in: 'server/src/cli.ts', out: 'cli.js', ...node, banner: { js: '#!/usr/bin/env node' } },
  { in: 'server/src/server.ts', out: 'server.js', ...node },
  { in: 'client/src/extension.ts', out: 'client.js', ...node },
  { in: 'server/src/web/server.ts', out: 'web/server.js', ...browser },
  { in: 'client/src/web/extension.ts', out: 'web/client.js', ...webClient },
  { in: 'client/webview/timeline.ts', out: 'timeline.js', ...browser },
  { in: 'client/webview/pages.ts', out: 'pages.js', ...browser },
  { in: 'test/exthost/suite.ts', out: 'test/suite.js', ...node },
].filter((e) => existsSync(join(root, e.in)));

mkdirSync(outdir, { recursive: true });
const contexts = await Promise.all(entries.map(({ in: input, out, ...options }) =>
  esbuild.context({
    entryPoints: [join(root, input)],
    outfile: join(outdir, out),
    bundle: true,
    minify: production,
    sourcemap: production ? false : 'linked',
    logLevel: 'warning',
    loader: { '.css': 'text' },
    define: { PRODUCT_VERSION: JSON.stringify(pkg.version) },
    metafile,
    ...options,
  })));

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  if (metafile) results.forEach((r, i) => writeFileSync(join(outdir, `${entries[i].out}.meta.json`), JSON.stringify(r.metafile)));
  await Promise.all(contexts.map((c) => c.dispose()));
  await writeSchema();
}

async function writeSchema() {
  const tmp = join(outdir, '.schema.cjs');
  await esbuild.build({ entryPoints: [join(root, 'server/src/core/schema.ts')], outfile: tmp, bundle: true, ...node, logLevel: 'warning' });
  const { planSchema } = createRequire(import.meta.url)(tmp);
  writeFileSync(join(outdir, 'hvmem.schema.json'), JSON.stringify(planSchema(), null, 2) + '\n');
  rmSync(tmp);
}
