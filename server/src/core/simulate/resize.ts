// Runtime resize (vmResize, Windows Server 2016 and later): a running static generation-2 VM gets a new
// memory size, of which only memory the guest does not use can be taken away; a Dynamic Memory VM gets a
// new minimum or maximum, neither of which may cross what it holds while it runs. A VM that is off takes
// any valid setting. What Hyper-V refuses is reported (vmResizeFailed), and a resize sticks: later
// restarts use the new values.
import { vmOverheadBytes } from '../capacity';
import type { EventOf } from '../events';
import { formatBytes, formatClock, MB } from '../units';
import { SimState, VmPhase } from './state';

export function resize(s: SimState, e: EventOf<'vmResize'>, k: number): void {
  const v = s.vmIndex.get(e.vm);
  if (v === undefined) return;
  const vm = s.vms[v];
  const h = s.owner[v];
  const refuse = (why: string) => {
    s.emit({ t: s.time(k), type: 'vmResizeFailed', vm: vm.name, host: s.hostName(h), message: `${vm.name}'s resize at ${formatClock(s.time(k))} is refused: ${why}.` });
  };
  const phase = s.phase[v];
  if (phase === VmPhase.Saving || phase === VmPhase.Restoring || phase === VmPhase.Moving || s.frozen[v]) return refuse('the VM is being saved, restored or moved');
  if (phase === VmPhase.Saved) return refuse('the VM is saved: Hyper-V changes the memory of a saved VM only after it is started or its saved state is deleted');
  for (const bytes of [e.startupBytes, e.minimumBytes, e.maximumBytes]) {
    if (bytes !== undefined && (bytes % (2 * MB) !== 0 || bytes < 32 * MB)) return refuse(`${Number((bytes / MB).toFixed(3))} MB is not a whole, even number of MB of at least 32 MB, as Hyper-V needs`);
  }
  const running = phase === VmPhase.Running || phase === VmPhase.Booting;
  if (!s.dynamic[v]) {
    if (e.minimumBytes !== undefined || e.maximumBytes !== undefined) return refuse('it uses static memory: give its new "startup" instead (minimum and maximum are Dynamic Memory settings)');
    if (e.startupBytes === undefined) return;
    if (!running) { setStatic(s, v, e.startupBytes); return resized(s, v, k, { startupBytes: e.startupBytes }); }
    if (vm.generation === 1) return refuse('a generation 1 VM changes its memory only while it is off (runtime resize needs generation 2)');
    return resizeStatic(s, v, e.startupBytes, k, refuse);
  }
  if (e.startupBytes !== undefined && running) return refuse('the startup memory of a Dynamic Memory VM changes only while it is off; change its minimum or maximum instead');
  const startup = e.startupBytes ?? s.startup[v];
  const minimum = e.minimumBytes ?? s.minimum[v];
  const maximum = e.maximumBytes ?? s.maximum[v];
  if (!(minimum <= startup && startup <= maximum)) return refuse(`Dynamic Memory needs minimum ≤ startup ≤ maximum, and ${formatBytes(minimum)} ≤ ${formatBytes(startup)} ≤ ${formatBytes(maximum)} does not hold`);
  if (running) {
    const held = s.physical[v] + s.smartPaging[v];
    if (minimum > held) return refuse(`while it runs its minimum cannot go above the ${formatBytes(held)} it holds`);
    if (maximum < held) return refuse(`while it runs its maximum cannot go below the ${formatBytes(held)} it holds`);
  }
  s.startup[v] = startup;
  s.minimum[v] = minimum;
  s.maximum[v] = maximum;
  s.setDemand(v, s.demand[v]);
  resized(s, v, k, { ...(e.startupBytes !== undefined ? { startupBytes: startup } : {}), ...(e.minimumBytes !== undefined ? { minimumBytes: minimum } : {}), ...(e.maximumBytes !== undefined ? { maximumBytes: maximum } : {}) });
}

/** A running static VM: more memory from its pool's free and reclaimable memory; less down to what the guest uses. */
function resizeStatic(s: SimState, v: number, to: number, k: number, refuse: (why: string) => void): void {
  const p = s.pool[v];
  const h = s.poolHost[p];
  const host = s.plan.hosts[h];
  const held = s.physical[v];
  if (to > held) {
    const overheadAfter = vmOverheadBytes(host, to);
    const extra = to - held + overheadAfter - s.overhead[v];
    const free = s.free(p);
    const reclaimable = s.reclaimable(p, v);
    if (extra > free + reclaimable) return refuse(`it needs ${formatBytes(extra)} more, and ${s.hostName(h)} has ${formatBytes(Math.max(0, free))} free and ${formatBytes(reclaimable)} reclaimable`);
    if (extra > free) s.reclaim(p, v, extra - free);
    applyStatic(s, v, p, to, overheadAfter);
    return resized(s, v, k, { startupBytes: to });
  }
  // Only memory the guest does not use can be taken away: down to its demand, in whole even MB.
  const used = Math.ceil(s.demand[v] / (2 * MB)) * 2 * MB;
  const reached = Math.min(held, Math.max(to, used));
  if (reached === held && to < held) return refuse(`the guest uses ${formatBytes(s.demand[v])} of its ${formatBytes(held)}, so none of it can be taken away`);
  applyStatic(s, v, p, reached, vmOverheadBytes(host, reached));
  resized(s, v, k, { startupBytes: reached });
  if (reached > to) refuse(`only ${formatBytes(held - reached)} of the ${formatBytes(held - to)} asked could be taken away (the guest uses ${formatBytes(s.demand[v])}): it now has ${formatBytes(reached)}`);
}

function applyStatic(s: SimState, v: number, p: number, bytes: number, overhead: number): void {
  s.poolPhysical[p] += bytes - s.physical[v];
  s.poolOverhead[p] += overhead - s.overhead[v];
  s.physical[v] = bytes;
  s.overhead[v] = overhead;
  setStatic(s, v, bytes);
  s.notePeak(s.poolHost[p]);
  s.markFull(p);
  s.onChange(v, false);
}

function setStatic(s: SimState, v: number, bytes: number): void {
  s.startup[v] = bytes;
  s.minimum[v] = bytes;
  s.maximum[v] = bytes;
  s.setDemand(v, s.demand[v]);
}

function resized(s: SimState, v: number, k: number, change: { startupBytes?: number; minimumBytes?: number; maximumBytes?: number }): void {
  s.emit({ t: s.time(k), type: 'vmResized', vm: s.vms[v].name, host: s.hostName(s.owner[v]), ...change });
}
