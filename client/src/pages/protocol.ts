// What the extension and the page sharing panel say to each other; the report is `hvmem pages`'s JSON.
import type { ImageSharing, PageSharingResult } from '../../../server/src/core/pages/types';

export type PageSharingReport = Omit<PageSharingResult, 'images'> & { images: (ImageSharing & { kind: 'file' | 'process'; pid?: number })[] };

/** webview → extension */
export type FromPanel = { type: 'ready' };
/** extension → webview */
export type ToPanel = { type: 'report'; report: PageSharingReport };
