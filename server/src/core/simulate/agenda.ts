// What is due when: a binary min-heap of wake-ups ordered by (tick, phase, seq). The phase fixes the
// order of different kinds of work within one tick (docs/simulation.md, "Clock"); ties within a phase
// come out in the order they went in, which keeps the simulation deterministic.

/** The order of work within a tick, after the balancer pass (the demand steps and the scenario's events come after OverTarget). */
export const Phase = {
  /** Smart Paging target checks */
  OverTarget: 0,
  /** saves, restores and migrations that end now */
  TransferDone: 1,
  /** hosts coming back from a restart */
  HostUp: 2,
  /** boots ending */
  BootEnd: 3,
  /** automatic starts and restores, in due time then plan order */
  AutoStart: 4,
  /** the cluster's turn: queued migrations, drains and rolling updates going on, VMs waiting for a node */
  Cluster: 5,
} as const;
export type Phase = typeof Phase[keyof typeof Phase];

interface Item { tick: number; phase: Phase; seq: number; run: () => void }

export class Agenda {
  private readonly items: Item[] = [];
  private seq = 0;

  get size(): number { return this.items.length; }

  /** The tick of the earliest item, or Infinity. */
  peekTick(): number { return this.items.length ? this.items[0].tick : Infinity; }

  at(tick: number, phase: Phase, run: () => void): void {
    const a = this.items;
    a.push({ tick, phase, seq: this.seq++, run });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }

  /** Runs, in order, everything due by `tick` in phases up to `phase`; work it adds for now runs too. */
  runDue(tick: number, phase: Phase): void {
    for (;;) {
      const top = this.items[0];
      if (!top || top.tick > tick || (top.tick === tick && top.phase > phase)) return;
      this.pop();
      top.run();
    }
  }

  clear(): void {
    this.items.length = 0;
  }

  /** What is due now, and a function that puts it back (SimState.snapshot). */
  snapshot(): () => void {
    const items = this.items.slice();
    const seq = this.seq;
    return () => {
      this.items.length = 0;
      this.items.push(...items);
      this.seq = seq;
    };
  }

  private pop(): void {
    const a = this.items;
    const last = a.pop()!;
    if (!a.length) return;
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
}

function before(a: Item, b: Item): boolean {
  return a.tick < b.tick || (a.tick === b.tick && (a.phase < b.phase || (a.phase === b.phase && a.seq < b.seq)));
}
