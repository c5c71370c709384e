// "Use in plan" without the editor: which hosts a plan names, where a scan file sits relative to the
// plan, and the text edit that points a host's `pageSharing` at it. The plan reads a scan only from
// its own folder tree, so a path that leaves it is refused here already.
import { findNodeAtLocation, modify, parseTree, type Edit } from 'jsonc-parser';
import { dirname, isAbsolute, relative, sep } from 'node:path';

/** The names of the plan's hosts, in order (a host without a name is skipped, its index kept). */
export function planHosts(text: string): { name: string; index: number }[] {
  const hosts = findNodeAtLocation(parseTree(text, [], { allowTrailingComma: true }) ?? { type: 'null', offset: 0, length: 0 }, ['hosts']);
  return (hosts?.children ?? []).flatMap((host, index) => {
    const name = findNodeAtLocation(host, ['name'])?.value;
    return typeof name === 'string' ? [{ name, index }] : [];
  });
}

/** The scan's path as the plan writes it: relative to the plan's folder, with '/'; undefined if outside it. */
export function scanPathInPlan(planFile: string, scanFile: string): string | undefined {
  const path = relative(dirname(planFile), scanFile);
  if (!path || path.startsWith('..') || isAbsolute(path)) return undefined;
  return path.split(sep).join('/');
}

/** "4KB", "2MB": a page size as plans write sizes. */
export function pageSizeText(bytes: number): string {
  for (const [unit, size] of [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]] as const) if (bytes % size === 0) return `${bytes / size}${unit}`;
  return String(bytes);
}

/** The edits that set the host's `pageSharing` to the scan at one page size, keeping the rest of the text. */
export function pageSharingEdits(text: string, hostIndex: number, scanPath: string, pageSizeBytes: number): Edit[] {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return modify(text, ['hosts', hostIndex, 'pageSharing'], { scan: scanPath, pageSize: pageSizeText(pageSizeBytes) }, {
    formattingOptions: { insertSpaces: true, tabSize: 2, eol },
  });
}
