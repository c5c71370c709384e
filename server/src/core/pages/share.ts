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
