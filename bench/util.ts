// Timing helpers for benchmarks: best-of-n wall time, so a noisy shared machine disturbs less.
export function timeBest(fn: () => void, runs = 5): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** timeBest for work that awaits (a language service, a server process). */
export async function timeBestAsync(fn: () => Promise<void>, runs = 5): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export function ratio(ms: number, baselineMs: number): string {
  return `${(ms / baselineMs).toFixed(2)}x`;
}

export function row(label: string, ms: number, baselineMs?: number, note = ''): void {
  const r = baselineMs === undefined ? '' : `  ${ratio(ms, baselineMs)} of baseline`;
  console.log(`  ${label.padEnd(52)} ${ms.toFixed(1).padStart(9)} ms${r}${note ? `  ${note}` : ''}`);
}
