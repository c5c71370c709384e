// The page sharing panel's browser code: one bar per page size, splitting the scanned memory into
// zero pages, pages shared inside one image, pages shared across images, and unique pages, and the
// same parts per image below. "Shared inside one image" means one thing everywhere: copies of
// non-zero pages that the image already holds (zero pages have a part of their own).
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
  /** the images with no whole page of this size (smaller than a page), which count for nothing here */
  tooSmall: { name: string; bytes: number }[];
}

/** One image's own parts at one page size, by the bar's definitions. */
export interface ImageShare {
  /** whole pages of this size in the image; 0 when the image is smaller than a page */
  pages: number;
  scannedBytes: number;
  zeroBytes: number;
  /** non-zero copies of pages the image already holds */
  withinBytes: number;
}

/** The image's parts: its own savedWithinBytes counts all its zero pages but one, which the bar shows apart. */
export function imageShare(own: PageScanReport['images'][number]['pageSizes'][string] | undefined, pageSize: number): ImageShare {
  if (!own || own.pages === 0) return { pages: 0, scannedBytes: 0, zeroBytes: 0, withinBytes: 0 };
  const zeroCopies = Math.max(0, own.zeroPages - 1);
  return { pages: own.pages, scannedBytes: own.pages * pageSize, zeroBytes: own.zeroPages * pageSize, withinBytes: own.savedWithinBytes - zeroCopies * pageSize };
}

/**
 * The scan reports savings with zero pages counted in (savedWithinBytes, savedAcrossBytes); the bar
 * shows zero pages apart, so their share of each saving comes out of it, from the per-image counts.
 */
export function sharingBars(report: PageScanReport): SharingBar[] {
  return Object.entries(report.pageSizes).map(([key, s]) => {
    const size = Number(key);
    const zeroCounts = report.images.map((image) => image.pageSizes[key]?.zeroPages ?? 0).filter((n) => n > 0);
    const zeroAcrossPages = Math.max(0, zeroCounts.length - 1);
    const distinctNonZero = s.distinctPages - (s.zeroPages > 0 ? 1 : 0);
    const withinBytes = report.images.reduce((sum, image) => sum + imageShare(image.pageSizes[key], size).withinBytes, 0);
    return {
      pageSize: size,
      scannedBytes: s.pages * size,
      savedBytes: s.savedBytes,
      zeroBytes: s.zeroPages * size,
      withinBytes,
      acrossBytes: s.savedAcrossBytes - zeroAcrossPages * size,
      uniqueBytes: distinctNonZero * size,
      hashCollisions: s.hashCollisions,
      tooSmall: report.images.filter((image) => !(image.pageSizes[key]?.pages > 0)).map((image) => ({ name: image.name, bytes: image.bytes })),
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

function pageWord(bytes: number): string {
  return `${formatBytes(bytes)} page`;
}

function actionButton(text: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = element('button', text);
  b.type = 'button';
  b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

function render(root: HTMLElement, report: PageScanReport, saved: string | undefined, post: (m: FromPanel) => void): void {
  root.replaceChildren();
  root.append(element('h1', 'Page sharing: what identical-page sharing would save'));
  const list = element('p', `${report.images.length} image${report.images.length === 1 ? '' : 's'}: `, 'note');
  list.append(report.images.map((i) => i.name).join(', '));
  root.append(list);
  const actions = element('div', undefined, 'actions');
  actions.append(
    actionButton('Save scan as JSON', 'Save this result as `hvmem pages --format json` writes it', () => post({ type: 'saveJson' })),
    actionButton('Use in plan…', 'Point a host of a plan at this scan ("pageSharing": { "scan", "pageSize" }), so its simulation assumes this sharing', () => post({ type: 'useInPlan' })),
  );
  if (saved) actions.append(element('span', `Saved as ${saved}`, 'note'));
  root.append(actions);

  const bars = sharingBars(report);
  for (const bar of bars) {
    if (bar.scannedBytes === 0) {
      root.append(element('h2', `${formatBytes(bar.pageSize)} pages: nothing to compare`));
      root.append(element('p', `Every image is smaller than a ${pageWord(bar.pageSize)}: there is no whole page of this size to share.`, 'note'));
      continue;
    }
    root.append(element('h2', `${formatBytes(bar.pageSize)} pages: ${formatBytes(bar.savedBytes)} of ${formatBytes(bar.scannedBytes)} saved (${percent(bar.savedBytes, bar.scannedBytes)})`));
    const strip = element('div', undefined, 'bar');
    const legend = element('div', undefined, 'legend');
    for (const part of PARTS) {
      const bytes = bar[part.key];
      const segment = element('div', undefined, part.css);
      segment.style.width = `${(bytes / bar.scannedBytes) * 100}%`;
      segment.title = `${part.label}: ${formatBytes(bytes)} (${percent(bytes, bar.scannedBytes)})`;
      strip.append(segment);
      const item = element('span');
      item.append(element('span', undefined, `swatch ${part.css}`), `${part.label}: ${formatBytes(bytes)} (${percent(bytes, bar.scannedBytes)})`);
      legend.append(item);
    }
    root.append(strip, legend, element('p', 'Percentages of all the memory scanned at this page size. Shared inside one image: copies of non-zero pages the same image already holds; zero pages are counted apart.', 'note'));
    for (const image of bar.tooSmall) {
      root.append(element('p', `${image.name} (${formatBytes(image.bytes)}) is smaller than a ${pageWord(bar.pageSize)}: nothing of it counts at this size.`, 'note small'));
    }
    if (bar.hashCollisions > 0) root.append(element('p', `${bar.hashCollisions} hash collision(s), told apart by comparing bytes.`, 'note'));
  }

  root.append(element('h2', 'Images'));
  const table = element('table');
  const head = element('tr');
  head.append(element('th', 'image'), element('th', 'scanned'));
  for (const bar of bars) head.append(element('th', `zero pages (${formatBytes(bar.pageSize)})`), element('th', `shared inside one image (${formatBytes(bar.pageSize)})`));
  table.append(head);
  for (const image of report.images) {
    const row = element('tr');
    row.append(element('td', image.name), element('td', formatBytes(image.bytes)));
    for (const bar of bars) {
      const own = imageShare(image.pageSizes[String(bar.pageSize)], bar.pageSize);
      if (own.pages === 0) {
        const cell = element('td', `smaller than a ${pageWord(bar.pageSize)}`, 'note');
        cell.colSpan = 2;
        row.append(cell);
        continue;
      }
      row.append(element('td', percent(own.zeroBytes, own.scannedBytes)), element('td', percent(own.withinBytes, own.scannedBytes)));
    }
    table.append(row);
  }
  root.append(table, element('p', "Percentages of each image's own whole pages at that size.", 'note'));
}

declare function acquireVsCodeApi(): { postMessage(message: FromPanel): void };

if (typeof document !== 'undefined' && typeof acquireVsCodeApi === 'function') {
  const vscode = acquireVsCodeApi();
  const post = (m: FromPanel) => vscode.postMessage(m);
  window.addEventListener('message', (event: MessageEvent<ToPanel>) => {
    if (event.data?.type === 'report') render(document.getElementById('root')!, event.data.report, event.data.saved, post);
  });
  post({ type: 'ready' });
}
