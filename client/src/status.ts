// How the plan in the active editor stands, at a glance: a language status item with its errors and
// warnings, and a status bar item with what its scenario does (a click opens the timeline).
import * as vscode from 'vscode';
import { COMMANDS, SimulateRequest, type SimulateParams, type SimulateResponse } from '../../server/src/protocol';
import { outcomeOf } from './onboarding/outcome';

/** What the status needs of the language client. */
export interface OutcomeClient {
  sendRequest(type: typeof SimulateRequest, params: SimulateParams, token?: vscode.CancellationToken): Promise<SimulateResponse | null>;
}

/** Asked once typing and checking have settled, so the server simulates each version at most once. */
const OUTCOME_DELAY_MS = 600;
/** Past this the plan's result is megabytes: the status does not fetch it, the timeline shows it. */
const OUTCOME_MAX_CHARS = 512 * 1024;

export function registerLanguageStatus(context: vscode.ExtensionContext, client: OutcomeClient): void {
  const item = vscode.languages.createLanguageStatusItem('hvmem.status', { language: 'hvmem' });
  item.name = 'Hyper-V Memory Plan';
  item.command = { title: 'Show problems', command: 'workbench.actions.view.problems' };
  const outcome = vscode.window.createStatusBarItem('hvmem.outcome', vscode.StatusBarAlignment.Left, 10);
  outcome.name = 'Hyper-V Memory Plan: outcome';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asking: vscode.CancellationTokenSource | undefined;

  const active = () => {
    const document = vscode.window.activeTextEditor?.document;
    return document?.languageId === 'hvmem' ? document : undefined;
  };
  const refreshOutcome = async () => {
    const document = active();
    asking?.cancel();
    if (!document) { outcome.hide(); return; }
    outcome.command = { title: 'Show Timeline', command: COMMANDS.showTimeline, arguments: [document.uri.toString()] };
    if (document.getText().length > OUTCOME_MAX_CHARS) {
      outcome.text = '$(graph-line) Simulate';
      outcome.tooltip = 'Open the timeline to see what the scenario does';
      outcome.backgroundColor = undefined;
      outcome.show();
      return;
    }
    const run = new vscode.CancellationTokenSource();
    asking = run;
    try {
      const response = await client.sendRequest(SimulateRequest, { uri: document.uri.toString() }, run.token);
      if (run.token.isCancellationRequested || active() !== document) return;
      const o = outcomeOf(response);
      outcome.text = o.text;
      outcome.tooltip = o.tooltip;
      outcome.backgroundColor = o.level === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : o.level === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      outcome.show();
    } catch {
      // the server is starting, restarting or the request was cancelled: the next change asks again
    } finally {
      run.dispose();
    }
  };
  const update = () => {
    const document = active();
    if (!document) { outcome.hide(); return; }
    const diagnostics = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'hvmem');
    const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    const warnings = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length;
    item.text = summary(errors, warnings);
    item.severity = errors ? vscode.LanguageStatusSeverity.Error : warnings ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void refreshOutcome(), OUTCOME_DELAY_MS);
  };
  context.subscriptions.push(
    item, outcome,
    vscode.languages.onDidChangeDiagnostics((e) => { const d = active(); if (d && e.uris.some((u) => u.toString() === d.uri.toString())) update(); }),
    vscode.window.onDidChangeActiveTextEditor(update),
    { dispose: () => { if (timer) clearTimeout(timer); asking?.cancel(); } },
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
