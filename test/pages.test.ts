// The page scanner on synthetic images with known answers (images written as page tokens: see
// test/support/pages.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PageScanner, checkPageSize, pageHash64, type PageHash, type PageReader } from '../server/src/core/pages';
import { fillRandom, image, tokenPage } from './support/pages';

const KB = 1024;
const MB = 1024 * KB;

class MemoryReader implements PageReader {
  reads = 0;
  constructor(private readonly images: Uint8Array[]) {}
  readPage(image: number, address: number, length: number): Uint8Array {
    this.reads++;
    return this.images[image].slice(address, address + length);
  }
}

function scan(images: Uint8Array[], pageSizes: number[], options: { chunk?: number; hash?: PageHash; memcmp?: boolean } = {}) {
  const reader = new MemoryReader(images);
  const equalBytes = options.memcmp ? (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0 : undefined;
  const scanner = new PageScanner({ pageSizes, reader, hash: options.hash, equalBytes });
  const chunk = options.chunk ?? Math.max(...pageSizes) * 4;
  images.forEach((bytes, i) => {
    scanner.beginImage(`image ${i}`);
    for (let at = 0; at < bytes.length; at += chunk) scanner.add(at, bytes.subarray(at, Math.min(bytes.length, at + chunk)));
  });
  return { result: scanner.result(), reader };
}

/** Page counts of the expected answer, in pages of the size they are for. */
interface Expected { pages: number; zero: number; distinct: number; nonZeroSaved: number; within: number; collisions?: number }

function assertSharing(actual: ReturnType<typeof scan>['result'], size: number, e: Expected) {
  const saved = e.pages - e.distinct;
  assert.deepEqual(actual.pageSizes[String(size)], {
    pages: e.pages,
    zeroPages: e.zero,
    distinctPages: e.distinct,
    savedBytes: saved * size,
    savedNonZeroBytes: e.nonZeroSaved * size,
    savedWithinBytes: e.within * size,
    savedAcrossBytes: (saved - e.within) * size,
    hashCollisions: e.collisions ?? 0,
  }, `page size ${size}`);
}

const cases: { name: string; images: string[]; unit: number; tail?: number; expect: Record<number, Expected> }[] = [
  {
    name: 'zero pages are one content',
    images: ['0 0 A 0'], unit: 4 * KB,
    expect: { [4 * KB]: { pages: 4, zero: 3, distinct: 2, nonZeroSaved: 0, within: 2 } },
  },
  {
    name: 'duplicates inside one image',
    images: ['A B A A C B'], unit: 4 * KB,
    expect: { [4 * KB]: { pages: 6, zero: 0, distinct: 3, nonZeroSaved: 3, within: 3 } },
  },
  {
    name: 'duplicates across images',
    images: ['A B C', 'C D A', 'A E F'], unit: 4 * KB,
    expect: { [4 * KB]: { pages: 9, zero: 0, distinct: 6, nonZeroSaved: 3, within: 0 } },
  },
  {
    name: 'inside and across together, with zero pages',
    images: ['A B A 0', 'B C 0 0'], unit: 4 * KB,
    expect: {
      [4 * KB]: { pages: 8, zero: 3, distinct: 4, nonZeroSaved: 2, within: 2 },
      [16 * KB]: { pages: 2, zero: 0, distinct: 2, nonZeroSaved: 0, within: 0 },
    },
  },
  {
    name: 'equal at the small size, not at the large one',
    images: ['A B C D', 'B A D C'], unit: 4 * KB,
    expect: {
      [4 * KB]: { pages: 8, zero: 0, distinct: 4, nonZeroSaved: 4, within: 0 },
      [8 * KB]: { pages: 4, zero: 0, distinct: 4, nonZeroSaved: 0, within: 0 },
    },
  },
  {
    name: 'a large page equal only when all its small pages are',
    images: ['A B 0 0 A B', 'A B 0 0'], unit: 4 * KB,
    expect: {
      [4 * KB]: { pages: 10, zero: 4, distinct: 3, nonZeroSaved: 4, within: 4 },
      [8 * KB]: { pages: 5, zero: 2, distinct: 2, nonZeroSaved: 2, within: 1 },
    },
  },
  {
    name: 'a trailing partial page is ignored',
    images: ['A A'], unit: 4 * KB, tail: 100,
    expect: {
      [4 * KB]: { pages: 2, zero: 0, distinct: 1, nonZeroSaved: 1, within: 1 },
      [16 * KB]: { pages: 0, zero: 0, distinct: 0, nonZeroSaved: 0, within: 0 },
    },
  },
];

for (const c of cases) {
  const sizes = Object.keys(c.expect).map(Number);
  for (const chunk of [Math.max(...sizes) * 4, Math.max(...sizes)]) {
    test(`${c.name} (chunks of ${chunk / KB} KB)`, () => {
      const { result } = scan(c.images.map((t) => image(t, c.unit, c.tail)), sizes, { chunk });
      for (const size of sizes) assertSharing(result, size, c.expect[size]);
    });
  }
}

test('a forced hash collision is caught by the byte comparison and counted', () => {
  const sameHash: PageHash = (_w, _s, _e, out) => { out[0] = 7; out[1] = 7; };
  const images = ['A B A C', 'C D 0 B'].map((t) => image(t, 4 * KB));
  const { result } = scan(images, [4 * KB], { hash: sameHash, chunk: 4 * KB });
  assert.deepEqual(scan(images, [4 * KB], { hash: sameHash, chunk: 4 * KB, memcmp: true }).result, result);
  // A, B, C, D are four contents under one hash: three of them collide with an earlier one.
  assertSharing(result, 4 * KB, { pages: 8, zero: 1, distinct: 5, nonZeroSaved: 3, within: 1, collisions: 3 });
  const honest = scan(images, [4 * KB]).result.pageSizes[String(4 * KB)];
  assert.deepEqual({ ...result.pageSizes[String(4 * KB)], hashCollisions: 0 }, honest);
});

test('per image: pages, zero pages and what it would save on its own', () => {
  const { result } = scan(['A A 0 0', 'A B C 0'].map((t) => image(t, 4 * KB)), [4 * KB]);
  assert.deepEqual(result.images, [
    { name: 'image 0', bytes: 16 * KB, pageSizes: { [4 * KB]: { pages: 4, zeroPages: 2, savedWithinBytes: 2 * 4 * KB } } },
    { name: 'image 1', bytes: 16 * KB, pageSizes: { [4 * KB]: { pages: 4, zeroPages: 1, savedWithinBytes: 0 } } },
  ]);
});

test('the default sizes, 4 KB and 2 MB: one 2 MB page repeated, its 4 KB pages all different', () => {
  const large = new Uint8Array(2 * MB);
  fillRandom(large, 99);
  const bytes = new Uint8Array(6 * MB);
  bytes.set(large, 0);
  bytes.set(large, 4 * MB);
  const { result } = scan([bytes], [4 * KB, 2 * MB], { chunk: 16 * MB });
  assertSharing(result, 4 * KB, { pages: 1536, zero: 512, distinct: 513, nonZeroSaved: 512, within: 1023 });
  assertSharing(result, 2 * MB, { pages: 3, zero: 1, distinct: 2, nonZeroSaved: 1, within: 1 });
});

test('pages follow addresses: regions with gaps, large pages only where a whole aligned page is present', () => {
  const a = tokenPage('A', 4 * KB);
  const scanner = new PageScanner({ pageSizes: [4 * KB, 16 * KB], reader: { readPage: () => a.slice() } });
  scanner.beginImage('process');
  // 0x1000..0x5000: 4 small pages; no 16 KB page fits wholly (0x0000 and 0x4000 are cut).
  scanner.add(0x1000, concat(a, a, a, a));
  // 0x10000..0x14000: exactly one aligned 16 KB page.
  scanner.add(0x10000, concat(a, a, a, a));
  const r = scanner.result();
  assertSharing(r, 4 * KB, { pages: 8, zero: 0, distinct: 1, nonZeroSaved: 7, within: 7 });
  assertSharing(r, 16 * KB, { pages: 1, zero: 0, distinct: 1, nonZeroSaved: 0, within: 0 });
});

test('a first copy in an earlier chunk is read back by image and address', () => {
  const bytes = [image('A B', 4 * KB), image('C B', 4 * KB)];
  const { reader } = scan(bytes, [4 * KB], { chunk: 4 * KB });
  assert.equal(reader.reads, 1);
  // In one chunk the first copy is at hand: nothing is read.
  assert.equal(scan([image('A B B A', 4 * KB)], [4 * KB], { chunk: 16 * KB }).reader.reads, 0);
});

test('a chunk that does not start on a 4-byte boundary gives the same answer', () => {
  const bytes = image('A 0 B A', 4 * KB);
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  const scanner = new PageScanner({ pageSizes: [4 * KB], reader: new MemoryReader([bytes]) });
  scanner.beginImage('shifted');
  scanner.add(0, shifted.subarray(1));
  assert.deepEqual(scanner.result().pageSizes, scan([bytes], [4 * KB]).result.pageSizes);
});

test('random images agree with a plain content count', () => {
  let s = 12345;
  const next = (n: number) => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s % n; };
  for (let round = 0; round < 5; round++) {
    const pool = Array.from({ length: 1 + next(40) }, (_, i) => (i === 0 ? '0' : `p${round}-${i}`));
    const images = Array.from({ length: 1 + next(4) }, () => Array.from({ length: next(300) }, () => pool[next(pool.length)]).join(' '));
    // Odd rounds confirm with an injected memcmp, as the CLI does.
    const { result } = scan(images.map((t) => image(t, KB)), [KB, 4 * KB], { chunk: 4 * KB * (1 + next(8)), memcmp: round % 2 === 1 });
    for (const size of [KB, 4 * KB]) assertSharing(result, size, reference(images.map((t) => image(t, KB)), size));
  }
});

/** The answer by brute force: every page's bytes as a string key. */
function reference(images: Uint8Array[], size: number): Expected {
  const holders = new Map<string, Set<number>>();
  let pages = 0;
  let zero = 0;
  images.forEach((bytes, i) => {
    for (let at = 0; at + size <= bytes.length; at += size) {
      const page = bytes.subarray(at, at + size);
      pages++;
      if (page.every((b) => b === 0)) zero++;
      const key = Buffer.from(page).toString('latin1');
      if (!holders.has(key)) holders.set(key, new Set());
      holders.get(key)!.add(i);
    }
  });
  const pairs = [...holders.values()].reduce((n, set) => n + set.size, 0);
  const distinctNonZero = holders.size - (zero > 0 ? 1 : 0);
  return { pages, zero, distinct: holders.size, nonZeroSaved: pages - zero - distinctNonZero, within: pages - pairs };
}

test('page sizes: powers of two from 1 KB to 1 GB', () => {
  for (const ok of [KB, 4 * KB, 2 * MB, 1024 * MB]) assert.equal(checkPageSize(ok), undefined);
  for (const bad of [0, 512, 3 * KB, 2048 * MB, 4096.5]) assert.ok(checkPageSize(bad), String(bad));
  assert.throws(() => new PageScanner({ pageSizes: [3000], reader: new MemoryReader([]) }), /page size 3000/);
});

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

test('the page hash spreads sparse pages: no 64-bit collision, and the low half alone about as random', () => {
  const words = new Uint32Array(256);
  const out = new Uint32Array(2);
  const full = new Set<string>();
  const low = new Set<number>();
  let pages = 0;
  // 1 KB pages that differ in one or two small words, or only in the top bit of a word: the
  // structured differences of real memory, where a weak hash fails first.
  const hashOne = () => { pageHash64(words, 0, words.length, out); full.add(`${out[0]}:${out[1]}`); low.add(out[0]); pages++; };
  for (let k = 0; k < 65536; k++) {
    words.fill(0);
    words[k % 256] = (k >>> 8) + 1;
    hashOne();
    words[(k * 7 + 3) % 256] ^= 0x80000000;
    hashOne();
  }
  assert.equal(full.size, pages);
  // 131,072 random 32-bit values collide about twice; many more would mean a weak fold.
  assert.ok(pages - low.size <= 8, `${pages - low.size} low-half collisions`);
});

test('a large page made of two small pages is hashed from those two alone', () => {
  // 4 KB pages from 2 KB ones: each large page's hash reads 4 words of small-page hashes, the shortest
  // input the hash takes; neighbours must not leak in, or equal large pages would be missed.
  const images = ['A B C D A B', 'D C A B'].map((t) => image(t, 2 * KB));
  for (const chunk of [4 * KB, 8 * KB, 16 * KB]) {
    const { result } = scan(images, [2 * KB, 4 * KB], { chunk });
    assertSharing(result, 4 * KB, { pages: 5, zero: 0, distinct: 3, nonZeroSaved: 2, within: 1 });
  }
});
