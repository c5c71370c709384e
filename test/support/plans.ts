// Generated plans for the simulator's invariants: seeded, so a failing plan is regenerated from its seed;
// and the plans several test files share.

/**
 * The book's case of a restart on Smart Paging. 6 GB for VMs: A (static 4 GB) is saved and restored;
 * B (4 GB startup, 1 GB minimum, stop action ShutDown) boots beside it with the 2 GB left, on 2 GB of
 * Smart Paging. 2 GB more host memory, B's startup down to 2 GB, or stop action Save removes it. The
 * comment is there so that fixes can be seen to keep comments.
 */
export const BOOK_CASE = `{
  "hosts": [{ "name": "HV01", "memory": "8GB", "vmOverhead": "none" }],
  "vms": [
    { "name": "A", "memory": { "startup": "4GB" } },
    // the application server
    { "name": "B", "memory": { "dynamic": true, "startup": "4GB", "minimum": "1GB" }, "smartPagingFilePath": "E:\\\\sp", "automaticStopAction": "ShutDown" }
  ]
}`;

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

/** Draws from `r`: a whole number in [lo, hi], one of a list, an even number of MB in [lo, hi]. */
export function draws(r: () => number) {
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];
  const evenMb = (lo: number, hi: number) => 2 * int(lo / 2, hi / 2);
  return { int, pick, evenMb };
}

export function generatePlan(seed: number): string {
  const r = random(seed);
  const { int, pick, evenMb } = draws(r);
  const hostCount = int(1, 3);
  const cluster = hostCount > 1 && r() < 0.6;
  const hosts = Array.from({ length: hostCount }, (_, i) => ({
    name: `H${i}`,
    memory: `${int(4, 12)}GB`,
    vmOverhead: pick(['standard', 'none']),
    ...(r() < 0.4 ? { volumes: { 'C:': `${int(0, 4096)}MB`, 'D:': `${int(0, 8192)}MB` } } : {}),
    ...(r() < 0.2 ? { numaNodes: int(2, 3), numaSpanning: false } : {}),
    ...(cluster && r() < 0.4 ? { maxMigrations: int(1, 3) } : {}),
  }));
  const hostNames = hosts.map((h) => h.name);
  const duration = int(120, 900);
  const vms = Array.from({ length: int(1, 8) }, (_, i) => {
    const dynamic = r() < 0.7;
    const startup = evenMb(256, 4096);
    const minimum = dynamic ? evenMb(32, startup) : startup;
    const maximum = dynamic ? startup + evenMb(0, 4096) : startup;
    const steps = Array.from({ length: int(0, 3) }, () => ({ at: int(0, duration), memory: `${int(32, maximum)}MB` }));
    const host = pick(hosts).name;
    // Cluster placement: possible owners always include the VM's own host (else the plan has an error).
    const owners = cluster && r() < 0.3 ? [host, ...hostNames.filter((h) => h !== host && r() < 0.5)] : undefined;
    return {
      name: `vm${i}`,
      host,
      ...(owners ? { possibleOwners: owners } : {}),
      ...(cluster && r() < 0.2 ? { preferredOwners: [pick(hostNames)] } : {}),
      ...(cluster && r() < 0.3 ? { antiAffinityClass: pick(['SQL', 'DC', ['SQL', 'DC']]) } : {}),
      automaticStopAction: pick(['Save', 'Save', 'ShutDown', 'TurnOff']),
      configurationPath: pick(['C:\\vms', 'D:\\vms']),
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
  const types = ['hostRestart', 'vmRestart', 'vmRestart', 'vmStart', 'vmStop', 'demand', 'vmResize',
    ...(hostCount > 1 ? ['vmMigrate'] : []), ...(cluster ? ['nodeFailure', 'nodeDrain', 'nodeDrain', 'nodeResume', 'clusterUpdate'] : [])];
  const events = Array.from({ length: int(0, 8) }, () => {
    const type = pick(types);
    const at = int(0, duration);
    if (type === 'hostRestart' || type === 'nodeFailure' || type === 'nodeDrain') return { at, type, host: pick(hosts).name };
    if (type === 'nodeResume') return { at, type, host: pick(hosts).name, failback: r() < 0.7 };
    if (type === 'clusterUpdate') return { at, type, ...(r() < 0.5 ? { nodes: hostNames.filter(() => r() < 0.7) } : {}) };
    const vm = pick(vms);
    if (type === 'demand') return { at, type, vm: vm.name, memory: `${int(32, 8192)}MB` };
    if (type === 'vmMigrate') return { at, type, vm: vm.name, host: pick(hostNames), moveType: pick(['live', 'quick']) };
    if (type === 'vmResize') {
      const which = pick(['startup', 'minimum', 'maximum']);
      return { at, type, vm: vm.name, [which]: `${evenMb(32, 8192)}MB` };
    }
    return { at, type, vm: vm.name };
  });
  const plan = {
    hosts,
    ...(cluster ? { cluster: { name: 'CL', rootMemoryReserved: `${evenMb(0, 3072)}MB`, moveTypeThreshold: pick(['High', 'Medium', 'Low']), enforcedAntiAffinity: r() < 0.3 } } : {}),
    vms,
    ...(r() < 0.85 ? { scenario: { duration, events } } : {}),
    model: {
      bootSeconds: int(0, 90),
      hostBootSeconds: int(0, 60),
      addRatePerSecond: `${int(1, 512)}MB`,
      removeRatePerSecond: `${int(1, 256)}MB`,
      smartPagingTargetSeconds: int(10, 600),
      smartPagingRequiresMinimum: r() < 0.8,
      saveRestoreBytesPerSecond: `${int(64, 2048)}MB`,
      migrationBytesPerSecond: `${int(128, 4096)}MB`,
      clusterRetrySeconds: int(5, 120),
      ...(r() < 0.2 ? { tickSeconds: pick([0.5, 2, 5]) } : {}),
    },
  };
  return JSON.stringify(plan, null, 2);
}

