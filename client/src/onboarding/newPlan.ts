// "New plan…": a plan from a template (a standalone host, a cluster), in an untitled editor or in a
// file the user names. The walkthrough's first step runs it.
import * as vscode from 'vscode';
import { COMMANDS } from '../../../server/src/protocol';
import { registerCommand } from '../commands';
import { PLAN_TEMPLATES, type PlanTemplate } from './templates';

export function registerNewPlan(context: vscode.ExtensionContext): void {
  // Argument (from the walkthrough's links): a template id, to skip the first question.
  registerCommand(context, COMMANDS.newPlan, async (id?: unknown) => {
    const template = PLAN_TEMPLATES.find((t) => t.id === id) ?? await pickTemplate();
    if (!template) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const where = await vscode.window.showQuickPick([
      { label: 'Open it unsaved', description: 'an untitled editor; save it when you like', save: false },
      { label: 'Save it as…', description: folder ? `proposed: ${template.fileName} in ${vscode.workspace.asRelativePath(folder)}` : template.fileName, save: true },
    ], { title: `New plan: ${template.label}` });
    if (!where) return;
    let document: vscode.TextDocument;
    if (where.save) {
      const target = await vscode.window.showSaveDialog({
        defaultUri: folder && vscode.Uri.joinPath(folder, template.fileName),
        filters: { 'Hyper-V memory plan': ['jsonc'] }, saveLabel: 'Create plan', title: 'Save the new plan',
      });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(template.text));
      document = await vscode.workspace.openTextDocument(target);
    } else {
      document = await vscode.workspace.openTextDocument({ language: 'hvmem', content: template.text });
    }
    await vscode.window.showTextDocument(document);
  });
}

async function pickTemplate(): Promise<PlanTemplate | undefined> {
  const picked = await vscode.window.showQuickPick(PLAN_TEMPLATES.map((t) => ({ label: t.label, detail: t.detail, template: t })), {
    title: 'New Hyper-V memory plan', placeHolder: 'Start from…',
  });
  return picked?.template;
}
