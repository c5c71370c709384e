// Commands of the editor glue: each a small function, run with its errors shown to the user.
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { COMMANDS } from '../../server/src/protocol';

/** Registers a command whose failures become an error message instead of a silent rejection. */
export function registerCommand(context: vscode.ExtensionContext, id: string, run: (...args: unknown[]) => Promise<unknown>): void {
  context.subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await run(...args);
    } catch (e) {
      void vscode.window.showErrorMessage(`Hyper-V Memory Planner: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }));
}

export function registerCommands(context: vscode.ExtensionContext, client: BaseLanguageClient): void {
  // As the Node client's restart(), which the browser's lacks: a stopped client starts a new server.
  registerCommand(context, COMMANDS.restartServer, async () => {
    await client.stop();
    await client.start();
  });
}
