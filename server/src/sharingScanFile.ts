// Reading the page sharing scan result a plan names (a host's "pageSharing": { "scan": … }), for the
// adapters that know where the plan is: the CLI (the plan file's folder) and the language server (the
// document's folder, for file: URIs). The core gets the text through ReadOptions.readSharingScan.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ReadOptions } from './core/read';

/** `hvmem pages` results are a few KB; anything far larger was named by mistake (a memory image?). */
const MAX_SCAN_BYTES = 4 * 1024 * 1024;

/** A reader for scan results whose relative paths start from `planFolder`. */
export function sharingScanReader(planFolder: string): NonNullable<ReadOptions['readSharingScan']> {
  return (path) => {
    const file = resolve(planFolder, path);
    try {
      const stat = statSync(file);
      if (stat.isDirectory()) return { problem: `${file} is a folder` };
      if (stat.size > MAX_SCAN_BYTES) return { problem: `${file} has ${stat.size} bytes, far more than a scan result (is it a memory image? give the JSON that \`hvmem pages --format json\` prints)` };
      return { text: readFileSync(file, 'utf8') };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message;
      return { problem: `${file}: ${why}` };
    }
  };
}
