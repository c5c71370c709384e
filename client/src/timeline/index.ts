// The timeline's commands, one panel per plan, live updates on edits, and the serializer that brings
// panels back after a reload. The extension's entry calls registerTimeline once on activation.
// COMMANDS.revealInPlan lives here too: the panel is where people click on VMs.
import * as vscode from 'vscode';
import { COMMANDS } from '../../../server/src/protocol';
import { TIMELINE_VIEW_TYPE, type TimelineState } from '../../webview/protocol';
import { TimelinePanel, type SimulateClient } from './panel';
import { findNamedEntry } from './reveal';
import { choosePlan } from '../plans';

export type { SimulateClient } from './panel';

export function registerTimeline(context: vscode.ExtensionContext, client: SimulateClient): void {
  const panels = new Map<string, TimelinePanel>();
  const track = (panel: TimelinePanel) => {
    const key = panel.documentUri.toString();
    panels.set(key, panel);
    panel.onDidDispose(() => { if (panels.get(key) === panel) panels.delete(key); });
    return panel;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.showTimeline, async (uri?: string | vscode.Uri) => {
      // From the palette or a key: the plan in front, or the timeline in front, else the plan chosen.
      const editor = vscode.window.activeTextEditor?.document;
      const documentUri = toUri(uri) ?? (editor?.languageId === 'hvmem' ? editor.uri : undefined)
        ?? [...panels.values()].find((p) => p.panel.active)?.documentUri ?? await choosePlan('Show the timeline of which plan?');
      if (!documentUri) {
        void vscode.window.showInformationMessage('Open a Hyper-V memory plan (*.hvmem.jsonc), or create one with "Hyper-V Memory: New Plan…", to show its timeline.');
        return;
      }
      const open = panels.get(documentUri.toString());
      if (open) open.reveal();
      else track(TimelinePanel.create(context.extensionUri, documentUri, client));
    }),
    vscode.commands.registerCommand(COMMANDS.revealInPlan, (uri: string | vscode.Uri, name: string) => revealInPlan(toUri(uri), name)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length) panels.get(e.document.uri.toString())?.scheduleRefresh();
    }),
    vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
      async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: TimelineState | undefined) {
        const documentUri = toUri(state?.documentUri);
        if (!documentUri) { webviewPanel.dispose(); return; }
        track(TimelinePanel.revive(webviewPanel, context.extensionUri, documentUri, client, state ?? {}));
      },
    }),
    { dispose: () => { for (const p of [...panels.values()]) p.dispose(); } },
  );
}

function toUri(uri: string | vscode.Uri | undefined): vscode.Uri | undefined {
  if (!uri) return undefined;
  if (typeof uri !== 'string') return uri;
  try {
    return vscode.Uri.parse(uri, true);
  } catch {
    return undefined;
  }
}

/** Selects the VM's (or host's) name in the plan, where the plan is already open: from the panel the
 * active group is the panel's, and the plan must not cover it. */
async function revealInPlan(uri: vscode.Uri | undefined, name: string): Promise<void> {
  if (!uri || typeof name !== 'string') return;
  const document = await vscode.workspace.openTextDocument(uri);
  const span = findNamedEntry(document.getText(), name);
  if (!span) {
    void vscode.window.showWarningMessage(`'${name}' is no longer in ${vscode.workspace.asRelativePath(uri)}.`);
    return;
  }
  const range = new vscode.Range(document.positionAt(span.offset), document.positionAt(span.offset + span.length));
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  const editor = await vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, selection: range });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
