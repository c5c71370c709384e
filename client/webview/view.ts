// The timeline page: host picker, headline, stacked memory chart with event markers, VM detail,
// review, summary table, and last the advice (the editor's panel only: it arrives after the rest and
// must not move what is being read). One renderer for the editor's panel and the CLI's --html page;
// where the data comes from and where clicks go is the caller's business (Actions). Plan text only
// enters as textContent.
import uPlot from 'uplot';
import {
  failoverLimitBytes, focusRange, formatBytes, formatBytesApart, formatClock, formatDuration, seriesCsv, stackLayers,
  type HostView, type Layer, type Overview, type Section, type VmRow, type VmView,
} from './model';
import { MARKER_ITEMS_SHOWN, markerLabel, type Marker } from './markers';
import {
  LANE_PX, UPDATE_STRIP_PX, bandEdges, bandPaths, drawArrivalLabels, drawLineLabels, drawMarkers, drawStartShades,
  drawStates, drawUpdates, markerLanes, updateNodeBoxes, type LineLabel,
} from './draw';
import { button, el } from './dom';
import { AdviceSection } from './advice';
import type { AdviceView } from './adviceModel';
import { SummaryTable } from './table';
import { themeColors, vmColor, type ThemeColors } from './theme';

export interface Actions {
  selectHost(host: string): void;
  selectVm(vm: string): void;
  /** the overview came with its first rows only: ask for the rest (answered with showRows) */
  loadAllRows(): void;
  reveal(vm: string): void;
  save(format: 'png' | 'csv', fileName: string, data: string): void;
  /** apply the Advice section's fix with this id (only the editor's panel has advice to apply) */
  applyFix?(id: string): void;
}

const CHART_HEIGHT = 340;
const DETAIL_HEIGHT = 220;
const MARKER_HIT_PX = 5;
const TOOLTIP_ID = 'hvmem-marker-tip';
const MB = 1024 ** 2;
/** Tick steps people read at a glance: seconds to hours on the clock, binary sizes on memory. */
const CLOCK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400];
const BYTE_STEPS = Array.from({ length: 24 }, (_, i) => MB * 2 ** i);

type Range = { min?: number; max?: number };

export class TimelineView {
  private readonly banner = el('div', { class: 'banner' });
  private readonly hostPicker = el('select');
  private readonly busy = el('span', { class: 'busy', text: 'Simulating…' });
  private readonly note = el('span', { class: 'note' });
  private readonly range = el('span', { class: 'range', title: 'The time shown: drag on the chart to zoom, wheel to zoom, shift+wheel to pan' });
  private readonly detailRange = el('span', { class: 'detail-range', title: 'The time shown, the same as the chart above' });
  private readonly headline = el('ul', { class: 'headline' });
  private readonly chartBox = el('div', { class: 'chart' });
  private readonly tooltip = el('div', { class: 'tooltip' });
  private readonly detail = el('section', { class: 'detail' });
  /** the review under the chart: one part per section of the overview */
  private readonly sections = el('div', { class: 'sections' });
  private readonly tableBox = el('section', { class: 'summary' });
  private readonly placeholder = el('p', { class: 'placeholder', text: 'Waiting for the simulation…' });
  private readonly table: SummaryTable;
  private readonly advice: AdviceSection;

  private view: HostView | undefined;
  private vmView: VmView | undefined;
  private plot: uPlot | undefined;
  private vmPlot: uPlot | undefined;
  /** set while one chart's zoom is being copied to the other */
  private syncing = false;
  private shown: boolean[] = [];
  private colors: ThemeColors;
  private pinned = false;
  /** the marker a keyboard user pinned the tooltip from, focused again when it closes */
  private pinnedFrom: HTMLElement | undefined;
  /** one focusable button per marker, over the chart, for keyboard and screen reader users */
  private markerButtons: HTMLButtonElement[] = [];
  private activeMarker = 0;
  /** one button per node of a rolling update, over its turn on the strip across the top */
  private phaseButtons: HTMLButtonElement[] = [];
  /** uPlot series of the boot and restore textures' legend entries, when the view has them */
  private shadeSeries: { boot?: number; restore?: number } = {};

  constructor(private readonly root: HTMLElement, private readonly actions: Actions) {
    this.colors = themeColors();
    this.table = new SummaryTable(this.tableBox, actions);
    this.advice = new AdviceSection((id) => this.actions.applyFix?.(id));
    this.banner.hidden = true;
    this.busy.hidden = true;
    this.tooltip.hidden = true;
    this.tooltip.setAttribute('role', 'tooltip');
    this.tooltip.id = TOOLTIP_ID;
    this.detail.hidden = true;
    this.headline.setAttribute('aria-label', 'What happened');
    this.hostPicker.title = 'Host';
    this.hostPicker.addEventListener('change', () => this.actions.selectHost(this.hostPicker.value));
    const label = el('label', { text: 'Host ' }, this.hostPicker);
    const toolbar = el('div', { class: 'toolbar' },
      label,
      button('Reset zoom', 'Show the whole run (or double-click the chart)', () => this.resetZoom()),
      button('Export PNG', 'Save the chart as an image', () => this.exportPng()),
      button('Export CSV', "Save this host's series as CSV", () => this.exportCsv()),
      this.range, this.busy, this.note);
    this.root.append(this.banner, toolbar, this.headline, this.placeholder, this.chartBox, this.tooltip, this.detail, this.sections, this.tableBox, this.advice.element);
    this.chartBox.setAttribute('aria-label', 'Memory of the host over time');
    new ResizeObserver(() => this.resize()).observe(this.chartBox);
    // VS Code swaps the body's theme class in place; the standalone page follows the system's scheme.
    new MutationObserver(() => this.rethemed()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.rethemed());
    document.addEventListener('click', (e) => { if (this.pinned && !this.tooltip.contains(e.target as Node)) this.unpin(); });
    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      const back = this.pinnedFrom;
      this.unpin();
      back?.focus();
    });
  }

  showResult(overview: Overview, view: HostView | null): void {
    // The rest of a long table waits until the chart is on screen.
    if (overview.rows.length < overview.vmCount) requestAnimationFrame(() => setTimeout(() => this.actions.loadAllRows(), 0));
    if (this.detail.dataset.vm) this.actions.selectVm(this.detail.dataset.vm);
    this.hostPicker.replaceChildren(...overview.hosts.map((h) => {
      const flags = [h.failed ? 'failed' : '', h.troubledVms ? `${h.troubledVms} ${h.troubledVms === 1 ? 'VM' : 'VMs'} in trouble` : ''].filter(Boolean).join(', ');
      const o = el('option', { text: `${h.name} (${formatBytes(h.memoryBytes)}, ${h.vmCount} ${h.vmCount === 1 ? 'VM' : 'VMs'}${flags ? `, ${flags}` : ''})` });
      o.value = h.name;
      return o;
    }));
    this.hostPicker.disabled = overview.hosts.length < 2;
    this.headline.replaceChildren(...overview.headline.map((line) => el('li', { text: line })));
    this.sections.replaceChildren(...overview.sections.map((s) => this.section(s)));
    this.table.show(overview);
    if (view) this.showHost(view);
  }

  /** A part of the review: a title and its lines; a line about a host shows that host's chart. */
  private section(s: Section): HTMLElement {
    const lines = s.lines.map((line) => {
      const li = el('li', { class: line.tone ?? '' });
      const host = line.host;
      if (host) li.append(button(line.text, `Show ${host}'s chart`, () => this.actions.selectHost(host)));
      else li.textContent = line.text;
      return li;
    });
    const details = el('details', { class: 'section' }, el('summary', { text: s.title }), el('ul', {}, ...lines));
    details.dataset.section = s.id;
    details.open = true;
    return details;
  }

  showRows(rows: VmRow[]): void {
    this.table.showRows(rows);
    // The VM in the detail chart was renamed or removed from the plan.
    if (this.detail.dataset.vm && !this.table.has(this.detail.dataset.vm)) this.closeDetail();
  }

  showHost(view: HostView): void {
    // A new run of the same host keeps the zoom, and the hidden bands while they are the same bands.
    const sameHost = this.view?.host === view.host;
    const labels = (v: HostView) => v.layers.map((l) => l.label).join('\u0000');
    const scale = sameHost && this.plot ? this.zoom() : undefined;
    if (!sameHost || labels(this.view!) !== labels(view)) this.shown = view.layers.map(() => true);
    this.view = view;
    this.hostPicker.value = view.host;
    this.placeholder.hidden = true;
    this.note.textContent = view.t.length < view.sampleCount
      ? `${view.t.length.toLocaleString('en-US')} of ${view.sampleCount.toLocaleString('en-US')} samples drawn (peaks kept)`
      : '';
    this.drawHost(scale);
  }

  showVm(view: VmView): void {
    this.vmView = view;
    this.detail.hidden = false;
    this.detail.dataset.vm = view.vm;
    const chart = el('div', { class: 'chart' });
    const close = button('Close', 'Hide this VM', () => this.closeDetail());
    const reveal = button('Show in plan', 'Select this VM in the plan', () => this.actions.reveal(view.vm));
    this.detail.replaceChildren(el('h3', { text: `VM ${view.vm}: memory, demand and pressure` }), el('div', { class: 'toolbar' }, reveal, close, this.detailRange), chart);
    this.vmPlot?.destroy();
    const c = this.colors;
    const stepped = uPlot.paths.stepped!({ align: 1 });
    const color = vmColor(c, view.color);
    // Made without a say over the main chart's zoom: it takes that zoom below.
    this.syncing = true;
    this.vmPlot = new uPlot({
      width: this.chartWidth(), height: DETAIL_HEIGHT,
      scales: { x: { time: false }, pct: { range: [0, 200] } },
      axes: [this.xAxis(), this.bytesAxis(), { scale: 'pct', side: 1, stroke: c.foreground, grid: { show: false }, values: (_u, v) => v.map((p) => `${p}%`) }],
      cursor: { drag: { x: true, y: false } },
      series: [
        { label: 'time', value: (_u, v) => (v == null ? '—' : formatClock(v)) },
        { label: 'physical', stroke: color, width: 2, fill: c.alpha(color, 0.25), paths: stepped, value: (_u, v) => this.bytes(v) },
        { label: 'Smart Paging (disk)', stroke: c.smartPaging, width: 2, dash: [5, 3], paths: stepped, value: (_u, v) => this.bytes(v) },
        { label: 'demand', stroke: c.foreground, width: 1.5, paths: stepped, value: (_u, v) => this.bytes(v) },
        { label: 'pressure', scale: 'pct', stroke: c.pressure, width: 1, show: false, paths: stepped, value: (_u, v) => (v == null ? '—' : `${v}%`) },
      ],
      hooks: { setScale: [(u, key) => { if (key === 'x') this.follow(u, this.plot); }] },
    }, [view.t, view.physical, view.smartPaging, view.demand, view.pressure], chart);
    this.syncing = false;
    // The detail shows the time the main chart shows.
    const zoom = this.zoom();
    if (zoom?.min != null && zoom.max != null) this.syncScale(this.vmPlot, zoom);
  }

  /** The plan has errors (non-empty) or is fine again (empty): the last good result stays on screen. */
  showErrors(errors: string[]): void {
    this.banner.hidden = errors.length === 0;
    const shown = errors.slice(0, 5).map((e) => el('li', { text: e }));
    if (errors.length > 5) shown.push(el('li', { text: `… and ${errors.length - 5} more` }));
    this.banner.replaceChildren(
      el('strong', { text: this.view ? 'The plan has errors: showing the last simulation that ran.' : 'The plan has errors: nothing to simulate yet.' }),
      el('ul', {}, ...shown));
  }

  /** The Advice section: pending with the server's progress, why there is none, or the advice with its fixes. */
  showAdvice(view: AdviceView): void {
    this.advice.show(view);
  }

  setBusy(busy: boolean): void {
    this.busy.hidden = !busy;
  }

  private bytes(v: number | null | undefined): string {
    return v == null ? '—' : formatBytes(v);
  }

  private zoom(): Range | undefined {
    return this.plot ? { min: this.plot.scales.x.min, max: this.plot.scales.x.max } : undefined;
  }

  /** One chart was zoomed or panned: the other shows the same time. */
  private follow(from: uPlot, to: uPlot | undefined): void {
    this.showRange(from, from === this.plot ? this.range : this.detailRange);
    if (this.syncing || !to) return;
    this.syncScale(to, { min: from.scales.x.min, max: from.scales.x.max });
  }

  private syncScale(u: uPlot, range: Range): void {
    if (range.min == null || range.max == null) return;
    this.syncing = true;
    try {
      u.setScale('x', { min: range.min, max: range.max });
    } finally {
      this.syncing = false;
    }
  }

  private chartWidth(): number {
    return Math.max(280, this.chartBox.clientWidth);
  }

  private xAxis(): uPlot.Axis {
    const c = this.colors;
    return { stroke: c.foreground, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid }, incrs: CLOCK_STEPS, values: (_u, v) => v.map((s) => formatClock(s)) };
  }

  private bytesAxis(): uPlot.Axis {
    const c = this.colors;
    return { stroke: c.foreground, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid }, size: 70, incrs: BYTE_STEPS, values: (_u, v) => v.map((b) => formatBytes(b)) };
  }

  private drawHost(scale?: Range): void {
    const view = this.view;
    if (!view) return;
    this.plot?.destroy();
    const c = this.colors;
    const layerSeries = view.layers.map((layer, i): uPlot.Series => {
      const { stroke, fill, dash } = this.layerStyle(layer);
      return {
        label: layer.label, stroke, fill, dash, width: c.highContrast ? 2 : 1, paths: bandPaths(layer.values), show: this.shown[i],
        value: (_u, _v, _si, idx) => (idx == null ? '—' : formatBytes(layer.values[idx])),
      };
    });
    const failoverLine: uPlot.Series[] = view.rootMemoryReservedBytes === undefined ? [] : [{
      label: `keep free for failover: ${formatBytes(view.rootMemoryReservedBytes)}`,
      stroke: c.error, width: 1.5, dash: [1, 3], value: () => formatBytesApart(failoverLimitBytes(view), view.capacityBytes),
    }];
    const shades = this.shadeLegend(view, view.layers.length + 3 + failoverLine.length);
    const strip = view.updates.length ? UPDATE_STRIP_PX : 0;
    const opts: uPlot.Options = {
      width: this.chartWidth(),
      height: CHART_HEIGHT + strip,
      ...(strip ? { padding: [strip, null, null, null] as uPlot.Padding } : {}),
      scales: {
        x: { time: false },
        y: { range: (_u, _min, max) => [0, Math.max(max, view.memoryBytes) * 1.05] },
      },
      axes: [this.xAxis(), this.bytesAxis()],
      cursor: { drag: { x: true, y: false } },
      series: [
        { label: 'time', value: (_u, v) => (v == null ? '—' : formatClock(v)) },
        ...layerSeries,
        { label: `capacity (memory − ${formatBytes(view.reserveBytes)} reserve)`, stroke: c.foreground, width: 2, dash: [8, 4], value: () => formatBytes(view.capacityBytes) },
        { label: 'installed memory', stroke: c.muted, width: 1, dash: [2, 3], value: () => formatBytes(view.memoryBytes) },
        ...failoverLine,
        ...shades,
      ],
      bands: this.bands(),
      legend: { markers: { fill: (_u, i) => this.swatch(view, i) } },
      hooks: {
        draw: [(u) => {
          drawStates(u, view.states, this.colors);
          drawStartShades(u, view.layers, this.shown, { boot: this.shadeShown(u, 'boot'), restore: this.shadeShown(u, 'restore') }, this.colors);
          drawArrivalLabels(u, view, this.shown, this.colors);
          drawLineLabels(u, this.lineLabels(u, view), this.colors);
          drawUpdates(u, view.updates, view.host, this.colors);
          drawMarkers(u, view.markers, this.colors);
          this.placeMarkerButtons(u);
          this.placePhaseButtons(u);
        }],
        setSeries: [(_u, si) => this.toggled(si)],
        ready: [(u) => { this.wireOverlay(u); this.buildMarkerRow(u); this.buildPhaseRow(u); }],
        setScale: [(u, key) => { if (key === 'x') this.follow(u, this.vmPlot); }],
      },
    };
    this.plot = new uPlot(opts, this.chartData(view), this.chartBox);
    const [min, max] = scale?.min != null && scale.max != null ? [scale.min, scale.max] : focusRange(view);
    this.plot.setScale('x', { min, max });
  }

  /** The flat lines the legend shows, labelled at the chart's right edge so lying close they still read apart. */
  private lineLabels(u: uPlot, view: HostView): LineLabel[] {
    const c = this.colors;
    const first = view.layers.length + 1;
    const labels: (LineLabel & { series: number })[] = [
      { series: first, text: `capacity ${formatBytes(view.capacityBytes)}`, value: view.capacityBytes, color: c.foreground },
      { series: first + 1, text: `installed ${formatBytes(view.memoryBytes)}`, value: view.memoryBytes, color: c.muted },
    ];
    if (view.rootMemoryReservedBytes !== undefined) {
      const limit = failoverLimitBytes(view);
      labels.push({ series: first + 2, text: `keep free for failover ${formatBytesApart(limit, view.capacityBytes)}`, value: limit, color: c.error });
    }
    // A failed node has no lines at the right edge to label.
    const failed = view.states.some((d) => d.kind === 'failed' && d.from <= (u.scales.x.max ?? 0));
    return failed ? [] : labels.filter((l) => u.series[l.series]?.show !== false);
  }

  /** The clock, the stacked bands, then the flat lines: capacity, installed memory, and on a cluster
   * node the most VMs may hold while a failover start can still land here. The lines end where the
   * node failed: it has no memory to give from then on. */
  private chartData(view: HostView): uPlot.AlignedData {
    const failedAt = view.states.find((d) => d.kind === 'failed')?.from;
    const flat = (bytes: number) => view.t.map((t) => (failedAt !== undefined && t > failedAt ? null : bytes));
    const lines: (number | null)[][] = [flat(view.capacityBytes), flat(view.memoryBytes)];
    if (view.rootMemoryReservedBytes !== undefined) lines.push(flat(failoverLimitBytes(view)));
    // The textures' legend entries draw nothing themselves.
    lines.push(...Object.keys(this.shadeSeries).map(() => view.t.map(() => null)));
    return [view.t, ...stackLayers(view.layers, this.shown), ...lines];
  }

  /** Legend entries for the boot and restore textures the view has, as series that draw nothing: they
   * say which texture is which, toggle it, and name the VMs booting or restoring at the pointer. */
  private shadeLegend(view: HostView, firstIndex: number): uPlot.Series[] {
    const c = this.colors;
    const kinds = (['boot', 'restore'] as const).filter((k) => view.layers.some((l) => l.starts?.some((s) => s.kind === k)));
    this.shadeSeries = {};
    return kinds.map((kind, i) => {
      this.shadeSeries[kind] = firstIndex + i;
      return {
        label: kind === 'boot' ? 'booting (holds startup memory)' : 'restoring from saved state',
        stroke: c.foreground, width: 1, points: { show: false },
        value: (_u, _v, _si, idx) => {
          const t = idx == null ? undefined : view.t[idx];
          if (t === undefined) return '—';
          const at = view.layers.filter((l) => l.starts?.some((s) => s.kind === kind && s.from <= t && t < s.to)).map((l) => l.label);
          return at.length ? at.join(', ') : '—';
        },
      };
    });
  }

  /** A legend entry's swatch as CSS: a band's colour, or its texture drawn with gradients (a canvas
   * pattern cannot be a CSS background). */
  private swatch(view: HostView, seriesIndex: number): string {
    const c = this.colors;
    const stripes = (color: string, angle: number, width = 2) => `repeating-linear-gradient(${angle}deg, ${color} 0 ${width}px, transparent ${width}px 5px)`;
    const layer = view.layers[seriesIndex - 1];
    if (layer) {
      if (layer.kind === 'smartPaging') return stripes(c.smartPaging, 45);
      if (layer.kind === 'incoming') return stripes(c.pressure, 45);
      const fill = this.layerStyle(layer).fill;
      return typeof fill === 'string' ? fill : 'transparent';
    }
    if (seriesIndex === this.shadeSeries.boot) return stripes(c.alpha(c.foreground, 0.7), -45, 1.5);
    if (seriesIndex === this.shadeSeries.restore) return `radial-gradient(circle, ${c.alpha(c.foreground, 0.8)} 1.2px, transparent 1.7px) 0 0 / 4px 4px`;
    return 'transparent';
  }

  private shadeShown(u: uPlot, kind: 'boot' | 'restore'): boolean {
    const i = this.shadeSeries[kind];
    return i !== undefined && u.series[i]?.show !== false;
  }

  private layerStyle(layer: Layer): { stroke: string; fill: uPlot.Series.Fill; dash?: number[] } {
    const c = this.colors;
    switch (layer.kind) {
      case 'smartPaging': return { stroke: c.smartPaging, fill: (u) => c.hatch(u.ctx, c.smartPaging), dash: [5, 3] };
      case 'free': return { stroke: c.muted, fill: c.alpha(c.muted, 0.12), dash: [3, 3] };
      case 'overhead': return { stroke: c.muted, fill: c.alpha(c.muted, 0.45) };
      case 'incoming': return { stroke: c.pressure, fill: (u) => c.hatch(u.ctx, c.pressure), dash: [2, 2] };
      case 'others': return { stroke: c.muted, fill: c.alpha(c.muted, 0.3) };
      case 'vm': { const color = vmColor(c, layer.color ?? 0); return { stroke: color, fill: c.alpha(color, c.highContrast ? 0.35 : 0.6) }; }
    }
  }

  /** Each shown band fills down to the shown band below it (uPlot series 1.. are the layers). */
  private bands(): uPlot.Band[] {
    const out: uPlot.Band[] = [];
    let below = -1;
    this.shown.forEach((on, i) => {
      if (!on) return;
      if (below >= 0) out.push({ series: [i + 1, below + 1] });
      below = i;
    });
    return out;
  }

  private toggled(seriesIndex: number | null): void {
    const view = this.view;
    const u = this.plot;
    if (!view || !u || seriesIndex == null || seriesIndex < 1) return;
    if (seriesIndex > view.layers.length) { u.redraw(); return; }
    this.shown[seriesIndex - 1] = u.series[seriesIndex].show !== false;
    u.delBand(null);
    for (const b of this.bands()) u.addBand(b);
    u.setData(this.chartData(view), false);
    u.redraw();
  }

  private showRange(u: uPlot, label: HTMLElement): void {
    const { min, max } = u.scales.x;
    label.textContent = min == null || max == null ? '' : `${formatClock(Math.max(0, min))} – ${formatClock(max)}`;
  }

  private markersAt(u: uPlot, left: number): Marker[] {
    return (this.view?.markers ?? []).filter((m) => Math.abs(u.valToPos(m.t, 'x') - left) <= MARKER_HIT_PX);
  }

  private wireOverlay(u: uPlot): void {
    const over = u.over;
    over.addEventListener('mousemove', (e) => {
      if (this.pinned) return;
      const hits = this.markersAt(u, e.offsetX);
      if (hits.length === 0) {
        over.style.cursor = '';
        // Not while dragging out a zoom: the tooltip would sit on what is being selected.
        const region = e.buttons ? undefined : this.regionAt(u, e.offsetX, e.offsetY);
        if (!region) { this.tooltip.hidden = true; return; }
        this.fillTooltipText(region.title, region.lines);
        this.placeTooltip(e.clientX, e.clientY);
        return;
      }
      over.style.cursor = 'pointer';
      this.fillTooltip(hits, false);
      this.placeTooltip(e.clientX, e.clientY);
    });
    over.addEventListener('mouseleave', () => { if (!this.pinned) this.tooltip.hidden = true; });
    over.addEventListener('click', (e) => {
      const hits = this.markersAt(u, e.offsetX);
      const vms = vmsOf(hits);
      if (vms.length === 1) { this.actions.reveal(vms[0]); return; }
      if (hits.length === 0) return;
      e.stopPropagation();
      this.fillTooltip(hits, true);
      this.placeTooltip(e.clientX, e.clientY);
      this.pinned = true;
    });
    over.addEventListener('wheel', (e) => this.wheel(u, e), { passive: false });
  }

  /** What the pointer is over, when it is no marker: a VM's band while it boots or restores, the
   * arriving band while VMs migrate here, else the host's state (restarting, failed, paused). */
  private regionAt(u: uPlot, left: number, top: number): { title: string; lines: string[] } | undefined {
    const view = this.view;
    if (!view) return undefined;
    const t = u.posToVal(left, 'x');
    const y = u.posToVal(top, 'y');
    let j = -1;
    while (j + 1 < view.t.length && view.t[j + 1] <= t) j++;
    if (j >= 0) {
      const layer = view.layers.findIndex((_l, i) => {
        const edges = bandEdges(u, this.shown, i, j);
        return !!edges && edges[1] > edges[0] && y >= edges[0] && y < edges[1];
      });
      const band = view.layers[layer];
      const shade = band?.starts?.find((s) => s.from <= t && t < s.to && this.shadeShown(u, s.kind));
      if (shade) return { title: `${formatClock(shade.from)} ${shade.kind === 'boot' ? 'booting' : 'restoring from saved state'}`, lines: [shade.detail] };
      if (band?.kind === 'incoming') {
        const crossing = view.arrivals.filter((a) => a.from <= t && t <= a.to);
        if (crossing.length) {
          return {
            title: 'arriving by migration',
            lines: crossing.map((a) => `${a.vm} from ${a.source}: ${a.moveType}, ${formatBytes(a.bytes)}${a.purpose === 'move' ? '' : ` (${a.purpose})`}, ${formatClock(a.from)} to ${formatClock(a.to)}${a.ok ? ` (${formatDuration(a.to - a.from)})` : ', did not arrive'}`),
          };
        }
      }
    }
    const state = view.states.find((s) => s.from <= t && t < s.to);
    return state ? { title: state.kind === 'paused' ? 'paused (drained)' : state.kind === 'failed' ? 'down: failed' : 'down: restarting', lines: [state.detail] } : undefined;
  }

  /** The rolling update's nodes as a row of buttons over their turns on the strip: hover or focus
   * tells the node's turn, a click (or Enter) shows that node's chart. One tab stop, arrow keys move. */
  private buildPhaseRow(u: uPlot): void {
    const updates = this.view?.updates ?? [];
    this.phaseButtons = [];
    if (!updates.length) return;
    const row = el('div', { class: 'phase-row' });
    row.style.top = `${-UPDATE_STRIP_PX}px`;
    row.setAttribute('role', 'toolbar');
    row.setAttribute('aria-label', 'Rolling update, node by node: arrow keys move, Enter shows the node');
    for (const update of updates) {
      for (const node of update.nodes) {
        const b = el('button', { class: 'phase' });
        b.type = 'button';
        b.dataset.host = node.host;
        b.setAttribute('aria-label', node.summary);
        b.setAttribute('aria-describedby', TOOLTIP_ID);
        const show = () => {
          if (this.pinned) return;
          this.fillTooltipText(`${node.host}: its turn in the rolling update`, [...node.phases.map((p) => `${formatClock(p.from)}–${formatClock(p.to)} ${p.text}`), ...(node.ok ? [] : [node.summary])]);
          const box = b.getBoundingClientRect();
          this.placeTooltip(box.left, box.bottom);
        };
        b.addEventListener('mouseenter', show);
        // The strip is not the chart: no marker lookup, no zoom drag from here.
        b.addEventListener('mousemove', (e) => e.stopPropagation());
        b.addEventListener('mousedown', (e) => e.stopPropagation());
        b.addEventListener('focus', () => { this.rove(this.phaseButtons, b); show(); });
        b.addEventListener('mouseleave', () => { if (!this.pinned) this.tooltip.hidden = true; });
        b.addEventListener('blur', () => { if (!this.pinned) this.tooltip.hidden = true; });
        b.addEventListener('click', (e) => { e.stopPropagation(); if (node.host !== this.view?.host) this.actions.selectHost(node.host); });
        b.addEventListener('keydown', (e) => this.roveKey(e, this.phaseButtons, b));
        this.phaseButtons.push(b);
      }
    }
    row.append(...this.phaseButtons);
    u.over.append(row);
    this.placePhaseButtons(u);
    this.rove(this.phaseButtons, this.phaseButtons.find((b) => b.dataset.host === this.view?.host) ?? this.phaseButtons[0]);
  }

  private placePhaseButtons(u: uPlot): void {
    const boxes = (this.view?.updates ?? []).flatMap((update) => updateNodeBoxes(u, update));
    const width = u.over.clientWidth;
    boxes.forEach(({ x0, x1 }, i) => {
      const b = this.phaseButtons[i];
      if (!b) return;
      const from = Math.max(0, x0);
      const to = Math.min(width, x1);
      b.hidden = to <= from;
      b.style.left = `${from}px`;
      b.style.width = `${Math.max(4, to - from)}px`;
    });
  }

  /** One tab stop in a row of buttons: the given one. */
  private rove(buttons: readonly HTMLButtonElement[], current: HTMLButtonElement | undefined): void {
    for (const b of buttons) b.tabIndex = b === current ? 0 : -1;
  }

  private roveKey(e: KeyboardEvent, buttons: readonly HTMLButtonElement[], from: HTMLButtonElement): void {
    const shown = buttons.filter((b) => !b.hidden);
    const at = shown.indexOf(from);
    const next = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? shown[at + 1]
      : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? shown[at - 1]
        : e.key === 'Home' ? shown[0]
          : e.key === 'End' ? shown[shown.length - 1]
            : undefined;
    if (!next) return;
    e.preventDefault();
    next.focus();
  }

  /** The markers as a row of buttons in time order with one tab stop: arrow keys, Home and End move
   * along it; focus shows the marker's tooltip, Enter does what a click does. The buttons let the
   * mouse through to the chart, which keeps its own hover and click. */
  private buildMarkerRow(u: uPlot): void {
    const markers = this.view?.markers ?? [];
    const row = el('div', { class: 'marker-row' });
    row.setAttribute('role', 'toolbar');
    row.setAttribute('aria-label', 'Events: arrow keys move along them, Enter shows the VM in the plan');
    this.activeMarker = 0;
    this.markerButtons = markers.map((m, i) => {
      const b = el('button', { class: 'marker' });
      b.type = 'button';
      b.setAttribute('aria-label', markerLabel(m));
      b.setAttribute('aria-describedby', TOOLTIP_ID);
      b.addEventListener('focus', () => {
        this.activeMarker = i;
        this.updateTabStop();
        if (this.pinned) return;
        this.fillTooltip([m], false, 'Enter to show in the plan');
        const box = b.getBoundingClientRect();
        this.placeTooltip(box.left, box.bottom);
      });
      b.addEventListener('blur', () => { if (!this.pinned) this.tooltip.hidden = true; });
      b.addEventListener('click', (e) => { e.stopPropagation(); this.openMarker(m, b); });
      b.addEventListener('keydown', (e) => this.roveKey(e, this.markerButtons, b));
      return b;
    });
    row.append(...this.markerButtons);
    u.over.append(row);
    this.placeMarkerButtons(u);
  }

  /** Over their glyphs, lanes included; markers outside the zoomed range are hidden, so the keyboard
   * only reaches what is drawn. */
  private placeMarkerButtons(u: uPlot): void {
    const width = u.over.clientWidth;
    const xs = (this.view?.markers ?? []).map((m) => u.valToPos(m.t, 'x'));
    const lanes = markerLanes(xs);
    for (const [i, b] of this.markerButtons.entries()) {
      b.hidden = xs[i] < -1 || xs[i] > width + 1;
      b.style.left = `${xs[i]}px`;
      b.style.top = `${lanes[i] * LANE_PX}px`;
    }
    this.updateTabStop();
  }

  private updateTabStop(): void {
    const buttons = this.markerButtons;
    const stop = buttons[this.activeMarker] && !buttons[this.activeMarker].hidden ? this.activeMarker : buttons.findIndex((b) => !b.hidden);
    buttons.forEach((b, i) => { b.tabIndex = i === stop ? 0 : -1; });
  }

  /** Enter on a marker: one VM goes straight to the plan; several pin the tooltip with a button each. */
  private openMarker(m: Marker, from: HTMLElement): void {
    const vms = vmsOf([m]);
    if (vms.length === 1) { this.actions.reveal(vms[0]); return; }
    if (vms.length === 0) return;
    this.fillTooltip([m], true);
    this.pinned = true;
    this.pinnedFrom = from;
    this.tooltip.querySelector('button')?.focus();
  }

  private fillTooltip(markers: Marker[], pinned: boolean, hint = 'Click to show in the plan'): void {
    const lines: Node[] = [];
    for (const m of markers) {
      lines.push(el('div', { class: 'tip-title', text: m.title }));
      for (const item of m.items.slice(0, MARKER_ITEMS_SHOWN)) {
        const vm = item.vm;
        lines.push(pinned && vm ? button(item.text, 'Show this VM in the plan', () => { this.unpin(); this.actions.reveal(vm); }) : el('div', { text: item.text }));
      }
      if (m.items.length > MARKER_ITEMS_SHOWN) lines.push(el('div', { class: 'muted', text: `… and ${m.items.length - MARKER_ITEMS_SHOWN} more` }));
    }
    if (!pinned && markers.some((m) => m.items.some((i) => i.vm))) lines.push(el('div', { class: 'muted', text: hint }));
    this.tooltip.replaceChildren(...lines);
    this.tooltip.classList.toggle('pinned', pinned);
    this.tooltip.hidden = false;
  }

  /** A tooltip of plain lines under a title (a region of the chart, a node of the update). */
  private fillTooltipText(title: string, lines: readonly string[]): void {
    this.tooltip.replaceChildren(el('div', { class: 'tip-title', text: title }), ...lines.map((text) => el('div', { text })));
    this.tooltip.classList.remove('pinned');
    this.tooltip.hidden = false;
  }

  /** Beside a point given in viewport coordinates (the pointer, or a focused marker's corner). */
  private placeTooltip(clientX: number, clientY: number): void {
    const box = this.root.getBoundingClientRect();
    const x = Math.min(clientX - box.left + 14, box.width - Math.min(320, box.width));
    this.tooltip.style.left = `${Math.max(0, x)}px`;
    this.tooltip.style.top = `${clientY - box.top + 14 + this.root.scrollTop}px`;
  }

  private unpin(): void {
    this.pinned = false;
    this.pinnedFrom = undefined;
    this.tooltip.hidden = true;
  }

  /** Wheel zooms around the pointer; shift+wheel (or a sideways wheel) pans. */
  private wheel(u: uPlot, e: WheelEvent): void {
    const view = this.view;
    const min = u.scales.x.min;
    const max = u.scales.x.max;
    if (!view || min == null || max == null || view.t.length < 2) return;
    e.preventDefault();
    const first = view.t[0];
    const last = view.t[view.t.length - 1];
    const span = max - min;
    let from: number;
    let to: number;
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      const shift = Math.sign(e.deltaX || e.deltaY) * span * 0.1;
      from = min + shift;
      to = max + shift;
    } else {
      const at = u.posToVal(e.offsetX, 'x');
      const factor = e.deltaY < 0 ? 0.8 : 1.25;
      from = at - (at - min) * factor;
      to = at + (max - at) * factor;
    }
    const width = Math.min(to - from, last - first);
    from = Math.max(first, Math.min(from, last - width));
    u.setScale('x', { min: from, max: from + width });
  }

  private resetZoom(): void {
    const view = this.view;
    if (view && this.plot && view.t.length) this.plot.setScale('x', { min: view.t[0], max: view.t[view.t.length - 1] });
  }

  private exportPng(): void {
    if (!this.plot || !this.view) return;
    const src = this.plot.ctx.canvas;
    const canvas = document.createElement('canvas');
    canvas.width = src.width;
    canvas.height = src.height;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = this.colors.background;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(src, 0, 0);
    this.actions.save('png', `${fileSafe(this.view.host)}-timeline.png`, canvas.toDataURL('image/png'));
  }

  private exportCsv(): void {
    if (this.view) this.actions.save('csv', `${fileSafe(this.view.host)}-timeline.csv`, seriesCsv(this.view));
  }

  private resize(): void {
    const width = this.chartWidth();
    if (this.plot && Math.abs(this.plot.width - width) > 1) this.plot.setSize({ width, height: CHART_HEIGHT + (this.view?.updates.length ? UPDATE_STRIP_PX : 0) });
    if (this.vmPlot && Math.abs(this.vmPlot.width - width) > 1) this.vmPlot.setSize({ width, height: DETAIL_HEIGHT });
  }

  private rethemed(): void {
    this.colors = themeColors();
    if (this.view) this.drawHost(this.zoom());
    if (this.vmView && !this.detail.hidden) this.showVm(this.vmView);
  }

  private closeDetail(): void {
    this.vmPlot?.destroy();
    this.vmPlot = undefined;
    this.vmView = undefined;
    this.detail.hidden = true;
    delete this.detail.dataset.vm;
    this.detail.replaceChildren();
  }
}

/** The VMs the markers' lines are about, each once. */
function vmsOf(markers: readonly Marker[]): string[] {
  return [...new Set(markers.flatMap((m) => m.items.flatMap((i) => (i.vm ? [i.vm] : []))))];
}

function fileSafe(name: string): string {
  return name.replace(/[^\w.-]+/g, '_') || 'host';
}
