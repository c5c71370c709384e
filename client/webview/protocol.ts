// Messages between the extension and the timeline webview, declared once and typed on both sides.
// The extension computes the views (model.ts) so only what is drawn crosses the boundary.
import type { AdviceView } from './adviceModel';
import type { HostView, Overview, VmRow, VmView } from './model';

export const TIMELINE_VIEW_TYPE = 'hvmem.timeline';
/** The element of the standalone page (`hvmem simulate --html`) that holds the result as JSON. */
export const RESULT_ELEMENT_ID = 'hvmem-result';

export type ToWebview =
  /** a new good simulation: the overview (hosts, table) and the first host's view */
  | { type: 'result'; documentUri: string; overview: Overview; view: HostView | null }
  | { type: 'hostView'; view: HostView }
  /** every table row, asked for once the first paint is done (the result carries only the first) */
  | { type: 'rows'; rows: VmRow[] }
  | { type: 'vmView'; view: VmView }
  /** the plan cannot be simulated now; the page keeps showing the last good result with a banner.
   * An empty list clears the banner. */
  | { type: 'errors'; errors: string[] }
  /** a simulation is running (shown when it takes long enough to notice) */
  | { type: 'busy'; busy: boolean }
  /** the Advice section: being worked out (with progress), the advice of the simulation shown, or why there is none */
  | { type: 'advice'; advice: AdviceView };

export type FromWebview =
  /** the page has loaded and listens: nothing is posted before this */
  | { type: 'ready' }
  | { type: 'selectHost'; host: string }
  | { type: 'selectVm'; vm: string }
  | { type: 'allRows' }
  | { type: 'reveal'; vm: string }
  /** save an export; png: a data: URL, csv: the text */
  | { type: 'export'; format: 'png' | 'csv'; fileName: string; data: string }
  /** apply the fix of the Advice section with this id (AdviceFixView.id) to the plan */
  | { type: 'applyFix'; fix: string };

/** What the page keeps across reloads (webview state), and the serializer reads to restore the panel. */
export interface TimelineState {
  documentUri?: string;
  host?: string;
}
