// A small binary min-heap of timed wake-ups, ordered by (tick, seq): ties come out in the order they
// went in, which keeps the simulation deterministic.
export interface Timed { tick: number; seq: number }

export class TimedHeap<T extends Timed> {
  private readonly items: T[] = [];

  get size(): number { return this.items.length; }

  /** The tick of the earliest item, or Infinity. */
  peekTick(): number { return this.items.length ? this.items[0].tick : Infinity; }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }

  /** Removes and returns the earliest item if it is due by `tick`. */
  popDue(tick: number): T | undefined {
    const a = this.items;
    if (a.length === 0 || a[0].tick > tick) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l], a[m])) m = l;
        if (r < a.length && before(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Timed, b: Timed): boolean {
  return a.tick < b.tick || (a.tick === b.tick && a.seq < b.seq);
}
