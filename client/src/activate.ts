// The extension's activation, shared by its two entries: extension.ts (Node: the server as a child
// process, import, export and page scans through the CLI) and web/extension.ts (the browser: the
// server in a web worker, import and export through it, no page scans). Each gives what differs.
import * as vscode from 'vscode';
import type { BaseLanguageClient, LanguageClientOptions } from 'vscode-languageclient';
import { registerCommands } from './commands';
import { registerLanguageStatus } from './status';
import { registerTimeline } from './timeline';
import { WORKSPACE_TRUST_NOTIFICATION, type WorkspaceTrustParams } from '../../server/src/protocol';
import { registerNewPlan } from './onboarding/newPlan';

export interface Platform {
  /** the language client with these options, its server not started yet */
  createClient(options: LanguageClientOptions): BaseLanguageClient;
  /** registers the commands that work differently here; `started` resolves once the server runs */
  registerPlatformCommands(client: BaseLanguageClient, started: () => Promise<void>): void;
}

export async function activateWith(context: vscode.ExtensionContext, platform: Platform): Promise<BaseLanguageClient> {
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'hvmem' }],
    synchronize: { configurationSection: 'hvmem' },
    // In restricted mode the server reads no file a plan names (a page sharing scan): a cloned
    // repository's plan must not make the editor read what lies around it.
    initializationOptions: () => ({
      workspaceTrusted: vscode.workspace.isTrusted,
      docsUri: vscode.Uri.joinPath(context.extensionUri, 'docs', 'diagnostics.md').toString(),
    }),
  };
  const client = platform.createClient(clientOptions);
  context.subscriptions.push(client);
  // The extension also wakes for JSON files (to offer importing Hyper-V inventories); the server only
  // starts once a plan is open (or a command needs it), so opening other JSON costs nothing more.
  let started: Promise<void> | undefined;
  const start = () => (started ??= client.start());
  registerCommands(context, client);
  registerLanguageStatus(context, client);
  registerNewPlan(context);
  registerTimeline(context, client);
  platform.registerPlatformCommands(client, start);
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => {
    if (client.isRunning()) void client.sendNotification(WORKSPACE_TRUST_NOTIFICATION, { trusted: true } satisfies WorkspaceTrustParams);
  }));
  const isPlan = (d: vscode.TextDocument) => d.languageId === 'hvmem';
  if (vscode.workspace.textDocuments.some(isPlan)) await start();
  else {
    const listener = vscode.workspace.onDidOpenTextDocument((d) => {
      if (!isPlan(d)) return;
      listener.dispose();
      void start();
    });
    context.subscriptions.push(listener);
  }
  return client;
}
