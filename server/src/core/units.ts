// Sizes and durations at the edges of the product. Inside, sizes are bytes and durations are seconds.
// Units are 1024-based as in PowerShell (KB = KiB); a bare number is bytes.

export const KB = 1024;
export const MB = 1024 * KB;
export const GB = 1024 * MB;
export const TB = 1024 * GB;

const UNITS = new Map<string, number>([
  ['b', 1], ['kb', KB], ['kib', KB], ['mb', MB], ['mib', MB], ['gb', GB], ['gib', GB], ['tb', TB], ['tib', TB], ['pb', 1024 * TB], ['pib', 1024 * TB],
]);

/** The largest size a plan may name: whole bytes stay exact in a double up to 2^53. */
export const MAX_SIZE_BYTES = Number.MAX_SAFE_INTEGER;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const SIZE_TEXT = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-z]+)\s*$/i;

/** Reads a size: a string with a unit ("512MB", "1.5 GB") or a bare number of bytes. */
export function parseSize(raw: string | number): Parsed<number> {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { ok: false, message: 'is not a finite number of bytes' };
    if (raw < 0) return { ok: false, message: 'is negative' };
    if (!Number.isInteger(raw)) return { ok: false, message: 'is not a whole number of bytes' };
    if (raw > MAX_SIZE_BYTES) return { ok: false, message: 'is too large' };
    return { ok: true, value: raw };
  }
  const text = raw.trim();
  if (text.startsWith('-')) return { ok: false, message: 'is negative' };
  if (/^[0-9.]+$/.test(text)) return { ok: false, message: `has no unit: write "${text}MB" or "${text}GB", or a bare number for bytes` };
  const m = SIZE_TEXT.exec(text);
  if (!m) return { ok: false, message: 'is not a size: write a number and a unit, e.g. "512MB", "4GB", "1.5TB"' };
  const unit = UNITS.get(m[2].toLowerCase());
  if (unit === undefined) return { ok: false, message: `has an unknown unit "${m[2]}": use B, KB, MB, GB or TB (1024-based)` };
  const bytes = Number(m[1]) * unit;
  if (!Number.isFinite(bytes) || bytes > MAX_SIZE_BYTES) return { ok: false, message: 'is too large' };
  if (!Number.isInteger(bytes)) {
    return { ok: false, message: `is not a whole number of bytes (${m[1]} × ${unit} = ${bytes})` };
  }
  return { ok: true, value: bytes };
}

const DURATION_PART = /([0-9]+(?:\.[0-9]+)?)\s*(d|h|m|s)/gy;
const DURATION_SECONDS: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 };

/** Reads a duration: a number of seconds, or "90s", "5m", "1h", "1h30m", "2d". */
export function parseDuration(raw: string | number): Parsed<number> {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { ok: false, message: 'is not a finite number of seconds' };
    if (raw < 0) return { ok: false, message: 'is negative' };
    return { ok: true, value: raw };
  }
  const text = raw.trim().toLowerCase();
  if (text.startsWith('-')) return { ok: false, message: 'is negative' };
  if (/^[0-9]+(\.[0-9]+)?$/.test(text)) return { ok: true, value: Number(text) };
  DURATION_PART.lastIndex = 0;
  let seconds = 0;
  let used = '';
  let end = 0;
  for (let m = DURATION_PART.exec(text); m; m = DURATION_PART.exec(text)) {
    if (used.includes(m[2]) || 'dhms'.indexOf(m[2]) < 'dhms'.indexOf(used.slice(-1))) {
      return { ok: false, message: 'has its units out of order: write e.g. "1h30m"' };
    }
    used += m[2];
    seconds += Number(m[1]) * DURATION_SECONDS[m[2]];
    end = DURATION_PART.lastIndex;
    while (text[end] === ' ') end++;
    DURATION_PART.lastIndex = end;
  }
  if (used === '' || end !== text.length) {
    return { ok: false, message: 'is not a duration: write seconds as a number, or e.g. "90s", "5m", "1h30m"' };
  }
  if (!Number.isFinite(seconds)) return { ok: false, message: 'is too large' };
  return { ok: true, value: seconds };
}

/** A size for people: "512 MB", "1.5 GB", "1,023.99 MB" stays readable; exact bytes are in `formatBytesExact`. */
export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  while (value >= 1024 && i < units.length - 1) { value /= 1024; i++; }
  const digits = i === 0 || Number.isInteger(value) ? 0 : value < 10 ? 2 : value < 100 ? 1 : 0;
  const text = value.toFixed(digits).replace(/\.0+$/, '').replace(/(\.\d*[1-9])0+$/, '$1');
  return `${sign}${text} ${units[i]}`;
}

/** Every unit in which the size is whole, for hovers: "1.5 GB = 1,536 MB = 1,610,612,736 bytes". */
export function formatBytesExact(bytes: number): string {
  const parts: string[] = [];
  for (const [unit, size] of [['TB', TB], ['GB', GB], ['MB', MB], ['KB', KB]] as const) {
    if (bytes >= size) {
      const v = bytes / size;
      const shown = Number.isInteger(v) ? v.toLocaleString('en-US') : Number(v.toFixed(3)).toLocaleString('en-US');
      parts.push(`${Number.isInteger(v) ? '' : '≈ '}${shown} ${unit}`);
    }
  }
  parts.push(`${bytes.toLocaleString('en-US')} bytes`);
  return parts.join(' = ');
}

/** A duration for people: "45 s", "1 min 30 s", "2 h 5 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Number(seconds.toFixed(1))} s`;
  const s = Math.round(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const parts: string[] = [];
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (rest && !d) parts.push(`${rest} s`);
  return parts.join(' ');
}

/**
 * A timestamp on the scenario's clock, always hours:minutes:seconds ("0:00:20", "1:02:03"): an operator
 * planning a window reads "0:20" as twenty minutes, so the hours are never left out.
 */
export function formatClock(seconds: number): string {
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
