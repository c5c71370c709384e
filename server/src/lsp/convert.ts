// Core data → LSP data: offsets to positions, severities, edits, symbols.
import {
  CodeAction, CodeActionKind, CompletionItemKind, DiagnosticSeverity, DocumentSymbol, InsertTextFormat, SymbolKind,
  type CompletionItem, type Diagnostic, type TextEdit,
} from 'vscode-languageserver';
import type { PlanDiagnostic, Severity } from '../core/diagnostics';
import type { CompletionResult, PlanSymbol, QuickFix, TextEdit as PlanEdit } from '../core/services';
import type { LineIndex } from '../core/text';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** Offsets to positions: a LineIndex, or the editor's own document (which keeps its lines up to date). */
export type Lines = Pick<LineIndex, 'range'>;

/** The document's own line table, kept up to date edit by edit: no scan of a large text. */
export function documentLines(document: TextDocument): Lines {
  return { range: (s) => ({ start: document.positionAt(s.start), end: document.positionAt(s.end) }) };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
};

/** A plan diagnostic for the editor; `docsUri` is docs/diagnostics.md of the installed extension. */
export function toDiagnostic(d: PlanDiagnostic, lines: Lines, uri: string, docsUri: string | undefined): Diagnostic {
  const out: Diagnostic = { range: lines.range(d.span), severity: SEVERITY[d.severity], code: d.code, source: 'hvmem', message: d.message };
  if (docsUri) out.codeDescription = { href: `${docsUri}#${d.code}` };
  if (d.related?.length) out.relatedInformation = d.related.map((r) => ({ location: { uri, range: lines.range(r.span) }, message: r.message }));
  return out;
}

export function toTextEdits(edits: readonly PlanEdit[], lines: Lines): TextEdit[] {
  return edits.map((e) => ({ range: lines.range(e.span), newText: e.newText }));
}

export function toCodeAction(fix: QuickFix, lines: Lines, uri: string, docsUri: string | undefined): CodeAction {
  const action = CodeAction.create(fix.title, { changes: { [uri]: toTextEdits(fix.edits, lines) } }, CodeActionKind.QuickFix);
  action.diagnostics = [toDiagnostic(fix.diagnostic, lines, uri, docsUri)];
  if (fix.preferred) action.isPreferred = true;
  return action;
}

export function toCompletionItem(c: CompletionResult, lines: Lines): CompletionItem {
  return {
    label: c.label,
    kind: c.kind === 'snippet' ? CompletionItemKind.Snippet : CompletionItemKind.Reference,
    detail: c.detail,
    documentation: c.documentation,
    insertTextFormat: c.kind === 'snippet' ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    textEdit: { range: lines.range(c.span), newText: c.insertText },
    // Names and snippets are what the user most likely wants where they apply: show them first.
    sortText: `0_${c.label}`,
  };
}

const SYMBOL_KIND: Record<PlanSymbol['kind'], SymbolKind> = {
  group: SymbolKind.Namespace, host: SymbolKind.Class, vm: SymbolKind.Object, event: SymbolKind.Event,
};

export function toDocumentSymbol(s: PlanSymbol, lines: Lines): DocumentSymbol {
  return DocumentSymbol.create(s.name, s.detail, SYMBOL_KIND[s.kind], lines.range(s.span), lines.range(s.selectionSpan), s.children.map((c) => toDocumentSymbol(c, lines)));
}
