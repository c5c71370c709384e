// What the timeline draws on uPlot's canvas itself: band outlines only where a band holds memory,
// marker glyphs in lanes, the host's down and paused time, boots and restores over their VMs' bands,
// the arriving band's label, a rolling update's phases across the top, and labels at the end of the
// flat lines.
import uPlot from 'uplot';
import { arrivalGroups, type HostView, type Layer } from './model';
import { names, type HostState, type Phase, type UpdateNode, type UpdateView } from './operations';
import { count } from '../../server/src/core/words';
import type { Glyph, Marker, Tone } from './markers';
import type { ThemeColors } from './theme';

/** Markers closer than this (CSS pixels) go in lanes one under the other instead of on top of each other. */
export const LANE_PX = 12;
const MAX_LANES = 4;

/** The stepped path of a band (a value holds until the next sample), whose outline is drawn only where
 * the band itself holds something: a band at 0 would draw its colour over the top of the band below,
 * which reads as memory that is not there (a Smart Paging outline after the file was deleted). */
export function bandPaths(values: readonly number[]): uPlot.Series.PathBuilder {
  const stepped = uPlot.paths.stepped!({ align: 1 });
  return (u, seriesIdx, idx0, idx1) => {
    const paths = stepped(u, seriesIdx, idx0, idx1);
    if (paths) paths.stroke = ownOutline(u, seriesIdx, values, idx0, idx1);
    return paths;
  };
}

function ownOutline(u: uPlot, seriesIdx: number, values: readonly number[], idx0: number, idx1: number): Path2D {
  const path = new Path2D();
  const xs = u.data[0];
  const tops = u.data[seriesIdx];
  const x = (i: number) => Math.round(u.valToPos(xs[i], 'x', true));
  const y = (i: number) => Math.round(u.valToPos(tops[i] ?? 0, 'y', true));
  let drawing = false;
  for (let i = idx0; i <= idx1; i++) {
    if (!(values[i] > 0)) { drawing = false; continue; }
    const from = x(i);
    const to = i < idx1 ? x(i + 1) : from;
    if (drawing) path.lineTo(from, y(i));
    else path.moveTo(from, y(i));
    path.lineTo(to, y(i));
    drawing = true;
  }
  return path;
}

/** Each marker's lane, in the markers' (time) order: the first lane free at its pixel. */
export function markerLanes(xs: readonly number[]): number[] {
  const laneEnds: number[] = [];
  return xs.map((x) => {
    let lane = laneEnds.findIndex((end) => x - end >= LANE_PX);
    if (lane < 0) lane = laneEnds.length < MAX_LANES ? laneEnds.length : MAX_LANES - 1;
    laneEnds[lane] = x;
    return lane;
  });
}

function toneColor(c: ThemeColors, tone: Tone): string {
  switch (tone) {
    case 'error': return c.error;
    case 'smartPaging': return c.smartPaging;
    case 'started': return c.started;
    case 'change': return c.pressure;
    case 'host': return c.foreground;
  }
}

/** The markers along the top with a thin line down the chart; coinciding ones in lanes. */
export function drawMarkers(u: uPlot, markers: readonly Marker[], c: ThemeColors): void {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const dpr = devicePixelRatio || 1;
  const lanes = markerLanes(markers.map((m) => u.valToPos(m.t, 'x')));
  ctx.save();
  ctx.setLineDash([]);
  markers.forEach((m, i) => {
    const x = u.valToPos(m.t, 'x', true);
    if (x < left - 1 || x > left + width + 1) return;
    const color = toneColor(c, m.tone);
    ctx.strokeStyle = color;
    ctx.globalAlpha = 0.5;
    ctx.lineWidth = dpr;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.globalAlpha = 1;
    drawGlyph(ctx, m.glyph, x, top + (7 + lanes[i] * LANE_PX) * dpr, 5 * dpr, color, c.background);
  });
  ctx.restore();
}

type Paint = (ctx: CanvasRenderingContext2D, x: number, y: number, r: number, hollow: () => void, background: string) => void;

const triangle = (ctx: CanvasRenderingContext2D, x: number, y: number, r: number) => { ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y - r); ctx.lineTo(x, y + r); ctx.closePath(); };
const square = (ctx: CanvasRenderingContext2D, x: number, y: number, r: number) => ctx.rect(x - r * 0.75, y - r * 0.75, r * 1.5, r * 1.5);
const arrow = (ctx: CanvasRenderingContext2D, x: number, y: number, r: number) => { ctx.moveTo(x - r * 0.8, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x - r * 0.8, y + r); ctx.closePath(); };
const diamond = (ctx: CanvasRenderingContext2D, x: number, y: number, r: number) => { ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath(); };

/** How each glyph is drawn: every glyph of markers.ts has its entry (the type says so). */
const GLYPHS: Record<Glyph, Paint> = {
  triangle: (ctx, x, y, r) => { triangle(ctx, x, y, r); ctx.fill(); },
  triangleHollow: (ctx, x, y, r, hollow) => { triangle(ctx, x, y, r); hollow(); },
  dot: (ctx, x, y, r) => { ctx.arc(x, y, r * 0.8, 0, Math.PI * 2); ctx.fill(); },
  cross: (ctx, x, y, r) => {
    ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r); ctx.moveTo(x + r, y - r); ctx.lineTo(x - r, y + r);
    ctx.lineWidth = r / 1.6;
    ctx.stroke();
  },
  square: (ctx, x, y, r) => { square(ctx, x, y, r); ctx.fill(); },
  squareHollow: (ctx, x, y, r, hollow) => { square(ctx, x, y, r); hollow(); },
  arrow: (ctx, x, y, r) => { arrow(ctx, x, y, r); ctx.fill(); },
  arrowHollow: (ctx, x, y, r, hollow) => { arrow(ctx, x, y, r); hollow(); },
  pause: (ctx, x, y, r) => { ctx.fillRect(x - r * 0.8, y - r, r * 0.55, r * 2); ctx.fillRect(x + r * 0.25, y - r, r * 0.55, r * 2); },
  flag: (ctx, x, y, r) => {
    ctx.moveTo(x - r * 0.7, y + r); ctx.lineTo(x - r * 0.7, y - r); ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(x - r * 0.7, y - r); ctx.lineTo(x + r, y - r * 0.45); ctx.lineTo(x - r * 0.7, y + r * 0.1); ctx.closePath(); ctx.fill();
  },
  diamond: (ctx, x, y, r) => { diamond(ctx, x, y, r); ctx.fill(); },
  diamondHollow: (ctx, x, y, r, hollow) => { diamond(ctx, x, y, r); hollow(); },
  diamondBar: (ctx, x, y, r, _hollow, background) => {
    diamond(ctx, x, y, r); ctx.fill();
    ctx.fillStyle = background; ctx.fillRect(x - r / 6, y - r / 2, r / 3, r / 1.6);
  },
};

function drawGlyph(ctx: CanvasRenderingContext2D, glyph: Glyph, x: number, y: number, r: number, color: string, background: string): void {
  ctx.fillStyle = color;
  ctx.strokeStyle = color;
  ctx.lineWidth = r / 2.5;
  ctx.beginPath();
  GLYPHS[glyph](ctx, x, y, r, () => { ctx.fillStyle = background; ctx.fill(); ctx.stroke(); }, background);
}

/** A restarting host shaded lightly, a failed node hatched and marked "down" to the end, a paused
 * (drained) node tinted in the colour of migrations with a bar along the top: each labelled where it fits. */
export function drawStates(u: uPlot, states: readonly HostState[], c: ThemeColors): void {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const dpr = devicePixelRatio || 1;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  for (const d of states) {
    const from = Math.max(left, u.valToPos(d.from, 'x', true));
    const to = Math.min(left + width, u.valToPos(d.to, 'x', true));
    if (to <= from) continue;
    ctx.fillStyle = d.kind === 'failed' ? c.hatch(ctx, c.muted) : d.kind === 'paused' ? c.alpha(c.pressure, 0.08) : c.alpha(c.muted, 0.1);
    ctx.fillRect(from, top, to - from, height);
    if (d.kind === 'paused') {
      ctx.fillStyle = c.alpha(c.pressure, 0.6);
      ctx.fillRect(from, top, to - from, 3 * dpr);
    }
    ctx.font = `${d.kind === 'failed' ? 600 : 400} ${12 * dpr}px ${c.fontFamily}`;
    // The whole label where it fits, else its first word ("down", "restarting", "paused"), else nothing.
    const text = [d.label, d.label.split(/[: ]/)[0]].find((s) => ctx.measureText(s).width + 12 * dpr <= to - from);
    if (!text) continue;
    const textWidth = ctx.measureText(text).width;
    const x = from + 6 * dpr;
    const y = top + height / 2;
    ctx.fillStyle = c.background;
    ctx.fillRect(x - 3 * dpr, y - 10 * dpr, textWidth + 6 * dpr, 16 * dpr);
    ctx.fillStyle = d.kind === 'paused' ? c.pressure : c.foreground;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, x, y - 2 * dpr);
  }
  ctx.restore();
}

/** The bottom and top (stacked values) of each layer's band at sample j; a hidden layer has none. */
export function bandEdges(u: uPlot, shown: readonly boolean[], layer: number, j: number): [number, number] | undefined {
  if (shown[layer] === false) return undefined;
  let below = -1;
  for (let i = layer - 1; i >= 0; i--) if (shown[i] !== false) { below = i; break; }
  const top = u.data[layer + 1][j] ?? 0;
  const bottom = below < 0 ? 0 : u.data[below + 1][j] ?? 0;
  return [bottom, top];
}

/** Boots and restores over their VM's band, each in its own texture, for as long as they last. */
export function drawStartShades(u: uPlot, layers: readonly Layer[], shown: readonly boolean[], show: { boot: boolean; restore: boolean }, c: ThemeColors): void {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const xs = u.data[0];
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  layers.forEach((layer, i) => {
    for (const shade of layer.starts ?? []) {
      if (!show[shade.kind]) continue;
      ctx.fillStyle = c.texture(ctx, shade.kind);
      ctx.beginPath();
      // A value holds from its sample to the next: one rectangle per sample in the shade's time.
      for (let j = 0; j < xs.length; j++) {
        const next = j + 1 < xs.length ? xs[j + 1] : Infinity;
        const from = Math.max(xs[j], shade.from);
        const to = Math.min(next, shade.to);
        if (to <= from) continue;
        const edges = bandEdges(u, shown, i, j);
        if (!edges || edges[1] <= edges[0]) continue;
        const x0 = u.valToPos(from, 'x', true);
        const x1 = u.valToPos(Math.min(to, xs[xs.length - 1]), 'x', true);
        const y0 = u.valToPos(edges[1], 'y', true);
        const y1 = u.valToPos(edges[0], 'y', true);
        ctx.rect(x0, y0, Math.max(1, x1 - x0), y1 - y0);
      }
      ctx.fill();
    }
  });
  ctx.restore();
}

/** "arriving: SQL-A from HV-B" above the arriving band, once per run of overlapping arrivals, where it fits. */
export function drawArrivalLabels(u: uPlot, view: HostView, shown: readonly boolean[], c: ThemeColors): void {
  const layer = view.layers.findIndex((l) => l.kind === 'incoming');
  if (layer < 0 || shown[layer] === false) return;
  const ctx = u.ctx;
  const { left, top, width } = u.bbox;
  const dpr = devicePixelRatio || 1;
  const xs = u.data[0];
  ctx.save();
  ctx.font = `${11 * dpr}px ${c.fontFamily}`;
  ctx.textBaseline = 'alphabetic';
  /** per line of labels (the second one above the first), where its last label ends */
  const lastRight = [-Infinity, -Infinity];
  for (const group of arrivalGroups(view.arrivals)) {
    const x = u.valToPos(group.from, 'x', true);
    if (x > left + width || u.valToPos(group.to, 'x', true) < left) continue;
    let peak = 0;
    for (let j = 0; j < xs.length; j++) {
      const next = j + 1 < xs.length ? xs[j + 1] : Infinity;
      if (next <= group.from || xs[j] >= group.to) continue;
      peak = Math.max(peak, u.data[layer + 1][j] ?? 0);
    }
    const vms = [...new Set(group.arrivals.map((a) => a.vm))];
    const sources = [...new Set(group.arrivals.map((a) => a.source))];
    const from = sources.length === 1 ? ` from ${sources[0]}` : '';
    const text = [`arriving: ${names(vms, 3)}${from}`, `arriving: ${count(vms.length, 'VM')}${from}`, `arriving: ${count(vms.length, 'VM')}`]
      .find((t) => ctx.measureText(t).width <= width - 8 * dpr) ?? '';
    const textWidth = ctx.measureText(text).width;
    const x0 = Math.min(Math.max(left + 2 * dpr, x), left + width - textWidth - 4 * dpr);
    const line = lastRight.findIndex((right) => x0 >= right + 6 * dpr);
    if (!text || line < 0) continue;
    const y = Math.max(top + 24 * dpr, u.valToPos(peak, 'y', true) - (5 + 14 * line) * dpr);
    ctx.fillStyle = c.alpha(c.background, 0.85);
    ctx.fillRect(x0 - 2 * dpr, y - 10 * dpr, textWidth + 4 * dpr, 13 * dpr);
    ctx.fillStyle = c.pressure;
    ctx.textAlign = 'left';
    ctx.fillText(text, x0, y);
    lastRight[line] = x0 + textWidth;
  }
  ctx.restore();
}

/** Height of the strip across the top of the chart that draws a rolling update's phases. */
export const UPDATE_STRIP_PX = 32;
const STRIP_LABEL_PX = 15;
const STRIP_BAR_PX = 11;

function phaseColor(c: ThemeColors, p: Phase): string {
  if (!p.ok && p.kind !== 'restart') return c.error;
  return p.kind === 'drain' ? c.pressure : p.kind === 'restart' ? c.muted : c.started;
}

/** Where each node's turn of the update lies on the strip, in CSS pixels from the plot's left edge. */
export function updateNodeBoxes(u: uPlot, update: UpdateView): { node: UpdateNode; x0: number; x1: number }[] {
  return update.nodes.map((node) => {
    const from = node.phases[0]?.from ?? update.from;
    const to = node.phases.at(-1)?.to ?? from;
    return { node, x0: u.valToPos(from, 'x'), x1: Math.max(u.valToPos(to, 'x'), u.valToPos(from, 'x') + 2) };
  });
}

/** The rolling updates across the top: per node a label (the longest that fits) over a bar of its
 * phases (drain, restart, failback), and where the run ended, with a cross where it stopped. */
export function drawUpdates(u: uPlot, updates: readonly UpdateView[], host: string, c: ThemeColors): void {
  if (!updates.length) return;
  const ctx = u.ctx;
  const { left, top, width } = u.bbox;
  const dpr = devicePixelRatio || 1;
  const stripTop = top - UPDATE_STRIP_PX * dpr;
  const labelY = stripTop + (STRIP_LABEL_PX - 3) * dpr;
  const barY = stripTop + STRIP_LABEL_PX * dpr;
  const barH = STRIP_BAR_PX * dpr;
  const x = (t: number) => u.valToPos(t, 'x', true);
  ctx.save();
  ctx.setLineDash([]);
  ctx.font = `${10 * dpr}px ${c.fontFamily}`;
  ctx.fillStyle = c.muted;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.fillText('update', left - 6 * dpr, barY + barH / 2);
  ctx.beginPath();
  ctx.rect(left, stripTop, width, UPDATE_STRIP_PX * dpr);
  ctx.clip();
  for (const update of updates) {
    const boxes = updateNodeBoxes(u, update);
    boxes.forEach(({ node }, i) => {
      for (const p of node.phases) {
        const x0 = x(p.from);
        const x1 = Math.max(x(p.to), x0 + 2 * dpr);
        ctx.fillStyle = phaseColor(c, p);
        ctx.fillRect(x0, barY, x1 - x0 - (x1 - x0 > 3 * dpr ? dpr : 0), barH);
        ctx.font = `${10 * dpr}px ${c.fontFamily}`;
        if (ctx.measureText(p.kind).width + 6 * dpr <= x1 - x0) {
          ctx.fillStyle = c.background;
          ctx.textAlign = 'left';
          ctx.textBaseline = 'middle';
          ctx.fillText(p.kind, x0 + 3 * dpr, barY + barH / 2 + dpr / 2);
        }
      }
      // The label may run on over the gap to the next node's turn, not into it.
      const start = Math.max(left, x(node.phases[0]?.from ?? update.from));
      const room = (i + 1 < boxes.length ? x(boxes[i + 1].node.phases[0]?.from ?? update.to) : left + width) - start - 6 * dpr;
      ctx.font = `${node.host === host ? 600 : 400} ${11 * dpr}px ${c.fontFamily}`;
      const text = node.labels.find((l) => ctx.measureText(l).width <= room);
      if (!text) return;
      ctx.fillStyle = node.ok ? c.foreground : c.error;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'alphabetic';
      ctx.fillText(text, start + dpr, labelY);
    });
    const end = update.end;
    if (!end) continue;
    const ex = x(end.t);
    const color = end.ok ? c.started : c.error;
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 2 * dpr;
    ctx.beginPath();
    ctx.moveTo(ex, barY - 2 * dpr);
    ctx.lineTo(ex, barY + barH + 2 * dpr);
    ctx.stroke();
    // A cross where the run stopped, a tick where it was done, then what it came to.
    const r = 4.5 * dpr;
    const cx = ex + 3 * dpr + r;
    const cy = barY + barH / 2;
    ctx.beginPath();
    if (end.ok) { ctx.moveTo(cx - r, cy); ctx.lineTo(cx - r * 0.3, cy + r * 0.8); ctx.lineTo(cx + r, cy - r); } else { ctx.moveTo(cx - r, cy - r); ctx.lineTo(cx + r, cy + r); ctx.moveTo(cx + r, cy - r); ctx.lineTo(cx - r, cy + r); }
    ctx.stroke();
    ctx.font = `600 ${10 * dpr}px ${c.fontFamily}`;
    if (cx + r + 3 * dpr + ctx.measureText(end.text).width <= left + width) {
      ctx.textAlign = 'left';
      ctx.textBaseline = 'middle';
      ctx.fillText(end.text, cx + r + 3 * dpr, cy + dpr / 2);
    }
  }
  ctx.restore();
}

export interface LineLabel { text: string; value: number; color: string }

/** Labels at the right end of the flat lines (installed memory, capacity, the failover limit), one
 * under the other where the lines lie too close together to label each on its own. */
export function drawLineLabels(u: uPlot, labels: readonly LineLabel[], c: ThemeColors): void {
  const ctx = u.ctx;
  const { left, top, width } = u.bbox;
  const dpr = devicePixelRatio || 1;
  const lineHeight = 13 * dpr;
  ctx.save();
  ctx.font = `${11 * dpr}px ${c.fontFamily}`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'alphabetic';
  const ordered = [...labels].sort((a, b) => b.value - a.value);
  let below = -Infinity;
  ordered.forEach((label, i) => {
    const lineY = u.valToPos(label.value, 'y', true);
    // The highest line is labelled above itself, the others below, each clear of the one before.
    const baseline = i === 0 ? Math.max(top + lineHeight, lineY - 3 * dpr) : Math.max(lineY + lineHeight - 2 * dpr, below + lineHeight);
    below = baseline;
    const x = left + width - 4 * dpr;
    const textWidth = ctx.measureText(label.text).width;
    ctx.fillStyle = c.alpha(c.background, 0.85);
    ctx.fillRect(x - textWidth - 3 * dpr, baseline - 10 * dpr, textWidth + 6 * dpr, 13 * dpr);
    ctx.fillStyle = label.color;
    ctx.fillText(label.text, x, baseline);
  });
  ctx.restore();
}
