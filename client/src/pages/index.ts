// Page sharing in the editor: the `hvmem.scanPages` command picks memory images or processes, runs
// `hvmem pages` with progress and cancellation, and shows the result in a panel.
import * as vscode from 'vscode';
import { pickImages } from './pick';
import { PageSharingPanel } from './panel';
import { runPageScan, ScanCancelled } from './scan';

export const SCAN_PAGES_COMMAND = 'hvmem.scanPages';

export function registerPageSharing(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(SCAN_PAGES_COMMAND, async () => {
    const images = await pickImages();
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
