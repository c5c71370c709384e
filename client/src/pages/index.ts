// Page sharing in the editor: the `hvmem.scanPages` command picks memory images or processes, runs
// `hvmem pages` with progress and cancellation, and shows the result in a panel.
import * as vscode from 'vscode';
import { pickImages } from './pick';
import { PageSharingPanel } from './panel';
import { runPageScan, ScanCancelled } from './scan';
import { COMMANDS } from '../../../server/src/protocol';

export function registerPageSharing(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.scanPages, async (...args: unknown[]) => {
    // From the explorer (or another command): the clicked file, then every selected one; else ask.
    const given = [...new Map(args.flat().filter((a): a is vscode.Uri => a instanceof vscode.Uri).map((u) => [u.toString(), u])).values()];
    const images = given.length > 0 ? { files: given.map((u) => u.fsPath), pids: [] } : await pickImages();
    if (!images) return;
    try {
      const report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Analyzing page sharing', cancellable: true },
        (progress, token) => runPageScan(context.asAbsolutePath('dist/cli.js'), images, progress, token),
      );
      PageSharingPanel.show(context.extensionUri, report);
    } catch (e) {
      if (e instanceof ScanCancelled) return;
      void vscode.window.showErrorMessage(`Page sharing analysis failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }));
}
