// The editor settings under `hvmem.*` and what they mean for the core.
import type { AnalyzeOptions } from '../core/analyze';
import type { ModelParameters } from '../core/plan';
import { parseDuration, parseSize } from '../core/units';

export interface Settings {
  codeLens: { enabled: boolean };
  scenarioDiagnostics: { enabled: boolean };
  /** model defaults as written in settings: sizes and durations may be strings ("256MB", "90s") */
  model: Partial<Record<keyof ModelParameters, unknown>>;
}

export const DEFAULT_SETTINGS: Settings = { codeLens: { enabled: true }, scenarioDiagnostics: { enabled: true }, model: {} };

const SIZE_KEYS = new Set(['addRatePerSecond', 'removeRatePerSecond']);
const DURATION_KEYS = new Set(['bootSeconds', 'hostBootSeconds', 'smartPagingTargetSeconds']);

/** Settings as the client sent them, with anything missing or unreadable left at its default. */
export function readSettings(raw: unknown): Settings {
  const r = (raw ?? {}) as Partial<Settings>;
  return {
    codeLens: { enabled: r.codeLens?.enabled !== false },
    scenarioDiagnostics: { enabled: r.scenarioDiagnostics?.enabled !== false },
    model: typeof r.model === 'object' && r.model ? r.model : {},
  };
}

/** The options every analysis runs with under these settings; unreadable model values are skipped. */
export function analyzeOptions(settings: Settings): AnalyzeOptions {
  const modelDefaults: Partial<ModelParameters> = {};
  for (const [key, value] of Object.entries(settings.model)) {
    if (value === null || value === undefined || value === '') continue;
    let parsed: unknown = value;
    if (SIZE_KEYS.has(key)) parsed = readWith(parseSize, value);
    else if (DURATION_KEYS.has(key)) parsed = readWith(parseDuration, value);
    else if (key === 'tickSeconds') parsed = typeof value === 'number' && value > 0 ? value : undefined;
    else if (key === 'smartPagingRequiresMinimum' || key === 'smartPagingRequiresDisk') parsed = typeof value === 'boolean' ? value : undefined;
    else continue;
    if (parsed !== undefined) (modelDefaults as Record<string, unknown>)[key] = parsed;
  }
  return { modelDefaults, scenario: settings.scenarioDiagnostics.enabled };
}

function readWith(parse: (v: string | number) => { ok: true; value: number } | { ok: false }, value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const r = parse(value);
  return r.ok ? r.value : undefined;
}
