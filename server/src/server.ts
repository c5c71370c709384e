// The language server's Node entry. Also runs on its own for any LSP editor: `node dist/server.js --stdio`.
// It gives the server its runtime: Node's timers, and scan result files read from a plan's folder.
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
  sharingScanReader(uri) {
    // Scan results named by a plan on disk are read from its folder; an unsaved plan has none.
    if (!uri.startsWith('file:')) return undefined;
    try {
      return sharingScanReader(dirname(fileURLToPath(uri)));
    } catch {
      // A file: URI naming another machine (file://server/share on POSIX) has no local path.
      return undefined;
    }
  },
  // Bundled as dist/server.js: the extension's docs/ folder is next to dist/.
  docsUri: pathToFileURL(join(__dirname, '..', 'docs', 'diagnostics.md')).href,
};

startServer(createConnection(ProposedFeatures.all), runtime);
