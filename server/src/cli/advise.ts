// hvmem advise: for each finding, the smallest changes that remove it (each checked by simulating the
// plan with it), how much room is left, how far demand can grow, and for a cluster that is not N+1
// safe, the moves that make it. Text reads as a short report; JSON is the contract's.
import { dirname } from 'node:path';
import { advise, type Advice } from '../core/advise';
import { analyzePlan, simulationBlockers, type Analysis } from '../core/analyze';
import { simulationRefusal } from '../core/simulate';
import { LineIndex } from '../core/text';
import { formatBytes, MB, parseSize } from '../core/units';
import { count, firstSentence } from '../core/words';
import { sharingScanReader } from '../sharingScanFile';
import { oneOf, parseCommandArgs, readPlanFile, UsageError } from './io';

const USAGE = 'usage: hvmem advise <plan> [--like <vm> | --shape <size>] [--format text|json]';

const HELP = `${USAGE}

For each finding of the plan's scenario (and each VM too large for its host), the smallest changes that
remove it: more host memory (in GB), a lower startup or minimum (in 2 MB), a later start (in seconds),
another stop action, another host, another possible owner, a higher cluster priority. Each is checked
by simulating the plan with that change alone: the finding is gone and no error appears, and one step
less would not do. Then how many more VMs of a shape each host (and the cluster, after the loss of any
node) still takes, the smallest growth of every VM's demand that brings a new finding, and on a cluster
that is not N+1 safe, VM moves that make it so.
  --like <vm>      the shape of the VMs headroom counts: a copy of that VM
  --shape <size>   a static VM of that startup memory (default: like the VM of median startup memory)
Exit 0: advised (capacity errors included); 1: the plan has other errors; 2: bad usage or unreadable file.
`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { like: { type: 'string' }, shape: { type: 'string' }, format: { type: 'string' } }, USAGE);
  if (values.help) { process.stdout.write(HELP); return 0; }
  const format = oneOf(values.format as string | undefined, ['text', 'json'] as const, '--format', 'text');
  if (positionals.length !== 1) throw new UsageError(`${positionals.length ? 'one plan at a time' : 'no plan given'}\n${USAGE}`);
  if (values.like !== undefined && values.shape !== undefined) throw new UsageError(`--like and --shape cannot go together\n${USAGE}`);
  let shapeBytes: number | undefined;
  if (values.shape !== undefined) {
    const parsed = parseSize(values.shape as string);
    if (!parsed.ok) throw new UsageError(`--shape ${values.shape}: ${parsed.message}`);
    if (parsed.value < 32 * MB || parsed.value % (2 * MB) !== 0) throw new UsageError(`--shape ${values.shape}: a VM's memory is at least 32MB and a whole even number of MB`);
    shapeBytes = parsed.value;
  }
  const file = positionals[0];
  const text = readPlanFile(file);
  const analysis = readSimulatablePlan(file, text);
  const like = values.like as string | undefined;
  if (like !== undefined && !analysis.plan.vms.some((v) => v.name === like)) throw new UsageError(`--like ${like}: the plan has no VM of that name`);
  const advice = advise({ text, root: analysis.root, plan: analysis.plan }, { like, shapeBytes });
  process.stdout.write(format === 'json' ? JSON.stringify(advice, null, 2) + '\n' : report(file, advice));
  return 0;
}

/**
 * The plan read as advice needs it (a page sharing scan it names included), or a UsageError (exit 1)
 * naming the first error that stops the simulation, or why it is too large to simulate.
 */
export function readSimulatablePlan(file: string, text: string): Analysis {
  const analysis = analyzePlan(text, { scenario: false, readSharingScan: sharingScanReader({ planFolder: dirname(file) }) });
  const blockers = simulationBlockers(analysis.diagnostics);
  if (blockers.length) {
    const at = new LineIndex(text).range(blockers[0].span).start;
    throw new UsageError(`${file}: the plan has ${blockers.length} error${blockers.length > 1 ? 's' : ''} to fix first; the first, at line ${at.line + 1}, column ${at.character + 1}: ${blockers[0].message} (run 'hvmem check ${file}')`, 1);
  }
  const refusal = simulationRefusal(analysis.plan);
  if (refusal) throw new UsageError(`${file}: too large to simulate: ${refusal}`, 1);
  return analysis;
}

/** The advice as a short report a person acts on. */
export function report(file: string, advice: Advice): string {
  const out: string[] = [];
  out.push(`Advice for ${file} (${advice.simulations} simulation${advice.simulations === 1 ? '' : 's'}).`);
  if (!advice.findings.length) out.push('', 'No findings: nothing to fix.');
  for (const f of advice.findings) {
    out.push('', `${f.code}${f.vm ? ` on ${f.vm}` : ''}${f.host ? ` (${f.host})` : ''}: ${firstSentence(f.message)}`);
    if (!f.fixes.length) { out.push('  No single change of the kinds searched removes it without a new error.'); continue; }
    f.fixes.forEach((fix, i) => {
      const also = fix.resolves.filter((c) => c !== f.code);
      out.push(`  ${i + 1}. ${fix.title}: ${fix.cost}${also.length ? ` (also clears ${also.join(', ')})` : ''}`);
    });
  }
  const room = advice.headroom;
  if (room) {
    const shape = room.shape.like ? `like ${room.shape.like} (${formatBytes(room.shape.startup)}${room.shape.dynamic ? ', Dynamic Memory' : ''})` : `of ${formatBytes(room.shape.startup)}, static`;
    out.push('', `Headroom: more VMs ${shape} that still come back without Smart Paging or a failed start:`);
    for (const [host, h] of Object.entries(room.hosts)) out.push(`  ${host}: ${h.more}`);
    if (room.cluster) {
      const c = room.cluster;
      out.push(c.survivesAnyNodeLoss
        ? `  the cluster: ${c.more} more (each on the node with the most room), and every VM still runs after the loss of any one node; the worst node to lose: ${c.worstNode}`
        : `  the cluster: not N+1 safe now: losing ${c.worstNode} leaves VMs unable to run`);
    }
  }
  const g = advice.growth;
  out.push('', g.percentUntilFirstFinding === null
    ? 'Growth: even 1000 % more demand brings no new finding.'
    : `Growth: +${g.percentUntilFirstFinding} % demand on every VM brings the first new finding (${g.firstFinding}).`);
  const p = advice.placement;
  if (p && !p.survivesAnyNodeLoss) {
    out.push('', p.moves.length
      ? `N+1 placement: ${count(p.moves.length, 'move')} ${p.safe ? `make${p.moves.length === 1 ? 's' : ''} the cluster survive the loss of any node` : 'help, but the cluster still does not survive the loss of any node'}:`
      : 'N+1 placement: no move found that makes the cluster survive the loss of any node.');
    p.moves.forEach((m, i) => out.push(`  ${i + 1}. ${m.vm}: ${m.from} → ${m.to}`));
    if (p.moves.length) out.push(`  ('hvmem export ${file} --to moves' writes them as a PowerShell script.)`);
  }
  out.push('');
  return out.join('\n');
}

