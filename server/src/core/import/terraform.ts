// HCL files: Terraform hyperv_machine_instance resources (taliesins/hyperv provider) and Packer
// `source "hyperv-iso"` blocks, with variables from their defaults and from .tfvars / .pkrvars.hcl
// files, locals, and for_each over a map or set (a module's input object). Every HCL input is read
// together, so a variable declared in one file and set in another resolves.
import { MB, TB } from '../units';
import { evaluate, type Evaluated, type HclValue, type Resolver } from './hcl-eval';
import { exprSize, exprText, HclError, parseHcl, type Body, type Expr } from './hcl';
import { asBoolean, Notes, startAction, stopAction } from './values';
import type { ImportedVm, SourceResult } from './types';
import { isPackerSource, readPackerSource } from './packer';

const RESOURCE = 'hyperv_machine_instance';

/** The provider's defaults for what a resource leaves out (its documented schema). */
const PROVIDER_DEFAULTS = { generation: 2, memory_startup_bytes: 512 * MB, memory_minimum_bytes: 512 * MB, memory_maximum_bytes: TB };

interface Parsed { file: string; body: Body; notes: Notes }

/**
 * Unrolling count and for_each evaluates the resource's body once per instance; past this much work
 * (instances × the body's expression nodes) the resource is not unrolled, so a `count = 1e9` or a
 * huge body times many instances cannot hang the import.
 */
const MAX_UNROLL_WORK = 20_000_000;

export function importTerraform(inputs: { file: string; text: string }[]): SourceResult {
  const parsed: Parsed[] = [];
  const allNotes: Notes[] = [];
  for (const input of inputs) {
    const notes = new Notes(input.file);
    allNotes.push(notes);
    try {
      parsed.push({ file: input.file, body: parseHcl(input.text), notes });
    } catch (e) {
      if (!(e instanceof HclError)) throw e;
      notes.warn(`not readable as HCL: ${e.message}; nothing read from this file`, { line: e.line });
    }
  }
  const scope = new TerraformScope(parsed);
  const vms: ImportedVm[] = [];
  for (const p of parsed) {
    for (const block of p.body.blocks) {
      if (block.type === 'resource' && block.labels[0] === RESOURCE) vms.push(...readResource(p, block.labels[1] ?? '', block.body, block.line, scope));
      if (isPackerSource(block)) {
        const vm = readPackerSource(block, scope.resolver(), p.file, p.notes);
        if (vm) vms.push(vm);
      }
      if (block.type === 'module') {
        p.notes.info(`module "${block.labels[0]}": its VMs are in the module's own files; import them together with the values passed here`, { line: block.line });
      }
    }
  }
  return { vms, hosts: [], notes: allNotes.flatMap((n) => n.list) };
}

class TerraformScope {
  private readonly variables = new Map<string, { expr: Expr; source: string }>();
  private readonly values = new Map<string, { expr: Expr; source: string }>();
  private readonly locals = new Map<string, Expr>();
  private readonly evaluating = new Set<string>();

  constructor(files: Parsed[]) {
    for (const { body, file } of files) {
      for (const block of body.blocks) {
        if (block.type === 'variable' && block.labels[0]) {
          const def = block.body.attributes.find((a) => a.name === 'default');
          this.variables.set(block.labels[0], def ? { expr: def.value, source: `its default in ${file}` } : { expr: undefined as unknown as Expr, source: '' });
        }
        if (block.type === 'locals') for (const a of block.body.attributes) this.locals.set(a.name, a.value);
        // Packer also writes one local per block: local "name" { expression = … }
        const expression = block.type === 'local' && block.labels[0] ? block.body.attributes.find((a) => a.name === 'expression') : undefined;
        if (expression) this.locals.set(block.labels[0], expression.value);
      }
      // Top-level attributes are variable values: a .tfvars file (later files win, as with -var-file).
      for (const a of body.attributes) this.values.set(a.name, { expr: a.value, source: file });
    }
  }

  /** `extra`: the names a resource instance adds (each, count). */
  resolver(extra: ReadonlyMap<string, Evaluated> = new Map()): Resolver {
    // Each variable and local is evaluated once per resolver: locals that refer to others twice over
    // would otherwise take exponential time.
    const known = new Map<string, Evaluated>();
    const remembered = (name: string, evaluate: () => Evaluated): Evaluated => {
      let v = known.get(name);
      if (!v) known.set(name, (v = evaluate()));
      return v;
    };
    const resolve: Resolver = (root, key) => {
      const base = extra.get(root);
      if (base) {
        if (!base.ok || key === undefined) return base;
        const obj = base.value as Record<string, HclValue>;
        return Object.hasOwn(obj, key) ? { ok: true, value: obj[key] } : { ok: false, reason: `${root}.${key} does not exist` };
      }
      if (root === 'var' && key !== undefined) return remembered(`var.${key}`, () => this.variable(key, resolve));
      if (root === 'local' && key !== undefined) {
        const expr = this.locals.get(key);
        if (!expr) return { ok: false, reason: `local.${key} is not defined in the files given` };
        return remembered(`local.${key}`, () => this.once(`local.${key}`, () => evaluate(expr, resolve)));
      }
      return undefined;
    };
    return resolve;
  }

  private variable(name: string, resolve: Resolver): Evaluated {
    const given = this.values.get(name);
    const declared = this.variables.get(name);
    const expr = given?.expr ?? declared?.expr;
    if (!expr) {
      return { ok: false, reason: declared ? `var.${name} has no default and no .tfvars value in the files given` : `var.${name} is not declared in the files given` };
    }
    return this.once(`var.${name}`, () => evaluate(expr, given ? this.resolver() : resolve));
  }

  private once(key: string, run: () => Evaluated): Evaluated {
    if (this.evaluating.has(key)) return { ok: false, reason: `${key} refers to itself` };
    this.evaluating.add(key);
    try { return run(); } finally { this.evaluating.delete(key); }
  }
}

/** One resource block: one VM, or one per for_each entry / count index. */
function readResource(p: Parsed, label: string, body: Body, line: number, scope: TerraformScope): ImportedVm[] {
  const attr = (name: string) => body.attributes.find((a) => a.name === name);
  const address = `${RESOURCE}.${label}`;
  const instances: { suffix: string; extra: Map<string, Evaluated> }[] = [];
  const bodySize = body.attributes.reduce((sum, a) => sum + exprSize(a.value), 1);
  const tooMany = (n: number, at: number) => {
    if (n * bodySize <= MAX_UNROLL_WORK) return false;
    p.notes.warn(`${address}: ${n.toLocaleString('en-US')} instances are more than hvmem unrolls; its VMs are not imported`, { line: at });
    return true;
  };
  const forEach = attr('for_each');
  const count = attr('count');
  if (forEach) {
    const v = evaluate(forEach.value, scope.resolver());
    if (!v.ok) {
      p.notes.warn(`${address}: for_each cannot be told (${v.reason}); its VMs are imported once, under a placeholder`, { line: forEach.line });
      instances.push({ suffix: '[*]', extra: new Map([['each', { ok: false, reason: `each comes from a for_each that cannot be told (${v.reason})` }]]) });
    }
    const entries: [string, HclValue][] = !v.ok ? [] : Array.isArray(v.value) ? v.value.map((x) => [String(x), x]) : v.value && typeof v.value === 'object' ? Object.entries(v.value) : [];
    if (tooMany(entries.length, forEach.line)) return [];
    for (const [key, value] of entries) {
      instances.push({ suffix: `[${JSON.stringify(key)}]`, extra: new Map([['each', { ok: true, value: { key, value } }]]) });
    }
  } else if (count) {
    const v = evaluate(count.value, scope.resolver());
    if (!v.ok || typeof v.value !== 'number') {
      const reason = v.ok ? 'not a number' : v.reason;
      p.notes.warn(`${address}: count cannot be told (${reason}); its VMs are imported once, under a placeholder`, { line: count.line });
      instances.push({ suffix: '[*]', extra: new Map([['count', { ok: false, reason: `count.index comes from a count that cannot be told (${reason})` }]]) });
    } else {
      if (tooMany(v.value, count.line)) return [];
      for (let i = 0; i < v.value; i++) instances.push({ suffix: `[${i}]`, extra: new Map([['count', { ok: true, value: { index: i } }]]) });
    }
  } else {
    instances.push({ suffix: '', extra: new Map() });
  }
  const vms: ImportedVm[] = [];
  for (const instance of instances) {
    const resolve = scope.resolver(instance.extra);
    const what = `${address}${instance.suffix}`;
    const read = (name: string): { value: HclValue; line: number } | undefined => {
      const a = attr(name);
      if (!a) return undefined;
      const v = evaluate(a.value, resolve);
      if (v.ok && v.value !== null) return { value: v.value, line: a.line };
      if (!v.ok) p.notes.warn(`${what}: ${name} = ${exprText(a.value)} left out: ${v.reason}`, { line: a.line }, vmName);
      return undefined;
    };
    let vmName: string | undefined;
    const name = read('name');
    if (!name || typeof name.value !== 'string' || !name.value) {
      if (name) p.notes.warn(`${what}: name is not a string; skipped`, { line: name.line });
      else if (!attr('name')) p.notes.warn(`${what} has no name; skipped`, { line });
      if (name || !attr('name')) continue;
      // A name that cannot be told: the VM is imported under a placeholder, never dropped.
      vmName = `<${what}>`;
      p.notes.warn(`the VM's name cannot be told; its settings are imported under the placeholder ${vmName}: give it the VM's name`, { line: attr('name')!.line }, vmName);
    } else {
      vmName = name.value;
    }
    const vm: ImportedVm = { name: vmName, origins: [{ file: p.file, line, what }] };
    const wrong = (key: string, at: { value: HclValue; line: number }, expected: string) =>
      p.notes.warn(`${what}: ${key} = ${JSON.stringify(at.value)} is not ${expected}; left out`, { line: at.line }, vmName);
    const bytes = (key: string): number | undefined => {
      const v = read(key);
      if (!v) return undefined;
      const n = typeof v.value === 'number' ? v.value : typeof v.value === 'string' && /^\s*\d+\s*$/.test(v.value) ? Number(v.value) : NaN;
      if (!Number.isInteger(n) || n < 0) { wrong(key, v, 'a whole number of bytes'); return undefined; }
      p.notes.tinyBytes(key, n, { line: v.line }, vmName);
      return n;
    };
    const generation = read('generation');
    vm.generation = generation
      ? (generation.value === 1 || generation.value === 2 ? generation.value : (wrong('generation', generation, '1 or 2'), undefined))
      : attr('generation') ? undefined : PROVIDER_DEFAULTS.generation;
    const dynamic = read('dynamic_memory');
    const fixed = read('static_memory');
    vm.dynamic = (dynamic && asBoolean(dynamic.value)) === true && !(fixed && asBoolean(fixed.value) === true);
    vm.startupBytes = bytes('memory_startup_bytes');
    if (vm.startupBytes === undefined && !attr('memory_startup_bytes')) {
      vm.startupBytes = PROVIDER_DEFAULTS.memory_startup_bytes;
      p.notes.info(`${what}: no memory_startup_bytes; the provider's default of 512 MB is imported`, { line }, vmName);
    }
    if (vm.dynamic) {
      vm.minimumBytes = bytes('memory_minimum_bytes');
      vm.maximumBytes = bytes('memory_maximum_bytes');
    }
    const start = read('automatic_start_action');
    if (start) vm.automaticStartAction = startAction(start.value) ?? (wrong('automatic_start_action', start, 'Nothing, StartIfRunning or Start'), undefined);
    const stop = read('automatic_stop_action');
    if (stop) vm.automaticStopAction = stopAction(stop.value) ?? (wrong('automatic_stop_action', stop, 'TurnOff, Save or ShutDown'), undefined);
    const delay = read('automatic_start_delay');
    if (delay) {
      if (typeof delay.value === 'number' && Number.isInteger(delay.value) && delay.value >= 0) vm.automaticStartDelaySeconds = delay.value;
      else wrong('automatic_start_delay', delay, 'a whole number of seconds');
    }
    const paging = read('smart_paging_file_path');
    if (paging) {
      if (typeof paging.value === 'string' && paging.value) vm.smartPagingFilePath = paging.value;
      else wrong('smart_paging_file_path', paging, 'a folder');
    }
    const state = read('state');
    if (state) {
      const s = String(state.value).toLowerCase();
      if (s === 'running' || s === 'off') vm.state = s === 'off' ? 'Off' : 'Running';
      else wrong('state', state, 'Running or Off');
    }
    vms.push(vm);
  }
  return vms;
}
