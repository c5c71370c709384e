// The extension in the browser (vscode.dev, github.dev, code-server's web worker extension host): the
// language server runs in a web worker (dist/web/server.js) and reads the files plans name through
// this client; import and export run in it too. Page scans need the local machine and say so.
import * as vscode from 'vscode';
import { BrowserMessageReader, BrowserMessageWriter, LanguageClient, type BaseLanguageClient, type MessageTransports } from 'vscode-languageclient/browser';
import { activateWith } from '../activate';
import { registerCommand } from '../commands';
import { registerImportExport } from '../import';
import { COMMANDS, ReadFileRequest } from '../../../server/src/protocol';
import { serverBackend } from './importExport';
import { readScanFile } from './readFile';

let client: BaseLanguageClient | undefined;

/** Why "Analyze Page Sharing…" cannot run here. */
const NO_PAGE_SCANS = 'Page sharing analysis reads memory images and processes on this machine, which an editor in the browser cannot do: run it in VS Code on the desktop, or `hvmem pages` on the host.';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverMain = vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'server.js');
  client = await activateWith(context, {
    // A function: each (re)start gets a new worker.
    createClient: (options) => new LanguageClient('hvmem', 'Hyper-V Memory Planner', () => connectWorker(serverMain), options),
    registerPlatformCommands(languageClient, started) {
      languageClient.onRequest(ReadFileRequest, (params) => readScanFile(params));
      registerImportExport(context, serverBackend(languageClient, started));
      registerCommand(context, COMMANDS.scanPages, async () => {
        void vscode.window.showInformationMessage(NO_PAGE_SCANS);
      });
    },
  });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/**
 * A worker from the bundle, and the transports over it. An extension installed on a remote
 * (code-server) has a vscode-remote: location, which the extension host cannot start workers from:
 * the bundle is read through the file system API and started from a blob instead. The transports are
 * made here: the extension host's Worker is its own class, not one the client library recognises.
 */
async function connectWorker(script: vscode.Uri): Promise<MessageTransports> {
  let worker: Worker;
  if (script.scheme !== 'vscode-remote') worker = new Worker(script.toString(true));
  else {
    const code = await vscode.workspace.fs.readFile(script);
    worker = new Worker(URL.createObjectURL(new Blob([new TextDecoder().decode(code)], { type: 'text/javascript' })));
  }
  return { reader: new BrowserMessageReader(worker), writer: new BrowserMessageWriter(worker) };
}
