// What each scenario event does, one handler per event type (events.ts has the plan side of each).
import type { EventOf, EventType, PlanEvent } from '../events';
import { hostRestart, rollingUpdate } from './hosts';
import { drain, newGroup, nodeFailure, removeWaiting, request, resume } from './migrations';
import { resize } from './resize';
import { guestRestart, start, stop } from './starts';
import { SimState, VmPhase } from './state';

type Handler<T extends EventType> = (s: SimState, e: EventOf<T>, k: number) => void;

const host = (s: SimState, name: string) => s.hostIndex.get(name);
const vm = (s: SimState, name: string) => s.vmIndex.get(name);
const clusterNode = (s: SimState, name: string) => {
  const h = host(s, name);
  return s.plan.cluster && h !== undefined && !s.failed[h] ? h : undefined;
};

const HANDLERS: { readonly [T in EventType]: Handler<T> } = {
  hostRestart(s, e, k) {
    const h = host(s, e.host);
    if (h !== undefined && !s.failed[h]) hostRestart(s, h, k);
  },
  vmRestart(s, e, k) {
    const v = vm(s, e.vm);
    if (v !== undefined && (s.phase[v] === VmPhase.Running || s.phase[v] === VmPhase.Booting)) guestRestart(s, v, k);
  },
  vmStart(s, e, k) {
    const v = vm(s, e.vm);
    if (v === undefined || s.pendingStart[v] !== 0 || s.owner[v] < 0) return;
    // Starting a saved VM restores it.
    if (s.phase[v] === VmPhase.Off || s.phase[v] === VmPhase.Saved) {
      removeWaiting(s, v);
      start(s, v, s.owner[v], k, s.phase[v] === VmPhase.Saved ? 'restore' : 'boot');
    }
  },
  vmStop(s, e, k) {
    const v = vm(s, e.vm);
    if (v === undefined) return;
    s.pendingStart[v] = 0;
    removeWaiting(s, v);
    stop(s, v, k);
  },
  nodeFailure(s, e, k) {
    const h = clusterNode(s, e.host);
    if (h !== undefined) nodeFailure(s, h, k);
  },
  demand(s, e, k) {
    const v = vm(s, e.vm);
    if (v === undefined) return;
    s.setDemand(v, e.memoryBytes);
    s.emit({ t: s.time(k), type: 'demand', vm: e.vm, bytes: e.memoryBytes });
  },
  nodeDrain(s, e, k) {
    const h = clusterNode(s, e.host);
    if (h !== undefined && !s.down[h]) drain(s, h, k);
  },
  nodeResume(s, e, k) {
    const h = clusterNode(s, e.host);
    if (h !== undefined && !s.down[h]) resume(s, h, e.failback, k);
  },
  clusterUpdate(s, e, k) {
    if (!s.plan.cluster) return;
    const names = e.nodes ?? s.plan.hosts.map((h) => h.name);
    const nodes = names.map((n) => host(s, n)).filter((h): h is number => h !== undefined);
    rollingUpdate(s, nodes, k);
  },
  vmMigrate(s, e, k) {
    const v = vm(s, e.vm);
    const to = host(s, e.host);
    if (v === undefined || to === undefined || s.owner[v] < 0 || s.owner[v] === to) return;
    const group = newGroup(s, 'move', s.owner[v], k);
    request(s, group, v, to, e.moveType);
  },
  vmResize: resize,
};

export function scenarioEvent(s: SimState, e: PlanEvent, k: number): void {
  (HANDLERS[e.type] as Handler<typeof e.type>)(s, e, k);
}
