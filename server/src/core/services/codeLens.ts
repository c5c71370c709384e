// Code lenses: "Simulate" at the top of a plan (or why it cannot be simulated yet), and one line per
// host with its committed memory and, once the scenario has run, its outcome; once the advice has
// been computed, how many more VMs it takes.
import { simulationBlockers } from '../analyze';
import { hostCapacityBytes, startNeedBytes } from '../capacity';
import type { Span } from '../text';
import { formatBytes } from '../units';
import { drainText, hostOutcome } from './hover';
import type { Headroom } from '../advise';
import type { PlanDocument } from './types';

export interface PlanLens {
  span: Span;
  title: string;
  /** 'simulate': run the scenario and show the timeline; undefined: information only */
  action?: 'simulate';
}

export function codeLenses(doc: PlanDocument): PlanLens[] {
  const { plan, diagnostics } = doc.analysis;
  // Only a plan that names its hosts has something to simulate. The lens goes on the first line.
  if (!plan.spans.hosts) return [];
  const blockers = simulationBlockers(diagnostics);
  const top: PlanLens = blockers.length
    ? { span: { start: 0, end: 0 }, title: `Simulate after fixing ${blockers.length === 1 ? 'the error' : `${blockers.length} errors`}: ${firstSentence(blockers[0].message)}` }
    : { span: { start: 0, end: 0 }, title: '▶ Simulate', action: 'simulate' };
  const lenses: PlanLens[] = [top];
  for (const host of plan.hosts) {
    const at = host.spans.name?.key ?? host.span;
    const committed = plan.vms.filter((v) => v.host === host.name && v.state === 'Running').reduce((s, v) => s + startNeedBytes(host, v), 0);
    const capacity = hostCapacityBytes(host, plan.cluster);
    let title = !host.spans.memory && !host.memoryBytes
      ? `${host.name}: ${formatBytes(committed)} committed; its memory is missing`
      : `${host.name}: ${formatBytes(committed)} of ${formatBytes(capacity)} committed${committed > capacity ? `: over by ${formatBytes(committed - capacity)}` : ''}`;
    if (doc.simulation) title += ` · ${hostOutcome(plan, host, doc.simulation)}`;
    const drain = doc.drains?.get(host.name);
    if (drain) title += ` · drain: ${drainText(drain).replace(/\*\*/g, '')}`;
    const room = doc.headroom && Object.hasOwn(doc.headroom.hosts, host.name) ? doc.headroom.hosts[host.name].more : undefined;
    if (room !== undefined && doc.headroom) title += ` · ${roomText(room, doc.headroom)}`;
    lenses.push({ span: { start: at.start, end: at.start }, title });
  }
  return lenses;
}

/** "room for 3 more like WEB02; the cluster survives losing any node". */
function roomText(more: number, headroom: Headroom): string {
  const what = headroom.shape.like !== undefined ? `like ${headroom.shape.like}` : `of ${formatBytes(headroom.shape.startup)}`;
  const c = headroom.cluster;
  const cluster = !c ? '' : c.survivesAnyNodeLoss ? '; the cluster survives losing any node' : `; the cluster does not survive losing ${c.worstNode ?? 'a node'}`;
  return `${more === 0 ? `no room for another VM ${what}` : `room for ${more} more ${what}`}${cluster}`;
}

function firstSentence(message: string): string {
  const end = message.search(/[.:](\s|$)/);
  return end > 0 ? message.slice(0, end) : message;
}
