// Generated plans for the simulator's invariants: seeded, so a failing plan is regenerated from its seed.

/** A small seeded generator (mulberry32), so a failing plan can be regenerated from its seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generatePlan(seed: number): string {
  const r = random(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];
  const evenMb = (lo: number, hi: number) => 2 * int(lo / 2, hi / 2);
  const hostCount = int(1, 3);
  const cluster = hostCount > 1 && r() < 0.6;
  const hosts = Array.from({ length: hostCount }, (_, i) => ({
    name: `H${i}`,
    memory: `${int(4, 12)}GB`,
    vmOverhead: pick(['standard', 'none']),
    ...(r() < 0.4 ? { volumes: { 'C:': `${int(0, 4096)}MB`, 'D:': `${int(0, 8192)}MB` } } : {}),
  }));
  const duration = int(120, 900);
  const vms = Array.from({ length: int(1, 8) }, (_, i) => {
    const dynamic = r() < 0.7;
    const startup = evenMb(256, 4096);
    const minimum = dynamic ? evenMb(32, startup) : startup;
    const maximum = dynamic ? startup + evenMb(0, 4096) : startup;
    const steps = Array.from({ length: int(0, 3) }, () => ({ at: int(0, duration), memory: `${int(32, maximum)}MB` }));
    return {
      name: `vm${i}`,
      host: pick(hosts).name,
      memory: dynamic ? { dynamic, startup: `${startup}MB`, minimum: `${minimum}MB`, maximum: `${maximum}MB`, buffer: int(5, 100), priority: int(0, 100) } : { startup: `${startup}MB` },
      state: r() < 0.8 ? 'Running' : 'Off',
      automaticStartAction: pick(['Nothing', 'StartIfRunning', 'Start']),
      automaticStartDelay: int(0, 120),
      smartPagingFilePath: pick(['C:\\sp', 'D:\\sp']),
      clusterPriority: pick(['High', 'Medium', 'Low', 'NoAutoStart']),
      bootSeconds: int(0, 90),
      ...(steps.length ? { demand: steps } : {}),
    };
  });
  const types = ['hostRestart', 'vmRestart', 'vmRestart', 'vmStart', 'vmStop', 'demand', ...(cluster ? ['nodeFailure'] : [])];
  const events = Array.from({ length: int(0, 8) }, () => {
    const type = pick(types);
    const at = int(0, duration);
    if (type === 'hostRestart' || type === 'nodeFailure') return { at, type, host: pick(hosts).name };
    const vm = pick(vms);
    if (type === 'demand') return { at, type, vm: vm.name, memory: `${int(32, 8192)}MB` };
    return { at, type, vm: vm.name };
  });
  const plan = {
    hosts,
    ...(cluster ? { cluster: { name: 'CL', rootMemoryReserved: `${evenMb(0, 1024)}MB` } } : {}),
    vms,
    ...(r() < 0.85 ? { scenario: { duration, events } } : {}),
    model: {
      bootSeconds: int(0, 90),
      hostBootSeconds: int(0, 60),
      addRatePerSecond: `${int(1, 512)}MB`,
      removeRatePerSecond: `${int(1, 256)}MB`,
      smartPagingTargetSeconds: int(10, 600),
      smartPagingRequiresMinimum: r() < 0.8,
      ...(r() < 0.2 ? { tickSeconds: pick([0.5, 2, 5]) } : {}),
    },
  };
  return JSON.stringify(plan, null, 2);
}

