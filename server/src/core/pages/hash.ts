// The page hash: fast, non-cryptographic, 64 bits. Equal hashes only nominate candidates; the scanner
// confirms every candidate byte for byte, so the hash needs speed and spread, not strength.
//
// Chosen by measurement (bench/pages.bench.ts, docs/page-sharing.md): four 32-bit lanes over the page
// as 32-bit words, one Math.imul per word, coupled after each round, folded into two differently
// mixed 32-bit halves. It hashes the page in place, synchronously, with no dependency, and keeps pace
// with WebAssembly xxHash64 (which must first copy each page into its own memory and hand back a
// BigInt or a byte array); the xxHash32 round (two multiplies and a rotate per word) was slower.

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
  for (let i = start; i < end; i += 4) {
    // One multiply per word: the lane takes the word, the odd multiplier spreads it to higher bits.
    a = Math.imul(a ^ words[i], P1);
    b = Math.imul(b ^ words[i + 1], P2);
    c = Math.imul(c ^ words[i + 2], P3);
    d = Math.imul(d ^ words[i + 3], P4);
    // Couple the lanes, bringing high bits down (an invertible step: no two states merge), so the
    // state is 128 bits rather than four 32-bit lanes, and a difference cannot cancel within a lane.
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
