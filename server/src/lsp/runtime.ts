// What the language server needs from the place it runs in, given to startServer by its entry
// (server/src/server.ts for Node: files from disk and Node's timers). Nothing under lsp/ touches Node
// or the browser directly, so the same server runs in a web worker.
import type { ReadOptions } from '../core/read';

export interface RuntimeTimer {
  /** runs `callback` once after `ms` milliseconds, unless disposed first */
  schedule(callback: () => void, ms: number): { dispose(): void };
}

export interface ServerRuntime {
  timer: RuntimeTimer;
  /**
   * The reader of page sharing scan results (a host's `pageSharing.scan`) for a plan document, with
   * paths starting from the plan's folder and held to its folder tree or a workspace folder (given as
   * URIs); undefined where the plan has no folder files can be read from. Not asked in an untrusted
   * workspace.
   */
  sharingScanReader?(documentUri: string, workspaceFolders: readonly string[]): ReadOptions['readSharingScan'];
  /** link of docs/diagnostics.md in the installed extension, for each diagnostic's code */
  docsUri?: string;
}
