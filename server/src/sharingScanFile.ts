// Reading the page sharing scan result a plan names (a host's "pageSharing": { "scan": … }), for the
// adapters that know where the plan is: the CLI (the plan file's folder) and the language server (the
// document's folder, and the workspace's). The core gets the text through ReadOptions.readSharingScan.
//
// A plan can come from anywhere (a cloned repository), so the path it writes is not trusted: it must
// name a regular file inside the plan's folder tree (or a workspace folder) once links are followed,
// devices and network paths are refused on every platform before anything is touched, the file is
// opened without blocking and checked on the open handle, and at most MAX_SCAN_BYTES are read. Every
// refusal about a place outside those folders says the same, so a plan cannot probe what is there.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { namesDeviceOrShare, SCAN_REFUSALS, scanPlaces } from './core/pages/share';
import type { ReadOptions } from './core/read';
import { MAX_SCAN_BYTES } from './protocol';

export interface ScanReadOptions {
  /** the plan file's folder: a relative path starts here */
  planFolder: string;
  /** further folders whose files a plan may name (the editor's workspace folders) */
  workspaceFolders?: readonly string[];
}

type Reader = NonNullable<ReadOptions['readSharingScan']>;

const REAL_DEVICE_TREE = /^\/(?:dev|proc|sys)(?:\/|$)/;

export function sharingScanReader(options: ScanReadOptions): Reader {
  const { planFolder } = options;
  const folders = [planFolder, ...(options.workspaceFolders ?? [])];
  const where = scanPlaces(folders.length > 1);
  const outside = { problem: SCAN_REFUSALS.outside(where) };
  let realFolders: string[] | undefined;
  return (written) => {
    if (namesDeviceOrShare(written)) return { problem: SCAN_REFUSALS.device(where) };
    const file = resolve(planFolder, written);
    // Outside every folder as written: refused without a look, so nothing about the place shows.
    if (!folders.some((f) => inside(resolve(f), file))) return outside;
    realFolders ??= folders.flatMap((f) => { try { return [realpathSync(f)]; } catch { return []; } });
    let real: string;
    try {
      real = realpathSync(file);
    } catch {
      return outside;
    }
    if (REAL_DEVICE_TREE.test(real) || !realFolders.some((f) => inside(f, real))) return outside;
    return readBounded(real, file);
  };
}

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Opens without following a last link (the path is already resolved) and without blocking (a FIFO
 * would wait for a writer), then checks on the handle that it is a regular file of a scan's size.
 */
function readBounded(real: string, shown: string): { text: string } | { problem: string } {
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { problem: `${shown}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ELOOP' ? 'it is a link' : (e as Error).message}` };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { problem: SCAN_REFUSALS.folder(shown) };
    if (!stat.isFile()) return { problem: SCAN_REFUSALS.notFile(shown) };
    if (stat.size > MAX_SCAN_BYTES) return { problem: SCAN_REFUSALS.tooLarge(shown, stat.size) };
    // The file can grow after fstat: the read stops one byte past the limit, whatever fstat said.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, MAX_SCAN_BYTES + 1 - length));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      length += n;
      if (length > MAX_SCAN_BYTES) return { problem: `${shown} has grown past ${MAX_SCAN_BYTES} bytes, far more than a scan result` };
    }
    return { text: Buffer.concat(chunks, length).toString('utf8') };
  } catch (e) {
    return { problem: `${shown}: ${(e as Error).message}` };
  } finally {
    closeSync(fd);
  }
}
