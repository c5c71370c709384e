// Custom requests between the extension client and the language server, declared once and typed.
// Both sides import this file; it holds only names and plain data types.
import type { SimulationResult } from './core/simulate/types';

/** hvmem/simulate: run the plan's scenario for an open document. */
export const SIMULATE_METHOD = 'hvmem/simulate';
export interface SimulateParams { uri: string }
export type SimulateResponse =
  | { ok: true; version: number; result: SimulationResult }
  /** the plan has errors (or cannot be simulated): `errors` says which, one line each */
  | { ok: false; version: number; errors: string[] };

/**
 * hvmem/workspaceTrust: the workspace became trusted (VS Code's restricted mode ended). Until then the
 * server reads no file beside a plan; the initialization option `workspaceTrusted` gives the state at
 * start (absent: trusted, as for editors without restricted mode).
 */
export const WORKSPACE_TRUST_NOTIFICATION = 'hvmem/workspaceTrust';
export interface WorkspaceTrustParams { trusted: boolean }

/** Command ids shared by the client, code lenses and tests. */
export const COMMANDS = {
  /** open the timeline panel for a plan; argument: the document URI as a string (optional: active editor) */
  showTimeline: 'hvmem.showTimeline',
  /** reveal a VM or host in its plan; arguments: uri string, name */
  revealInPlan: 'hvmem.revealInPlan',
} as const;
