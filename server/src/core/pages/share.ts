// The page sharing what-if from a scan result: the share of the memory scanned that identical-page
// sharing saved at one page size, read from the JSON `hvmem pages --format json` prints.
import { formatBytes } from '../units';
import type { PageSizeSharing } from './types';

export type ScanShare =
  | { ok: true; percent: number }
  /** `on`: which value of the plan the problem is about (the file, or the page size asked for) */
  | { ok: false; on: 'scan' | 'pageSize'; message: string };

const NOT_A_SCAN = 'is not a result of `hvmem pages --format json`';

/**
 * The percentage of the scanned memory that sharing saves at `pageSizeBytes`: savedBytes, or with
 * `zeroPages` false savedNonZeroBytes, over pages × page size. Anything that is not a scan result
 * with consistent figures for that page size is refused with a message saying what to do.
 */
export function shareFromScan(text: string, pageSizeBytes: number, zeroPages: boolean): ScanShare {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return { ok: false, on: 'scan', message: `${NOT_A_SCAN}: it is not JSON` };
  }
  const pageSizes = isObject(json) ? json.pageSizes : undefined;
  if (!isObject(pageSizes)) return { ok: false, on: 'scan', message: `${NOT_A_SCAN}: it has no "pageSizes"` };
  if (!(pageSizeBytes > 0)) return { ok: false, on: 'pageSize', message: 'cannot be read at a page size of 0 bytes' };
  const size = formatBytes(pageSizeBytes);
  const entry = pageSizes[String(pageSizeBytes)];
  if (entry === undefined) {
    const present = Object.keys(pageSizes).map(Number).filter((n) => Number.isSafeInteger(n) && n > 0).sort((a, b) => a - b);
    const has = present.length ? `only ${present.map(formatBytes).join(' and ')}` : 'none';
    return { ok: false, on: 'pageSize', message: `has no figures for ${size} pages (it has ${has}): scan again with \`hvmem pages … --page-size ${size.replace(' ', '')} --format json\`` };
  }
  const savedKey: keyof PageSizeSharing = zeroPages ? 'savedBytes' : 'savedNonZeroBytes';
  const figures = isObject(entry) ? { pages: entry.pages, saved: entry[savedKey] } : undefined;
  if (!figures || !isCount(figures.pages) || !isCount(figures.saved)) {
    return { ok: false, on: 'scan', message: `${NOT_A_SCAN}: its ${size} entry lacks "pages" or "${savedKey}"` };
  }
  const scannedBytes = figures.pages * pageSizeBytes;
  if (figures.pages === 0) return { ok: false, on: 'pageSize', message: `scanned no whole ${size} pages, so it says nothing about sharing at that size` };
  if (figures.saved > scannedBytes) return { ok: false, on: 'scan', message: `${NOT_A_SCAN}: it saves more at ${size} (${figures.saved} bytes) than it scanned (${scannedBytes})` };
  return { ok: true, percent: (100 * figures.saved) / scannedBytes };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Why the scan result a plan names is not read, worded once for every adapter: the CLI and the Node
 * server read the file themselves, the web worker asks the editor, and the same refusal reads the same.
 * `where`: the folders a scan may be read from (`scanPlaces`); `shown`: the file as the user knows it.
 */
export const SCAN_REFUSALS = {
  device: (where: string) => `it names a device or a network share; a scan result is read only from a file inside ${where}`,
  outside: (where: string) => `there is no such file inside ${where} (a scan result is read only from there, not through a link out of it)`,
  folder: (shown: string) => `${shown} is a folder`,
  notFile: (shown: string) => `${shown} is not a regular file`,
  tooLarge: (shown: string, bytes: number) => `${shown} has ${bytes} bytes, far more than a scan result (is it a memory image? give the JSON that \`hvmem pages --format json\` prints)`,
};

/** The folders a scan result is read from, as refusals name them. */
export function scanPlaces(withWorkspace: boolean): string {
  return withWorkspace ? "the plan's folder or the workspace" : "the plan's folder";
}

/** Network shares, the Win32 device namespaces and POSIX device and process trees, however written. */
const NETWORK_OR_DEVICE = /^(?:[\\/]{2}|\/(?:dev|proc|sys)(?:\/|$))/i;
/** Names Windows opens as devices in any folder, with any extension (NUL, CON.txt, COM1…). */
const WINDOWS_DEVICE = /(?:^|[\\/])(?:con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(?:\.[^\\/]*)?[\\/]?$/i;

/** Whether a scan path as a plan writes it names a device or a network share on some platform: refused before anything is touched. */
export function namesDeviceOrShare(written: string): boolean {
  return NETWORK_OR_DEVICE.test(written) || WINDOWS_DEVICE.test(written) || written.includes('\0');
}
