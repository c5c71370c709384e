// The page hash: fast, non-cryptographic, 64 bits. Equal hashes only nominate candidates; the scanner
// confirms every candidate byte for byte, so the hash needs speed and spread, not strength.
//
// Chosen by measurement (bench/pages.bench.ts, docs/page-sharing.md): four 32-bit lanes over the page
// as 32-bit words, one Math.imul per word, coupled after every two rounds, folded into two
// differently mixed 32-bit halves. It hashes the page in place, synchronously, with no dependency.
// WebAssembly xxHash64 hashes faster alone, but not in the whole scan, where hashing is under half
// the work and each call must first copy the page into WebAssembly memory.

/**
 * Hashes `words[start..end)` (a whole page: the count of words is a multiple of 4) and writes the
 * 64-bit result as two unsigned 32-bit halves: `out[0]` low, `out[1]` high.
 */
export type PageHash = (words: Uint32Array, start: number, end: number, out: Uint32Array) => void;

const P1 = 0x9e3779b1 | 0;
const P2 = 0x85ebca77 | 0;
const P3 = 0xc2b2ae3d | 0;
const P4 = 0x27d4eb2f | 0;

export const pageHash64: PageHash = (words, start, end, out) => {
  let a = (P1 + P2) | 0;
  let b = P2;
  let c = 0;
  let d = -P1 | 0;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    // One multiply per word: the lane takes the word, the odd multiplier spreads it to higher bits.
    a = Math.imul(Math.imul(a ^ words[i], P1) ^ words[i + 4], P1);
    b = Math.imul(Math.imul(b ^ words[i + 1], P2) ^ words[i + 5], P2);
    c = Math.imul(Math.imul(c ^ words[i + 2], P3) ^ words[i + 6], P3);
    d = Math.imul(Math.imul(d ^ words[i + 3], P4) ^ words[i + 7], P4);
    // Couple the lanes after every two words each, bringing high bits down (an invertible step: no
    // two states merge), so the state is 128 bits rather than four 32-bit lanes, and a difference
    // cannot cancel within a lane.
    a ^= d >>> 15; b ^= a >>> 15; c ^= b >>> 15; d ^= c >>> 15;
  }
  if (i < end) {
    a = Math.imul(a ^ words[i], P1);
    b = Math.imul(b ^ words[i + 1], P2);
    c = Math.imul(c ^ words[i + 2], P3);
    d = Math.imul(d ^ words[i + 3], P4);
    a ^= d >>> 15; b ^= a >>> 15; c ^= b >>> 15; d ^= c >>> 15;
  }
  const length = (end - start) | 0;
  // Two folds of the same four lanes, each a bijection of any single lane, so a change in one lane
  // changes both halves; the avalanche then spreads it over all 32 bits of each.
  out[0] = avalanche((((a << 1) | (a >>> 31)) + ((b << 7) | (b >>> 25)) + ((c << 12) | (c >>> 20)) + ((d << 18) | (d >>> 14)) + length) | 0);
  out[1] = avalanche((Math.imul(a, P3) ^ ((b << 11) | (b >>> 21))) + (Math.imul(c ^ P4, P4) ^ ((d << 23) | (d >>> 9))) + Math.imul(length, P1));
};

function avalanche(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, P2);
  h ^= h >>> 13;
  h = Math.imul(h, P3);
  h ^= h >>> 16;
  return h >>> 0;
}
