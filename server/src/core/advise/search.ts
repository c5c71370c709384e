// The search behind numeric fixes: the smallest number of steps (1 GB of host memory, 2 MB of VM
// memory, 1 s of delay, one more VM) that makes a change work, found by trying, never computed by a
// formula that could disagree with the simulation. From a first guess it gallops (1, 2, 4… steps) to a
// bracket, then halves it: the answer works, and one step less was tried and does not.

export interface SearchResult {
  steps: number;
  /** how many trials it took */
  trials: number;
}

/**
 * The smallest n in [1, max] for which `works(n)`, assuming more steps do not hurt (0 steps, the plan as
 * it is, does not work); undefined when even `max` does not. `guess`: where to start (a good guess
 * saves trials; a bad one costs a few).
 */
export function smallestSteps(max: number, works: (n: number) => boolean, guess = 1): SearchResult | undefined {
  if (max < 1) return undefined;
  const tried = new Map<number, boolean>();
  const test = (n: number) => {
    let w = tried.get(n);
    if (w === undefined) tried.set(n, (w = works(n)));
    return w;
  };
  let lo = 0;
  let hi: number;
  const start = Math.max(1, Math.min(max, Math.round(guess)));
  if (test(start)) {
    hi = start;
    for (let step = 1; ; step *= 2) {
      if (hi - step < 1) { lo = 0; break; }
      if (!test(hi - step)) { lo = hi - step; break; }
      hi -= step;
    }
  } else {
    lo = start;
    for (let step = 1; ; step *= 2) {
      const n = Math.min(max, lo + step);
      if (test(n)) { hi = n; break; }
      if (n === max) return undefined;
      lo = n;
    }
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (test(mid)) hi = mid; else lo = mid;
  }
  return { steps: hi, trials: tried.size };
}
