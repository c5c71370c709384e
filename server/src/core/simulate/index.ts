// The simulator's entry point. Contract for every caller (CLI, language server, panel):
//   simulate(plan) → SimulationResult   (types.ts), deterministic, pure.
// Plans too large to simulate are refused with a SimulationRefused error; `simulationRefusal(plan)`
// says so beforehand, for callers that prefer a message to an exception.
import type { Plan } from '../plan';
import { Engine, type EngineOptions } from './engine';
import type { SimulationResult } from './types';

export type { SimulationResult } from './types';
export type { EngineOptions as SimulateOptions } from './engine';

/** Most balancer ticks in one run: about 115 days at 1 s ticks. */
export const MAX_TICKS = 10_000_000;
/** Most VM-steps (VMs × ticks) in one run: 8,000 VMs for 24 hours at 1 s ticks is 6.9 × 10^8. */
export const MAX_VM_STEPS = 1_000_000_000;

export class SimulationRefused extends Error {}

/** Why the plan is too large to simulate, or undefined when it is not. */
export function simulationRefusal(plan: Plan): string | undefined {
  const ticks = Math.floor(plan.scenario.durationSeconds / plan.model.tickSeconds) + 1;
  if (ticks > MAX_TICKS) {
    return `the scenario is ${ticks.toExponential(2)} ticks long (duration / model.tickSeconds); the simulator stops at ${MAX_TICKS.toExponential(0)}: shorten scenario.duration or lengthen model.tickSeconds`;
  }
  const steps = ticks * Math.max(1, plan.vms.length);
  if (steps > MAX_VM_STEPS) {
    return `${plan.vms.length} VMs × ${ticks} ticks is ${steps.toExponential(2)} VM-steps; the simulator stops at ${MAX_VM_STEPS.toExponential(0)}: simulate fewer VMs or a shorter scenario, or lengthen model.tickSeconds`;
  }
  return undefined;
}

export function simulate(plan: Plan, options: EngineOptions = {}): SimulationResult {
  const refusal = simulationRefusal(plan);
  if (refusal) throw new SimulationRefused(refusal);
  return new Engine(plan, options).run();
}
