// How much room is left: per host, how many more VMs of a shape still come back after the plan's
// scenario without Smart Paging or a failed start; per cluster, how many more still leave every VM
// running after the loss of any one node, and which node's loss is the worst. Found by adding VMs and
// simulating, with the same search as the fixes.
import { hostCapacityBytes, startNeedBytes } from '../capacity';
import type { Plan, Vm } from '../plan';
import { Engine } from '../simulate/engine';
import { simulationRefusal } from '../simulate/index';
import { subPlan, type Evaluator } from './evaluate';
import { smallestSteps } from './search';

/** The VM added to find headroom: a copy of a VM of the plan, or a static VM of a size. */
export interface Shape { startup: number; dynamic: boolean; like?: string; vm: Vm }

export interface Headroom {
  shape: { startup: number; dynamic: boolean; like?: string };
  hosts: Record<string, { more: number }>;
  cluster?: { more: number; survivesAnyNodeLoss: boolean; worstNode?: string };
}

/** Findings that say a VM did not come back cleanly. */
const TROUBLE = new Set(['restart-smart-paging', 'restart-failure', 'startup-exceeds-host', 'numa-fit']);

/**
 * The shape: `like` a VM of the plan, or a static VM of `startup` bytes; by default like the VM whose
 * startup memory is the median of the plan's (the first of two in the middle).
 */
export function shapeOf(plan: Plan, options: { like?: string; startup?: number }): Shape | undefined {
  if (options.startup !== undefined) {
    const model = plan.vms[0];
    if (!model) return undefined;
    const vm: Vm = { ...model, name: '', dynamic: false, startupBytes: options.startup, minimumBytes: options.startup, maximumBytes: options.startup, demand: [{ atSeconds: 0, bytes: options.startup }], state: 'Running', automaticStartAction: 'StartIfRunning', automaticStartDelaySeconds: 0, possibleOwners: undefined, preferredOwners: [], antiAffinityClasses: [], invalid: new Set() };
    return { startup: options.startup, dynamic: false, vm };
  }
  const sorted = [...plan.vms].sort((a, b) => a.startupBytes - b.startupBytes || a.index - b.index);
  const model = options.like !== undefined ? plan.vms.find((v) => v.name === options.like) : sorted[Math.floor((sorted.length - 1) / 2)];
  if (!model) return undefined;
  return { startup: model.startupBytes, dynamic: model.dynamic, like: model.name, vm: { ...model, state: 'Running', possibleOwners: undefined, antiAffinityClasses: [] } };
}

/** The plan with `count` more VMs of the shape on the given hosts (one list entry per VM). */
function withMore(plan: Plan, shape: Shape, hosts: readonly string[]): Plan {
  const added = hosts.map((host, i) => ({ ...shape.vm, name: `\u0000headroom ${i + 1}`, host, index: plan.vms.length + i, span: { start: 0, end: 0 } }));
  return { ...plan, vms: [...plan.vms, ...added] };
}

export function headroom(ev: Evaluator, shape: Shape): Headroom {
  const plan = ev.base;
  const baseKeys = new Set(ev.findings(plan, '').map((f) => f.key));
  const hosts: Headroom['hosts'] = Object.create(null);
  for (const host of plan.hosts) {
    if (Object.prototype.hasOwnProperty.call(hosts, host.name)) continue;
    hosts[host.name] = { more: moreOnHost(ev, shape, host.name, baseKeys) };
  }
  const out: Headroom = { shape: { startup: shape.startup, dynamic: shape.dynamic, ...(shape.like !== undefined ? { like: shape.like } : {}) }, hosts };
  if (plan.cluster && plan.hosts.length > 1) out.cluster = clusterHeadroom(ev, shape);
  return out;
}

/**
 * How many more fit on one host: added VMs run from the start and come back after the host's own
 * scenario (its restarts, its VMs' events) without a new Smart Paging restart or failed start. Other
 * nodes' failures are the cluster's figure.
 */
function moreOnHost(ev: Evaluator, shape: Shape, name: string, baseKeys: ReadonlySet<string>): number {
  const own = subPlan(ev.base, new Set([name]));
  const plan: Plan = { ...own, scenario: { ...own.scenario, events: own.scenario.events.filter((e) => e.type === 'hostRestart' || 'vm' in e) } };
  const host = plan.hosts[0];
  if (!host) return 0;
  const need = startNeedBytes(host, shape.vm);
  const committed = plan.vms.filter((v) => v.state === 'Running').reduce((s, v) => s + startNeedBytes(host, v), 0);
  const estimate = Math.max(0, Math.floor((hostCapacityBytes(host, plan.cluster) - committed) / Math.max(1, need)));
  // "Fails" at n: the n-th more VM brings trouble. The answer is one less than the smallest such n.
  const troubled = (n: number) => {
    const trial = withMore(plan, shape, Array.from({ length: n }, () => name));
    if (simulationRefusal(trial)) return true;
    return ev.findings(trial).some((f) => TROUBLE.has(f.code) && !baseKeys.has(f.key));
  };
  const max = Math.max(1, estimate * 2 + 2);
  const first = smallestSteps(max, troubled, estimate + 1);
  return first ? first.steps - 1 : max;
}

/**
 * How many more fit on the cluster and still leave every VM running after the loss of any one node,
 * each added VM placed on the node with the most room left; and which node's loss is the worst.
 */
function clusterHeadroom(ev: Evaluator, shape: Shape): NonNullable<Headroom['cluster']> {
  const plan = ev.base;
  const stranded = (p: Plan) => {
    ev.simulations++;
    return new Engine(p, { series: false }).lossOfEachNode();
  };
  const base = stranded(plan);
  const worst = [...base].sort((a, b) => b.failures.length - a.failures.length || held(plan, b.host) - held(plan, a.host))[0];
  const survives = base.every((t) => t.failures.length === 0);
  if (!survives) return { more: 0, survivesAnyNodeLoss: false, worstNode: worst?.host };
  const placed = (n: number) => {
    const room = new Map(plan.hosts.map((h) => [h.name, hostCapacityBytes(h, plan.cluster) - held(plan, h.name)]));
    const where: string[] = [];
    for (let i = 0; i < n; i++) {
      const [best] = [...room].sort((a, b) => b[1] - a[1]);
      where.push(best[0]);
      room.set(best[0], best[1] - startNeedBytes(plan.hosts.find((h) => h.name === best[0])!, shape.vm));
    }
    return where;
  };
  const loses = (n: number) => stranded(withMore(plan, shape, placed(n))).some((t) => t.failures.length > 0);
  // A first guess: the room left once the largest node is gone, in VMs of the shape.
  const total = plan.hosts.reduce((s, h) => s + hostCapacityBytes(h, plan.cluster) - held(plan, h.name), 0);
  const largest = Math.max(...plan.hosts.map((h) => hostCapacityBytes(h, plan.cluster)));
  const need = startNeedBytes(plan.hosts[0], shape.vm);
  const estimate = Math.max(0, Math.floor((total - largest) / Math.max(1, need)));
  const max = Math.max(1, estimate * 2 + 2);
  const first = smallestSteps(max, loses, estimate + 1);
  return { more: first ? first.steps - 1 : max, survivesAnyNodeLoss: true, worstNode: worst?.host };
}

/** Memory (with overhead) the running VMs placed on a host start with. */
function held(plan: Plan, name: string): number {
  const host = plan.hosts.find((h) => h.name === name);
  return host ? plan.vms.filter((v) => v.host === name && v.state === 'Running').reduce((s, v) => s + startNeedBytes(host, v), 0) : 0;
}
