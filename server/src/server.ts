// The language server's Node entry. Also runs on its own for any LSP editor: `node dist/server.js --stdio`.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/server';

// Bundled as dist/server.js: the extension's docs/ folder is next to dist/.
const docsUri = pathToFileURL(join(__dirname, '..', 'docs', 'diagnostics.md')).href;

startServer(createConnection(ProposedFeatures.all), { docsUri });
