import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeText, importPlan, noteLine, parseDemandChoice, unrecognisedMessage, type DemandChoice } from '../core/import';
import { parseSize } from '../core/units';
import { describeFsError, oneOf, parseCommandArgs, readInputFile, UsageError } from './io';

const USAGE = 'usage: hvmem import <file>… [--format jsonc|json] [-o <plan>] [--host-memory <size>] [--host-name <name>] [--demand p95|pNN|max|steps]';

const HELP = `${USAGE}

Reads Hyper-V inventory JSON (Get-VM, Get-VMMemory, Get-VMHost, scripts/Export-HvmemInventory.ps1),
Hyper-V XML configurations, Terraform (.tf, .tfvars), PowerShell scripts (New-VM, Set-VM, Set-VMMemory),
DSC VMHyperV configurations, Packer templates and Vagrantfiles, told apart by their content, and writes
one plan. Values that cannot be read statically are left out with a note on standard error.
  --host-memory <size>  memory of each host whose memory the sources do not give (e.g. "256GB")
  --host-name <name>    the host's name when the sources name none (default: host)
  --demand <choice>     measured memory samples (Export-HvmemInventory.ps1 -SampleSeconds) as each
                        VM's demand: a percentile (p95, the default; p50, p99…), max, or steps (as measured)
Exit 0: imported; 2: bad usage, or a file that cannot be read or is of no known kind.
`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    format: { type: 'string' }, output: { type: 'string', short: 'o' },
    'host-memory': { type: 'string' }, 'host-name': { type: 'string' }, demand: { type: 'string' },
  }, USAGE);
  if (values.help) { process.stdout.write(HELP); return 0; }
  const format = oneOf(values.format as string | undefined, ['jsonc', 'json'] as const, '--format', 'jsonc');
  if (positionals.length === 0) throw new UsageError(`no file given\n${USAGE}`);
  let hostMemoryBytes: number | undefined;
  if (values['host-memory'] !== undefined) {
    const parsed = parseSize(values['host-memory'] as string);
    if (!parsed.ok || parsed.value === 0) throw new UsageError(`--host-memory ${JSON.stringify(values['host-memory'])} ${parsed.ok ? 'is zero' : parsed.message}`);
    hostMemoryBytes = parsed.value;
  }
  let demand: DemandChoice | undefined;
  if (values.demand !== undefined) {
    demand = parseDemandChoice(values.demand as string);
    if (!demand) throw new UsageError(`--demand ${JSON.stringify(values.demand)} is not p1..p100, max or steps`);
  }
  const inputs = positionals.map((file) => ({ file: basename(file), text: readSource(file) }));
  const result = importPlan(inputs, { format, hostMemoryBytes, hostName: values['host-name'] as string | undefined, demand });
  if (result.unrecognised.length > 0) {
    throw new UsageError(unrecognisedMessage(result.unrecognised[0]));
  }
  for (const n of result.notes) process.stderr.write(`${noteLine(n)}\n`);
  const output = values.output as string | undefined;
  if (output) {
    try { writeFileSync(output, result.text); } catch (e) { throw new UsageError(`${output}: ${describeFsError(e)}`); }
  } else {
    process.stdout.write(result.text);
  }
  process.stderr.write(`hvmem: imported ${result.vmCount} VM(s) and ${result.hostCount} host(s)${output ? ` into ${output}` : ''}\n`);
  return 0;
}

/** A source file as text, whatever Windows wrote it in (UTF-8 or UTF-16, with or without a BOM). */
function readSource(file: string): string {
  return decodeText(readInputFile(file, 'a file to import'));
}
