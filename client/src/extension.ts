// The extension on the desktop (Node): the language server runs as a child process, and import,
// export and page scans run the bundled CLI. Everything else is shared with the browser (activate.ts).
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { activateWith } from './activate';
import { registerPageSharing } from './pages';
import { registerImportExport } from './import';
import { cliBackend } from './import/run';

let client: BaseLanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  client = await activateWith(context, {
    createClient: (options) => new LanguageClient('hvmem', 'Hyper-V Memory Planner', serverOptions, options),
    registerPlatformCommands() {
      registerPageSharing(context);
      registerImportExport(context, cliBackend(context.asAbsolutePath('dist/cli.js')));
    },
  });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
