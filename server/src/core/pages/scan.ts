// The page sharing scanner, as content-based page sharing works (Waldspurger, OSDI 2002; Linux KSM):
// hash every page, look the hash up, confirm a hit byte for byte, keep one copy per content.
//
// Streaming with bounded memory: the caller hands over chunks of an image in address order; nothing
// of a chunk is kept once `add` returns. The index holds one entry per *distinct non-zero* content
// (about 24 bytes: 64-bit hash, page ordinal, last image, a hash table slot, spare capacity), none for zero
// pages or duplicates. To confirm a hit, the scanner needs the first copy's bytes again: it asks the
// caller's PageReader for them (a positional read of a file, a read of process memory), unless the
// first copy is in the chunk at hand or in a small cache.
import { pageHash64, type PageHash } from './hash';
import type { ImageSharing, PageSharingResult, PageSizeSharing } from './types';

/** Gives back the bytes of a page that was scanned earlier. */
export interface PageReader {
  /** exactly `length` bytes at `address` of image `image` (the index `beginImage` returned) */
  readPage(image: number, address: number, length: number): Uint8Array;
}

export interface PageScanOptions {
  /** page sizes in bytes, each a power of two from 1 KB to 1 GB (see `checkPageSize`) */
  pageSizes: readonly number[];
  reader: PageReader;
  /** the hash; tests inject a weak one to force collisions */
  hash?: PageHash;
  /**
   * Whether two pages' bytes are equal. The default compares 32-bit words in JavaScript; an adapter
   * may hand in the runtime's memcmp (Node's Buffer.compare), about twice as fast on duplicates.
   */
  equalBytes?: (a: Uint8Array, b: Uint8Array) => boolean;
}

export const MIN_PAGE_SIZE = 1024;
export const MAX_PAGE_SIZE = 1024 * 1024 * 1024;
/** The scanner keeps each page's image in 16 bits. */
export const MAX_IMAGES = 0xffff;

/** Why a page size cannot be scanned, or undefined when it can. */
export function checkPageSize(bytes: number): string | undefined {
  if (!Number.isInteger(bytes) || bytes < MIN_PAGE_SIZE || bytes > MAX_PAGE_SIZE) return 'must be from 1 KB to 1 GB';
  if ((bytes & (bytes - 1)) !== 0) return 'must be a power of two (4 KB, 2 MB, 1 GB…)';
  return undefined;
}

/** Bytes of first copies kept, per page size, to confirm later duplicates without reading them again. */
const CACHE_BYTES = 16 * 1024 * 1024;

export class PageScanner {
  private readonly indexes: SizeIndex[];
  private readonly small = new SmallPages();
  private readonly names: string[] = [];
  private readonly imageBytes: number[] = [];

  constructor(options: PageScanOptions) {
    const sizes = [...new Set(options.pageSizes)].sort((a, b) => a - b);
    if (sizes.length === 0) throw new RangeError('no page size to scan');
    for (const size of sizes) {
      const problem = checkPageSize(size);
      if (problem) throw new RangeError(`page size ${size} ${problem}`);
    }
    this.indexes = sizes.map((size) => new SizeIndex(size, options.reader, options.hash ?? pageHash64, options.equalBytes));
  }

  /** Starts the next image; its pages are compared with every earlier image's. Returns its index. */
  beginImage(name: string): number {
    if (this.names.length >= MAX_IMAGES) throw new RangeError(`more than ${MAX_IMAGES} images`);
    this.names.push(name);
    this.imageBytes.push(0);
    for (const index of this.indexes) index.beginImage();
    return this.names.length - 1;
  }

  /**
   * Scans the bytes at `address` of the current image. Pages are aligned to their size in the image's
   * address space; a page only part of which is in `bytes` is ignored, so callers cut chunks on
   * multiples of the largest page size (a region's ends excepted).
   */
  add(address: number, bytes: Uint8Array): void {
    const image = this.names.length - 1;
    if (image < 0) throw new Error('beginImage must come before add');
    if (!Number.isSafeInteger(address) || address < 0) throw new RangeError(`bad address ${address}`);
    this.imageBytes[image] += bytes.length;
    // Hashing reads 32-bit words in place; a chunk that does not start on a word is copied once.
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
    const words = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length >>> 2);
    this.indexes.forEach((index, i) => index.add(image, address, words, this.small, i === 0));
  }

  /** Memory held: the index (hashes, ordinals, hash table, with spare capacity) and the read-back caches. */
  memory(): { indexBytes: number; cacheBytes: number } {
    return {
      indexBytes: this.indexes.reduce((sum, index) => sum + index.indexBytes(), 0),
      cacheBytes: this.indexes.reduce((sum, index) => sum + index.cacheBytes(), 0),
    };
  }

  result(): PageSharingResult {
    const pageSizes: Record<string, PageSizeSharing> = {};
    for (const index of this.indexes) pageSizes[String(index.pageSize)] = index.sharing();
    const images: ImageSharing[] = this.names.map((name, i) => ({
      name,
      bytes: this.imageBytes[i],
      pageSizes: Object.fromEntries(this.indexes.map((index) => [String(index.pageSize), index.imageSharing(i)])),
    }));
    return { pageSizes, images };
  }
}

/** The index for one page size. Representatives ("reps") are the first copies of distinct non-zero contents. */
class SizeIndex {
  private readonly pageWords: number;
  private readonly hashOut = new Uint32Array(2);

  private pages = 0;
  private zeroPages = 0;
  private distinctNonZero = 0;
  private hashCollisions = 0;
  /** Σ over contents of the number of images holding it: pages - pairs is what sharing saves inside images */
  private contentImagePairs = 0;
  private lastZeroImage = -1;
  private readonly perImage: { pages: number; zeroPages: number; duplicatesWithin: number }[] = [];

  // Reps, in parallel typed arrays (no object per page).
  private repCount = 0;
  private repLo = new Uint32Array(1024);
  private repHi = new Uint32Array(1024);
  private repOrdinal = new Uint32Array(1024);
  private repLastImage = new Uint16Array(1024);
  /** rep + 1 per slot, 0 empty; open addressing, linear probing, at most 3/4 full */
  private table = new Int32Array(2048);
  private tableCount = 0;
  /** reps whose hash equals an earlier rep's: rare, so kept aside rather than paid for by every page */
  private readonly collided = new Map<number, number[]>();

  // Where pages are: runs of consecutive ordinals at consecutive addresses of one image.
  private runOrdinal: number[] = [];
  private runImage: number[] = [];
  private runAddress: number[] = [];

  // The chunk being scanned, so a rep inside it is compared without a read.
  private chunkWords: Uint32Array = new Uint32Array(0);
  private chunkFirstOrdinal = 0;
  private chunkFirstWord = 0;

  /** the rep each cache entry holds (-1: none), and the entry of each cached rep: fully associative */
  private readonly cacheRep: Int32Array;
  private readonly cacheEntry = new Map<number, number>();
  /** the entry a miss replaces next: first in, first out */
  private cacheClock = 0;
  private readonly cacheWords: Uint32Array;

  constructor(
    readonly pageSize: number,
    private readonly reader: PageReader,
    private readonly hash: PageHash,
    private readonly equalBytes: ((a: Uint8Array, b: Uint8Array) => boolean) | undefined,
  ) {
    this.pageWords = pageSize / 4;
    const entries = Math.max(1, Math.floor(CACHE_BYTES / pageSize));
    this.cacheRep = new Int32Array(entries).fill(-1);
    this.cacheWords = new Uint32Array(entries * this.pageWords);
  }

  beginImage(): void {
    this.perImage.push({ pages: 0, zeroPages: 0, duplicatesWithin: 0 });
  }

  /**
   * Scans the chunk's pages of this size. The smallest size hashes the bytes and records each page's
   * hash in `small`; a larger size hashes its small pages' hashes instead of its bytes again, which
   * is as much a function of its content, so a scan for 4 KB and 2 MB costs little more than 4 KB.
   */
  add(image: number, address: number, words: Uint32Array, small: SmallPages, smallest: boolean): void {
    const size = this.pageSize;
    const first = Math.ceil(address / size) * size;
    const end = address + words.length * 4;
    const count = first + size <= end ? Math.floor((end - first) / size) : 0;
    if (smallest) small.reset(size, first, count);
    if (count === 0) return;
    if (this.pages + count > 0xffffffff) throw new RangeError('more than 2^32 pages of one size');
    this.noteRun(image, first, count);
    this.chunkWords = words;
    this.chunkFirstOrdinal = this.pages;
    this.chunkFirstWord = (first - address) / 4;

    const own = this.perImage[image];
    const pageWords = this.pageWords;
    const out = this.hashOut;
    const perPage = size / small.pageSize;
    for (let p = 0, start = this.chunkFirstWord; p < count; p++, start += pageWords) {
      const ordinal = this.pages++;
      own.pages++;
      let zero: boolean;
      if (smallest) {
        const stop = start + pageWords;
        zero = isZero(words, start, stop);
        if (!zero) this.hash(words, start, stop, out);
        small.record(p, zero, out);
      } else {
        const from = (first + p * size - small.firstAddress) / small.pageSize;
        let i = from;
        while (i < from + perPage && small.zero[i] === 1) i++;
        zero = i === from + perPage;
        if (!zero) this.hash(small.hashes, 2 * from, 2 * (from + perPage), out);
      }
      if (zero) {
        this.zeroPages++;
        own.zeroPages++;
        if (this.lastZeroImage === image) own.duplicatesWithin++;
        else { this.lastZeroImage = image; this.contentImagePairs++; }
      } else {
        this.addContent(image, ordinal, out[0], out[1], start);
      }
    }
    this.chunkWords = new Uint32Array(0);
  }

  private addContent(image: number, ordinal: number, lo: number, hi: number, start: number): void {
    const mask = this.table.length - 1;
    let slot = lo & mask;
    for (let entry = this.table[slot]; entry !== 0; entry = this.table[slot]) {
      const rep = entry - 1;
      if (this.repLo[rep] === lo && this.repHi[rep] === hi) {
        const same = this.findEqual(rep, start);
        if (same >= 0) {
          this.addDuplicate(image, same);
        } else {
          this.hashCollisions++;
          const newRep = this.addRep(image, ordinal, lo, hi);
          const list = this.collided.get(rep);
          if (list) list.push(newRep); else this.collided.set(rep, [newRep]);
        }
        return;
      }
      slot = (slot + 1) & mask;
    }
    this.table[slot] = this.addRep(image, ordinal, lo, hi) + 1;
    if (++this.tableCount * 4 > this.table.length * 3) this.growTable();
  }

  /** The rep among those with this hash whose bytes equal the page at `start` of the chunk, or -1. */
  private findEqual(rep: number, start: number): number {
    if (this.equalsRep(rep, start)) return rep;
    for (const other of this.collided.get(rep) ?? []) if (this.equalsRep(other, start)) return other;
    return -1;
  }

  private addDuplicate(image: number, rep: number): void {
    if (this.repLastImage[rep] === image) this.perImage[image].duplicatesWithin++;
    else { this.repLastImage[rep] = image; this.contentImagePairs++; }
  }

  private addRep(image: number, ordinal: number, lo: number, hi: number): number {
    if (this.repCount === this.repLo.length) this.growReps();
    const rep = this.repCount++;
    this.repLo[rep] = lo;
    this.repHi[rep] = hi;
    this.repOrdinal[rep] = ordinal;
    this.repLastImage[rep] = image;
    this.distinctNonZero++;
    this.contentImagePairs++;
    return rep;
  }

  private equalsRep(rep: number, start: number): boolean {
    const words = this.chunkWords;
    const n = this.pageWords;
    const offset = this.repOrdinal[rep] - this.chunkFirstOrdinal;
    let other: Uint32Array;
    let from: number;
    if (offset >= 0) {
      other = words;
      from = this.chunkFirstWord + offset * n;
    } else {
      other = this.cacheWords;
      from = this.cached(rep) * n;
    }
    if (!this.equalBytes) return equalWords(words, start, other, from, n);
    return this.equalBytes(
      new Uint8Array(words.buffer, words.byteOffset + start * 4, this.pageSize),
      new Uint8Array(other.buffer, other.byteOffset + from * 4, this.pageSize));
  }

  /** The cache entry holding the rep's bytes, read through the PageReader on a miss. */
  private cached(rep: number): number {
    let entry = this.cacheEntry.get(rep);
    if (entry === undefined) {
      entry = this.cacheClock;
      this.cacheClock = (entry + 1) % this.cacheRep.length;
      const { image, address } = this.locate(this.repOrdinal[rep]);
      const bytes = this.reader.readPage(image, address, this.pageSize);
      if (bytes.length !== this.pageSize) {
        throw new Error(`reading back ${this.pageSize} bytes at ${address} of image ${image} gave ${bytes.length}`);
      }
      new Uint8Array(this.cacheWords.buffer, entry * this.pageSize, this.pageSize).set(bytes);
      if (this.cacheRep[entry] >= 0) this.cacheEntry.delete(this.cacheRep[entry]);
      this.cacheRep[entry] = rep;
      this.cacheEntry.set(rep, entry);
    }
    return entry;
  }

  private noteRun(image: number, address: number, count: number): void {
    const last = this.runOrdinal.length - 1;
    const continues = last >= 0 && this.runImage[last] === image &&
      this.runAddress[last] + (this.pages - this.runOrdinal[last]) * this.pageSize === address;
    if (continues || count === 0) return;
    this.runOrdinal.push(this.pages);
    this.runImage.push(image);
    this.runAddress.push(address);
  }

  private locate(ordinal: number): { image: number; address: number } {
    let low = 0;
    let high = this.runOrdinal.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.runOrdinal[mid] <= ordinal) low = mid; else high = mid - 1;
    }
    return { image: this.runImage[low], address: this.runAddress[low] + (ordinal - this.runOrdinal[low]) * this.pageSize };
  }

  private growReps(): void {
    const capacity = this.repLo.length * 2;
    this.repLo = grow(this.repLo, new Uint32Array(capacity));
    this.repHi = grow(this.repHi, new Uint32Array(capacity));
    this.repOrdinal = grow(this.repOrdinal, new Uint32Array(capacity));
    this.repLastImage = grow(this.repLastImage, new Uint16Array(capacity));
  }

  private growTable(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    const mask = this.table.length - 1;
    for (const entry of old) {
      if (entry === 0) continue;
      let slot = this.repLo[entry - 1] & mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & mask;
      this.table[slot] = entry;
    }
  }

  indexBytes(): number {
    return this.repLo.byteLength + this.repHi.byteLength + this.repOrdinal.byteLength + this.repLastImage.byteLength +
      this.table.byteLength + this.runOrdinal.length * 24;
  }

  cacheBytes(): number {
    return this.cacheWords.byteLength;
  }

  sharing(): PageSizeSharing {
    const size = this.pageSize;
    const distinctPages = this.distinctNonZero + (this.zeroPages > 0 ? 1 : 0);
    const savedPages = this.pages - distinctPages;
    const withinPages = this.pages - this.contentImagePairs;
    return {
      pages: this.pages,
      zeroPages: this.zeroPages,
      distinctPages,
      savedBytes: savedPages * size,
      savedNonZeroBytes: (this.pages - this.zeroPages - this.distinctNonZero) * size,
      savedWithinBytes: withinPages * size,
      savedAcrossBytes: (savedPages - withinPages) * size,
      hashCollisions: this.hashCollisions,
    };
  }

  imageSharing(image: number) {
    const own = this.perImage[image];
    return { pages: own.pages, zeroPages: own.zeroPages, savedWithinBytes: own.duplicatesWithin * this.pageSize };
  }
}

// Eight words a step: a word-at-a-time loop runs at half the speed of the hash on V8.
// (Page sizes are at least 1 KB, so a page is a whole number of steps.)

function isZero(words: Uint32Array, start: number, stop: number): boolean {
  for (let i = start; i < stop; i += 8) {
    if ((words[i] | words[i + 1] | words[i + 2] | words[i + 3] | words[i + 4] | words[i + 5] | words[i + 6] | words[i + 7]) !== 0) return false;
  }
  return true;
}

function equalWords(a: Uint32Array, i: number, b: Uint32Array, j: number, n: number): boolean {
  for (const stop = i + n; i < stop; i += 8, j += 8) {
    if (((a[i] ^ b[j]) | (a[i + 1] ^ b[j + 1]) | (a[i + 2] ^ b[j + 2]) | (a[i + 3] ^ b[j + 3]) |
      (a[i + 4] ^ b[j + 4]) | (a[i + 5] ^ b[j + 5]) | (a[i + 6] ^ b[j + 6]) | (a[i + 7] ^ b[j + 7])) !== 0) return false;
  }
  return true;
}

/** The smallest size's page hashes in the chunk at hand: zero pages flagged, others' 64-bit hashes. */
class SmallPages {
  pageSize = 1;
  firstAddress = 0;
  hashes = new Uint32Array(0);
  zero = new Uint8Array(0);

  reset(pageSize: number, firstAddress: number, count: number): void {
    this.pageSize = pageSize;
    this.firstAddress = firstAddress;
    if (this.zero.length < count) {
      this.zero = new Uint8Array(count);
      this.hashes = new Uint32Array(2 * count);
    }
  }

  record(page: number, zero: boolean, hash: Uint32Array): void {
    this.zero[page] = zero ? 1 : 0;
    this.hashes[2 * page] = zero ? 0 : hash[0];
    this.hashes[2 * page + 1] = zero ? 0 : hash[1];
  }
}

function grow<T extends Uint32Array | Uint16Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
