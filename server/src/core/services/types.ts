// Plain data shared by the editor features: what they are given and what they return.
// Offsets and spans as in the rest of the core; the language server turns them into lines.
import type { DetailedFix, Headroom } from '../advise';
import type { PlanDiagnostic } from '../diagnostics';
import type { Analysis } from '../analyze';
import type { MoveReview } from '../simulate/review';
import type { SimulationResult } from '../simulate/types';
import type { Span } from '../text';

/** One plan as the features see it: its text, its analysis, and its simulation when there is one. */
export interface PlanDocument {
  readonly text: string;
  readonly analysis: Analysis;
  /** the scenario's outcome; undefined while the plan has errors or the simulator is not available */
  readonly simulation?: SimulationResult;
  /** on a cluster: what draining each node now would do (by host name), when the plan is small enough to ask */
  readonly drains?: ReadonlyMap<string, MoveReview>;
  /** how many more VMs of a shape each host takes (`hvmem advise`'s headroom), once computed; hosts may be missing */
  readonly headroom?: Headroom;
  /** the verified smallest fixes `hvmem advise` finds for a finding of this text, when the plan is small enough to search */
  advisedFixes?(diagnostic: PlanDiagnostic): readonly DetailedFix[] | undefined;
}

export interface TextEdit { span: Span; newText: string }
