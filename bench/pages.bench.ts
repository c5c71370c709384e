// Page sharing throughput on 1 GB of synthetic pages, against a Buffer copy of the same bytes in the
// same run. Goals (issue 7): the full pass (hash, group, confirm) at least 0.25x the copy rate, hashing
// alone at least 0.4x. Also the candidate hashes the page hash was chosen from, and peak memory.
import { randomFillSync } from 'node:crypto';
import xxhash from 'xxhash-wasm';
import { createXXHash64 } from 'hash-wasm';
import { PageScanner, pageHash64 } from '../server/src/core/pages';
import { timeBest } from './util';

const GB = 1024 * 1024 * 1024;
const PAGE = 4096;
const CHUNK = 16 * 1024 * 1024;

/**
 * 1 GB of 4 KB pages: a quarter zero, a quarter copies of 4,096 shared pages (a guest's common code and
 * data), half unique; whole 2 MB runs of each so 2 MB pages see some sharing too.
 */
function syntheticImage(): Buffer {
  const bytes = Buffer.allocUnsafeSlow(GB);
  const pool = randomFillSync(Buffer.allocUnsafeSlow(4096 * PAGE));
  let s = 7;
  const next = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s >>> 8; };
  for (let run = 0; run < GB; run += 2 * 1024 * 1024) {
    const kind = next() % 4;
    const end = run + 2 * 1024 * 1024;
    if (kind === 0) bytes.fill(0, run, end);
    else if (kind === 1) for (let p = run; p < end; p += PAGE) { const k = next() % 4096; pool.copy(bytes, p, k * PAGE, (k + 1) * PAGE); }
    else randomFillSync(bytes, run, end - run);
  }
  // Every tenth 2 MB run repeats the first one: identical large pages exist, but are rare.
  for (let run = 20 * 1024 * 1024; run < GB; run += 20 * 1024 * 1024) bytes.copy(bytes, run, 0, 2 * 1024 * 1024);
  return bytes;
}

function fullPass(bytes: Buffer, pageSizes: number[]) {
  const scanner = new PageScanner({ pageSizes, reader: { readPage: (_i, address, length) => bytes.subarray(address, address + length) } });
  scanner.beginImage('synthetic');
  for (let at = 0; at < bytes.length; at += CHUNK) scanner.add(at, bytes.subarray(at, at + CHUNK));
  return scanner;
}

export async function run(): Promise<void> {
  const bytes = syntheticImage();
  const target = Buffer.allocUnsafeSlow(GB);
  target.fill(1);
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const out = new Uint32Array(2);

  const copyMs = timeBest(() => { bytes.copy(target); }, 3);
  const rate = (ms: number) => `${(GB / 1e6 / ms).toFixed(2)} GB/s`;
  const line = (label: string, ms: number, goal?: number) => {
    const r = copyMs / ms;
    const verdict = goal === undefined ? '' : r >= goal ? `  goal >= ${goal}x: met` : `  goal >= ${goal}x: NOT met`;
    console.log(`  ${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms ${rate(ms).padStart(11)}  ${r.toFixed(2)}x copy rate${verdict}`);
  };
  console.log('  1 GB of 4 KB pages: 1/4 zero, 1/4 copies of 4,096 shared pages, 1/2 unique');
  line('Buffer copy into a buffer (baseline)', copyMs);

  line('hash: pageHash64 (JS, Math.imul) [chosen]', timeBest(() => { for (let w = 0; w < words.length; w += PAGE / 4) pageHash64(words, w, w + PAGE / 4, out); }, 3), 0.4);
  const { h64Raw } = await xxhash();
  line('hash: xxhash-wasm h64Raw (BigInt)', timeBest(() => { for (let p = 0; p < GB; p += PAGE) h64Raw(bytes.subarray(p, p + PAGE)); }, 3));
  const xx = await createXXHash64();
  line('hash: hash-wasm xxhash64 (bytes)', timeBest(() => { for (let p = 0; p < GB; p += PAGE) { xx.init(); xx.update(bytes.subarray(p, p + PAGE)); xx.digest('binary'); } }, 3));

  line('full pass, 4 KB', timeBest(() => { fullPass(bytes, [PAGE]); }, 3), 0.25);
  let scanner: PageScanner | undefined;
  line('full pass, 4 KB and 2 MB', timeBest(() => { scanner = fullPass(bytes, [PAGE, 2 * 1024 * 1024]); }, 3), 0.25);

  const result = scanner!.result();
  for (const [size, s] of Object.entries(result.pageSizes)) {
    console.log(`  ${Number(size) / 1024} KB: ${s.pages} pages, ${s.zeroPages} zero, ${s.distinctPages} distinct, saved ${(s.savedBytes / s.pages / Number(size) * 100).toFixed(1)}%, ${s.hashCollisions} collisions`);
  }
  const distinct = Object.values(result.pageSizes).reduce((n, s) => n + s.distinctPages, 0);
  const index = scanner!.indexBytes();
  console.log(`  index: ${(index / 1e6).toFixed(1)} MB for ${distinct} distinct pages (${(index / distinct).toFixed(1)} bytes each with spare capacity and the 8 MB read-back cache)`);
  console.log(`  peak RSS of the bench process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (of which 2 GB are the image and the copy target)`);
}
