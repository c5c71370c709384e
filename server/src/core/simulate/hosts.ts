// A host restart as Hyper-V does it: each running VM gets its stop action (Save writes its memory to
// its configuration folder, ShutDown and TurnOff free it), the host goes down once the saves are done,
// and when it is back each VM's start action applies: a saved VM is restored with exactly the memory it
// held, the others boot (a restart, which Smart Paging may bridge). A cluster node is drained first;
// what the drain could not move is saved by the cluster and comes back with the node.
import { volumeOf } from '../capacity';
import { formatBytes, formatClock } from '../units';
import { Phase } from './agenda';
import { abortMigration, drain, resume } from './migrations';
import { endSmartPaging, start, stop } from './starts';
import { holdsMemory, SimState, VmPhase } from './state';

/**
 * The scenario's hostRestart: on a cluster node the drain comes first. `onUp` runs once the host is back
 * (a rolling update resumes the node then).
 */
export function hostRestart(s: SimState, h: number, k: number, options: { drained?: boolean; onUp?: () => void } = {}): void {
  s.emit({ t: s.time(k), type: 'hostRestart', host: s.hostName(h) });
  if (s.plan.cluster && !options.drained) {
    drain(s, h, k, () => shutDown(s, h, s.now, true, options.onUp));
    return;
  }
  shutDown(s, h, k, !!s.plan.cluster, options.onUp);
}

/** The host shuts down: stop actions (a cluster saves what is left), then down once the last save is written. */
function shutDown(s: SimState, h: number, k: number, clustered: boolean, onUp?: () => void): void {
  s.down[h] = 1;
  const epoch = ++s.hostEpoch[h];
  for (const v of s.hostVms[h].slice()) {
    s.wasRunning[v] = holdsMemory(s.phase[v]) || s.pendingStart[v] !== 0 || s.unplaced[v] ? 1 : 0;
    s.pendingStart[v] = 0;
    s.unplaced[v] = 0;
    s.savedByCluster[v] = 0;
    abortMigration(s, v, k, `${s.hostName(h)} is shutting down`);
    if (s.phase[v] !== VmPhase.Running && s.phase[v] !== VmPhase.Booting) {
      // A VM being restored is turned off; one already saved (or being saved) stays so.
      if (s.phase[v] !== VmPhase.Saved && s.phase[v] !== VmPhase.Saving) stop(s, v, k);
      continue;
    }
    if (clustered || s.vms[v].automaticStopAction === 'Save') save(s, v, h, k, clustered);
    else stop(s, v, k);
  }
  const downTick = Math.max(k, s.diskFreeTick[h]);
  const goDown = () => {
    if (s.hostEpoch[h] !== epoch) return;
    s.emit({ t: s.time(downTick), type: 'hostDown', host: s.hostName(h) });
    const upTick = downTick + s.tickOf(s.plan.model.hostBootSeconds);
    const up = () => { if (s.hostEpoch[h] === epoch) hostUp(s, h, upTick, clustered, onUp); };
    if (upTick === downTick) up(); else s.at(upTick, Phase.HostUp, up);
  };
  if (downTick === k) goDown(); else s.at(downTick, Phase.HostUp, goDown);
}

/**
 * Stop action Save: the VM's memory is written to its configuration folder (one save after another on
 * the host's disk, at model.saveRestoreBytesPerSecond). A saved state that does not fit the volume
 * fails: the VM is turned off instead, and boots when the host is back.
 */
function save(s: SimState, v: number, h: number, k: number, clustered: boolean): void {
  const vm = s.vms[v];
  const bytes = s.physical[v] + s.smartPaging[v];
  const volume = volumeOf(s.volumes[h], vm.configurationPath);
  if (volume && volume.freeBytes < bytes) {
    s.emit({
      t: s.time(k), type: 'vmSaveFailed', vm: vm.name, host: s.hostName(h), bytes, path: vm.configurationPath,
      message: `${vm.name}'s ${formatBytes(bytes)} saved state does not fit ${volume.name} at ${formatClock(s.time(k))} (${formatBytes(volume.freeBytes)} free): it is turned off instead, and boots at its startup memory when ${s.hostName(h)} is back.`,
    });
    stop(s, v, k);
    return;
  }
  if (volume) volume.freeBytes -= bytes;
  s.savedVolume[v] = volume;
  s.savedBytes[v] = bytes;
  s.savedByCluster[v] = clustered ? 1 : 0;
  s.phase[v] = VmPhase.Saving;
  if (s.pool[v] >= 0) s.markFull(s.pool[v]);
  const token = ++s.runToken[v];
  const end = Math.max(k, s.diskFreeTick[h]) + s.transferTicks(bytes, s.plan.model.saveRestoreBytesPerSecond);
  s.diskFreeTick[h] = end;
  const saved = () => {
    if (s.runToken[v] !== token || s.phase[v] !== VmPhase.Saving) return;
    if (s.smartPaging[v] > 0 || s.spFileBytes[v] > 0) endSmartPaging(s, v, end);
    s.releaseAll(v);
    s.phase[v] = VmPhase.Saved;
    s.emit({ t: s.time(end), type: 'vmSaved', vm: vm.name, host: s.hostName(h), bytes, seconds: s.time(end - k), path: vm.configurationPath });
  };
  if (end === k) saved(); else s.at(end, Phase.TransferDone, saved);
}

/** The host is back: on a cluster node the node is active again; start actions apply (after each VM's delay). */
function hostUp(s: SimState, h: number, k: number, clustered: boolean, onUp?: () => void): void {
  s.down[h] = 0;
  if (clustered) s.paused[h] = 0;
  s.emit({ t: s.time(k), type: 'hostUp', host: s.hostName(h) });
  s.clusterTurn = true;
  for (const v of s.hostVms[h]) {
    const vm = s.vms[v];
    const saved = s.phase[v] === VmPhase.Saved;
    // A cluster brings back what it saved; a host follows each VM's start action (a saved VM was running).
    const back = saved && clustered ? s.savedByCluster[v] === 1
      : vm.automaticStartAction === 'Start' || (vm.automaticStartAction === 'StartIfRunning' && (saved || s.wasRunning[v] === 1));
    if (back) scheduleStart(s, v, k + s.tickOf(vm.automaticStartDelaySeconds));
  }
  onUp?.();
}

/** An automatic start (a restore for a saved VM), due at tick `due`; a later start or stop makes it stale. */
export function scheduleStart(s: SimState, v: number, due: number): void {
  const token = s.newToken();
  s.pendingStart[v] = token;
  s.at(due, Phase.AutoStart, () => {
    if (s.pendingStart[v] !== token) return;
    s.pendingStart[v] = 0;
    start(s, v, s.owner[v], s.now, s.phase[v] === VmPhase.Saved ? 'restore' : 'restart');
  });
}

/**
 * A rolling update (Cluster-Aware Updating): each node in turn is drained, restarted and resumed with
 * failback once it is back; the next node starts when the failback is done. A failed drain stops the run
 * (that node stays paused). A lost node is passed over.
 */
export function rollingUpdate(s: SimState, nodes: readonly number[], k: number): void {
  const begin = k;
  s.emit({ t: s.time(k), type: 'clusterUpdate', nodes: nodes.map((h) => s.hostName(h)) });
  const step = (i: number): void => {
    const now = s.now;
    if (i >= nodes.length) {
      s.emit({ t: s.time(now), type: 'clusterUpdateEnded', ok: true, seconds: s.time(now - begin) });
      return;
    }
    const h = nodes[i];
    if (s.failed[h]) { step(i + 1); return; }
    drain(s, h, now, (ok) => {
      if (!ok) {
        s.emit({ t: s.time(s.now), type: 'clusterUpdateEnded', ok: false, seconds: s.time(s.now - begin), stoppedAt: s.hostName(h) });
        return;
      }
      hostRestart(s, h, s.now, { drained: true, onUp: () => resume(s, h, true, s.now, () => step(i + 1)) });
    });
  };
  step(0);
}
