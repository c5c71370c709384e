// hvmem simulate: runs the plan's scenario and prints what happened (text) or the whole result (JSON).
import { analyzePlan, simulationBlockers } from '../core/analyze';
import type { Host, Plan } from '../core/plan';
import { simulate, simulationRefusal, type SimulationResult } from '../core/simulate';
import type { SimEvent } from '../core/simulate/types';
import { review, type MoveReview, type RestartReview, type Review } from '../core/simulate/review';
import { own } from '../core/records';
import { LineIndex } from '../core/text';
import { formatBytes, formatClock, formatDuration } from '../core/units';
import { count } from '../core/words';
import { oneOf, parseCommandArgs, readPlanFile, UsageError } from './io';
import { writeTimelineHtml } from './timeline-html';
import { dirname, resolve } from 'node:path';
import { sharingScanReader } from '../sharingScanFile';

const USAGE = 'usage: hvmem simulate <plan> [--format text|json] [--html <file>]';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { format: { type: 'string' }, html: { type: 'string' } }, USAGE);
  if (values.help) {
    process.stdout.write(`${USAGE}\n\nRuns the plan's scenario (without one: every host restarts at t = 0, for 30 minutes) and reports\nwhich VMs restart on Smart Paging, which fail to start and why, and each host's peak use.\n--format json prints the whole result: events, per-VM and per-host summaries, and the timeline series.\n--html <file> also writes the timeline as one self-contained page (the editor panel's view).\nA VM too large for its host (startup-exceeds-host, numa-fit) is simulated as a VM that fails to start.\nExit 0: simulated; 1: the plan cannot be read as a plan (any other error) or is too large to simulate;\n2: bad usage or unreadable file.\n`);
    return 0;
  }
  const format = oneOf(values.format as string | undefined, ['text', 'json'] as const, '--format', 'text');
  if (positionals.length !== 1) throw new UsageError(`${positionals.length ? 'one plan at a time' : 'no plan given'}\n${USAGE}`);
  const file = positionals[0];
  const text = readPlanFile(file);
  const { plan } = loadSimulatablePlan(file, text);
  const result = simulate(plan);
  process.stdout.write(format === 'json' ? JSON.stringify(result) + '\n' : summarize(plan, result));
  if (values.html !== undefined) {
    writeTimelineHtml(values.html as string, result, `Timeline: ${file}`);
    // The path goes where it cannot spoil JSON on standard output.
    (format === 'json' ? process.stderr : process.stdout).write(`\nTimeline written to ${resolve(values.html as string)}: open it in a browser.\n`);
  }
  return 0;
}

/**
 * The plan, if it can be read as a plan and is small enough to simulate; otherwise a one-line refusal
 * (exit 1). Capacity errors do not refuse: such VMs fail to start in the simulation.
 */
export function loadSimulatablePlan(file: string, text: string): { plan: Plan } {
  const analysis = analyzePlan(text, { scenario: false, readSharingScan: sharingScanReader({ planFolder: dirname(file) }) });
  const errors = simulationBlockers(analysis.diagnostics);
  if (errors.length) {
    const first = errors[0];
    const at = new LineIndex(text).range(first.span).start;
    throw new UsageError(`${file}: the plan has ${errors.length} error${errors.length > 1 ? 's' : ''} and cannot be simulated; the first, at line ${at.line + 1}, column ${at.character + 1}: ${first.message} (run 'hvmem check ${file}')`, 1);
  }
  const refusal = simulationRefusal(analysis.plan);
  if (refusal) throw new UsageError(`${file}: too large to simulate: ${refusal}`, 1);
  return { plan: analysis.plan };
}

type Of<T extends SimEvent['type']> = Extract<SimEvent, { type: T }>;

/**
 * A summary a person can act on: what each host restart, drain, failback and rolling update did (a
 * runbook review), Smart Paging use, failed starts, failover, per-host peaks.
 */
export function summarize(plan: Plan, result: SimulationResult): string {
  const out: string[] = [];
  const scenario = plan.scenario.implicit ? 'default scenario: every host restarts at 0:00:00' : `${plan.scenario.events.length} scenario event${plan.scenario.events.length === 1 ? '' : 's'}`;
  out.push(`Simulated ${formatDuration(result.duration)} (${scenario}), balancer every ${plan.model.tickSeconds} s.`);

  const vms = Object.entries(result.vms);
  const running = vms.filter(([, v]) => v.running).length;
  const failed = result.events.filter((e): e is Of<'vmStartFailed'> => e.type === 'vmStartFailed');
  const spStarts = result.events.filter((e): e is Of<'smartPagingStarted'> => e.type === 'smartPagingStarted');
  const over = new Set(result.events.filter((e) => e.type === 'smartPagingOverTarget').map((e) => (e as Of<'smartPagingOverTarget'>).vm));
  const lostNodes = result.events.filter((e) => e.type === 'nodeFailure').length;
  const moved = result.events.filter((e) => e.type === 'vmMigrated').length;
  const preempted = result.events.filter((e): e is Of<'vmPreempted'> => e.type === 'vmPreempted');
  const extra = [lostNodes ? `${count(lostNodes, 'node')} lost` : '', moved ? `${count(moved, 'move')}` : '', preempted.length ? `${count(preempted.length, 'VM')} preempted` : ''].filter(Boolean);
  out.push(`${running} of ${vms.length} VMs running at the end; ${count(spStarts.length, 'start')} on Smart Paging; ${count(failed.length, 'failed start')}${extra.length ? `; ${extra.join(', ')}` : ''}.`);

  const sharing = plan.hosts.filter((h) => h.pageSharingPercent > 0 || h.pageSharingScan);
  if (sharing.length) {
    out.push('', 'Page sharing what-if (Hyper-V does not share pages; each host holds its memory for VMs ÷ (1 − share)):');
    for (const h of capped(sharing, out)) out.push(`  ${h.name}: ${sharingAssumed(h)}`);
  }

  out.push(...runbook(review(result)));

  if (spStarts.length) {
    out.push('', 'Smart Paging (restarts bridged by a file on disk; the guest is slow meanwhile):');
    const ends = result.events.filter((e): e is Of<'smartPagingEnded'> => e.type === 'smartPagingEnded');
    for (const s of capped(spStarts, out)) {
      const end = ends.find((e) => e.vm === s.vm && e.t >= s.t);
      const held = end ? `for ${formatDuration(end.seconds)}, deleted at ${formatClock(end.t)}` : `still in use at the end (${formatDuration(result.duration - s.t)})`;
      const late = over.has(s.vm) && (!end || end.seconds > plan.model.smartPagingTargetSeconds)
        ? `  OVER the ${formatDuration(plan.model.smartPagingTargetSeconds)} target: give the host more memory or lower the VM's startup memory` : '';
      out.push(`  ${s.vm} on ${s.host} at ${formatClock(s.t)}: ${formatBytes(s.bytes)} in ${s.path}, ${held}${late}`);
    }
  }

  if (failed.length) {
    out.push('', 'Failed starts:');
    for (const f of capped(failed, out)) out.push(`  ${f.vm} on ${f.host || '(no host)'} at ${formatClock(f.t)} [${f.restore ? 'restore, ' : ''}${f.reason}]: ${f.message.replace(/^.*? could not (?:start|be restored) at [0-9:]+: /, '')}`);
  }

  const failovers = result.events.filter((e): e is Of<'vmStarted'> => e.type === 'vmStarted' && e.failover);
  if (failovers.length) {
    out.push('', 'Failover (cold starts on other nodes):');
    for (const f of capped(failovers, out)) out.push(`  ${f.vm} started on ${f.host} at ${formatClock(f.t)} with ${formatBytes(f.physicalBytes)}`);
  }
  if (preempted.length) {
    out.push('', 'Preempted (taken offline for a higher-priority VM):');
    for (const p of capped(preempted, out)) {
      const back = result.events.find((e) => e.type === 'vmStarted' && e.vm === p.vm && e.t > p.t);
      out.push(`  ${p.vm} on ${p.host} at ${formatClock(p.t)}, for ${p.for}: ${back ? `started again at ${formatClock(back.t)}` : 'not back by the end'}`);
    }
  }

  const short = vms.filter(([, v]) => v.running && v.demandBytes > v.assignedBytes + v.smartPagingBytes);
  if (short.length) {
    out.push('', 'Short of their guest\'s demand at the end (the guest pages inside itself):');
    for (const [n, v] of capped(short, out)) {
      const held = v.assignedBytes + v.smartPagingBytes;
      out.push(`  ${n} on ${v.host}: holds ${formatBytes(held)} of the ${formatBytes(v.demandBytes)} it needs (pressure ${Math.round((100 * v.demandBytes) / held)}%)`);
    }
  }

  const notBack = vms.filter(([, v]) => !v.running && !v.saved && v.starts === 0 && v.startFailures === 0).map(([n]) => n);
  if (notBack.length) out.push('', `Off throughout or left off (start action, NoAutoStart, or stopped): ${notBack.join(', ')}.`);
  const stillSaved = vms.filter(([, v]) => v.saved).map(([n]) => n);
  if (stillSaved.length) out.push('', `Saved at the end (start action Nothing, or a restore that failed): ${stillSaved.join(', ')}.`);

  out.push('', 'Hosts:');
  const rows = Object.entries(result.hosts).map(([name, h]) => [
    name, formatBytes(h.memory), formatBytes(h.capacity), `${formatBytes(h.peakBytes)} (${h.capacity ? Math.round((100 * h.peakBytes) / h.capacity) : 0}%)`,
    formatBytes(h.peakSmartPagingBytes), h.failed ? 'failed' : `${formatBytes(own(result.series.hosts, name)?.free.at(-1) ?? 0)}${h.paused ? ' (paused)' : ''}`,
  ]);
  out.push(...table(['host', 'memory', 'for VMs', 'peak used', 'peak Smart Paging', 'free at end'], rows).map((l) => `  ${l}`));
  out.push('');
  return out.join('\n');
}

const list = (names: readonly string[], max = 8) => names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;

/** The runbook review: each host restart, rolling update, drain and failback, in a few lines each. */
function runbook(r: Review): string[] {
  const out: string[] = [];
  const inUpdate = (x: { at: number; host: string }) => r.updates.some((u) => x.at >= u.at && (u.endAt === undefined || x.at <= u.endAt) && u.nodes.some((n) => n.host === x.host));
  for (const u of r.updates) {
    const status = u.ok === undefined ? 'still running at the end' : u.ok ? `done in ${formatDuration(u.seconds!)}` : `STOPPED at ${u.stoppedAt} after ${formatDuration(u.seconds!)}`;
    out.push('', `Rolling update from ${formatClock(u.at)}: ${status}.`);
    for (const n of u.nodes) {
      const parts: string[] = [];
      if (n.drain) parts.push(drainLine(n.drain));
      if (n.restart) parts.push(restartLine(n.restart));
      if (n.failback) parts.push(failbackLine(n.failback));
      out.push(`  ${n.host}: ${parts.join('; ') || 'not reached'}`);
      if (n.drain && !n.drain.ok) {
        for (const s of n.drain.stuck) out.push(`    ${s.message}`);
        out.push('    The run stops here: the nodes after it are not updated.');
      }
    }
  }
  const restarts = r.restarts.filter((x) => !inUpdate(x));
  if (restarts.length) {
    out.push('', 'Host restarts:');
    for (const x of restarts) {
      const drain = r.drains.find((d) => d.host === x.host && d.at === x.at);
      out.push(`  ${x.host} at ${formatClock(x.at)}: ${drain ? `${drainLine(drain)}; ` : ''}${restartLine(x)}`);
      if (x.restored.length) out.push(`    restored from saved state: ${count(x.restored.length, 'VM')}, ${formatBytes(x.restored.reduce((s, v) => s + v.bytes, 0))} read back in ${formatDuration(x.readBackSeconds)} (${list(x.restored.map((v) => v.vm))})`);
      if (x.booted.length) {
        const paging = x.booted.filter((b) => b.smartPagingBytes > 0);
        out.push(`    booted: ${count(x.booted.length, 'VM')}, ${paging.length} on Smart Paging (${list(x.booted.map((b) => b.vm + (b.smartPagingBytes > 0 ? '*' : '')))})${paging.length ? '; * on Smart Paging' : ''}`);
      }
      for (const f of x.failed) out.push(`    not back: ${f.message}`);
    }
  }
  const drains = r.drains.filter((d) => !inUpdate(d) && !r.restarts.some((x) => x.host === d.host && x.at === d.at));
  if (drains.length) {
    out.push('', 'Drains:');
    for (const d of drains) {
      out.push(`  ${d.host} at ${formatClock(d.at)}: ${drainLine(d)}`);
      for (const s of d.stuck) out.push(`    ${s.message}`);
    }
  }
  const failbacks = r.failbacks.filter((f) => !inUpdate(f));
  if (failbacks.length) {
    out.push('', 'Failback:');
    for (const f of failbacks) {
      out.push(`  to ${f.host} at ${formatClock(f.at)}: ${failbackLine(f)}`);
      for (const s of f.stuck) out.push(`    ${s.message}`);
    }
  }
  return out;
}

function drainLine(d: MoveReview): string {
  if (d.endAt === undefined) return `drain still running at the end${moved(d)}`;
  return d.ok ? `drained in ${formatDuration(d.seconds!)}${moved(d)}` : `drain FAILED at ${formatClock(d.endAt)}: ${list(d.stuck.map((s) => s.vm))} cannot move${moved(d, 'the others moved:')}`;
}

function failbackLine(f: MoveReview): string {
  const back = f.moves.length ? `${count(f.moves.length, 'VM')} back in ${formatDuration(f.seconds!)}` : 'nothing to move back';
  return f.ok ? `failback: ${back}` : `failback: ${back}, ${list(f.stuck.map((s) => s.vm))} could not move back`;
}

/** ": 4 VMs to HV-C (2), HV-B (2), 3 live, 1 quick". */
function moved(m: MoveReview, who = ''): string {
  if (!m.moves.length) return '';
  const to = new Map<string, number>();
  for (const x of m.moves) to.set(x.to, (to.get(x.to) ?? 0) + 1);
  const live = m.moves.filter((x) => x.moveType === 'live').length;
  return `${who ? `; ${who}` : ':'} ${count(m.moves.length, 'VM')} to ${[...to].map(([h, n]) => `${h} (${n})`).join(', ')}, ${live} live, ${m.moves.length - live} quick`;
}

function restartLine(x: RestartReview): string {
  const saved = x.saved.length ? `saved ${count(x.saved.length, 'VM')} (${formatBytes(x.saved.reduce((s, v) => s + v.bytes, 0))}), ` : '';
  const stopped = x.stopped.length ? `shut down or turned off ${count(x.stopped.length, 'VM')}, ` : '';
  if (x.downAt === undefined) return `restart: ${saved}${stopped}not down by the end`;
  return `restart: ${saved}${stopped}down at ${formatClock(x.downAt)}, ${x.upAt === undefined ? 'not back by the end' : `back at ${formatClock(x.upAt)}`}`;
}

function sharingAssumed(host: Host): string {
  const scan = host.pageSharingScan;
  if (scan && !scan.applied) return `no page sharing assumed: the scan result ${scan.path} could not be used (run 'hvmem check' for why)`;
  const share = `page sharing ${Number(host.pageSharingPercent.toFixed(1))} %`;
  if (!scan) return `${share} assumed`;
  return `${share} at ${formatBytes(scan.pageSizeBytes)} pages assumed (from ${scan.path}${scan.zeroPages ? '' : ', without zero pages'})`;
}

/** Lists in the summary stop at LIST_LIMIT lines; the JSON output has them all. */
const LIST_LIMIT = 40;

function capped<T>(items: T[], out: string[]): T[] {
  if (items.length <= LIST_LIMIT) return items;
  out.push(`  (the first ${LIST_LIMIT} of ${items.length}; --format json has them all)`);
  return items.slice(0, LIST_LIMIT);
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)];
}
