import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { analyzePlan } from '../core/analyze';
import { exportBlockers, exportPowerShell, SCRIPT_FILE_PREFIX } from '../core/export/powershell';
import { LineIndex } from '../core/text';
import { describeFsError, oneOf, parseCommandArgs, readPlanFile, UsageError } from './io';

const USAGE = 'usage: hvmem export <plan> --to powershell [-o <file>]';

const HELP = `${USAGE}

Writes a PowerShell script that applies the plan's memory settings (Set-VMMemory, Set-VM) where a VM
differs, supports -WhatIf, and refuses running VMs where Hyper-V requires them off.
Exit 0: written; 1: the plan has errors that Hyper-V would reject; 2: bad usage or unreadable plan.
`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { to: { type: 'string' }, output: { type: 'string', short: 'o' } }, USAGE);
  if (values.help) { process.stdout.write(HELP); return 0; }
  if (values.to === undefined) throw new UsageError(`--to is required\n${USAGE}`);
  oneOf(values.to as string, ['powershell'] as const, '--to', 'powershell');
  if (positionals.length !== 1) throw new UsageError(`${positionals.length === 0 ? 'no plan given' : 'one plan at a time'}\n${USAGE}`);
  const file = positionals[0];
  const text = readPlanFile(file);
  const read = analyzePlan(text, { scenario: false });
  const blocking = exportBlockers(read.diagnostics);
  if (blocking.length > 0) {
    const d = blocking[0];
    const at = new LineIndex(text).positionAt(d.span.start);
    process.stderr.write(`${file}:${at.line + 1}:${at.character + 1}: error ${d.code}: ${d.message}\n`);
    process.stderr.write(`hvmem: not exported: the plan has ${blocking.length} error(s) Hyper-V would reject; run 'hvmem check ${file}'\n`);
    return 1;
  }
  const script = exportPowerShell(read.plan, { planFile: basename(file), generatedAt: new Date().toISOString(), productVersion: PRODUCT_VERSION });
  const output = values.output as string | undefined;
  if (output) {
    try { writeFileSync(output, SCRIPT_FILE_PREFIX + script); } catch (e) { throw new UsageError(`${output}: ${describeFsError(e)}`); }
  } else {
    process.stdout.write(script);
  }
  return 0;
}

declare const PRODUCT_VERSION: string;
