// Starting, restoring and stopping a VM on a host: where its memory comes from (free memory, memory
// reclaimed from other VMs, a Smart Paging file for a restart), and why a start fails.
import { volumeOf } from '../capacity';
import { formatBytes, formatClock } from '../units';
import { Phase } from './agenda';
import { abortMigration } from './migrations';
import { SimState, VmPhase, type VolumeState } from './state';
import type { StartFailureReason } from './types';

/**
 * How a VM starts. `restart`: a guest reboot or a boot after its host restarted, which Smart Paging may
 * bridge; `boot`: a cold start from Off; `failover`: a cold start on another cluster node; `restore`:
 * from saved state, with exactly the memory it held (never Smart Paging: it only serves restarts).
 */
export type StartKind = 'boot' | 'restart' | 'failover' | 'restore';

/**
 * Starts VM v on host h at tick k. `held`: physical memory the VM already holds in its pool (a guest
 * reboot), whose overhead is already counted. Returns whether it started.
 */
export function start(s: SimState, v: number, h: number, k: number, kind: StartKind, held = 0): boolean {
  if (h < 0) return false;
  const restore = kind === 'restore';
  if (s.failed[h] || s.down[h]) {
    if (held) s.releaseAll(v);
    s.phase[v] = restore ? VmPhase.Saved : VmPhase.Off;
    fail(s, v, h, k, 'insufficient-memory', `host ${s.hostName(h)} is ${s.failed[h] ? 'lost' : 'restarting'}`, restore);
    return false;
  }
  const vm = s.vms[v];
  const memory = restore ? s.savedBytes[v] : s.startup[v];
  const overhead = s.overheadOf(h, v);
  const p = held ? s.pool[v] : choosePool(s, h, v, memory + overhead);
  const extra = memory - held + (held ? 0 : overhead);
  const free = s.free(p);
  let physical = memory;
  let smartPaging = 0;
  if (extra > free) {
    const reclaimable = s.reclaimable(p, v);
    if (extra <= free + reclaimable) {
      s.reclaim(p, v, extra - free);
    } else {
      const hostName = s.hostName(h);
      const what = restore ? `needs the ${formatBytes(memory)} it held when saved` : `needs ${formatBytes(memory)}`;
      const where = s.pools[h] > 1 ? `the best NUMA node of ${hostName} (${numaNodes(s, h, v)})` : hostName;
      const base = `${what}${overhead ? ` plus ${formatBytes(overhead)} overhead` : ''}; ${where} had ${held ? `${formatBytes(held)} held by the VM, ` : ''}${formatBytes(Math.max(0, free))} free and ${formatBytes(reclaimable)} reclaimable`;
      const smartPagingAllowed = kind === 'restart' && s.dynamic[v] === 1 && s.minimum[v] < s.startup[v];
      if (!smartPagingAllowed) {
        const why = kind === 'failover' ? '' : restore ? ' (a restore gets no Smart Paging: it only serves restarts)'
          : kind === 'restart' ? ' (Smart Paging only bridges a dynamic VM whose minimum is below its startup)' : ' (a cold start gets no Smart Paging)';
        giveUp(s, v, held, restore);
        fail(s, v, h, k, 'insufficient-memory', `${base}${why}`, restore);
        return false;
      }
      physical = held + Math.max(0, free) + reclaimable - (held ? 0 : overhead);
      if (physical < 0 || (s.plan.model.smartPagingRequiresMinimum && physical < s.minimum[v])) {
        giveUp(s, v, held, false);
        fail(s, v, h, k, 'insufficient-memory', `${base}: ${formatBytes(Math.max(0, physical))} in physical memory is under its ${formatBytes(s.minimum[v])} minimum, so even Smart Paging cannot start it`);
        return false;
      }
      smartPaging = memory - physical;
      const volume = volumeOf(s.volumes[h], vm.smartPagingFilePath);
      if (s.plan.model.smartPagingRequiresDisk && volume && volume.freeBytes < smartPaging) {
        giveUp(s, v, held, false);
        fail(s, v, h, k, 'smart-paging-disk-full', `the ${formatBytes(smartPaging)} Smart Paging file in ${vm.smartPagingFilePath} does not fit: ${volume.name} has ${formatBytes(volume.freeBytes)} free`);
        return false;
      }
      s.reclaim(p, v, reclaimable);
      if (volume) { volume.freeBytes -= smartPaging; s.spVolume[v] = volume; }
    }
  }
  if (held) {
    s.physical[v] += physical - held;
    s.poolPhysical[p] += physical - held;
    s.smartPaging[v] = smartPaging;
    s.poolSmartPaging[p] += smartPaging;
    s.notePeak(h);
    s.markFull(p);
    s.onChange(v, false);
  } else {
    s.hold(v, p, physical, smartPaging, overhead);
  }
  s.pendingStart[v] = 0;
  s.starts[v]++;
  const t = s.time(k);
  const token = ++s.runToken[v];
  if (restore) {
    const rate = s.plan.model.saveRestoreBytesPerSecond;
    const end = Math.max(k, s.diskFreeTick[h]) + s.transferTicks(memory, rate);
    s.diskFreeTick[h] = end;
    s.phase[v] = VmPhase.Restoring;
    s.emit({ t, type: 'vmRestored', vm: vm.name, host: s.hostName(h), bytes: memory, seconds: s.time(end - k) });
    s.at(end, Phase.TransferDone, () => {
      if (s.runToken[v] !== token || s.phase[v] !== VmPhase.Restoring) return;
      discardSavedState(s, v);
      s.phase[v] = VmPhase.Running;
      if (s.dynamic[v]) s.markFull(s.pool[v]);
    });
    return true;
  }
  s.emit({ t, type: 'vmStarted', vm: vm.name, host: s.hostName(h), physicalBytes: physical, smartPagingBytes: smartPaging, restart: kind === 'restart', failover: kind === 'failover' });
  const session = ++s.spSession[v];
  if (smartPaging > 0) {
    s.spStartTick[v] = k;
    s.spFileBytes[v] = smartPaging;
    s.spPath[v] = vm.smartPagingFilePath;
    s.spPeak[v] = Math.max(s.spPeak[v], smartPaging);
    s.emit({ t, type: 'smartPagingStarted', vm: vm.name, host: s.hostName(h), bytes: smartPaging, path: vm.smartPagingFilePath });
    const due = k + s.tickOf(s.plan.model.smartPagingTargetSeconds);
    s.at(due, Phase.OverTarget, () => {
      if (s.spSession[v] === session && s.smartPaging[v] > 0) s.emit({ t: s.time(due), type: 'smartPagingOverTarget', vm: vm.name, host: s.hostName(s.owner[v]) });
    });
  }
  const bootTicks = s.tickOf(vm.bootSeconds);
  if (bootTicks === 0) {
    s.phase[v] = VmPhase.Running;
  } else {
    s.phase[v] = VmPhase.Booting;
    s.at(k + bootTicks, Phase.BootEnd, () => {
      if (s.phase[v] !== VmPhase.Booting || s.runToken[v] !== token) return;
      s.phase[v] = VmPhase.Running;
      // A static VM keeps its startup memory; only dynamic ones are balanced from now on.
      if (s.dynamic[v] && s.pool[v] >= 0) s.markFull(s.pool[v]);
    });
  }
  return true;
}

/** The pool (NUMA node) of host h that takes `need`: the one with the most free memory among those that can. */
function choosePool(s: SimState, h: number, v: number, need: number): number {
  const first = s.firstPool[h];
  if (s.pools[h] === 1) return first;
  let best = -1;
  let bestFree = -Infinity;
  let fallback = first;
  let fallbackRoom = -Infinity;
  for (let p = first; p < first + s.pools[h]; p++) {
    const free = s.free(p);
    const room = free + s.reclaimable(p, v);
    if (room >= need && free > bestFree) { best = p; bestFree = free; }
    if (room > fallbackRoom) { fallback = p; fallbackRoom = room; }
  }
  return best >= 0 ? best : fallback;
}

/** "NUMA nodes of 32 GB each: 3 GB, 5 GB free and reclaimable", for a start that fits no node. */
function numaNodes(s: SimState, h: number, v: number): string {
  const rooms: string[] = [];
  for (let p = s.firstPool[h]; p < s.firstPool[h] + s.pools[h]; p++) rooms.push(formatBytes(Math.max(0, s.free(p) + s.reclaimable(p, v))));
  return `NUMA spanning is off: nodes of ${formatBytes(s.capacity[s.firstPool[h]])} for VMs each, with ${rooms.join(', ')} free and reclaimable`;
}

/** A start that failed gives back what the VM held, and leaves it off (or still saved). */
function giveUp(s: SimState, v: number, held: number, restore: boolean): void {
  if (held) s.releaseAll(v);
  s.phase[v] = restore ? VmPhase.Saved : VmPhase.Off;
}

export function fail(s: SimState, v: number, h: number, k: number, reason: StartFailureReason, why: string, restore = false): void {
  const vm = s.vms[v];
  const message = `${vm.name} could not ${restore ? 'be restored' : 'start'} at ${formatClock(s.time(k))}: ${why}.`;
  s.failures[v]++;
  s.lastFailure[v] = message;
  s.emit({ t: s.time(k), type: 'vmStartFailed', vm: vm.name, host: s.hostName(h), reason, message, ...(restore ? { restore: true as const } : {}) });
}

/** The VM stops (shut down, turned off, taken offline): its memory is freed; a saved state is discarded. */
export function stop(s: SimState, v: number, k: number, emit = true): void {
  const phase = s.phase[v];
  if (phase === VmPhase.Off) return;
  abortMigration(s, v, k);
  if (phase === VmPhase.Saved) {
    discardSavedState(s, v);
  } else {
    if (s.smartPaging[v] > 0 || s.spFileBytes[v] > 0) endSmartPaging(s, v, k);
    s.releaseAll(v);
  }
  s.phase[v] = VmPhase.Off;
  s.pendingStart[v] = 0;
  s.runToken[v]++;
  s.onChange(v, false);
  if (emit) s.emit({ t: s.time(k), type: 'vmStopped', vm: s.vms[v].name, host: s.hostName(s.owner[v]) });
}

/** A guest reboot: the VM keeps the physical memory it holds (up to its startup) and needs its startup memory again. */
export function guestRestart(s: SimState, v: number, k: number): void {
  const h = s.owner[v];
  const p = s.pool[v];
  if (p < 0 || (s.phase[v] !== VmPhase.Running && s.phase[v] !== VmPhase.Booting)) return;
  abortMigration(s, v, k);
  s.pendingStart[v] = 0;
  if (s.smartPaging[v] > 0 || s.spFileBytes[v] > 0) endSmartPaging(s, v, k);
  const excess = s.physical[v] - s.startup[v];
  if (excess > 0) {
    s.physical[v] -= excess;
    s.poolPhysical[p] -= excess;
  }
  s.phase[v] = VmPhase.Off;
  start(s, v, h, k, 'restart', s.physical[v]);
}

/**
 * The VM's Smart Paging file is deleted: ballooned empty, or the VM stops, reboots or moves. Memory
 * still backed by it is dropped with it.
 */
export function endSmartPaging(s: SimState, v: number, k: number): void {
  const p = s.pool[v];
  if (s.smartPaging[v] > 0 && p >= 0) {
    s.poolSmartPaging[p] -= s.smartPaging[v];
    s.smartPaging[v] = 0;
  }
  const seconds = s.time(k - s.spStartTick[v]);
  s.spSeconds[v] += seconds;
  const volume = s.spVolume[v];
  if (volume) volume.freeBytes += s.spFileBytes[v];
  s.spVolume[v] = undefined;
  s.spFileBytes[v] = 0;
  s.spSession[v]++;
  s.onChange(v, false);
  s.emit({ t: s.time(k), type: 'smartPagingEnded', vm: s.vms[v].name, host: s.hostName(s.owner[v]), seconds });
}

/** The saved state's file is deleted (after a restore, or when the saved VM is turned off): its volume space is free again. */
export function discardSavedState(s: SimState, v: number): void {
  const volume: VolumeState | undefined = s.savedVolume[v];
  if (volume) volume.freeBytes += s.savedBytes[v];
  s.savedVolume[v] = undefined;
  s.savedBytes[v] = 0;
}
