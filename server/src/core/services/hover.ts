// Hovers with the numbers a planner needs: on a VM, on a host, on a size or duration. Key
// documentation comes from the JSON Schema (the language server merges it in).
import { hostCapacityBytes, placementFloorBytes, startNeedBytes, vmOverheadBytes, worstSmartPagingBytes } from '../capacity';
import type { Host, Plan, Vm } from '../plan';
import { own } from '../records';
import { review, type MoveReview } from '../simulate/review';
import type { SimulationResult } from '../simulate/types';
import type { Span } from '../text';
import { formatBytes, formatBytesExact, formatClock, formatDuration, parseDuration, parseSize } from '../units';
import { locate, spanOf } from './locate';
import { occurrenceAt } from './names';
import type { PlanDocument } from './types';

export interface HoverResult { markdown: string; span: Span }

export function doHover(doc: PlanDocument, offset: number): HoverResult | undefined {
  const { plan, root } = doc.analysis;
  const name = occurrenceAt(plan, offset);
  if (name) {
    const markdown = name.kind === 'host' ? hostHover(plan, name.name, doc.simulation, doc.drains) : vmHover(plan, name.name, doc.simulation);
    return markdown ? { markdown, span: name.span } : undefined;
  }
  const at = locate(root, plan, offset);
  if (!at || at.isKey || !at.field) return undefined;
  const { node, field } = at;
  if ((field.kind === 'size' || field.kind === 'demand') && (node.type === 'string' || node.type === 'number')) {
    const parsed = parseSize(node.value);
    return parsed.ok ? { markdown: formatBytesExact(parsed.value), span: spanOf(node) } : undefined;
  }
  if (field.kind === 'duration' && (node.type === 'string' || node.type === 'number')) {
    const parsed = parseDuration(node.value);
    if (!parsed.ok) return undefined;
    return { markdown: `${formatDuration(parsed.value)} = ${parsed.value.toLocaleString('en-US')} seconds`, span: spanOf(node) };
  }
  return undefined;
}

function vmsOn(plan: Plan, host: Host): Vm[] {
  return plan.vms.filter((v) => v.host === host.name);
}

export function hostHover(plan: Plan, name: string, simulation?: SimulationResult, drains?: ReadonlyMap<string, MoveReview>): string | undefined {
  const host = plan.hosts.find((h) => h.name === name);
  if (!host) return undefined;
  const capacity = hostCapacityBytes(host, plan.cluster);
  const running = vmsOn(plan, host).filter((v) => v.state === 'Running');
  const committed = running.reduce((sum, v) => sum + startNeedBytes(host, v), 0);
  const floor = placementFloorBytes(host, plan.cluster);
  const kept = floor > host.reserveBytes ? `RootMemoryReserved ${formatBytes(floor)} (larger than the ${formatBytes(host.reserveBytes)} reserve)` : `reserve ${formatBytes(host.reserveBytes)}`;
  const lines = [
    `**Host ${host.name}**`,
    '',
    `- memory ${formatBytes(host.memoryBytes)} − ${kept} = **${formatBytes(capacity)}** for VMs`,
    `- committed startup (running VMs, with overhead): **${formatBytes(committed)}** for ${running.length} VM${running.length === 1 ? '' : 's'}`,
    `- headroom: **${formatBytes(capacity - committed)}**${committed > capacity ? ' (over capacity: not every VM can start at once)' : ''}`,
  ];
  if (host.numaNodes > 1) lines.push(`- ${host.numaNodes} NUMA nodes of ${formatBytes(Math.floor(host.memoryBytes / host.numaNodes))}${host.numaSpanning ? '' : ', spanning off'}`);
  const outcome = simulation && hostOutcome(plan, host, simulation);
  if (outcome) lines.push('', `Scenario: ${outcome}`);
  for (const r of simulation ? review(simulation).restarts.filter((x) => x.host === host.name) : []) {
    const saved = r.saved.reduce((sum, v) => sum + v.bytes, 0);
    lines.push(`- restart at ${formatClock(r.at)}: ${r.saved.length} saved (${formatBytes(saved)}), ${r.stopped.length} shut down or turned off; ${r.restored.length} restored${r.restored.length ? ` (read back in ${formatDuration(r.readBackSeconds)})` : ''}, ${r.booted.length} booted (${r.booted.filter((b) => b.smartPagingBytes > 0).length} on Smart Paging)${r.failed.length ? `, **${r.failed.length} not back**` : ''}`);
  }
  const drain = drains?.get(host.name);
  if (drain) lines.push('', `If drained now: ${drainText(drain)}`);
  return lines.join('\n');
}

/** What a drain does, in a few words: "moves 14 VMs in 3 min 20 s (10 live, 4 quick)" or why it fails. */
export function drainText(d: MoveReview): string {
  const live = d.moves.filter((m) => m.moveType === 'live').length;
  const moved = `${d.moves.length} VM${d.moves.length === 1 ? '' : 's'}`;
  if (d.ok) return d.moves.length ? `moves ${moved} in ${formatDuration(d.seconds ?? 0)} (${live} live, ${d.moves.length - live} quick)` : 'nothing to move';
  if (d.endAt === undefined) return `the drain does not end within the what-if's hours (${moved} moved)`;
  return `**fails**: ${d.stuck.map((s) => s.vm).join(', ')} cannot move (${d.stuck[0]?.message.replace(/^.*? at [0-9:]+: /, '') ?? ''})`;
}

/** One line about what the plan's scenario did to a host's VMs; also the code lens text. */
export function hostOutcome(plan: Plan, host: Host, simulation: SimulationResult): string {
  const names = vmsOn(plan, host).map((v) => v.name);
  let failed = 0, paging = 0, peak = 0, started = 0;
  for (const n of names) {
    const s = own(simulation.vms, n);
    if (!s) continue;
    if (s.starts > 0) started++;
    if (s.startFailures > 0) failed++;
    if (s.smartPagingPeakBytes > 0) { paging++; peak = Math.max(peak, s.smartPagingPeakBytes); }
  }
  const restored = new Set<string>();
  const booted = new Set<string>();
  for (const e of simulation.events) {
    if (e.type === 'vmRestored' && names.includes(e.vm)) restored.add(e.vm);
    if (e.type === 'vmStarted' && names.includes(e.vm)) booted.add(e.vm);
  }
  const how = restored.size ? ` (${restored.size} restored, ${booted.size} booted)` : '';
  const parts = [`${started} of ${names.length} VMs started${how}`];
  if (paging) parts.push(`${paging} on Smart Paging (largest ${formatBytes(peak)})`);
  parts.push(failed ? `${failed} failed` : 'no failures');
  const summary = own(simulation.hosts, host.name);
  if (summary?.failed) parts.unshift('host lost');
  else if (summary?.paused) parts.unshift('paused at the end');
  return parts.join(', ');
}

export function vmHover(plan: Plan, name: string, simulation?: SimulationResult): string | undefined {
  const vm = plan.vms.find((v) => v.name === name);
  if (!vm) return undefined;
  const host = plan.hosts.find((h) => h.name === vm.host);
  const lines = [`**VM ${vm.name}**${host ? ` on ${host.name}` : ''}, generation ${vm.generation}, ${vm.dynamic ? 'Dynamic Memory' : 'static memory'}`, ''];
  if (host) {
    const overhead = vmOverheadBytes(host, vm.startupBytes);
    lines.push(`- to start: startup ${formatBytes(vm.startupBytes)} + overhead ${formatBytes(overhead)} = **${formatBytes(startNeedBytes(host, vm))}**`);
  } else {
    lines.push(`- startup ${formatBytes(vm.startupBytes)}`);
  }
  if (vm.dynamic) {
    lines.push(`- minimum ${formatBytes(vm.minimumBytes)}, maximum ${formatBytes(vm.maximumBytes)}, buffer ${vm.bufferPercent} %, priority ${vm.priority}`);
    const worst = worstSmartPagingBytes(vm);
    lines.push(worst > 0
      ? `- worst-case Smart Paging file at a restart: **${formatBytes(worst)}** (startup − minimum) in \`${vm.smartPagingFilePath}\``
      : '- no Smart Paging possible: minimum is not below startup');
  } else {
    lines.push('- static memory: a restart needs the whole startup memory; Smart Paging never applies');
  }
  const outcome = simulation && vmOutcome(vm, simulation);
  if (outcome) lines.push('', `Scenario: ${outcome}`);
  return lines.join('\n');
}

function vmOutcome(vm: Vm, simulation: SimulationResult): string | undefined {
  const s = own(simulation.vms, vm.name);
  if (!s) return undefined;
  const parts: string[] = [];
  for (const e of simulation.events) {
    if (!('vm' in e) || e.vm !== vm.name) continue;
    if (e.type === 'vmStarted') {
      parts.push(`${e.restart ? 'restarted' : 'started'}${e.failover ? ` on ${e.host} (failover)` : ''} at ${formatClock(e.t)}${e.smartPagingBytes > 0 ? ` with ${formatBytes(e.smartPagingBytes)} on Smart Paging` : ''}`);
    } else if (e.type === 'vmStartFailed') {
      parts.push(`**failed to start** at ${formatClock(e.t)}: ${e.message}`);
    } else if (e.type === 'smartPagingEnded') {
      parts.push(`Smart Paging ended after ${formatDuration(e.seconds)}`);
    } else if (e.type === 'vmSaved') {
      parts.push(`saved at ${formatClock(e.t)} (${formatBytes(e.bytes)})`);
    } else if (e.type === 'vmRestored') {
      parts.push(`restored at ${formatClock(e.t)} with the ${formatBytes(e.bytes)} it held`);
    } else if (e.type === 'vmMigrated') {
      parts.push(`moved to ${e.to} at ${formatClock(e.t)} (${e.purpose === 'move' ? e.moveType : `${e.purpose}, ${e.moveType}`})`);
    } else if (e.type === 'vmMigrationFailed' || e.type === 'vmSaveFailed' || e.type === 'vmResizeFailed') {
      parts.push(`**${e.message}**`);
    } else if (e.type === 'vmPreempted') {
      parts.push(`**preempted** on ${e.host} at ${formatClock(e.t)} for ${e.for}`);
    }
  }
  parts.push(s.running ? `holds ${formatBytes(s.assignedBytes)} at the end` : s.saved ? 'saved at the end' : 'not running at the end');
  return parts.join('; ');
}
