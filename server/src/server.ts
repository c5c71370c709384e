// The language server's Node entry. Also runs on its own for any LSP editor: `node dist/server.js --stdio`.
// It gives the server its runtime: Node's timers, and scan result files read from a plan's folder tree.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/server';
import type { ServerRuntime } from './lsp/runtime';
import { sharingScanReader } from './sharingScanFile';

const runtime: ServerRuntime = {
  timer: {
    schedule(callback, ms) {
      const handle = setTimeout(callback, ms);
      return { dispose: () => clearTimeout(handle) };
    },
  },
  sharingScanReader(uri, workspaceFolders) {
    // Scan results named by a plan on disk are read from its folder tree or a workspace folder; an
    // unsaved plan has none.
    const planFile = localPath(uri);
    return planFile === undefined ? undefined : sharingScanReader({ planFolder: dirname(planFile), workspaceFolders: workspaceFolders.flatMap((f) => localPath(f) ?? []) });
  },
  // Bundled as dist/server.js: the extension's docs/ folder is next to dist/.
  docsUri: pathToFileURL(join(__dirname, '..', 'docs', 'diagnostics.md')).href,
  productVersion: PRODUCT_VERSION,
};

declare const PRODUCT_VERSION: string;

/** The local path of a file: URI; none for other schemes, or a file: URI naming another machine (file://server/share on POSIX). */
function localPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

startServer(createConnection(ProposedFeatures.all), runtime);
