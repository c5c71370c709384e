// The page sharing scans plans name, for the language server in a web worker: a worker cannot read
// files, so it asks the editor (hvmem/readFile) and keeps the answers. The core reads a scan while it
// analyses, synchronously: a scan not back yet reads as pending (the server publishes nothing for that
// analysis) and its arrival is announced, so the plans are analysed again without a "cannot be read"
// flashing in between. A scan used again after a while is asked for again in the background, and its
// change announced: an edited scan shows up as it does in the Node server, which reads it each time.
import { namesDeviceOrShare, SCAN_REFUSALS, scanPlaces } from '../core/pages/share';
import type { RuntimeTimer, SharingScanRead, SharingScanReader } from '../lsp/runtime';
import { UNTRUSTED_PROBLEM } from '../lsp/documents';
import type { ReadFileResponse } from '../protocol';

/** A scan used this long after it was read is asked for again. */
const REFRESH_AFTER_MS = 2_000;
/** An editor that has not answered by then will not: the scan is reported as unreadable. */
const ANSWER_TIMEOUT_MS = 15_000;
/** Scans no plan has read for this long are forgotten. */
const FORGET_AFTER_MS = 10 * 60_000;

interface Entry {
  answer?: ReadFileResponse;
  /** when `answer` came back */
  readAt: number;
  usedAt: number;
  asking: boolean;
}

export class ScanFiles {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners: (() => void)[] = [];
  private announcing?: { dispose(): void };

  /** `ask` sends hvmem/readFile; `now` is a clock in milliseconds. */
  constructor(private readonly ask: (uri: string) => Promise<ReadFileResponse>, private readonly timer: RuntimeTimer, private readonly now: () => number) {}

  /** The reader for a plan at `documentUri`: paths from its folder, held to it or a workspace folder. */
  reader(documentUri: string, workspaceFolders: readonly string[]): SharingScanReader | undefined {
    const planFolder = folderOf(documentUri);
    if (planFolder === undefined) return undefined;
    const folders = [planFolder, ...workspaceFolders.map((f) => f.replace(/\/*$/, '/'))];
    const where = scanPlaces(workspaceFolders.length > 0);
    return (written) => {
      if (namesDeviceOrShare(written)) return { problem: SCAN_REFUSALS.device(where) };
      const uri = resolveScanPath(planFolder, written);
      if (!folders.some((f) => `${uri}/`.startsWith(f))) return { problem: SCAN_REFUSALS.outside(where) };
      return this.read(uri, where);
    };
  }

  /** `listener` runs once a burst of answers that changed something is in. */
  onChanged(listener: () => void): void {
    this.listeners.push(listener);
  }

  private read(uri: string, where: string): SharingScanRead {
    const now = this.now();
    let entry = this.entries.get(uri);
    if (!entry) {
      this.forgetUnused(now);
      entry = { readAt: 0, usedAt: now, asking: false };
      this.entries.set(uri, entry);
    }
    entry.usedAt = now;
    if (!entry.asking && (!entry.answer || now - entry.readAt > REFRESH_AFTER_MS)) this.fetch(uri, entry);
    return entry.answer ? problemOf(entry.answer, uri, where) : { pending: true };
  }

  private fetch(uri: string, entry: Entry): void {
    entry.asking = true;
    let settled = false;
    const settle = (answer: ReadFileResponse) => {
      if (settled) return;
      settled = true;
      timeout.dispose();
      const changed = !entry.answer || JSON.stringify(entry.answer) !== JSON.stringify(answer);
      entry.answer = answer;
      entry.readAt = this.now();
      entry.asking = false;
      if (changed) this.announce();
    };
    const timeout = this.timer.schedule(() => settle({ error: 'the editor did not answer when asked for the file' }), ANSWER_TIMEOUT_MS);
    this.ask(uri).then(settle, (e: unknown) => settle({ error: e instanceof Error ? e.message : String(e) }));
  }

  /** Answers come in one by one: the plans are analysed once for all that came together. */
  private announce(): void {
    this.announcing ??= this.timer.schedule(() => {
      this.announcing = undefined;
      for (const listener of this.listeners) listener();
    }, 0);
  }

  private forgetUnused(now: number): void {
    for (const [uri, entry] of this.entries) if (!entry.asking && now - entry.usedAt > FORGET_AFTER_MS) this.entries.delete(uri);
  }
}

function problemOf(answer: ReadFileResponse, uri: string, where: string): { text: string } | { problem: string } {
  if ('text' in answer) return answer;
  const shown = shownName(uri);
  if ('error' in answer) return { problem: `${shown}: ${answer.error}` };
  switch (answer.refused) {
    case 'untrusted': return { problem: UNTRUSTED_PROBLEM };
    case 'folder': return { problem: SCAN_REFUSALS.folder(shown) };
    case 'not-file': return { problem: SCAN_REFUSALS.notFile(shown) };
    case 'too-large': return { problem: SCAN_REFUSALS.tooLarge(shown, answer.bytes ?? 0) };
    default: return { problem: SCAN_REFUSALS.outside(where) };
  }
}

/** A file as its user knows it: the path of a local file, else the URI. */
function shownName(uri: string): string {
  if (!uri.startsWith('file:///')) return uri;
  try {
    return decodeURIComponent(uri.slice('file://'.length));
  } catch {
    return uri;
  }
}

/** The folder of a hierarchical URI (`scheme://authority/path`), ending in '/'; undefined for others (untitled:). */
export function folderOf(uri: string): string | undefined {
  const m = /^([a-z][\w+.-]*:\/\/[^/?#]*)(\/[^?#]*)$/i.exec(uri);
  return m ? m[1] + m[2].slice(0, m[2].lastIndexOf('/') + 1) : undefined;
}

/**
 * The URI a scan path names, from the plan's folder (a URI ending in '/'): `.` and `..` resolved (never
 * above the root), `\` read as `/` (plans written on Windows), an absolute path (`/x`, `C:\x`) from the
 * root of the plan's file system, and every segment percent-encoded.
 */
export function resolveScanPath(planFolder: string, written: string): string {
  const root = /^[a-z][\w+.-]*:\/\/[^/]*/i.exec(planFolder)![0];
  const path = written.replace(/\\/g, '/');
  const absolute = path.startsWith('/') || /^[a-z]:\//i.test(path);
  const segments = absolute ? [] : planFolder.slice(root.length).split('/').filter((s) => s !== '');
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(encodeSegment(segment));
  }
  return `${root}/${segments.join('/')}`;
}

/** As VS Code writes URIs: every character but the unreserved ones percent-encoded. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
