// One change to a plan, the kinds `hvmem advise` searches over: applied to the typed plan (to simulate
// it), turned into a fix (to write it into the text), and said in words (what it costs).
import type { PlanFix } from '../fixes';
import { sizeValue } from '../fixes';
import type { ClusterPriority, Plan, StopAction, Vm } from '../plan';
import { formatDuration, GB, MB } from '../units';

export type Change =
  | { kind: 'hostMemory'; target: string; from: number; to: number }
  | { kind: 'vmStartup'; target: string; from: number; to: number }
  | { kind: 'vmMinimum'; target: string; from: number; to: number }
  | { kind: 'vmMaximum'; target: string; from: number; to: number }
  | { kind: 'startDelay'; target: string; from: number; to: number }
  | { kind: 'stopAction'; target: string; from: StopAction; to: StopAction }
  | { kind: 'moveVm'; target: string; from: string; to: string }
  | { kind: 'possibleOwners'; target: string; from: string[]; to: string[] }
  | { kind: 'clusterPriority'; target: string; from: ClusterPriority; to: ClusterPriority };

export type ChangeKind = Change['kind'];

/** The plan with the change made, sharing every host and VM it does not touch. */
export function applyChange(plan: Plan, c: Change): Plan {
  if (c.kind === 'hostMemory') return { ...plan, hosts: plan.hosts.map((h) => (h.name === c.target ? { ...h, memoryBytes: c.to } : h)) };
  return { ...plan, vms: plan.vms.map((v) => (v.name === c.target ? changedVm(v, c) : v)) };
}

function changedVm(v: Vm, c: Exclude<Change, { kind: 'hostMemory' }>): Vm {
  switch (c.kind) {
    case 'vmStartup': {
      // A static VM's minimum and maximum are its startup; a demand left unwritten follows the memory it defaults to.
      const next: Vm = v.dynamic ? { ...v, startupBytes: c.to } : { ...v, startupBytes: c.to, minimumBytes: c.to, maximumBytes: c.to };
      return v.spans.demand || v.dynamic ? next : { ...next, demand: [{ atSeconds: 0, bytes: c.to }] };
    }
    case 'vmMinimum': {
      const next = { ...v, minimumBytes: c.to };
      return v.spans.demand ? next : { ...next, demand: [{ atSeconds: 0, bytes: c.to }] };
    }
    case 'vmMaximum': return { ...v, maximumBytes: c.to };
    case 'startDelay': return { ...v, automaticStartDelaySeconds: c.to };
    case 'stopAction': return { ...v, automaticStopAction: c.to };
    case 'moveVm': return { ...v, host: c.to };
    case 'possibleOwners': return { ...v, possibleOwners: c.to };
    case 'clusterPriority': return { ...v, clusterPriority: c.to };
  }
}

/** The change as a fix the editor and `advise` write into the plan's text. */
export function changeFix(c: Change): PlanFix {
  const vm = (key: string[], value: PlanFix['edits'][number]['value']): PlanFix => ({ title: changeTitle(c), edits: [{ on: 'vm', name: c.target, key, value }] });
  switch (c.kind) {
    case 'hostMemory': return { title: changeTitle(c), edits: [{ on: 'host', name: c.target, key: ['memory'], value: sizeValue(c.to) }] };
    case 'vmStartup': return vm(['memory', 'startup'], sizeValue(c.to));
    case 'vmMinimum': return vm(['memory', 'minimum'], sizeValue(c.to));
    case 'vmMaximum': return vm(['memory', 'maximum'], sizeValue(c.to));
    case 'startDelay': return vm(['automaticStartDelay'], delayValue(c.to));
    case 'stopAction': return vm(['automaticStopAction'], c.to);
    case 'moveVm': return vm(['host'], c.to);
    case 'possibleOwners': return vm(['possibleOwners'], c.to);
    case 'clusterPriority': return vm(['clusterPriority'], c.to);
  }
}

/** A delay as plan text: "3m", "1m30s", or seconds. */
function delayValue(seconds: number): string | number {
  if (seconds < 60 || !Number.isInteger(seconds)) return seconds;
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}m${s ? `${s}s` : ''}`;
}

/** A size as the plan writes it, exactly: "50 GB", "5,632 MB". */
function exact(bytes: number): string {
  return bytes % GB === 0 ? `${(bytes / GB).toLocaleString('en-US')} GB` : `${(bytes / MB).toLocaleString('en-US')} MB`;
}

export function changeTitle(c: Change): string {
  switch (c.kind) {
    case 'hostMemory': return `Raise ${c.target}'s memory to ${exact(c.to)}`;
    case 'vmStartup': return `${c.to < c.from ? 'Lower' : 'Raise'} ${c.target}'s startup memory to ${exact(c.to)}`;
    case 'vmMinimum': return `Lower ${c.target}'s minimum memory to ${exact(c.to)}`;
    case 'vmMaximum': return `Raise ${c.target}'s maximum memory to ${exact(c.to)}`;
    case 'startDelay': return `Start ${c.target} ${formatDuration(c.to - c.from)} later (automaticStartDelay ${formatDuration(c.to)})`;
    case 'stopAction': return `Set ${c.target}'s stop action to ${c.to}`;
    case 'moveVm': return `Place ${c.target} on ${c.to}`;
    case 'possibleOwners': return `Add ${c.to.filter((h) => !c.from.includes(h)).join(', ')} to ${c.target}'s possible owners`;
    case 'clusterPriority': return `Raise ${c.target}'s cluster priority to ${c.to}`;
  }
}

/** What the change costs, in a few words: "+2 GB on HV01", "WEB02 boots 3 min later". */
export function changeCost(c: Change): string {
  switch (c.kind) {
    case 'hostMemory': return `+${exact(c.to - c.from)} on ${c.target}`;
    case 'vmStartup': return c.to < c.from ? `${c.target} starts with ${exact(c.from - c.to)} less` : `${c.target} holds ${exact(c.to - c.from)} more`;
    case 'vmMinimum': return `${c.target} may be ballooned down to ${exact(c.to)}, ${exact(c.from - c.to)} lower`;
    case 'vmMaximum': return `${c.target} may grow to ${exact(c.to)}, ${exact(c.to - c.from)} more`;
    case 'startDelay': return `${c.target} boots ${formatDuration(c.to - c.from)} later`;
    case 'stopAction': return c.to === 'Save' ? `${c.target} is saved at a host restart (disk for its memory in its configuration folder)` : `${c.target} is ${c.to === 'ShutDown' ? 'shut down' : 'turned off'} at a host restart and boots again`;
    case 'moveVm': return `${c.target} runs on ${c.to} instead of ${c.from}`;
    case 'possibleOwners': return `${c.target} may also run on ${c.to.filter((h) => !c.from.includes(h)).join(', ')}`;
    case 'clusterPriority': return `${c.target} is placed before ${c.from} VMs (and may preempt them)`;
  }
}

/** Memory a change adds (to a host, or to what a VM may hold), for ranking; the others add none. */
export function memoryAdded(c: Change): number {
  if (c.kind === 'hostMemory' || c.kind === 'vmMaximum' || (c.kind === 'vmStartup' && c.to > c.from)) return c.to - c.from;
  return 0;
}

/** VMs whose settings a change touches, for ranking. */
export function vmsTouched(c: Change): number {
  return c.kind === 'hostMemory' ? 0 : 1;
}
