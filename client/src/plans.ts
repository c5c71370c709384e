// Choosing a plan when a command has none at hand: the plans open in the editor and those in the
// workspace; the one if there is only one, else the user's pick.
import * as vscode from 'vscode';

const PLAN_FILES = '**/*.hvmem.{jsonc,json}';

/** `saved`: only plans in files (an untitled plan has no folder for what it names beside it). */
export async function choosePlan(title: string, { saved = false } = {}): Promise<vscode.Uri | undefined> {
  const plans = new Map<string, vscode.Uri>();
  for (const d of vscode.workspace.textDocuments) {
    if (d.languageId === 'hvmem' && (!saved || d.uri.scheme === 'file')) plans.set(d.uri.toString(), d.uri);
  }
  for (const uri of await vscode.workspace.findFiles(PLAN_FILES, '**/node_modules/**', 200)) plans.set(uri.toString(), uri);
  if (plans.size <= 1) return [...plans.values()][0];
  const picked = await vscode.window.showQuickPick([...plans.values()].map((uri) => ({
    label: uri.path.split('/').pop() ?? uri.toString(), description: uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri) : 'unsaved', uri,
  })), { title, matchOnDescription: true });
  return picked?.uri;
}
