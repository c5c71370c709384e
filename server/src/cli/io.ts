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

/**
 * Reads an input file's bytes, or throws a UsageError saying why not: missing, a folder, unreadable, or
 * larger than `MAX_PLAN_BYTES` (checked before reading, so a memory image named by mistake is not loaded).
 */
export function readInputFile(file: string, what = 'a plan file'): Buffer {
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new UsageError(`${file}: is a folder, not ${what}`);
    if (stat.size > MAX_PLAN_BYTES) throw new UsageError(`${file}: ${stat.size} bytes is larger than the ${MAX_PLAN_BYTES / 1024 / 1024} MB hvmem reads`);
    return readFileSync(file);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file}: ${describeFsError(e)}`);
  }
}

/** Reads a plan file as text (UTF-8, a leading BOM dropped as editors do), or throws a UsageError. */
export function readPlanFile(file: string): string {
  const text = readInputFile(file).toString('utf8');
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
