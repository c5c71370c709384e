// What the language server needs from the place it runs in, given to startServer by its entry:
// server/src/server.ts for Node (files from disk, Node's timers), server/src/web/server.ts for a web
// worker (files asked of the editor, the worker's timers). Nothing under lsp/ touches Node or the
// browser directly, so the same server runs in both.
import type { ReadOptions } from '../core/read';

export interface RuntimeTimer {
  /** runs `callback` once after `ms` milliseconds, unless disposed first */
  schedule(callback: () => void, ms: number): { dispose(): void };
}

/**
 * What a runtime's scan reader answers for a path a plan names: as ReadOptions.readSharingScan, or
 * `pending` when the text is still on its way (a runtime that reads asynchronously). The server
 * publishes nothing for an analysis that met a pending read and analyses again at `onFilesChanged`.
 */
export type SharingScanRead = NonNullable<ReturnType<NonNullable<ReadOptions['readSharingScan']>>> | { pending: true };
export type SharingScanReader = (path: string) => SharingScanRead;

export interface ServerRuntime {
  timer: RuntimeTimer;
  /**
   * The reader of page sharing scan results (a host's `pageSharing.scan`) for a plan document, with
   * paths starting from the plan's folder and held to its folder tree or a workspace folder (given as
   * URIs); undefined where the plan has no folder files can be read from. Not asked in an untrusted
   * workspace.
   */
  sharingScanReader?(documentUri: string, workspaceFolders: readonly string[]): SharingScanReader | undefined;
  /**
   * For a runtime whose reads answer `pending`: `listener` is called whenever a file read before may
   * now read differently (a pending read came back, or a file changed), and every plan is read again.
   */
  onFilesChanged?(listener: () => void): void;
  /** link of docs/diagnostics.md in the installed extension, for each diagnostic's code */
  docsUri?: string;
  /** the product's version, named in exported scripts */
  productVersion?: string;
}
