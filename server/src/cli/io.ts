// What every command shares: errors with an exit status, argument parsing, reading plan files.
import { readFileSync, statSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CommandModule { run(args: string[]): Promise<number> }

/** Bad usage or unreadable input: reported as one line on stderr, exit 2 unless said otherwise. */
export class UsageError extends Error {
  constructor(message: string, readonly exitCode = 2) { super(message); }
}

export function parseCommandArgs<T extends ParseArgsConfig['options']>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]}\n${usage}`);
  }
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, not '${value}'`);
}

/** Plans larger than this are refused before parsing: far beyond any real cluster. */
export const MAX_PLAN_BYTES = 256 * 1024 * 1024;

/** Reads a plan file as text (UTF-8, a leading BOM dropped as editors do), or throws a UsageError. */
export function readPlanFile(file: string): string {
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new UsageError(`${file}: is a folder, not a plan file`);
    size = stat.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file}: ${describeFsError(e)}`);
  }
  if (size > MAX_PLAN_BYTES) throw new UsageError(`${file}: ${size} bytes is larger than the ${MAX_PLAN_BYTES / 1024 / 1024} MB a plan may have`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: ${describeFsError(e)}`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a folder, not a file';
    default: return (e as Error)?.message ?? String(e);
  }
}
