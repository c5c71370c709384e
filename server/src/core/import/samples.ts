// Measured demand: the inventory's memory samples (the "Hyper-V Dynamic Memory VM" counters Physical
// Memory and Current Pressure) as the guest's demand. Pressure is demand / assigned x 100, so each
// sample's demand is physical memory x pressure / 100. A plan takes one size (a percentile, p95 by
// default: averages hide the peaks that put VMs on Smart Paging) or the measured steps.
import { formatBytes, MB } from '../units';

export type DemandChoice = { kind: 'percentile'; percentile: number } | { kind: 'steps' };

export const DEFAULT_DEMAND: DemandChoice = { kind: 'percentile', percentile: 95 };

/** `p95`, `p50`, `max` (p100) or `steps`; undefined when the text is none of them. */
export function parseDemandChoice(text: string): DemandChoice | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'steps') return { kind: 'steps' };
  if (t === 'max') return { kind: 'percentile', percentile: 100 };
  const m = /^p(\d{1,3}(?:\.\d+)?)$/.exec(t);
  if (!m) return undefined;
  const p = Number(m[1]);
  return p > 0 && p <= 100 ? { kind: 'percentile', percentile: p } : undefined;
}

export interface MeasuredDemand {
  bytes?: number;
  steps?: { atSeconds: number; bytes: number }[];
  /** says what the value is, for the VM's comment */
  description: string;
}

/** The nearest-rank percentile: the smallest sample with at least p % of the samples at or below it. */
export function nearestRank(sorted: number[], percentile: number): number {
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length));
  return sorted[rank - 1];
}

const wholeMb = (bytes: number) => Math.ceil(bytes / MB) * MB;

/** Demand per sample, rounded up to whole MB; samples with no pressure (no reading) are dropped. */
export function demandOf(physicalBytes: number[], pressurePercent: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(physicalBytes.length, pressurePercent.length); i++) {
    if (pressurePercent[i] > 0 && physicalBytes[i] > 0) out.push(wholeMb((physicalBytes[i] * pressurePercent[i]) / 100));
  }
  return out;
}

export function measuredDemand(demand: number[], intervalSeconds: number, startedAt: string | undefined, choice: DemandChoice): MeasuredDemand {
  const window = `${demand.length} sample(s) of physical memory x pressure every ${intervalSeconds} s${startedAt ? ` from ${startedAt}` : ''}`;
  const sorted = [...demand].sort((a, b) => a - b);
  const peak = `highest ${formatBytes(sorted[sorted.length - 1])}, median ${formatBytes(nearestRank(sorted, 50))}`;
  if (choice.kind === 'steps') {
    const steps: { atSeconds: number; bytes: number }[] = [];
    demand.forEach((bytes, i) => { if (steps.length === 0 || steps[steps.length - 1].bytes !== bytes) steps.push({ atSeconds: i * intervalSeconds, bytes }); });
    return { steps, description: `demand is measured: ${steps.length} step(s) from ${window}, on the scenario clock from its start (${peak})` };
  }
  const bytes = nearestRank(sorted, choice.percentile);
  const name = choice.percentile === 100 ? 'the highest' : `the ${choice.percentile}th percentile (nearest rank)`;
  return { bytes, description: `demand ${formatBytes(bytes)} is ${name} of ${window} (${peak})` };
}
