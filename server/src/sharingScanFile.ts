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
import type { ReadOptions } from './core/read';

/** `hvmem pages` results are a few KB; anything far larger was named by mistake (a memory image?). */
export const MAX_SCAN_BYTES = 4 * 1024 * 1024;

export interface ScanReadOptions {
  /** the plan file's folder: a relative path starts here */
  planFolder: string;
  /** further folders whose files a plan may name (the editor's workspace folders) */
  workspaceFolders?: readonly string[];
}

type Reader = NonNullable<ReadOptions['readSharingScan']>;

/** Network shares, the Win32 device namespaces and POSIX device and process trees, however written. */
const NETWORK_OR_DEVICE = /^(?:[\\/]{2}|\/(?:dev|proc|sys)(?:\/|$))/i;
/** Names Windows opens as devices in any folder, with any extension (NUL, CON.txt, COM1…). */
const WINDOWS_DEVICE = /(?:^|[\\/])(?:con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(?:\.[^\\/]*)?[\\/]?$/i;
const REAL_DEVICE_TREE = /^\/(?:dev|proc|sys)(?:\/|$)/;

export function sharingScanReader(options: ScanReadOptions): Reader {
  const { planFolder } = options;
  const folders = [planFolder, ...(options.workspaceFolders ?? [])];
  const where = folders.length > 1 ? "the plan's folder or the workspace" : "the plan's folder";
  const outside = { problem: `there is no such file inside ${where} (a scan result is read only from there, not through a link out of it)` };
  let realFolders: string[] | undefined;
  return (written) => {
    if (NETWORK_OR_DEVICE.test(written) || WINDOWS_DEVICE.test(written) || written.includes('\0')) return { problem: `it names a device or a network share; a scan result is read only from a file inside ${where}` };
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
    if (stat.isDirectory()) return { problem: `${shown} is a folder` };
    if (!stat.isFile()) return { problem: `${shown} is not a regular file` };
    if (stat.size > MAX_SCAN_BYTES) return { problem: `${shown} has ${stat.size} bytes, far more than a scan result (is it a memory image? give the JSON that \`hvmem pages --format json\` prints)` };
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
