// The page sharing panel's browser code: one bar per page size, splitting the scanned memory into
// zero pages, pages shared inside one image, pages shared across images, and unique pages.
// Names of files and processes are shown with textContent only, never as HTML.
import type { FromPanel, PageScanReport, ToPanel } from '../src/pages/protocol';
import { formatBytes } from '../../server/src/core/units';

/** One page size's memory as four parts that add up to every page scanned. */
export interface SharingBar {
  pageSize: number;
  scannedBytes: number;
  savedBytes: number;
  /** every zero page: all of them but one would be reclaimed */
  zeroBytes: number;
  /** non-zero copies whose content the same image already holds */
  withinBytes: number;
  /** non-zero copies whose content only another image holds */
  acrossBytes: number;
  /** one copy of each non-zero content: what has to stay */
  uniqueBytes: number;
  hashCollisions: number;
}

/**
 * The scan reports savings with zero pages counted in (savedWithinBytes, savedAcrossBytes); the bar
 * shows zero pages apart, so their share of each saving comes out of it, from the per-image counts.
 */
export function sharingBars(report: PageScanReport): SharingBar[] {
  return Object.entries(report.pageSizes).map(([key, s]) => {
    const size = Number(key);
    const zeroCounts = report.images.map((image) => image.pageSizes[key]?.zeroPages ?? 0).filter((n) => n > 0);
    const zeroWithinPages = zeroCounts.reduce((n, z) => n + z - 1, 0);
    const zeroAcrossPages = Math.max(0, zeroCounts.length - 1);
    const distinctNonZero = s.distinctPages - (s.zeroPages > 0 ? 1 : 0);
    return {
      pageSize: size,
      scannedBytes: s.pages * size,
      savedBytes: s.savedBytes,
      zeroBytes: s.zeroPages * size,
      withinBytes: s.savedWithinBytes - zeroWithinPages * size,
      acrossBytes: s.savedAcrossBytes - zeroAcrossPages * size,
      uniqueBytes: distinctNonZero * size,
      hashCollisions: s.hashCollisions,
    };
  }).sort((a, b) => a.pageSize - b.pageSize);
}

const PARTS = [
  { key: 'zeroBytes', css: 'zero', label: 'zero pages' },
  { key: 'withinBytes', css: 'within', label: 'shared inside one image' },
  { key: 'acrossBytes', css: 'across', label: 'shared across images' },
  { key: 'uniqueBytes', css: 'unique', label: 'unique' },
] as const;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '-';
}

function render(root: HTMLElement, report: PageScanReport): void {
  root.replaceChildren();
  root.append(element('h1', 'Page sharing: what identical-page sharing would save'));
  const list = element('p', `${report.images.length} image${report.images.length === 1 ? '' : 's'}: `, 'note');
  list.append(report.images.map((i) => i.name).join(', '));
  root.append(list);

  for (const bar of sharingBars(report)) {
    root.append(element('h2', `${formatBytes(bar.pageSize)} pages: ${formatBytes(bar.savedBytes)} of ${formatBytes(bar.scannedBytes)} saved`));
    const strip = element('div', undefined, 'bar');
    const legend = element('div', undefined, 'legend');
    for (const part of PARTS) {
      const bytes = bar[part.key];
      const segment = element('div', undefined, part.css);
      segment.style.width = bar.scannedBytes > 0 ? `${(bytes / bar.scannedBytes) * 100}%` : '0';
      segment.title = `${part.label}: ${formatBytes(bytes)} (${percent(bytes, bar.scannedBytes)})`;
      strip.append(segment);
      const item = element('span');
      item.append(element('span', undefined, `swatch ${part.css}`), `${part.label}: ${formatBytes(bytes)} (${percent(bytes, bar.scannedBytes)})`);
      legend.append(item);
    }
    root.append(strip, legend);
    if (bar.hashCollisions > 0) root.append(element('p', `${bar.hashCollisions} hash collision(s), told apart by comparing bytes.`, 'note'));
  }

  root.append(element('h2', 'Images'));
  const table = element('table');
  const sizes = Object.keys(report.pageSizes).sort((a, b) => Number(a) - Number(b));
  const head = element('tr');
  head.append(element('th', 'image'), element('th', 'scanned'));
  for (const s of sizes) head.append(element('th', `zero (${formatBytes(Number(s))})`), element('th', `shared inside (${formatBytes(Number(s))})`));
  table.append(head);
  for (const image of report.images) {
    const row = element('tr');
    row.append(element('td', image.name), element('td', formatBytes(image.bytes)));
    for (const s of sizes) {
      const own = image.pageSizes[s];
      row.append(element('td', percent(own.zeroPages, own.pages)), element('td', percent(own.savedWithinBytes, own.pages * Number(s))));
    }
    table.append(row);
  }
  root.append(table);
}

declare function acquireVsCodeApi(): { postMessage(message: FromPanel): void };

if (typeof document !== 'undefined' && typeof acquireVsCodeApi === 'function') {
  const vscode = acquireVsCodeApi();
  window.addEventListener('message', (event: MessageEvent<ToPanel>) => {
    if (event.data?.type === 'report') render(document.getElementById('root')!, event.data.report);
  });
  vscode.postMessage({ type: 'ready' });
}
