// Synthetic memory images for the page sharing tests. An image is written as page tokens at a unit
// size: "0" a zero page, any other token a page of pseudo-random bytes derived from the token, so
// equal tokens are equal pages and different tokens different ones.

export function tokenPage(token: string, size: number): Uint8Array {
  const page = new Uint8Array(size);
  if (token === '0') return page;
  let seed = 2166136261;
  for (const ch of token) seed = Math.imul(seed ^ ch.charCodeAt(0), 16777619);
  fillRandom(page, seed);
  return page;
}

/** xorshift32 bytes: deterministic, and no two seeds give equal pages in practice. */
export function fillRandom(bytes: Uint8Array, seed: number): void {
  let s = seed >>> 0 || 1;
  for (let i = 0; i < bytes.length; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    bytes[i] = s & 0xff;
  }
}

/** The pages of `tokens` (space-separated) at `unit` bytes each, then `tail` bytes of a partial page. */
export function image(tokens: string, unit: number, tail = 0): Uint8Array {
  const pages = tokens.split(/\s+/).filter(Boolean).map((t) => tokenPage(t, unit));
  const bytes = new Uint8Array(pages.length * unit + tail);
  pages.forEach((p, i) => bytes.set(p, i * unit));
  bytes.fill(0xab, pages.length * unit);
  return bytes;
}
