// Page sharing analysis: what identical-page sharing would save on real memory (docs/page-sharing.md).
export { PageScanner, checkPageSize, MIN_PAGE_SIZE, MAX_PAGE_SIZE, MAX_IMAGES } from './scan';
export type { PageReader, PageScanOptions } from './scan';
export { pageHash64, type PageHash } from './hash';
export type { PageSharingResult, PageSizeSharing, ImageSharing, ImagePageSharing } from './types';
