// The Dynamic Memory balancer, per pool: each pass works out every balanced VM's goal (balance.ts's
// share-out) and moves each towards it within the add and remove rates. Memory backed by a Smart
// Paging file leaves as soon as possible: ballooned out first when the VM is above its goal, and
// replaced by physical memory whenever the pool has free memory.
import { shareOut, Scratch } from './balance';
import { endSmartPaging } from './starts';
import type { SimState } from './state';

export class Balancer {
  private readonly scratch = new Scratch();
  private readonly list: Int32Array;
  /** what each VM's balloon gave back, and its hot-add spent replacing Smart Paging memory, this pass */
  private readonly ballooned: Float64Array;
  private readonly replaced: Float64Array;
  private spare: number[] = [];
  private readonly removeStep: number;
  private readonly addStep: number;

  constructor(private readonly s: SimState) {
    this.list = new Int32Array(s.vmCount);
    this.ballooned = new Float64Array(s.vmCount);
    this.replaced = new Float64Array(s.vmCount);
    this.removeStep = Math.floor(s.plan.model.removeRatePerSecond * s.dt);
    this.addStep = Math.floor(s.plan.model.addRatePerSecond * s.dt);
  }

  /** The pass covering the tick just past, for every pool with something to do (`all`: every pool). */
  pass(k: number, all: boolean): void {
    const s = this.s;
    if (all) {
      for (let p = 0; p < s.poolCount; p++) if (!s.failed[s.poolHost[p]]) this.fullPass(p, k);
      return;
    }
    // The dirty list is swapped for a spare one: pools still busy after their pass go on the new list.
    const pools = s.dirty;
    s.dirty = this.spare;
    this.spare = pools;
    for (const p of pools) {
      s.inDirty[p] = 0;
      if (s.failed[s.poolHost[p]]) continue;
      if (s.needsFull[p]) this.fullPass(p, k);
      else this.applyMoves(p, k);
      if (s.needsFull[p] || s.moving[p].length) { s.inDirty[p] = 1; s.dirty.push(p); }
    }
    pools.length = 0;
  }

  /** The goals of the pool's balanced VMs, right now, into s.goal; returns how many, listed in `list`. */
  shareOut(p: number): number {
    const s = this.s;
    const list = this.list;
    let n = 0;
    let held = 0;
    let smartPaging = 0;
    for (const v of s.poolVms[p]) {
      if (!s.balanced(v)) continue;
      list[n++] = v;
      held += s.physical[v];
      smartPaging += s.smartPaging[v];
    }
    // Smart Paging memory is the VM's too: it counts towards what the VM holds, and leaves only as the
    // balancer replaces or balloons it.
    const fixed = s.poolOverhead[p] + s.poolIncoming[p] + (s.poolPhysical[p] - held);
    shareOut(list, n, s.capacity[p] - fixed + smartPaging, s.minimum, s.level, s.target, s.weight, s.goal, this.scratch);
    return n;
  }

  private fullPass(p: number, k: number): void {
    const s = this.s;
    s.needsFull[p] = 0;
    const n = this.shareOut(p);
    const moving = s.moving[p];
    moving.length = 0;
    for (let i = 0; i < n; i++) {
      const v = this.list[i];
      if (s.physical[v] + s.smartPaging[v] !== s.goal[v] || s.smartPaging[v] > 0) moving.push(v);
    }
    if (moving.length) this.applyMoves(p, k);
  }

  /**
   * One pass of the rates for the pool's moving VMs, in three rounds: the balloon gives back what is
   * above the goal (Smart Paging memory first); then, out of what is left of each VM's balloon and
   * hot-add steps, file-backed memory is replaced by free physical memory; then VMs below their goal
   * grow from free memory, in the order they came to the pool.
   */
  private applyMoves(p: number, k: number): void {
    const s = this.s;
    const moving = s.moving[p];
    let changedAny = false;
    for (const v of moving) {
      const excess = s.physical[v] + s.smartPaging[v] - s.goal[v];
      if (excess <= 0) continue;
      const out = Math.min(excess, this.removeStep);
      if (out <= 0) continue;
      this.ballooned[v] = out;
      const fromFile = Math.min(s.smartPaging[v], out);
      s.smartPaging[v] -= fromFile;
      s.poolSmartPaging[p] -= fromFile;
      s.physical[v] -= out - fromFile;
      s.poolPhysical[p] -= out - fromFile;
      changedAny = true;
      s.onChange(v, true);
      if (fromFile > 0) {
        // The pool counts Smart Paging memory: once it shrinks, the shares must be worked out again.
        s.needsFull[p] = 1;
        if (s.smartPaging[v] === 0) endSmartPaging(s, v, k);
      }
    }
    for (const v of moving) {
      const ballooned = this.ballooned[v];
      this.ballooned[v] = 0;
      if (s.smartPaging[v] <= 0) continue;
      const replace = Math.min(s.smartPaging[v], this.removeStep - ballooned, this.addStep, s.free(p));
      if (replace <= 0) continue;
      this.replaced[v] = replace;
      s.smartPaging[v] -= replace;
      s.poolSmartPaging[p] -= replace;
      s.physical[v] += replace;
      s.poolPhysical[p] += replace;
      changedAny = true;
      // The pool counted the file-backed memory; now physical memory holds it: shares change.
      s.needsFull[p] = 1;
      s.onChange(v, true);
      if (s.smartPaging[v] === 0) endSmartPaging(s, v, k);
    }
    for (const v of moving) {
      const budget = this.addStep - this.replaced[v];
      this.replaced[v] = 0;
      const short = s.goal[v] - s.physical[v] - s.smartPaging[v];
      if (short <= 0) continue;
      const add = Math.min(short, budget, s.free(p));
      if (add <= 0) continue;
      s.physical[v] += add;
      s.poolPhysical[p] += add;
      changedAny = true;
      s.onChange(v, true);
    }
    s.notePeak(s.poolHost[p]);
    let w = 0;
    // A pass that changed nothing would change nothing again until an input changes (which asks for a
    // full pass), so the pool can rest.
    if (changedAny) for (const v of moving) if (s.physical[v] + s.smartPaging[v] !== s.goal[v] || s.smartPaging[v] > 0) moving[w++] = v;
    moving.length = w;
  }
}
