// What the extension says to its language server and to the CLI processes it starts, declared once and
// typed: both sides import these objects and types, so a renamed field or method fails to compile.
import { RequestType, type WorkDoneProgressParams } from 'vscode-languageserver-protocol';
import type { Advice } from './core/advise';
import type { ImageSharing, PageSharingResult } from './core/pages/types';
import type { SimulationResult } from './core/simulate/types';

export interface SimulateParams extends WorkDoneProgressParams { uri: string }
export type SimulateResponse =
  | { ok: true; version: number; result: SimulationResult }
  /** the plan has errors (or cannot be simulated): `errors` says which, one line each */
  | { ok: false; version: number; errors: string[] };

/**
 * hvmem/workspaceTrust: the workspace became trusted (VS Code's restricted mode ended). Until then the
 * server reads no file beside a plan; the initialization option `workspaceTrusted` gives the state at
 * start (absent: trusted, as for editors without restricted mode).
 */
export const WORKSPACE_TRUST_NOTIFICATION = 'hvmem/workspaceTrust';
export interface WorkspaceTrustParams { trusted: boolean }


/** hvmem/simulate: run the plan's scenario for an open document; null when cancelled or failed inside. */
export const SimulateRequest = new RequestType<SimulateParams, SimulateResponse | null, void>('hvmem/simulate');

export interface AdviseParams extends WorkDoneProgressParams {
  uri: string;
  /** headroom in copies of this VM (`hvmem advise --like`) */
  like?: string;
  /** headroom in static VMs of this many bytes (`--shape`) */
  shapeBytes?: number;
}
export type AdviseResponse =
  | { ok: true; version: number; advice: Advice }
  /** the plan has errors, cannot be simulated, or changed while the advice was computed: `errors` says which */
  | { ok: false; version: number; errors: string[] };

/**
 * hvmem/advise: `hvmem advise` for an open document (its fixes' edits are ranges in that version's
 * text). Computed a step at a time between other requests, with progress; cancelled by the client or
 * by an edit of the document. Null when cancelled or failed inside.
 */
export const AdviseRequest = new RequestType<AdviseParams, AdviseResponse | null, void>('hvmem/advise');

/**
 * hvmem/readFile, from the server to the client: the text of a page sharing scan result a plan names,
 * for a server that cannot read files itself (the web worker). The client answers only for a regular
 * file inside a workspace folder, of at most MAX_SCAN_BYTES, and nothing in an untrusted workspace.
 */
export const ReadFileRequest = new RequestType<ReadFileParams, ReadFileResponse, void>('hvmem/readFile');
export interface ReadFileParams { uri: string }
export type ReadFileResponse =
  | { text: string }
  /** `bytes`: the file's size, when it is `too-large` */
  | { refused: 'outside' | 'untrusted' | 'folder' | 'not-file' | 'too-large'; bytes?: number }
  /** the file system's own error, one line */
  | { error: string };

/** `hvmem pages` results are a few KB; anything far larger was named by mistake (a memory image?). */
export const MAX_SCAN_BYTES = 4 * 1024 * 1024;

/**
 * hvmem/import: source files (read by the client) into a plan's text, as `hvmem import` does; for
 * clients that cannot run the CLI (the browser). The contents go base64-encoded: the server tells
 * UTF-8 from UTF-16 by the bytes, as the CLI does.
 */
export const ImportRequest = new RequestType<ImportParams, ImportResponse, void>('hvmem/import');
export interface ImportParams { sources: { file: string; base64: string }[] }
export type ImportResponse =
  /** `notes`: one line each, as `hvmem import` writes them to standard error; `summary` its last line */
  | { ok: true; text: string; notes: string[]; summary: string }
  | { ok: false; error: string };

/** hvmem/export: an open plan as a PowerShell script, as `hvmem export --to powershell` writes it. */
export const ExportRequest = new RequestType<ExportParams, ExportResponse, void>('hvmem/export');
/** `planFile`: the file name the script says it came from */
export interface ExportParams { uri: string; planFile: string }
export type ExportResponse =
  /** `fileText`: the file's whole content (with the byte order mark Windows PowerShell 5.1 needs) */
  | { ok: true; fileText: string }
  /** `error`: one line (the first error Hyper-V would reject, with its place) */
  | { ok: false; error: string };

/**
 * Every command id of the extension: package.json contributes exactly these (test/manifest.test.ts),
 * and the client, the code lenses and the tests name commands only through this table.
 */
export const COMMANDS = {
  /** open the timeline panel for a plan; argument: the document URI as a string (optional: active editor) */
  showTimeline: 'hvmem.showTimeline',
  /** reveal a VM or host in its plan; arguments: uri string, name */
  revealInPlan: 'hvmem.revealInPlan',
  /** a new plan from a template (standalone host, cluster), unsaved or in a chosen file; argument: a template id (optional: ask) */
  newPlan: 'hvmem.newPlan',
  restartServer: 'hvmem.restartServer',
  /** import sources into a new plan; arguments: the explorer's clicked and selected files (optional) */
  importIntoPlan: 'hvmem.importIntoPlan',
  /** argument: the plan's URI (optional: active editor) */
  exportToPowerShell: 'hvmem.exportToPowerShell',
  /** arguments: the explorer's clicked and selected memory images (optional: ask) */
  scanPages: 'hvmem.scanPages',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/**
 * The JSON `hvmem pages --format json` prints, which the editor's page sharing panel draws and a
 * plan's `pageSharing.scan` names: the scanner's result with where each image came from.
 */
export type PageScanReport = Omit<PageSharingResult, 'images'> & { images: (ImageSharing & { kind: 'file' | 'process'; pid?: number })[] };

/** What `hvmem pages` sends over IPC while it scans, when the editor started it as a child process. */
export interface PageScanProgress { type: 'progress'; image: string; doneBytes: number; totalBytes: number }
