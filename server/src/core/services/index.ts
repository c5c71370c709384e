// The editor features over the core, one file each, as plain functions of a PlanDocument.
export type { PlanDocument, TextEdit } from './types';
export { doHover, hostHover, vmHover, type HoverResult } from './hover';
export { doComplete, type CompletionResult } from './completion';
export { quickFixes, FIXABLE_CODES, type QuickFix } from './codeActions';
export { documentSymbols, type PlanSymbol } from './symbols';
export { findDefinition, findReferences, rename, occurrenceAt, type NameOccurrence, type RenameResult } from './names';
export { codeLenses, type PlanLens } from './codeLens';
