// The language server's web worker entry (dist/web/server.js), for the extension in the browser. It
// gives the server its runtime: the worker's timers, and the scan results plans name asked of the
// editor (a worker cannot read files). The docs link comes from the client (initializationOptions).
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { startServer } from '../lsp/server';
import type { RuntimeTimer, ServerRuntime } from '../lsp/runtime';
import { ReadFileRequest } from '../protocol';
import { ScanFiles } from './scanFiles';

declare const PRODUCT_VERSION: string;

/** The worker's global scope, where messages from the extension arrive (DOM's types call it a Window). */
const port = self as unknown as ConstructorParameters<typeof BrowserMessageReader>[0];
const connection = createConnection(new BrowserMessageReader(port), new BrowserMessageWriter(port));
const timer: RuntimeTimer = {
  schedule(callback, ms) {
    const handle = setTimeout(callback, ms);
    return { dispose: () => clearTimeout(handle) };
  },
};
const scans = new ScanFiles((uri) => connection.sendRequest(ReadFileRequest, { uri }), timer, () => performance.now());
const runtime: ServerRuntime = {
  timer,
  sharingScanReader: (uri, workspaceFolders) => scans.reader(uri, workspaceFolders),
  onFilesChanged: (listener) => scans.onChanged(listener),
  productVersion: PRODUCT_VERSION,
};

startServer(connection, runtime);
// The browser's server library does nothing at `exit`: the worker ends itself, or a restarted server
// would leave the old one running.
connection.onExit(() => (self as unknown as { close(): void }).close());
