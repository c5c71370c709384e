// Talks LSP to the bundled server (`node dist/server.js --stdio`) as an editor would, or over any other
// connection (the web worker's, test/support/webWorker.ts). Test texts mark the cursor with `|`;
// `at()` takes it out and gives the position.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection,
  InitializeRequest, InitializedNotification, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification, PublishDiagnosticsNotification, ShutdownRequest, ExitNotification,
  type ClientCapabilities, type Diagnostic, type Position, type Range, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { LineIndex } from '../server/src/core/text';

export const ROOT = join(import.meta.dirname, '..');
const SERVER = join(ROOT, 'dist', 'server.js');
const CLI = join(ROOT, 'dist', 'cli.js');

export function at(marked: string): { text: string; position: Position; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error('no | marker in the test text');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  return { text, offset, position: new LineIndex(text).positionAt(offset) };
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

export function applyWorkspaceEdit(text: string, uri: string, edit: WorkspaceEdit | null | undefined): string {
  return applyEdits(text, edit?.changes?.[uri] ?? []);
}

/** `hvmem check --format json` for a text, as the CLI prints it. */
export function checkWithCli(text: string): { severity: string; code: string; message: string; range: unknown }[] {
  const dir = mkdtempSync(join(tmpdir(), 'hvmem-lsp-'));
  const file = join(dir, 'plan.hvmem.jsonc');
  writeFileSync(file, text);
  const r = spawnSync(process.execPath, [CLI, 'check', file, '--format', 'json'], { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`hvmem check failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** What runs the server: its process id (when a process), and when it has ended after `exit`. */
export interface SessionTransport {
  pid?: number;
  ended(): Promise<void>;
}

export class Session {
  /** every publish, per document, in order */
  private readonly published = new Map<string, { version?: number; diagnostics: Diagnostic[] }[]>();
  private readonly waiters: (() => void)[] = [];
  private readonly versions = new Map<string, number>();
  private next = 0;

  private constructor(readonly connection: ProtocolConnection, private readonly transport: SessionTransport) {
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.set(p.uri, [...(this.published.get(p.uri) ?? []), { version: p.version, diagnostics: p.diagnostics }]);
      for (const w of this.waiters.splice(0)) w();
    });
    // The server asks for settings; an editor with none answers with nulls.
    connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.settings));
  }

  settings: unknown = null;

  static async start(settings: unknown = null, initializationOptions: Record<string, unknown> = {}, workspaceFolders: string[] | null = null, capabilities: ClientCapabilities = { workspace: { configuration: true } }): Promise<Session> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const ended = () => new Promise<void>((resolve) => { if (child.exitCode !== null) resolve(); else child.once('exit', () => resolve()); });
    return Session.connect(connection, { pid: child.pid, ended }, settings, initializationOptions, workspaceFolders, capabilities);
  }

  /** Initializes a server over `connection` as an editor would. */
  static async connect(connection: ProtocolConnection, transport: SessionTransport, settings: unknown = null, initializationOptions: Record<string, unknown> = {}, workspaceFolders: string[] | null = null, capabilities: ClientCapabilities = { workspace: { configuration: true } }): Promise<Session> {
    const session = new Session(connection, transport);
    session.settings = settings;
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, workspaceFolders: workspaceFolders?.map((uri, i) => ({ uri, name: `folder ${i}` })) ?? null,
      capabilities,
      initializationOptions,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return session;
  }

  /** Opens a document (by default under a folder that does not exist) and waits for its diagnostics. */
  async open(text: string, uri = `file:///test/plan${this.next++}.hvmem.jsonc`): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'hvmem', version: 1, text } });
    return { uri, diagnostics: await this.diagnosticsFor(uri, 1) };
  }

  /** Replaces the whole text and waits for the new diagnostics. */
  async change(uri: string, text: string): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return this.diagnosticsFor(uri, version);
  }

  /** Replaces one range, as editors send keystrokes, and waits for the new diagnostics. */
  async edit(uri: string, range: Range, text: string): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return this.diagnosticsFor(uri, version);
  }

  /** Forgets the publishes of versions before `version`: a long session (the soak) keeps only what it waits for. */
  forgetBefore(uri: string, version: number): void {
    this.published.set(uri, (this.published.get(uri) ?? []).filter((p) => p.version === undefined || p.version >= version));
  }

  /** The server process's id (benchmarks read its memory use). */
  get pid(): number | undefined {
    return this.transport.pid;
  }

  versionOf(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** The `nth` publish of diagnostics for this version (large plans get a second with the scenario's). */
  async diagnosticsFor(uri: string, version: number, nth = 1): Promise<Diagnostic[]> {
    for (;;) {
      const got = (this.published.get(uri) ?? []).filter((p) => p.version === version);
      if (got.length >= nth) return got[nth - 1].diagnostics;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    this.connection.dispose();
    await this.transport.ended();
  }
}
