// A suggested placement for a cluster that is not N+1 safe: VM moves, in order, after which the loss of
// any one node leaves every VM running. Each step takes the move that strands the least memory: of a VM
// that would be stranded or preempted, or of the smallest VMs of the node whose loss is worst, to the
// nodes with the most room. A greedy search of a few steps: fewest moves it finds, not a proof of fewest.
import { hostCapacityBytes, startNeedBytes } from '../capacity';
import type { Plan } from '../plan';
import { applyChange, type Change } from './changes';
import type { Evaluator } from './evaluate';

export interface Placement {
  /** whether the plan as it is survives the loss of any one node */
  survivesAnyNodeLoss: boolean;
  /** moves, in order, after which it does (empty when it already does or when none was found) */
  moves: { vm: string; from: string; to: string }[];
  /** false when the search ran out of steps before the cluster was safe */
  safe: boolean;
}

const MAX_MOVES = 8;
const VMS_TRIED = 6;
const NODES_TRIED = 3;

export function suggestPlacement(ev: Evaluator): Placement {
  let plan = ev.base;
  const strandedBytes = (p: Plan) => {
    let bytes = 0;
    let worst: { host: string; count: number } | undefined;
    const hit = new Set<string>();
    for (const trial of ev.losses(p)) {
      for (const f of trial.failures) {
        bytes += p.vms.find((v) => v.name === f.vm)?.startupBytes ?? 0;
        hit.add(f.vm);
      }
      if (trial.failures.length && (!worst || trial.failures.length > worst.count)) worst = { host: trial.host, count: trial.failures.length };
    }
    return { bytes, worst, hit };
  };
  let now = strandedBytes(plan);
  const survives = now.bytes === 0;
  const moves: Placement['moves'] = [];
  while (now.bytes > 0 && moves.length < MAX_MOVES && now.worst) {
    const worstNode = now.worst.host;
    const running = plan.vms.filter((v) => v.state === 'Running' && v.clusterPriority !== 'NoAutoStart');
    const candidates = [
      ...running.filter((v) => now.hit.has(v.name) && v.host !== worstNode),
      ...running.filter((v) => v.host === worstNode).sort((a, b) => a.startupBytes - b.startupBytes),
    ].slice(0, VMS_TRIED);
    let best: { plan: Plan; change: Change; score: ReturnType<typeof strandedBytes> } | undefined;
    for (const vm of candidates) {
      const from = vm.host;
      const targets = plan.hosts.filter((h) => h.name !== from && (!vm.possibleOwners || vm.possibleOwners.includes(h.name)))
        .map((h) => ({ h, room: hostCapacityBytes(h, plan.cluster) - plan.vms.filter((v) => v.host === h.name && v.state === 'Running').reduce((s, v) => s + startNeedBytes(h, v), 0) }))
        .filter((x) => x.room >= startNeedBytes(x.h, vm))
        .sort((a, b) => b.room - a.room).slice(0, NODES_TRIED);
      for (const { h } of targets) {
        const change: Change = { kind: 'moveVm', target: vm.name, from, to: h.name };
        const next = applyChange(plan, change);
        const score = strandedBytes(next);
        if (score.bytes < now.bytes && (!best || score.bytes < best.score.bytes)) best = { plan: next, change, score };
      }
    }
    if (!best) break;
    plan = best.plan;
    now = best.score;
    const move = best.change as Extract<Change, { kind: 'moveVm' }>;
    moves.push({ vm: move.target, from: move.from, to: move.to });
  }
  return { survivesAnyNodeLoss: survives, moves: survives ? [] : moves, safe: now.bytes === 0 };
}
