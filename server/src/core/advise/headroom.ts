// How much room is left: per host, how many more VMs of a shape still come back after the plan's
// scenario without Smart Paging or a failed start; per cluster, how many more still leave every VM
// running after the loss of any one node, and which node's loss is the worst. Found by adding VMs and
// simulating, with the same search as the fixes.
import { hostCapacityBytes, startNeedBytes, vmOverheadBytes } from '../capacity';
import type { Plan, Vm } from '../plan';
import { readPlan } from '../read';
import { MB } from '../units';
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
    if (!plan.vms.length) return undefined;
    return { startup: options.startup, dynamic: false, vm: defaultVm(options.startup) };
  }
  const sorted = [...plan.vms].sort((a, b) => a.startupBytes - b.startupBytes || a.index - b.index);
  const model = options.like !== undefined ? plan.vms.find((v) => v.name === options.like) : sorted[Math.floor((sorted.length - 1) / 2)];
  if (!model) return undefined;
  // A copy that runs and comes back after a restart (a VM set to stay off would fit any number of times).
  const comesBack = model.automaticStartAction === 'Nothing' ? 'StartIfRunning' : model.automaticStartAction;
  return { startup: model.startupBytes, dynamic: model.dynamic, like: model.name, vm: { ...model, state: 'Running', automaticStartAction: comesBack, possibleOwners: undefined, antiAffinityClasses: [] } };
}

/** A static VM of that startup memory with every other setting at its default, read as a plan would be. */
function defaultVm(startup: number): Vm {
  const text = JSON.stringify({ hosts: [{ name: 'h', memory: '1TB' }], vms: [{ name: 'shape', host: 'h', memory: { startup: `${startup / MB}MB` } }] });
  return readPlan(text).plan.vms[0];
}

/** The plan with `count` more VMs of the shape on the given hosts (one list entry per VM). */
function withMore(plan: Plan, shape: Shape, hosts: readonly string[]): Plan {
  const added = hosts.map((host, i) => ({ ...shape.vm, name: `\u0000headroom ${i + 1}`, host, index: plan.vms.length + i, span: { start: 0, end: 0 } }));
  return { ...plan, vms: [...plan.vms, ...added] };
}

/** The shape as the advice reports it. */
export function shapeSummary(shape: Shape): Headroom['shape'] {
  return { startup: shape.startup, dynamic: shape.dynamic, ...(shape.like !== undefined ? { like: shape.like } : {}) };
}

/**
 * How many more fit on one host: added VMs run from the start and come back after the plan's scenario
 * without a new Smart Paging restart, a failed start or an error. A standalone host is simulated with
 * every host its events tie it to (migrations), the rest left out. A cluster node is simulated alone,
 * with its VMs' own events: what a node's loss, a drain or a rolling update asks of the others is the
 * cluster's figure (and the fixes').
 */
export function moreOnHost(ev: Evaluator, shape: Shape, name: string): number {
  const base = ev.base;
  const plan: Plan = base.cluster ? nodeAlone(base, name) : base;
  const host = plan.hosts.find((h) => h.name === name);
  if (!host) return 0;
  // A first guess: with nothing but the start, running VMs are placed at their minimum (Dynamic Memory)
  // or startup; after a restart they need their startup.
  const restarts = plan.scenario.events.some((e) => e.type === 'hostRestart' || e.type === 'vmRestart' || e.type === 'vmStart');
  const needOf = (v: Vm) => (restarts ? startNeedBytes(host, v) : (v.dynamic ? v.minimumBytes : v.startupBytes) + vmOverheadBytes(host, v.startupBytes));
  const committed = plan.vms.filter((v) => v.host === name && v.state === 'Running').reduce((s, v) => s + needOf(v), 0);
  const estimate = Math.max(0, Math.floor((hostCapacityBytes(host, plan.cluster) - committed) / Math.max(1, needOf(shape.vm))));
  const findings = (p: Plan) => ev.findings(p, undefined, [name]);
  const before = new Set(findings(plan).map((f) => f.key));
  // "Fails" at n: the n-th more VM brings trouble. The answer is one less than the smallest such n.
  const troubled = (n: number) => {
    const trial = withMore(plan, shape, Array.from({ length: n }, () => name));
    if (simulationRefusal(trial)) return true;
    // Trouble, or an error (a trial that cannot be simulated fits nothing), new to the host's scenario.
    return findings(trial).some((f) => (TROUBLE.has(f.code) || f.severity === 'error') && !before.has(f.key));
  };
  const max = ceiling(hostCapacityBytes(host, plan.cluster));
  const first = smallestSteps(max, troubled, estimate + 1);
  return first ? first.steps - 1 : max;
}

/** A cluster node with its VMs and their own events (starts, stops, demand), without the other nodes. */
function nodeAlone(plan: Plan, name: string): Plan {
  const own = subPlan(plan, new Set([name]));
  const events = own.scenario.events.filter((e) => 'vm' in e && e.type !== 'vmMigrate');
  // Without events only the start can go wrong (demand alone never stops a VM): the first tick tells.
  return { ...own, scenario: { ...own.scenario, events, durationSeconds: events.length ? own.scenario.durationSeconds : 0 } };
}

/**
 * How many more fit on the cluster and still leave every VM running after the loss of any one node,
 * each added VM placed on the node with the most room left; and which node's loss is the worst.
 */
export function clusterHeadroom(ev: Evaluator, shape: Shape): NonNullable<Headroom['cluster']> {
  const plan = ev.base;
  const stranded = (p: Plan) => ev.losses(p);
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
  const max = ceiling(total);
  const first = smallestSteps(max, loses, estimate + 1);
  return { more: first ? first.steps - 1 : max, survivesAnyNodeLoss: true, worstNode: worst?.host };
}

/**
 * More VMs than this cannot fit in `bytes` whatever their shape (each holds at least Hyper-V's 32 MB
 * minimum), so the search never looks further; from its first guess it gallops, so a far ceiling costs
 * a few trials, not many.
 */
function ceiling(bytes: number): number {
  return Math.max(1, Math.floor(bytes / (32 * MB)) + 1);
}

/** Memory (with overhead) the running VMs placed on a host start with. */
function held(plan: Plan, name: string): number {
  const host = plan.hosts.find((h) => h.name === name);
  return host ? plan.vms.filter((v) => v.host === name && v.state === 'Running').reduce((s, v) => s + startNeedBytes(host, v), 0) : 0;
}
