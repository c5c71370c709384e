// The extension: starts the language server and adds the VS Code glue around it. Everything about
// plans happens in the server; this file only wires things together.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { registerLanguageStatus } from './status';
import { registerTimeline } from './timeline';
import { registerPageSharing } from './pages';
import { registerImportExport } from './import';
import { WORKSPACE_TRUST_NOTIFICATION, type WorkspaceTrustParams } from '../../server/src/protocol';
import { registerNewPlan } from './onboarding/newPlan';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'hvmem' }],
    synchronize: { configurationSection: 'hvmem' },
    // In restricted mode the server reads no file a plan names (a page sharing scan): a cloned
    // repository's plan must not make the editor read what lies around it.
    initializationOptions: () => ({ workspaceTrusted: vscode.workspace.isTrusted }),
  };
  client = new LanguageClient('hvmem', 'Hyper-V Memory Planner', serverOptions, clientOptions);
  context.subscriptions.push(client);
  registerCommands(context, client);
  registerLanguageStatus(context, client);
  registerNewPlan(context);
  registerTimeline(context, client);
  registerPageSharing(context);
  registerImportExport(context);
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => {
    if (client?.isRunning()) void client.sendNotification(WORKSPACE_TRUST_NOTIFICATION, { trusted: true } satisfies WorkspaceTrustParams);
  }));
  // The extension also wakes for JSON files (to offer importing Hyper-V inventories); the server only
  // starts once a plan is open, so opening other JSON costs nothing more.
  const isPlan = (d: vscode.TextDocument) => d.languageId === 'hvmem';
  let started: Promise<void> | undefined;
  const start = () => (started ??= client!.start());
  if (vscode.workspace.textDocuments.some(isPlan)) await start();
  else {
    const listener = vscode.workspace.onDidOpenTextDocument((d) => {
      if (!isPlan(d)) return;
      listener.dispose();
      void start();
    });
    context.subscriptions.push(listener);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
