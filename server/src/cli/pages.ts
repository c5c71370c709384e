// hvmem pages: what identical-page sharing would save on memory images and on running processes.
// The scanner is the core's; this file opens the inputs, streams them in chunks, reads pages back for
// the byte comparison, shows progress, and prints the result.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { PageScanner, checkPageSize, MAX_IMAGES, type PageReader, type PageSharingResult } from '../core/pages';
import { formatBytes, parseSize } from '../core/units';
import { describeFsError, oneOf, parseCommandArgs, UsageError } from './io';
import type { PageScanProgress, PageScanReport } from '../protocol';

const USAGE = 'usage: hvmem pages <file>… [--pid N]… [--page-size 4KB,2MB] [--format text|json]';
const HELP = `${USAGE}

Measures what identical-page sharing would save: every page is hashed, equal hashes are confirmed
byte for byte, and one copy per content is kept. Each file is one memory image (a guest memory
dump, any file); each --pid is the resident memory of a running Linux process. Images scanned
together share with each other, as VMs on one host would.

  --page-size  page sizes to compare, comma-separated (default 4KB,2MB); powers of two, 1KB to 1GB
  --format     text (default) or json
  --pid        a process id; repeat for several (needs permission to read /proc/<pid>/mem)

Exit 0: done; 2: bad usage, or an input that cannot be read.
`;

const DEFAULT_PAGE_SIZES = [4 * 1024, 2 * 1024 * 1024];
/** Pages live in chunks of this size (or of the largest page) so no page is ever cut in two. */
const MIN_CHUNK_BYTES = 16 * 1024 * 1024;
/** Linux's base page: /proc/<pid>/pagemap has one entry per page of this size. */
const PROCESS_PAGE_BYTES = 4096;

interface Input extends PageReader {
  name: string;
  kind: 'file' | 'process';
  pid?: number;
  /** bytes to scan, or the process's readable mappings' size (an upper bound) */
  estimatedBytes: number;
  /** feeds the image to the scanner; `progress` gets the bytes just scanned */
  scan(scanner: PageScanner, chunk: Buffer, progress: (bytes: number) => void): void;
  close(): void;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    pid: { type: 'string', multiple: true },
    'page-size': { type: 'string' },
    format: { type: 'string' },
  }, USAGE);
  if (values.help) { process.stdout.write(HELP); return 0; }
  // Started by the editor (client/src/pages/scan.ts), progress goes over IPC; the channel must not
  // keep the process alive once the scan is done.
  process.channel?.unref();
  const format = oneOf(values.format as string | undefined, ['text', 'json'] as const, '--format', 'text');
  const pageSizes = parsePageSizes(values['page-size'] as string | undefined);
  const pids = ((values.pid as string[] | undefined) ?? []).map(parsePid);
  if (positionals.length === 0 && pids.length === 0) throw new UsageError(`no image given: name files or --pid\n${USAGE}`);
  if (positionals.length + pids.length > MAX_IMAGES) throw new UsageError(`at most ${MAX_IMAGES} images at once`);

  const inputs: Input[] = [];
  try {
    for (const file of positionals) inputs.push(openFile(file));
    for (const pid of pids) inputs.push(openProcess(pid));
    const result = scanAll(inputs, pageSizes);
    const images = result.images.map((image, i) => ({ ...image, kind: inputs[i].kind, ...(inputs[i].pid ? { pid: inputs[i].pid } : {}) }));
    const report: PageScanReport = { pageSizes: result.pageSizes, images };
    process.stdout.write(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatText(report));
    return 0;
  } finally {
    for (const input of inputs) input.close();
  }
}

function parsePageSizes(raw: string | undefined): number[] {
  if (raw === undefined) return DEFAULT_PAGE_SIZES;
  const sizes = raw.split(',').map((part) => part.trim()).map((part) => {
    const parsed = /^[0-9]+$/.test(part) ? { ok: true as const, value: Number(part) } : parseSize(part);
    if (!parsed.ok) throw new UsageError(`--page-size '${part}' ${parsed.message}`);
    const problem = checkPageSize(parsed.value);
    if (problem) throw new UsageError(`--page-size '${part}' ${problem}`);
    return parsed.value;
  });
  return [...new Set(sizes)].sort((a, b) => a - b);
}

function parsePid(raw: string): number {
  if (!/^[0-9]+$/.test(raw) || Number(raw) < 1 || Number(raw) > 0x3fffffff) throw new UsageError(`--pid '${raw}' is not a process id`);
  return Number(raw);
}

/** Node's memcmp: confirms duplicates about twice as fast as comparing words in JavaScript. */
export const nativeEqual = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

function scanAll(inputs: Input[], pageSizes: number[]): PageSharingResult {
  const scanner = new PageScanner({
    pageSizes,
    equalBytes: nativeEqual,
    reader: { readPage: (image, address, length) => inputs[image].readPage(image, address, length) },
  });
  const chunk = Buffer.allocUnsafeSlow(Math.max(MIN_CHUNK_BYTES, pageSizes[pageSizes.length - 1]));
  const progress = new Progress(inputs.reduce((n, input) => n + input.estimatedBytes, 0));
  for (const input of inputs) {
    scanner.beginImage(input.name);
    progress.image = input.name;
    input.scan(scanner, chunk, (bytes) => progress.advance(bytes));
  }
  progress.done();
  return scanner.result();
}

function openFile(file: string): Input {
  let fd: number;
  let size: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new UsageError(`${file}: ${describeFsError(e)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UsageError(`${file}: is a folder, not a memory image`);
    if (!stat.isFile()) throw new UsageError(`${file}: is not a regular file`);
    size = stat.size;
    // A file whose bytes cannot be read (a folder's, a broken disk's) fails here, before any scan.
    readSync(fd, Buffer.alloc(1), 0, Math.min(1, size), 0);
  } catch (e) {
    closeSync(fd);
    throw e instanceof UsageError ? e : new UsageError(`${file}: ${describeFsError(e)}`);
  }
  return {
    name: file,
    kind: 'file',
    estimatedBytes: size,
    scan(scanner, chunk, progress) {
      for (let at = 0; at < size;) {
        const length = readFully(fd, chunk, Math.min(chunk.length, size - at), at, file);
        if (length === 0) break;
        scanner.add(at, chunk.subarray(0, length));
        progress(length);
        at += length;
      }
    },
    readPage(_image, address, length) {
      const page = Buffer.allocUnsafe(length);
      if (readFully(fd, page, length, address, file) !== length) throw new UsageError(`${file}: became shorter during the scan`);
      return page;
    },
    close: () => closeSync(fd),
  };
}

function readFully(fd: number, into: Buffer, length: number, position: number, name: string): number {
  let done = 0;
  while (done < length) {
    let n: number;
    try {
      n = readSync(fd, into, done, length - done, position + done);
    } catch (e) {
      throw new UsageError(`${name}: ${describeFsError(e)} at byte ${position + done}`);
    }
    if (n === 0) break;
    done += n;
  }
  return done;
}

interface Region { start: number; end: number }

function openProcess(pid: number): Input {
  const name = `pid ${pid}`;
  const proc = `/proc/${pid}`;
  let maps: string;
  let command = '';
  try {
    maps = readFileSync(`${proc}/maps`, 'utf8');
    command = readFileSync(`${proc}/comm`, 'utf8').trim();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') throw new UsageError(`${name}: no such process`);
    throw new UsageError(`${name}: ${describeFsError(e)} reading ${proc}/maps`);
  }
  const regions = readableRegions(maps);
  let mem: number;
  try {
    mem = openSync(`${proc}/mem`, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' || code === 'ESRCH' ? `${name}: no such process` : `${name}: ${describeFsError(e)} opening ${proc}/mem (reading another user's process needs root or ptrace rights)`);
  }
  // Only resident pages are the process's memory; untouched mappings read as zeros and would
  // count as zero pages that take no RAM. Without pagemap, every readable page counts.
  let pagemap: number | undefined;
  try { pagemap = openSync(`${proc}/pagemap`, 'r'); } catch { pagemap = undefined; }
  const vanished = () => new UsageError(`${name}: the process ended during the scan`);
  // A process that ended is gone from /proc, or a zombie with no mappings left.
  const alive = () => { try { return readFileSync(`${proc}/maps`, 'utf8').length > 0; } catch { return false; } };
  return {
    name: command ? `${name} (${command})` : name,
    kind: 'process',
    pid,
    estimatedBytes: regions.reduce((n, r) => n + (r.end - r.start), 0),
    scan(scanner, chunk, progress) {
      const entries = Buffer.allocUnsafeSlow((chunk.length / PROCESS_PAGE_BYTES) * 8);
      for (const region of regions) {
        // Windows aligned to the chunk size, so a large page never straddles two reads.
        for (let window = region.start - (region.start % chunk.length); window < region.end; window += chunk.length) {
          const from = Math.max(window, region.start);
          const to = Math.min(window + chunk.length, region.end);
          for (const run of residentRuns(pagemap, entries, from, to)) {
            const length = readProcess(mem, chunk, run.start, run.end - run.start);
            if (length < 0) { if (!alive()) throw vanished(); continue; }
            scanner.add(run.start, chunk.subarray(0, length));
          }
          progress(to - from);
        }
      }
    },
    readPage(_image, address, length) {
      const page = Buffer.allocUnsafe(length);
      if (readProcess(mem, page, address, length) !== length) {
        if (!alive()) throw vanished();
        throw new UsageError(`${name}: memory at 0x${address.toString(16)} was unmapped during the scan`);
      }
      return page;
    },
    close() { closeSync(mem); if (pagemap !== undefined) closeSync(pagemap); },
  };
}

/** Readable mappings from /proc/<pid>/maps, less the kernel's own (vvar, vsyscall) that cannot be read. */
export function readableRegions(maps: string): Region[] {
  const regions: Region[] = [];
  for (const line of maps.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+)\s+(\S{4})\s+\S+\s+\S+\s+\S+\s*(.*)$/.exec(line);
    if (!m || m[3][0] !== 'r' || /^\[(vvar|vvar_vclock|vsyscall)\]$/.test(m[4].trim())) continue;
    const start = parseInt(m[1], 16);
    const end = parseInt(m[2], 16);
    if (end > start && end <= Number.MAX_SAFE_INTEGER) regions.push({ start, end });
  }
  return regions;
}

/** The runs of resident pages in [from, to), from pagemap (bit 63: present in RAM). */
function residentRuns(pagemap: number | undefined, entries: Buffer, from: number, to: number): Region[] {
  if (pagemap === undefined) return [{ start: from, end: to }];
  const pages = (to - from) / PROCESS_PAGE_BYTES;
  let read: number;
  try {
    read = readSync(pagemap, entries, 0, pages * 8, (from / PROCESS_PAGE_BYTES) * 8);
  } catch {
    return [{ start: from, end: to }];
  }
  const runs: Region[] = [];
  for (let i = 0; i < read >>> 3; i++) {
    const present = (entries.readUInt32LE(i * 8 + 4) & 0x80000000) !== 0;
    if (!present) continue;
    const start = from + i * PROCESS_PAGE_BYTES;
    const last = runs[runs.length - 1];
    if (last && last.end === start) last.end += PROCESS_PAGE_BYTES; else runs.push({ start, end: start + PROCESS_PAGE_BYTES });
  }
  return runs;
}

/** Reads process memory; -1 when the kernel refuses (the mapping went away, or cannot be read). */
function readProcess(mem: number, into: Buffer, address: number, length: number): number {
  let done = 0;
  try {
    while (done < length) {
      const n = readSync(mem, into, done, length - done, address + done);
      if (n === 0) break;
      done += n;
    }
  } catch {
    return -1;
  }
  return done;
}

/** Progress on a terminal's standard error, at most ten times a second; nothing when piped. */
class Progress {
  image = '';
  private done_ = 0;
  private last = 0;
  private readonly started = Date.now();
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly total: number) {}

  advance(bytes: number): void {
    this.done_ += bytes;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    if (process.connected) process.send?.({ type: 'progress', image: this.image, doneBytes: this.done_, totalBytes: this.total } satisfies PageScanProgress);
    if (!this.tty) return;
    const percent = this.total > 0 ? Math.min(100, Math.floor((this.done_ / this.total) * 100)) : 100;
    const rate = this.done_ / Math.max(0.001, (now - this.started) / 1000);
    const line = `scanning ${this.image}: ${formatBytes(this.done_)} of ${formatBytes(this.total)} (${percent}%), ${formatBytes(rate)}/s`;
    process.stderr.write(`\r${line.slice(0, (process.stderr.columns || 80) - 1)}\x1b[K`);
  }

  done(): void {
    if (this.tty && this.last > 0) process.stderr.write('\r\x1b[K');
  }
}

function formatText(report: PageScanReport): string {
  const sizes = Object.keys(report.pageSizes);
  const head = ['', ...sizes.map((s) => `${formatBytes(Number(s))} pages`)];
  const rows: string[][] = [head];
  const scanned = (s: string) => report.pageSizes[s].pages * Number(s);
  const share = (bytes: number, s: string) => `${formatBytes(bytes)} (${percent(bytes, scanned(s))})`;
  const add = (label: string, cell: (s: string) => string) => rows.push([label, ...sizes.map(cell)]);
  add('pages scanned', (s) => `${report.pageSizes[s].pages.toLocaleString('en-US')} (${formatBytes(scanned(s))})`);
  add('zero pages', (s) => share(report.pageSizes[s].zeroPages * Number(s), s));
  add('distinct contents', (s) => report.pageSizes[s].distinctPages.toLocaleString('en-US'));
  add('saved by sharing', (s) => share(report.pageSizes[s].savedBytes, s));
  add('  without zero pages', (s) => share(report.pageSizes[s].savedNonZeroBytes, s));
  add('  inside one image', (s) => share(report.pageSizes[s].savedWithinBytes, s));
  add('  across images', (s) => share(report.pageSizes[s].savedAcrossBytes, s));
  add('hash collisions', (s) => String(report.pageSizes[s].hashCollisions));
  const widths = head.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const table = rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   ').trimEnd());
  const images = report.images.map((image) => `  ${image.name}: ${formatBytes(image.bytes)} scanned; ` + sizes.map((s) => {
    const own = image.pageSizes[s];
    return `${formatBytes(Number(s))}: ${percent(own.zeroPages, own.pages)} zero, ${percent(own.savedWithinBytes, own.pages * Number(s))} shared inside`;
  }).join('; '));
  return [`Page sharing over ${report.images.length} image${report.images.length === 1 ? '' : 's'}:`, ...images, '', ...table, ''].join('\n');
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '-';
}
