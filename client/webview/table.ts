// The summary table under the chart: every VM with its outcome, troubled first, sortable and
// filterable, a row leading to the VM in the plan. Below about 700 px each row stacks its cells
// with their headings (timeline.css), so nothing scrolls off to the side.
import { TABLE_PAGE, formatBytes, formatDuration, sortRows, type Overview, type SortKey, type VmRow } from './model';
import { button, el, pathText } from './dom';

export interface TableActions {
  reveal(vm: string): void;
  selectVm(vm: string): void;
}

interface Column {
  key: SortKey;
  label: string;
  /** the cell's text; '' when there is nothing to say (a dash, hidden when rows stack) */
  cell(r: VmRow): string;
  /** the cell's tooltip: the details its short text leaves out */
  title?(r: VmRow): string;
  numeric?: boolean;
  wrap?: boolean;
  path?: boolean;
  /** one entry per line (the cell's text has them on lines of their own) */
  lines?: boolean;
}

const STATE_TITLES: Record<VmRow['state'], string> = {
  running: 'Running at the end',
  off: 'Off at the end',
  saved: 'Saved at the end: its memory is in a saved state on disk, the VM is not running',
};

const COLUMNS: Column[] = [
  { key: 'name', label: 'VM', cell: (r) => r.name },
  { key: 'host', label: 'Host', cell: (r) => r.host },
  { key: 'state', label: 'At end', cell: (r) => r.state, title: (r) => STATE_TITLES[r.state] },
  { key: 'starts', label: 'Starts', cell: (r) => String(r.starts), numeric: true },
  { key: 'startFailures', label: 'Failed', cell: (r) => r.failureReasons, title: (r) => r.failureDetails, wrap: true },
  {
    key: 'pressurePercent', label: 'Pressure at end', numeric: true,
    cell: (r) => (r.pressurePercent === null ? '' : `${r.pressurePercent} %${r.shortBytes > 0 ? `, ${formatBytes(r.shortBytes)} short` : ''}`),
    title: (r) => (r.shortBytes > 0 ? 'The guest needs more than the VM holds: it pages inside itself' : ''),
  },
  { key: 'smartPagingPeakBytes', label: 'Smart Paging peak', cell: (r) => (r.smartPagingPeakBytes ? formatBytes(r.smartPagingPeakBytes) : ''), numeric: true },
  { key: 'smartPagingSeconds', label: 'for', cell: (r) => (r.smartPagingSeconds ? `${formatDuration(r.smartPagingSeconds)}${r.overTarget ? ' (over target)' : ''}` : ''), numeric: true },
  { key: 'smartPagingWhy', label: 'Why Smart Paging', cell: (r) => r.smartPagingWhy, wrap: true },
  { key: 'smartPagingPath', label: 'Smart Paging file', cell: (r) => r.smartPagingPath, wrap: true, path: true },
  { key: 'restart', label: 'Host restart', cell: (r) => r.restart, wrap: true, lines: true },
  { key: 'moves', label: 'Moves', cell: (r) => r.moves, title: () => 'Failover starts and migrations: purpose, live or quick, from, to, when it began, how long it took', wrap: true, lines: true },
];

export class SummaryTable {
  private overview: Overview | undefined;
  private rows: VmRow[] = [];
  private sort: { key: SortKey; dir: 'asc' | 'desc' } = { key: 'trouble', dir: 'desc' };
  private limit = TABLE_PAGE;
  private filter = '';

  constructor(private readonly box: HTMLElement, private readonly actions: TableActions) {}

  /** A new run: its overview, and its first rows unless they are still to come. */
  show(overview: Overview): void {
    this.overview = overview;
    // The rows of the previous run stay until the new ones come, so a live edit does not blank the table.
    if (overview.rows.length || !this.rows.length) this.rows = overview.rows;
    this.render();
  }

  showRows(rows: VmRow[]): void {
    this.rows = rows;
    this.render();
  }

  has(vm: string): boolean {
    return this.rows.some((r) => r.name === vm);
  }

  private render(): void {
    const overview = this.overview;
    if (!overview) return;
    const needle = this.filter.toLowerCase();
    const matching = needle ? this.rows.filter((r) => [r.name, r.host, r.moves].some((text) => text.toLowerCase().includes(needle))) : this.rows;
    // The model sends rows already in the default order: no need to sort 8,000 rows for the first paint.
    const rows = this.sort.key === 'trouble' && this.sort.dir === 'desc' ? matching : sortRows(matching, this.sort.key, this.sort.dir);
    const head = el('tr', {}, ...COLUMNS.map((col) => {
      const active = this.sort.key === col.key;
      const th = el('th', { title: 'Sort' }, button(`${col.label}${active ? (this.sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}`, `Sort by ${col.label}`, () => {
        this.sort = { key: col.key, dir: active && this.sort.dir === 'desc' ? 'asc' : active ? 'desc' : col.numeric ? 'desc' : 'asc' };
        this.render();
      }));
      th.setAttribute('aria-sort', active ? (this.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none');
      if (col.numeric) th.className = 'num';
      return th;
    }), el('th', { text: '' }));
    const body = el('tbody', {}, ...rows.slice(0, this.limit).map((r) => this.row(r)));
    const filter = el('input');
    filter.type = 'search';
    filter.placeholder = 'Filter VMs or hosts';
    filter.setAttribute('aria-label', 'Filter VMs or hosts');
    filter.value = this.filter;
    filter.addEventListener('input', () => { this.filter = filter.value; this.limit = TABLE_PAGE; this.render(); this.focusFilter(); });
    const total = needle ? rows.length : overview.vmCount;
    const more = total > this.limit
      ? [button(`Show all ${total.toLocaleString('en-US')} VMs`, 'The table shows the first rows in this order', () => { this.limit = Infinity; this.render(); })]
      : [];
    const loading = this.rows.length < overview.vmCount && rows.length < TABLE_PAGE ? [el('p', { class: 'muted', text: 'Loading the table…' })] : [];
    const title = `${overview.vmCount.toLocaleString('en-US')} ${overview.vmCount === 1 ? 'VM' : 'VMs'}, those in trouble first`;
    this.box.replaceChildren(el('h3', { text: title }), filter, el('div', { class: 'table-box' }, el('table', {}, el('thead', {}, head), body)), ...loading, ...more);
  }

  private row(r: VmRow): HTMLTableRowElement {
    const tr = el('tr', { title: 'Show in the plan' }, ...COLUMNS.map((col) => {
      const text = col.cell(r);
      const td = el('td', { class: col.numeric ? 'num' : col.wrap ? `wrap${col.lines ? ' lines' : ''}` : '' });
      td.dataset.label = col.label;
      if (!text) { td.textContent = '—'; td.classList.add('empty'); } else if (col.path) td.append(pathText(text));
      else td.textContent = text;
      const title = col.title?.(r);
      if (title) td.title = title;
      return td;
    }));
    if (r.startFailures) tr.classList.add('failed');
    else if (r.smartPagingPeakBytes) tr.classList.add('paging');
    else if (r.shortBytes > 0) tr.classList.add('short');
    tr.tabIndex = 0;
    // Focus without scrolling: a click on a row of a wide table must not slide the page sideways.
    tr.addEventListener('mousedown', (e) => {
      if (e.button !== 0 || (e.target as Element).closest('button')) return;
      e.preventDefault();
      tr.focus({ preventScroll: true });
    });
    tr.addEventListener('click', () => this.actions.reveal(r.name));
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') this.actions.reveal(r.name); });
    const chart = button('Chart', 'Show demand, memory and pressure of this VM', () => this.actions.selectVm(r.name));
    chart.addEventListener('click', (e) => e.stopPropagation());
    tr.append(el('td', { class: 'action' }, chart));
    return tr;
  }

  private focusFilter(): void {
    const input = this.box.querySelector('input');
    if (input) { input.focus(); input.setSelectionRange(input.value.length, input.value.length); }
  }
}
