// Reading the values sources write: enums as PowerShell numbers or names, sizes in a source's unit,
// and recognising what ConvertTo-Json leaves when -Depth was too shallow.
import { START_ACTIONS, STOP_ACTIONS } from '../schema';
import type { StartAction, StopAction, VmState } from '../plan';
import { formatBytes, MB } from '../units';
import type { ImportNote, Origin } from './types';

/** Microsoft.HyperV.PowerShell.StartAction / StopAction as Windows PowerShell 5.1 writes them. */
const START_ACTION_CODES: Record<number, StartAction> = { 2: 'Nothing', 3: 'StartIfRunning', 4: 'Start' };
const STOP_ACTION_CODES: Record<number, StopAction> = { 2: 'TurnOff', 3: 'Save', 4: 'ShutDown' };

/** Microsoft.HyperV.PowerShell.VMState: the codes and names a VM can report. */
const VM_STATE_CODES: Record<number, string> = {
  1: 'Other', 2: 'Running', 3: 'Off', 4: 'Stopping', 6: 'Saved', 9: 'Paused', 10: 'Starting', 11: 'Reset',
  32773: 'Saving', 32776: 'Pausing', 32777: 'Resuming', 32779: 'FastSaved', 32780: 'FastSaving',
  32781: 'ForceShutdown', 32782: 'ForceReboot', 32783: 'Hibernated', 32784: 'ComponentServicing',
};
/** States in which the VM holds no memory on the host: a plan calls them Off. */
const STATES_WITHOUT_MEMORY = new Set(['off', 'saved', 'fastsaved', 'hibernated']);

function enumName<T extends string>(raw: unknown, codes: Record<number, T>, names: readonly T[]): T | undefined {
  if (typeof raw === 'number') return codes[raw];
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (/^[0-9]+$/.test(text)) return codes[Number(text)];
  return names.find((n) => n.toLowerCase() === text.toLowerCase());
}

export const startAction = (raw: unknown) => enumName(raw, START_ACTION_CODES, START_ACTIONS);
export const stopAction = (raw: unknown) => enumName(raw, STOP_ACTION_CODES, STOP_ACTIONS);

/** A VM state as a plan has it, with the name Hyper-V reported (to say so when the two differ). */
export function vmState(raw: unknown): { state: VmState; reported: string } | undefined {
  const reported = typeof raw === 'number' || /^[0-9]+$/.test(String(raw).trim())
    ? VM_STATE_CODES[Number(raw)]
    : Object.values(VM_STATE_CODES).find((n) => n.toLowerCase() === String(raw).trim().toLowerCase())
      ?? (/^Running/i.test(String(raw)) ? String(raw) : undefined);
  if (!reported) return undefined;
  return { state: STATES_WITHOUT_MEMORY.has(reported.toLowerCase()) ? 'Off' : 'Running', reported };
}

/**
 * What ConvertTo-Json writes for an object nested deeper than -Depth: its type name
 * ("Microsoft.HyperV.PowerShell.VMMemory", "System.Object[]") or a hashtable's "@{…}" text.
 */
export function isTruncatedByDepth(raw: unknown): boolean {
  return typeof raw === 'string' && (/^(Microsoft|System)\.[A-Za-z0-9_.`[\]]+$/.test(raw.trim()) || /^@\{.*\}$/s.test(raw.trim()));
}

/** A whole, non-negative number of the given unit as bytes, or undefined. */
export function wholeBytes(raw: unknown, unitBytes = 1): number | undefined {
  const n = typeof raw === 'string' && /^\s*[0-9]+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || !Number.isInteger(n)) return undefined;
  const bytes = n * unitBytes;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

export function asBoolean(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) return raw.trim().toLowerCase() === 'true';
  if (raw === 0 || raw === 1) return raw === 1;
  return undefined;
}

/** Collects notes for one input, so each importer says only what and where. */
export class Notes {
  readonly list: ImportNote[] = [];
  constructor(readonly file: string) {}
  warn(message: string, at: Omit<Origin, 'file'> = {}, vm?: string): void {
    this.list.push({ file: this.file, ...at, severity: 'warning', message, ...(vm ? { vm } : {}) });
  }
  info(message: string, at: Omit<Origin, 'file'> = {}, vm?: string): void {
    this.list.push({ file: this.file, ...at, severity: 'information', message, ...(vm ? { vm } : {}) });
  }
  /** A byte value under 1 MB is imported as written; the plan's checker then flags it (size-suspicious). */
  tinyBytes(label: string, bytes: number, at: Omit<Origin, 'file'>, vm?: string): void {
    if (bytes > 0 && bytes < MB) this.warn(`${label} is ${bytes} bytes (${formatBytes(bytes)}), almost certainly a unit mistake; imported as written`, at, vm);
  }
}
