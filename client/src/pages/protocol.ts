// What the extension and the page sharing panel say to each other; the report is `hvmem pages`'s JSON.
import type { PageScanReport } from '../../../server/src/protocol';

export type { PageScanReport };

/** webview → extension */
export type FromPanel =
  | { type: 'ready' }
  /** "Save scan as JSON": the report as `hvmem pages --format json` writes it, where the user chooses */
  | { type: 'saveJson' }
  /** "Use in plan…": point a host of a plan at the scan */
  | { type: 'useInPlan' };

/** extension → webview; `saved`: where the report was last saved, as the user reads it */
export type ToPanel = { type: 'report'; report: PageScanReport; saved?: string };
