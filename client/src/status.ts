// The language status item: how the plan in the active editor stands, at a glance.
import * as vscode from 'vscode';

export function registerLanguageStatus(context: vscode.ExtensionContext): void {
  const item = vscode.languages.createLanguageStatusItem('hvmem.status', { language: 'hvmem' });
  item.name = 'Hyper-V Memory Plan';
  item.command = { title: 'Show problems', command: 'workbench.actions.view.problems' };
  const update = () => {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'hvmem') return;
    const diagnostics = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'hvmem');
    const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    const warnings = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length;
    item.text = summary(errors, warnings);
    item.severity = errors ? vscode.LanguageStatusSeverity.Error : warnings ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
  };
  context.subscriptions.push(
    item,
    vscode.languages.onDidChangeDiagnostics(update),
    vscode.window.onDidChangeActiveTextEditor(update),
  );
  update();
}

function summary(errors: number, warnings: number): string {
  if (!errors && !warnings) return '$(check) Plan checked';
  const parts = [];
  if (errors) parts.push(`$(error) ${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings) parts.push(`$(warning) ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.join(' ');
}
