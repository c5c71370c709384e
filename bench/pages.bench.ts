// Page sharing throughput on 1 GB of synthetic pages, against a Buffer copy of the same bytes in the
// same run. Goals (issue 7): the full pass (hash, group, confirm) at least 0.25x the copy rate, hashing
// alone at least 0.4x. Also the candidate hashes the page hash was chosen from, and peak memory.
import { randomFillSync } from 'node:crypto';
import xxhash from 'xxhash-wasm';
import { createXXHash64 } from 'hash-wasm';
import { PageScanner, pageHash64, type PageHash } from '../server/src/core/pages';
import { nativeEqual } from '../server/src/cli/pages';

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

/** The scan as `hvmem pages` runs it (with Node's memcmp to confirm duplicates), on bytes in memory. */
function fullPass(bytes: Buffer, pageSizes: number[], hash?: PageHash, memcmp = true) {
  const scanner = new PageScanner({ pageSizes, hash, equalBytes: memcmp ? nativeEqual : undefined, reader: { readPage: (_i, address, length) => bytes.subarray(address, address + length) } });
  scanner.beginImage('synthetic');
  for (let at = 0; at < bytes.length; at += CHUNK) scanner.add(at, bytes.subarray(at, at + CHUNK));
  return scanner;
}

/**
 * Best CPU time (ms) of each variant over rounds that run every variant in turn. CPU time, not wall
 * time: on a shared machine a process waits for a core for seconds, and all of that is noise here.
 */
function interleaved(variants: Record<string, () => void>, rounds: number): Record<string, number> {
  const best: Record<string, number> = Object.fromEntries(Object.keys(variants).map((k) => [k, Infinity]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(variants)) {
      const before = process.cpuUsage();
      fn();
      const used = process.cpuUsage(before);
      best[name] = Math.min(best[name], (used.user + used.system) / 1000);
    }
  }
  return best;
}

export async function run(): Promise<void> {
  const bytes = syntheticImage();
  const target = Buffer.allocUnsafeSlow(GB);
  target.fill(1);
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const out = new Uint32Array(2);
  const { h64Raw } = await xxhash();
  const xx = await createXXHash64();
  let scanner: PageScanner | undefined;
  // The WebAssembly candidate as the scanner would use it, to see what it changes in a whole pass.
  const wasmHash: PageHash = (w, start, end, result) => {
    xx.init();
    xx.update(new Uint8Array(w.buffer, w.byteOffset + start * 4, (end - start) * 4));
    const d = xx.digest('binary');
    result[0] = d[0] | (d[1] << 8) | (d[2] << 16) | (d[3] << 24);
    result[1] = d[4] | (d[5] << 8) | (d[6] << 16) | (d[7] << 24);
  };

  const ms = interleaved({
    copy: () => { bytes.copy(target); },
    js: () => { for (let w = 0; w < words.length; w += PAGE / 4) pageHash64(words, w, w + PAGE / 4, out); },
    xxhashWasm: () => { for (let p = 0; p < GB; p += PAGE) h64Raw(bytes.subarray(p, p + PAGE)); },
    hashWasm: () => { for (let p = 0; p < GB; p += PAGE) { xx.init(); xx.update(bytes.subarray(p, p + PAGE)); xx.digest('binary'); } },
    pass4k: () => { fullPass(bytes, [PAGE]); },
    pass4k2m: () => { scanner = fullPass(bytes, [PAGE, 2 * 1024 * 1024]); },
    pass4k2mJsCompare: () => { fullPass(bytes, [PAGE, 2 * 1024 * 1024], undefined, false); },
    pass4k2mWasm: () => { fullPass(bytes, [PAGE, 2 * 1024 * 1024], wasmHash); },
  }, 5);

  const rate = (t: number) => `${(GB / 1e6 / t).toFixed(2)} GB/s`;
  const line = (label: string, t: number, goal?: number) => {
    const r = ms.copy / t;
    const verdict = goal === undefined ? '' : r >= goal ? `  goal >= ${goal}x: met` : `  goal >= ${goal}x: NOT met`;
    console.log(`  ${label.padEnd(44)} ${t.toFixed(0).padStart(6)} ms ${rate(t).padStart(11)}  ${r.toFixed(2)}x copy rate${verdict}`);
  };
  console.log('  1 GB of 4 KB pages: 1/4 zero, 1/4 copies of 4,096 shared pages, 1/2 unique; best CPU time of 5 interleaved rounds');
  line('Buffer copy into a buffer (baseline)', ms.copy);
  line('hash: pageHash64 (JS, Math.imul) [chosen]', ms.js, 0.4);
  line('hash: xxhash-wasm h64Raw (BigInt)', ms.xxhashWasm);
  line('hash: hash-wasm xxhash64 (bytes)', ms.hashWasm);
  line('full pass, 4 KB', ms.pass4k, 0.25);
  line('full pass, 4 KB and 2 MB', ms.pass4k2m, 0.25);
  line('full pass, 4 KB and 2 MB, hash-wasm injected', ms.pass4k2mWasm);
  line('full pass, 4 KB and 2 MB, JavaScript compare', ms.pass4k2mJsCompare);

  const result = scanner!.result();
  for (const [size, s] of Object.entries(result.pageSizes)) {
    console.log(`  ${Number(size) / 1024} KB: ${s.pages} pages, ${s.zeroPages} zero, ${s.distinctPages} distinct, saved ${(s.savedBytes / s.pages / Number(size) * 100).toFixed(1)}%, ${s.hashCollisions} collisions`);
  }
  const distinct = Object.values(result.pageSizes).reduce((n, s) => n + s.distinctPages, 0);
  const memory = scanner!.memory();
  console.log(`  index: ${(memory.indexBytes / 1e6).toFixed(1)} MB for ${distinct} distinct pages (${(memory.indexBytes / distinct).toFixed(1)} bytes each, spare capacity included); read-back caches ${(memory.cacheBytes / 1e6).toFixed(1)} MB`);
  console.log(`  peak RSS of the bench process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (of which 2 GB are the image and the copy target)`);
}
