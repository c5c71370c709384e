// Shared by the import and export tests: import fixtures, read the plan back, find VMs by name.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePlan } from '../server/src/core/analyze';
import { decodeText, importPlan, type ImportResult } from '../server/src/core/import';
import type { ImportOptions } from '../server/src/core/import';
import type { Plan, Vm } from '../server/src/core/plan';
import type { PlanDiagnostic } from '../server/src/core/diagnostics';

export const FIXTURES = join(import.meta.dirname ?? __dirname, 'fixtures', 'import');

export const fixture = (name: string) => decodeText(readFileSync(join(FIXTURES, name)));

export interface Imported extends ImportResult {
  plan: Plan;
  diagnostics: PlanDiagnostic[];
  vm(name: string): Vm;
}

/** Imports fixtures (or inline texts) and reads the plan back the way `hvmem check` does. */
export function importFiles(files: (string | { file: string; text: string })[], options: ImportOptions = {}): Imported {
  const inputs = files.map((f) => (typeof f === 'string' ? { file: f, text: fixture(f) } : f));
  const result = importPlan(inputs, options);
  const analysis = analyzePlan(result.text);
  return {
    ...result,
    plan: analysis.plan,
    diagnostics: analysis.diagnostics,
    vm(name: string) {
      const vm = analysis.plan.vms.find((v) => v.name === name);
      if (!vm) throw new Error(`no VM ${name} in:\n${result.text}`);
      return vm;
    },
  };
}

export const errors = (d: PlanDiagnostic[]) => d.filter((x) => x.severity === 'error').map((x) => `${x.code}: ${x.message}`);
export const notesAbout = (r: ImportResult, text: RegExp) => r.notes.filter((n) => text.test(n.message));
