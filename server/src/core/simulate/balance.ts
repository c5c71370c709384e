// The Dynamic Memory balancer's share-out for one host: what each running dynamic VM should hold.
// Plain arithmetic over the host's VMs; the engine applies the add and remove rates on top.

/**
 * Gives each VM (by position in `vms`) its goal in `goal`, out of `pool` bytes:
 * everyone's target if it fits; else demand for all and the rest of the buffers shared by weight;
 * else minimums for all and the rest shared by weight up to each one's demand. Whole bytes throughout,
 * so sums stay exact and the result is the same however often it is computed.
 */
export function shareOut(
  vms: ArrayLike<number>, count: number, pool: number,
  minimum: Float64Array, level: Float64Array, target: Float64Array, weight: Float64Array,
  goal: Float64Array, scratch: Scratch,
): void {
  let sumTarget = 0;
  let sumLevel = 0;
  let sumMinimum = 0;
  for (let i = 0; i < count; i++) {
    const v = vms[i];
    sumTarget += target[v];
    sumLevel += level[v];
    sumMinimum += minimum[v];
  }
  if (sumTarget <= pool) {
    for (let i = 0; i < count; i++) goal[vms[i]] = target[vms[i]];
    return;
  }
  const [base, top, rest] = sumLevel <= pool ? [level, target, pool - sumLevel] : [minimum, level, pool - sumMinimum];
  for (let i = 0; i < count; i++) goal[vms[i]] = base[vms[i]];
  if (rest <= 0) return;
  scratch.ensure(count);
  let n = 0;
  for (let i = 0; i < count; i++) {
    const v = vms[i];
    const cap = top[v] - base[v];
    if (cap > 0) { scratch.vm[n] = v; scratch.cap[n] = cap; n++; }
  }
  // Weighted first; what weighted VMs cannot use goes to weight-0 VMs in equal parts.
  const left = fill(scratch, n, rest, weight, goal, true);
  if (left > 0) fill(scratch, n, left, weight, goal, false);
}

/**
 * Water-filling: shares `rest` among the candidates in proportion to weight, each capped at its cap.
 * Whoever the proportional share would overfill gets its cap and leaves the pool, which only raises the
 * share per weight of the others; sweeps repeat until nobody overfills (a few sweeps, no sorting).
 * Returns what is left over when every candidate is full.
 */
function fill(s: Scratch, n: number, rest: number, weight: Float64Array, goal: Float64Array, weighted: boolean): number {
  let m = 0;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    const w = weighted ? weight[s.vm[i]] : weight[s.vm[i]] > 0 ? 0 : 1;
    if (w <= 0) continue;
    s.order[m] = i;
    s.w[m] = w;
    m++;
    totalWeight += w;
  }
  if (m === 0) return rest;
  for (let capped = true; capped && m > 0;) {
    capped = false;
    let kept = 0;
    for (let j = 0; j < m; j++) {
      const i = s.order[j];
      const w = s.w[j];
      if (s.cap[i] * totalWeight <= rest * w) {
        goal[s.vm[i]] += s.cap[i];
        rest -= s.cap[i];
        totalWeight -= w;
        capped = true;
      } else {
        s.order[kept] = i;
        s.w[kept] = w;
        kept++;
      }
    }
    m = kept;
  }
  if (m === 0) return rest;
  // Rounding down leaves a few bytes unshared: whole bytes keep every sum exact.
  for (let j = 0; j < m; j++) goal[s.vm[s.order[j]]] += Math.floor((rest * s.w[j]) / totalWeight);
  return 0;
}

/** Reused work arrays, so a balancer pass allocates nothing in the common case. */
export class Scratch {
  vm = new Int32Array(64);
  cap = new Float64Array(64);
  w = new Float64Array(64);
  order = new Int32Array(64);
  ensure(n: number): void {
    if (this.vm.length >= n) return;
    const size = Math.max(n, this.vm.length * 2);
    this.vm = new Int32Array(size);
    this.cap = new Float64Array(size);
    this.w = new Float64Array(size);
    this.order = new Int32Array(size);
  }
}
