// Runs the bundled hvmem CLI (dist/cli.js) with VS Code's own Node runtime: the editor commands reuse
// the command line's reading, notes and one-line errors instead of a second path into the core.
import { execFile } from 'node:child_process';
import type { ImportExportBackend } from '.';

export interface CliResult { code: number; stdout: string; stderr: string }

/** Generous for a large inventory, small enough that a stuck run does not hang the command forever. */
const TIMEOUT_MS = 60_000;

export function runCli(cliPath: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      timeout: TIMEOUT_MS,
      maxBuffer: 256 * 1024 * 1024,
      windowsHide: true,
    }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 70) : 0;
      resolve({ code, stdout, stderr: stderr || (error && typeof error.code !== 'number' ? error.message : '') });
    });
  });
}

/** The first line that says what went wrong, for a notification. */
export function firstError(stderr: string): string {
  const lines = stderr.split(/\r?\n/).filter((l) => l.trim());
  return (lines.find((l) => / error |^hvmem: /.test(l)) ?? lines[0] ?? 'hvmem failed without a message').replace(/^hvmem: /, '');
}

/** Import and export by the CLI at `cliPath`, with its notes and errors as it prints them. */
export function cliBackend(cliPath: string): ImportExportBackend {
  return {
    async importPlan(sources) {
      const result = await runCli(cliPath, ['import', ...sources.map((s) => s.fsPath)]);
      return result.code === 0 ? { text: result.stdout, log: result.stderr } : { error: firstError(result.stderr), log: result.stderr };
    },
    async exportPlan(plan, target) {
      const result = await runCli(cliPath, ['export', plan.fsPath, '--to', 'powershell', '-o', target.fsPath]);
      return result.code === 0 ? undefined : { error: firstError(result.stderr), log: result.stderr };
    },
  };
}
