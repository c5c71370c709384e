import { analyzePlan } from '../core/analyze';
import { LineIndex } from '../core/text';
import { sharingScanReader } from '../sharingScanFile';
import { oneOf, parseCommandArgs, readPlanFile, UsageError } from './io';
import { dirname } from 'node:path';

const USAGE = 'usage: hvmem check <plan>… [--format text|json]';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { format: { type: 'string' } }, USAGE);
  if (values.help) { process.stdout.write(`${USAGE}\n\nChecks plans against Hyper-V's memory rules and reports each finding.\nExit 0: no errors; 1: a plan has errors; 2: bad usage or unreadable file.\n`); return 0; }
  const format = oneOf(values.format as string | undefined, ['text', 'json'] as const, '--format', 'text');
  if (positionals.length === 0) throw new UsageError(`no plan given\n${USAGE}`);
  const texts = positionals.map((file) => ({ file, text: readPlanFile(file) }));
  const rows = [];
  let errors = 0;
  for (const { file, text } of texts) {
    const analysis = analyzePlan(text, { readSharingScan: sharingScanReader({ planFolder: dirname(file) }) });
    const lines = new LineIndex(text);
    for (const d of analysis.diagnostics) {
      if (d.severity === 'error') errors++;
      rows.push({ file, severity: d.severity, code: d.code, message: d.message, range: lines.range(d.span) });
    }
  }
  if (format === 'json') {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  } else {
    for (const r of rows) {
      process.stdout.write(`${r.file}:${r.range.start.line + 1}:${r.range.start.character + 1}: ${r.severity} ${r.code}: ${r.message}\n`);
    }
  }
  return errors > 0 ? 1 : 0;
}
