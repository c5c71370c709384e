// What the timeline draws on uPlot's canvas itself: band outlines only where a band holds memory,
// marker glyphs in lanes, the host's down time, and labels at the end of the flat lines.
import uPlot from 'uplot';
import type { Downtime } from './model';
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

/** A restarting host shaded lightly, a failed node hatched and marked "down" to the end. */
export function drawDowntime(u: uPlot, down: readonly Downtime[], c: ThemeColors): void {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const dpr = devicePixelRatio || 1;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  for (const d of down) {
    const from = Math.max(left, u.valToPos(d.from, 'x', true));
    const to = Math.min(left + width, u.valToPos(d.to, 'x', true));
    if (to <= from) continue;
    ctx.fillStyle = d.failed ? c.hatch(ctx, c.muted) : c.alpha(c.muted, 0.1);
    ctx.fillRect(from, top, to - from, height);
    ctx.font = `${d.failed ? 600 : 400} ${12 * dpr}px ${c.fontFamily}`;
    // The whole label where it fits, else its first word ("down", "restarting"), else nothing.
    const text = [d.label, d.label.split(/[: ]/)[0]].find((s) => ctx.measureText(s).width + 12 * dpr <= to - from);
    if (!text) continue;
    const textWidth = ctx.measureText(text).width;
    const x = from + 6 * dpr;
    const y = top + height / 2;
    ctx.fillStyle = c.background;
    ctx.fillRect(x - 3 * dpr, y - 10 * dpr, textWidth + 6 * dpr, 16 * dpr);
    ctx.fillStyle = c.foreground;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, x, y - 2 * dpr);
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
