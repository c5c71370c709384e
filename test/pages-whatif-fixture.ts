// The page sharing what-if's test plan and a scan result for it, shared by the core, CLI and
// language server tests.
import type { PageSharingResult, PageSizeSharing } from '../server/src/core/pages';
import { MB } from '../server/src/core/units';

// 4 GB host, 2 GB reserve: 2 GB for VMs, no overhead. "app" holds its 512 MB minimum and restarts at
// t = 10 needing 1 GB; "filler" (static) holds the other 1.5 GB, so without sharing the restart takes
// 512 MB from a Smart Paging file (the book's case). `pageSharing` is inserted as written.
export const plan = (pageSharing?: string) => `{
  "hosts": [{ "name": "HV01", "memory": "4GB", "vmOverhead": "none"${pageSharing === undefined ? '' : `, "pageSharing": ${pageSharing}`} }],
  "vms": [
    { "name": "app", "memory": { "dynamic": true, "startup": "1GB", "minimum": "512MB", "maximum": "4GB" }, "demand": "400MB" },
    { "name": "filler", "memory": { "startup": "1536MB" } }
  ],
  "scenario": { "duration": "5m", "events": [{ "at": 10, "type": "vmRestart", "vm": "app" }] }
}`;

/** The figures of one page size, the derived ones computed as `hvmem pages` defines them. */
function figures(pageSize: number, pages: number, zeroPages: number, zeroCopiesSaved: number, otherCopiesSaved: number): PageSizeSharing {
  const savedPages = zeroCopiesSaved + otherCopiesSaved;
  return {
    pages, zeroPages, distinctPages: pages - savedPages,
    savedBytes: savedPages * pageSize, savedNonZeroBytes: otherCopiesSaved * pageSize,
    savedWithinBytes: savedPages * pageSize, savedAcrossBytes: 0, hashCollisions: 0,
  };
}

/**
 * 1 GB scanned. At 4 KB a quarter of it is saved, mostly zero pages (57,344 of the 65,536 pages
 * saved): enough to avoid the restart's Smart Paging. Beyond zero pages, and at 2 MB (16 of 512
 * large pages), 3.125 %: not enough.
 */
export function scanResult(): PageSharingResult {
  return {
    pageSizes: {
      4096: figures(4096, 262_144, 57_345, 57_344, 8_192),
      [2 * MB]: figures(2 * MB, 512, 0, 0, 16),
    },
    images: [{ name: 'vm1.bin', bytes: 1024 * MB, pageSizes: {
      4096: { pages: 262_144, zeroPages: 57_345, savedWithinBytes: 65_536 * 4096 },
      [2 * MB]: { pages: 512, zeroPages: 0, savedWithinBytes: 16 * 2 * MB },
    } }],
  };
}

/** The share in percent a page size of a scan gives, by the definition in docs/page-sharing.md. */
export function sharePercent(scan: PageSharingResult, pageSize: number, zeroPages = true): number {
  const f = scan.pageSizes[pageSize];
  return (100 * (zeroPages ? f.savedBytes : f.savedNonZeroBytes)) / (f.pages * pageSize);
}
