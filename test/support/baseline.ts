// Golden files for samples: each diagnostic written under the line it points at, so a reviewer reads
// the diff of samples/baselines/*.txt. `npm run baselines` rewrites them from the current CLI.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

export interface CheckRow {
  file: string; severity: string; code: string; message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export function runCli(args: string[], options: { input?: string; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, input: options.input, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function checkJson(file: string): CheckRow[] {
  const r = runCli(['check', file, '--format', 'json']);
  if (r.status !== 0 && r.status !== 1) throw new Error(`check ${file} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The sample with each diagnostic under its line: `~~~` marks the range's part on that line. */
export function renderBaseline(file: string): string {
  const text = readFileSync(file, 'utf8');
  const lines = text.split(/\r?\n/);
  const rows = checkJson(file);
  const byLine = new Map<number, CheckRow[]>();
  for (const r of rows) byLine.set(r.range.start.line, [...(byLine.get(r.range.start.line) ?? []), r]);
  const out: string[] = [`// ${basename(file)}: ${rows.length} diagnostic(s). Regenerate with: npm run baselines`];
  lines.forEach((line, i) => {
    out.push(`${String(i + 1).padStart(4)} | ${line}`);
    for (const r of byLine.get(i) ?? []) {
      const start = r.range.start.character;
      const end = r.range.end.line === i ? r.range.end.character : line.length;
      out.push(`     | ${' '.repeat(start)}${'~'.repeat(Math.max(1, end - start))} ${r.severity} ${r.code}: ${r.message}`);
    }
  });
  return out.join('\n') + '\n';
}
