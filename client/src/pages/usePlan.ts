// The page sharing panel's two buttons in the editor: save the scan as `hvmem pages --format json`
// writes it, and point a host of a plan at it (`"pageSharing": { "scan", "pageSize" }`), saving the
// scan inside the plan's folder if it is not there yet: the plan reads scans only from its own tree.
import * as vscode from 'vscode';
import type { PageScanReport } from './protocol';
import { pageSharingEdits, pageSizeText, planHosts, scanPathInPlan } from './planEdit';
import { choosePlan } from '../plans';

/** The report as the CLI prints it, so a saved scan and `hvmem pages … > scan.json` are the same file. */
function scanJson(report: PageScanReport): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(report, null, 2) + '\n');
}

export async function savePageScan(report: PageScanReport, proposed: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: proposed ?? (folder && vscode.Uri.joinPath(folder, 'page-scan.json')),
    filters: { 'Page scan (JSON)': ['json'] }, saveLabel: 'Save scan', title: 'Save the page sharing scan as JSON',
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, scanJson(report));
  return target;
}

interface Pick<T> extends vscode.QuickPickItem { value: T }

async function choose<T>(items: Pick<T>[], title: string): Promise<T | undefined> {
  if (items.length === 1) return items[0].value;
  return (await vscode.window.showQuickPick(items, { title, matchOnDescription: true }))?.value;
}

/** Returns where the scan is saved now (for the panel to say), or undefined if the user stopped. */
export async function usePageScanInPlan(report: PageScanReport, saved: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const plan = await choosePlan('Which plan should use this scan?', { saved: true });
  if (!plan) throw new Error('There is no saved plan (*.hvmem.jsonc) to use the scan in: create or open one first.');
  const document = await vscode.workspace.openTextDocument(plan);
  const hosts = planHosts(document.getText());
  if (!hosts.length) throw new Error(`${vscode.workspace.asRelativePath(plan)} names no host to use the scan for.`);
  const host = await choose(hosts.map((h) => ({ label: h.name, value: h })), 'Which host do the scanned images stand for?');
  if (!host) return undefined;
  const sizes = Object.entries(report.pageSizes).filter(([, s]) => s.pages > 0).map(([size, s]) => ({
    label: `${pageSizeText(Number(size))} pages`,
    description: `${((s.savedBytes / (s.pages * Number(size))) * 100).toFixed(1)} % saved`,
    value: Number(size),
  }));
  if (!sizes.length) throw new Error('The scan has no whole page of any size: there is no share to use.');
  const pageSize = await choose(sizes, 'At which page size?');
  if (pageSize === undefined) return undefined;

  let scan = saved && scanPathInPlan(plan.fsPath, saved.fsPath) ? saved : undefined;
  if (!scan) {
    scan = await savePageScan(report, vscode.Uri.joinPath(plan, '..', 'scans', `${host.name.replace(/[^\w.-]+/g, '_') || 'host'}.json`));
    if (!scan) return saved;
  }
  const path = scanPathInPlan(plan.fsPath, scan.fsPath);
  if (!path) {
    void vscode.window.showErrorMessage(`The plan reads scans only from its own folder and below: save the scan under ${vscode.workspace.asRelativePath(vscode.Uri.joinPath(plan, '..'))}.`);
    return scan;
  }
  const edit = new vscode.WorkspaceEdit();
  for (const e of pageSharingEdits(document.getText(), host.index, path, pageSize)) {
    edit.replace(plan, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`${vscode.workspace.asRelativePath(plan)} could not be edited.`);
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
  void vscode.window.showInformationMessage(`${host.name} now assumes the page sharing of ${path} at ${pageSizeText(pageSize)} pages: its simulation follows.`);
  return scan;
}
