// Commands of the editor glue: each a small function, run with its errors shown to the user.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS } from '../../server/src/protocol';

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
  register(COMMANDS.revealInPlan, (uri, name) => revealInPlan(String(uri), String(name)));
  register('hvmem.restartServer', () => client.restart());
}

/** Opens the plan and selects the host or VM with this name (from the outline the server gives). */
async function revealInPlan(uri: string, name: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  // From the timeline panel the active group is the panel's: show the plan where it already is.
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === document.uri.toString());
  const editor = await vscode.window.showTextDocument(document, visible?.viewColumn ?? vscode.ViewColumn.Beside);
  const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', document.uri);
  const found = (symbols ?? []).filter((g) => g.name === 'hosts' || g.name === 'vms').flatMap((g) => g.children).find((s) => s.name === name);
  if (!found) throw new Error(`"${name}" is not in ${document.fileName}.`);
  editor.selection = new vscode.Selection(found.selectionRange.start, found.selectionRange.end);
  editor.revealRange(found.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
