// The editor settings under `hvmem.*` and what they mean for the core.
import type { AnalyzeOptions } from '../core/analyze';
import type { ModelParameters } from '../core/plan';
import { modelFields } from '../core/schema';
import { parseDuration, parseSize } from '../core/units';

export interface Settings {
  codeLens: { enabled: boolean };
  scenarioDiagnostics: { enabled: boolean };
  /** model defaults as written in settings: sizes and durations may be strings ("256MB", "90s") */
  model: Partial<Record<keyof ModelParameters, unknown>>;
}

export const DEFAULT_SETTINGS: Settings = { codeLens: { enabled: true }, scenarioDiagnostics: { enabled: true }, model: {} };


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
    // The kind of each key comes from the plan's field table, as the plan's own `model` is read.
    const field = Object.prototype.hasOwnProperty.call(modelFields, key) ? modelFields[key] : undefined;
    let parsed: unknown;
    if (field?.kind === 'size') parsed = readWith(parseSize, value);
    else if (field?.kind === 'duration') parsed = readWith(parseDuration, value);
    else if (field?.kind === 'number') parsed = typeof value === 'number' && value >= (field.minimum ?? 0) && value <= (field.maximum ?? Infinity) ? value : undefined;
    else if (field?.kind === 'boolean') parsed = typeof value === 'boolean' ? value : undefined;
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
