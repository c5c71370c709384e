// The result of a page sharing scan: the JSON that `hvmem pages --format json` prints and the editor's
// panel draws. Sizes are bytes; page sizes are keyed by their size in bytes as a string ("4096").

/** What identical-page sharing would save at one page size, over every image scanned together. */
export interface PageSizeSharing {
  /** whole pages scanned (a trailing partial page is ignored) */
  pages: number;
  /** pages whose bytes are all zero */
  zeroPages: number;
  /** different contents among the pages (all zero pages are one content) */
  distinctPages: number;
  /** (pages - distinctPages) × page size: what keeping one copy per content saves */
  savedBytes: number;
  /** the same, zero pages left out: what sharing saves beyond reclaiming zero pages */
  savedNonZeroBytes: number;
  /** the part of savedBytes found inside each image on its own (one VM sharing with itself) */
  savedWithinBytes: number;
  /** the rest of savedBytes: copies that only another image holds */
  savedAcrossBytes: number;
  /** different contents whose 64-bit hash equals that of an earlier content (caught by the byte comparison) */
  hashCollisions: number;
}

/** One image's own numbers at one page size. */
export interface ImagePageSharing {
  pages: number;
  zeroPages: number;
  /** what sharing inside this image alone would save */
  savedWithinBytes: number;
}

export interface ImageSharing {
  /** a file path, or "pid N (command)" for a process: given by whoever fed the scanner */
  name: string;
  /** bytes handed to the scanner for this image */
  bytes: number;
  pageSizes: Record<string, ImagePageSharing>;
}

export interface PageSharingResult {
  pageSizes: Record<string, PageSizeSharing>;
  images: ImageSharing[];
}
