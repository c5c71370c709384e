// The simulator's entry point. Contract for every caller (CLI, language server, panel):
//   simulate(plan) → SimulationResult   (types.ts), deterministic, pure.
import type { Plan } from '../plan';
import type { SimulationResult } from './types';

export type { SimulationResult } from './types';

export function simulate(_plan: Plan): SimulationResult {
  throw new Error('the simulator is not built yet');
}
