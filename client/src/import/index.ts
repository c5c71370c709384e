// Editor commands over `hvmem import` and `hvmem export`: "Import into a plan…", "Export to
// PowerShell…", and the offer to convert when a Get-VM JSON file is opened. The backend does the
// work: the CLI on the desktop (run.ts), the language server in the browser (web/importExport.ts).
import * as vscode from 'vscode';
import { registerCommand } from '../commands';
import { COMMANDS } from '../../../server/src/protocol';

/** Setting that turns the offer off. */
const OFFER_SETTING = 'hvmem.import.offerForInventoryJson';
/** What Get-VM / Get-VMMemory / Export-HvmemInventory.ps1 JSON has and other JSON does not. */
const INVENTORY_JSON = /"(MemoryStartup|hvmemInventory)"\s*:|"VMName"\s*:[\s\S]{0,2000}"Startup"\s*:/;
const SOURCE_FILTERS = {
  'Hyper-V and infrastructure files': ['json', 'xml', 'tf', 'tfvars', 'hcl', 'ps1', 'psm1', 'txt'],
  'All files': ['*'],
};

/** How sources become a plan and a plan a script. */
export interface ImportExportBackend {
  /** `log`: the notes and the summary, a line each as `hvmem import` writes them; `error`: one line */
  importPlan(sources: readonly vscode.Uri[]): Promise<{ text: string; log: string } | { error: string; log: string }>;
  /** writes the saved plan's script into `target`; a failure says why in one line */
  exportPlan(plan: vscode.Uri, target: vscode.Uri): Promise<{ error: string; log: string } | undefined>;
}

export function registerImportExport(context: vscode.ExtensionContext, backend: ImportExportBackend): void {
  const output = vscode.window.createOutputChannel('Hyper-V Memory Planner: import and export');
  context.subscriptions.push(output);
  const register = (id: string, run: (...args: unknown[]) => Promise<unknown>) => registerCommand(context, id, run);

  register(COMMANDS.importIntoPlan, async (...args) => {
    // From the explorer: the clicked file, then every selected one.
    const given = [...new Map(args.flat().filter((a): a is vscode.Uri => a instanceof vscode.Uri).map((u) => [u.toString(), u])).values()];
    const sources = given.length > 0 ? given : await vscode.window.showOpenDialog({
      canSelectMany: true, openLabel: 'Import into a plan', filters: SOURCE_FILTERS,
      title: 'Import VMs from Get-VM JSON, Hyper-V XML, Terraform, PowerShell, DSC, Packer or Vagrant',
    });
    if (!sources || sources.length === 0) return;
    await importInto(sources);
  });

  register(COMMANDS.exportToPowerShell, async (arg) => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri) throw new Error('Open a plan (*.hvmem.jsonc) to export it.');
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.isUntitled) throw new Error('Save the plan first: the script names the plan file it came from.');
    if (document.isDirty) await document.save();
    const target = await vscode.window.showSaveDialog({
      defaultUri: uri.with({ path: uri.path.replace(/(\.hvmem)?\.jsonc?$/i, '') + '.apply-memory.ps1' }),
      filters: { 'PowerShell script': ['ps1'] }, saveLabel: 'Export', title: 'Export the plan\'s memory settings as a PowerShell script',
    });
    if (!target) return;
    const failed = await backend.exportPlan(uri, target);
    if (failed) {
      output.appendLine(failed.log);
      throw new Error(`Not exported: ${failed.error}`);
    }
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target));
  });

  async function importInto(sources: readonly vscode.Uri[]): Promise<void> {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Importing into a plan…' },
      () => backend.importPlan(sources),
    );
    output.appendLine(`hvmem import ${sources.map((s) => s.fsPath).join(' ')}`);
    output.appendLine(result.log.trimEnd());
    if ('error' in result) throw new Error(result.error);
    const first = sources[0];
    const target = await vscode.window.showSaveDialog({
      defaultUri: first.with({ path: first.path.replace(/\.[^./]*$/, '') + '.hvmem.jsonc' }),
      filters: { 'Hyper-V memory plan': ['jsonc', 'json'] }, saveLabel: 'Save plan', title: 'Save the imported plan',
    });
    let document: vscode.TextDocument;
    if (target) {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.text));
      document = await vscode.workspace.openTextDocument(target);
    } else {
      document = await vscode.workspace.openTextDocument({ language: 'hvmem', content: result.text });
    }
    await vscode.window.showTextDocument(document);
    const noteCount = result.log.split(/\r?\n/).filter((l) => /: (warning|information): /.test(l)).length;
    if (noteCount > 0) {
      const choice = await vscode.window.showInformationMessage(
        `Imported with ${noteCount} note(s): values that could not be read are left out, and each is said above its VM.`, 'Show notes');
      if (choice) output.show(true);
    }
  }

  // The offer: once per file and session, when a JSON file with Hyper-V inventory is opened.
  const offered = new Set<string>();
  const offer = async (document: vscode.TextDocument) => {
    // Files the user can convert (on disk, a remote's or a browser's file system), not diff views or untitled JSON.
    if (vscode.workspace.fs.isWritableFileSystem(document.uri.scheme) !== true || !/\.json$/i.test(document.uri.path) || /\.hvmem\.json$/i.test(document.uri.path)) return;
    if (offered.has(document.uri.toString()) || !vscode.workspace.getConfiguration().get<boolean>(OFFER_SETTING, true)) return;
    if (!INVENTORY_JSON.test(document.getText(new vscode.Range(0, 0, 200, 0)))) return;
    offered.add(document.uri.toString());
    const choice = await vscode.window.showInformationMessage(
      `${vscode.workspace.asRelativePath(document.uri)} looks like Hyper-V inventory (Get-VM JSON). Convert it into a memory plan?`,
      'Convert', 'Don\'t ask again');
    if (choice === 'Convert') await vscode.commands.executeCommand(COMMANDS.importIntoPlan, [document.uri]);
    if (choice === 'Don\'t ask again') await vscode.workspace.getConfiguration().update(OFFER_SETTING, false, vscode.ConfigurationTarget.Global);
  };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument((d) => void offer(d)));
  for (const editor of vscode.window.visibleTextEditors) void offer(editor.document);
}
