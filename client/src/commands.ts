// Commands of the editor glue: each a small function, run with its errors shown to the user.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient): void {
  const register = (id: string, run: (...args: unknown[]) => Promise<unknown>) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (e) {
        void vscode.window.showErrorMessage(`Hyper-V Memory Planner: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
    }));
  register('hvmem.restartServer', () => client.restart());
}
