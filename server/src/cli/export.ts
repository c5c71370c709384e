import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Evaluator } from '../core/advise';
import { suggestPlacement } from '../core/advise/placement';
import { analyzePlan } from '../core/analyze';
import { exportMoves } from '../core/export/moves';
import { exportBlockers, exportPowerShell, SCRIPT_FILE_PREFIX } from '../core/export/powershell';
import { LineIndex } from '../core/text';
import { readSimulatablePlan } from './advise';
import { describeFsError, oneOf, parseCommandArgs, readPlanFile, UsageError } from './io';

const USAGE = 'usage: hvmem export <plan> --to powershell|moves [-o <file>]';

const HELP = `${USAGE}

--to powershell: a script that applies the plan's memory settings (Set-VMMemory, Set-VM) where a VM
differs, supports -WhatIf, and refuses running VMs where Hyper-V requires them off.
Exit 0: written; 1: the plan has errors that Hyper-V would reject; 2: bad usage or unreadable plan.

--to moves: for a failover cluster that does not survive the loss of any one node, the VM moves
'hvmem advise' suggests, as a script that live-migrates each VM's role in order (-WhatIf supported),
checks each VM is where the plan puts it, and stops at the first move that fails.
Exit 0: written (also when the cluster already survives the loss of any node: the script then moves
nothing and says so; and when the moves found do not make it survive: a warning says so); 1: the plan
is not a cluster, has errors that stop the simulation, or no move was found; 2: bad usage or unreadable plan.
`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { to: { type: 'string' }, output: { type: 'string', short: 'o' } }, USAGE);
  if (values.help) { process.stdout.write(HELP); return 0; }
  if (values.to === undefined) throw new UsageError(`--to is required\n${USAGE}`);
  const to = oneOf(values.to as string, ['powershell', 'moves'] as const, '--to', 'powershell');
  if (positionals.length !== 1) throw new UsageError(`${positionals.length === 0 ? 'no plan given' : 'one plan at a time'}\n${USAGE}`);
  const file = positionals[0];
  const text = readPlanFile(file);
  const output = values.output as string | undefined;
  const options = { planFile: basename(file), generatedAt: new Date().toISOString(), productVersion: PRODUCT_VERSION };
  if (to === 'moves') {
    const { plan } = readSimulatablePlan(file, text);
    if (!plan.cluster) throw new UsageError(`${file}: not a failover cluster (the plan has no "cluster"): the moves are live migrations between a cluster's nodes, which a standalone host does not have`, 1);
    if (plan.hosts.length < 2) throw new UsageError(`${file}: a cluster of one node cannot survive the loss of it: there is no node to move VMs to`, 1);
    const placement = suggestPlacement(new Evaluator(plan));
    if (placement.survivesAnyNodeLoss) {
      process.stderr.write(`hvmem: ${file}: the cluster survives the loss of any one node: the script moves nothing\n`);
    } else if (!placement.moves.length) {
      throw new UsageError(`${file}: no move found that makes the cluster survive the loss of any one node; run 'hvmem advise ${file}' for other changes`, 1);
    } else if (!placement.safe) {
      process.stderr.write(`hvmem: warning: ${file}: after these ${placement.moves.length} move(s) the cluster still does not survive the loss of every node; run 'hvmem advise ${file}' for other changes\n`);
    }
    write(exportMoves(plan, placement.moves, { ...options, safe: placement.survivesAnyNodeLoss || placement.safe }), output);
    return 0;
  }
  const read = analyzePlan(text, { scenario: false });
  const blocking = exportBlockers(read.diagnostics);
  if (blocking.length > 0) {
    const d = blocking[0];
    const at = new LineIndex(text).positionAt(d.span.start);
    process.stderr.write(`${file}:${at.line + 1}:${at.character + 1}: error ${d.code}: ${d.message}\n`);
    process.stderr.write(`hvmem: not exported: the plan has ${blocking.length} error(s) Hyper-V would reject; run 'hvmem check ${file}'\n`);
    return 1;
  }
  write(exportPowerShell(read.plan, options), output);
  return 0;
}

function write(script: string, output: string | undefined): void {
  if (output) {
    try { writeFileSync(output, SCRIPT_FILE_PREFIX + script); } catch (e) { throw new UsageError(`${output}: ${describeFsError(e)}`); }
  } else {
    process.stdout.write(script);
  }
}

declare const PRODUCT_VERSION: string;
