// Chart colours from the editor's theme (--vscode-* variables; timeline.css gives the --vscode-*
// fallbacks the standalone page uses). A canvas cannot read CSS variables, so they are resolved here.

export interface ThemeColors {
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  error: string;
  started: string;
  smartPaging: string;
  pressure: string;
  vms: string[];
  /** the page's font, for text drawn on the canvas */
  fontFamily: string;
  highContrast: boolean;
  alpha(color: string, a: number): string;
  hatch(ctx: CanvasRenderingContext2D, color: string): CanvasPattern | string;
  /** the texture over a VM's band while it boots (stripes the other way than Smart Paging's) or restores (dots) */
  texture(ctx: CanvasRenderingContext2D, kind: 'boot' | 'restore'): CanvasPattern | string;
}

export function themeColors(): ThemeColors {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => resolve(style.getPropertyValue(name).trim() || fallback);
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const foreground = v('--vscode-editor-foreground', '#333');
  return {
    background: v('--vscode-editor-background', '#fff'),
    foreground,
    muted: v('--vscode-descriptionForeground', '#777'),
    grid: highContrast ? v('--vscode-contrastBorder', foreground) : withAlpha(foreground, 0.12),
    error: v('--vscode-charts-red', '#e51400'),
    started: v('--vscode-charts-green', '#388a34'),
    smartPaging: v('--vscode-charts-orange', '#d18616'),
    pressure: v('--vscode-charts-purple', '#652d90'),
    vms: [
      v('--vscode-charts-blue', '#1a85ff'),
      v('--vscode-charts-green', '#388a34'),
      v('--vscode-charts-purple', '#652d90'),
      v('--vscode-charts-yellow', '#bf8803'),
    ],
    fontFamily: style.fontFamily || 'sans-serif',
    highContrast,
    alpha: withAlpha,
    hatch,
    texture: (ctx, kind) => texture(ctx, kind, foreground),
  };
}

/** Hues the theme has no chart colour for (teal, pink, lime, indigo), kept away from the orange of
 * Smart Paging and the red of failures; drawn at the saturation and lightness of the theme's blue. */
const MORE_HUES = [175, 320, 85, 250];

/** A VM's colour by its place in the plan (so the same on every host): the theme's four chart colours
 * and four more hues, then all eight lighter, then darker. Neighbours in a plan, which mostly share a
 * host, differ in hue. */
export function vmColor(c: ThemeColors, i: number): string {
  const [, s, l] = hsl(c.vms[0]);
  const hues = [...c.vms, ...MORE_HUES.map((h) => `hsl(${h}, ${Math.round(s * 100)}%, ${Math.round(l * 100)}%)`)];
  const base = hues[i % hues.length];
  const round = Math.floor(i / hues.length) % 3;
  if (round === 0) return base;
  const [r, g, b] = rgb(base);
  const shade = (x: number) => Math.round(round === 1 ? x + (255 - x) * 0.4 : x * 0.65);
  return `rgb(${shade(r)}, ${shade(g)}, ${shade(b)})`;
}

function hsl(color: string): [number, number, number] {
  const [r, g, b] = rgb(color).map((v) => v / 255);
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  const d = max - min;
  if (d === 0) return [0, 0, l];
  const s = d / (1 - Math.abs(2 * l - 1));
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return [((h * 60) + 360) % 360, s, l];
}

let probe: CanvasRenderingContext2D | null | undefined;

/** Any CSS colour as the canvas normalises it (#rrggbb or rgba(…)). */
function resolve(color: string): string {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return color;
  probe.fillStyle = '#000';
  probe.fillStyle = color;
  return String(probe.fillStyle);
}

function rgb(color: string): [number, number, number] {
  const c = resolve(color);
  if (c.startsWith('#')) return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) as [number, number, number];
  const m = c.match(/[\d.]+/g) ?? ['0', '0', '0'];
  return [Number(m[0]), Number(m[1]), Number(m[2])];
}

function withAlpha(color: string, a: number): string {
  const [r, g, b] = rgb(color);
  return `rgba(${r}, ${g}, ${b}, ${a})`;
}

const patterns = new Map<string, CanvasPattern | string>();

/** A repeating tile `css` pixels square, painted once per key; `fallback` where a canvas cannot be had. */
function pattern(ctx: CanvasRenderingContext2D, key: string, css: number, fallback: string, paint: (t: CanvasRenderingContext2D, size: number) => void): CanvasPattern | string {
  const cached = patterns.get(key);
  if (cached) return cached;
  const size = Math.round(css * (devicePixelRatio || 1));
  const tile = document.createElement('canvas');
  tile.width = tile.height = size;
  const t = tile.getContext('2d');
  if (!t) return fallback;
  paint(t, size);
  const made = ctx.createPattern(tile, 'repeat') ?? fallback;
  patterns.set(key, made);
  return made;
}

/** Diagonal stripes: Smart Paging is disk, not memory, and must not read as one more coloured band. */
function hatch(ctx: CanvasRenderingContext2D, color: string): CanvasPattern | string {
  return pattern(ctx, `hatch\u0000${color}`, 8, withAlpha(color, 0.4), (t, size) => {
    t.fillStyle = withAlpha(color, 0.18);
    t.fillRect(0, 0, size, size);
    t.strokeStyle = color;
    t.lineWidth = size / 4;
    t.beginPath();
    t.moveTo(-1, size + 1); t.lineTo(size + 1, -1);
    t.moveTo(-1, 1); t.lineTo(1, -1);
    t.moveTo(size - 1, size + 1); t.lineTo(size + 1, size - 1);
    t.stroke();
  });
}

/** Over a VM's own colour, in the theme's foreground: a boot's stripes lean against Smart Paging's, a
 * restore's dots read as memory coming back from disk. */
function texture(ctx: CanvasRenderingContext2D, kind: 'boot' | 'restore', color: string): CanvasPattern | string {
  return pattern(ctx, `${kind}\u0000${color}`, 6, withAlpha(color, 0.25), (t, size) => {
    if (kind === 'restore') {
      t.fillStyle = withAlpha(color, 0.7);
      t.beginPath();
      t.arc(size / 2, size / 2, size / 5, 0, Math.PI * 2);
      t.fill();
    } else {
      t.strokeStyle = withAlpha(color, 0.55);
      t.lineWidth = size / 6;
      t.beginPath();
      t.moveTo(-1, -1); t.lineTo(size + 1, size + 1);
      t.moveTo(size - 1, -1); t.lineTo(size + 1, 1);
      t.moveTo(-1, size - 1); t.lineTo(1, size + 1);
      t.stroke();
    }
  });
}
