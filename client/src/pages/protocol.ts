// What the extension and the page sharing panel say to each other; the report is `hvmem pages`'s JSON.
import type { PageScanReport } from '../../../server/src/protocol';

export type { PageScanReport };

/** webview → extension */
export type FromPanel = { type: 'ready' };
/** extension → webview */
export type ToPanel = { type: 'report'; report: PageScanReport };
