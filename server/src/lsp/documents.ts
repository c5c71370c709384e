// One analysis per document version (and settings generation): every handler asks here, so a
// keystroke costs one analysis however many features run, and an edit inside one VM re-reads only
// that VM (core/services/incremental.ts). The simulation is run lazily, at most once per version.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { scenarioFindings, simulationBlockers, sortDiagnostics, type Analysis, type AnalyzeOptions } from '../core/analyze';
import { Advisor, type DetailedFix, type Headroom } from '../core/advise';
import type { PlanDiagnostic } from '../core/diagnostics';
import type { PlanDocument } from '../core/services';
import { analyzeEdited, type EditableAnalysis } from '../core/services/incremental';
import { simulate } from '../core/simulate';
import type { SimulationResult } from '../core/simulate/types';
import type { MoveReview } from '../core/simulate/review';
import { drainWhatIf } from '../core/simulate/whatif';
import { LineIndex } from '../core/text';
import type { Plan, Vm } from '../core/plan';
import type { ReadOptions } from '../core/read';
import type { SharingScanReader } from './runtime';

/** Plans up to this many VMs are simulated for hovers and code lenses without being asked. */
const INTERACTIVE_SIMULATION_MAX_VMS = 1000;
/** Clusters up to this many VMs and nodes get a drain what-if per node in their lenses and hovers. */
const DRAIN_WHATIF_MAX_VMS = 300;
const DRAIN_WHATIF_MAX_NODES = 16;

export class CachedPlan implements PlanDocument {
  readonly text: string;
  readonly analysis: Analysis;
  private lineIndex?: LineIndex;
  private simulated = false;
  private simulationResult?: SimulationResult;
  private simulationError?: string;
  private drainWhatIfs?: Map<string, MoveReview>;
  private advisorOfVersion?: Advisor;
  /** the headroom found so far by the background advice (hosts one by one, then the cluster) */
  headroom?: Headroom;

  private complete?: PlanDiagnostic[];
  /** the scenario's findings, once run */
  private scenario?: PlanDiagnostic[];
  /** the previous version's scenario findings and the plan they were pinned in */
  private carried?: { findings: readonly PlanDiagnostic[]; plan: Plan };

  /**
   * `analysis` holds the static findings (reader and rules); the scenario's come from `completeDiagnostics`.
   * `readsPending`: a file the plan names was not read yet (the runtime reads asynchronously), so this
   * analysis is not published; the plan is analysed again once the file is back.
   */
  constructor(readonly uri: string, readonly version: number, readonly editable: EditableAnalysis, private readonly options: AnalyzeOptions, previous?: CachedPlan, readonly readsPending = false) {
    this.text = editable.text;
    this.analysis = editable.analysis;
    const findings = previous?.scenario ?? previous?.carried?.findings;
    const plan = previous?.scenario ? previous.analysis.plan : previous?.carried?.plan;
    if (findings?.length && plan) this.carried = { findings, plan };
  }

  /**
   * The static findings, with the previous version's scenario findings moved to the same VMs' names:
   * what a large plan shows while its scenario runs again, so warnings do not blink at each keystroke.
   */
  provisionalDiagnostics(): PlanDiagnostic[] {
    if (!this.carried || !this.scenarioPending) return this.analysis.diagnostics;
    const before = this.carried.plan.vms;
    const now = this.analysis.plan.vms;
    // Without errors names are unique, and an edit seldom adds or removes a VM: the VM at the same
    // position is almost always the one with that name, so there is no need to map all names.
    let byName: Map<string, Vm> | undefined;
    const named = (name: string, position: number): Vm | undefined => {
      if (now[position]?.name === name) return now[position];
      if (!byName) {
        byName = new Map();
        for (const v of now) if (v.name && !byName.has(v.name)) byName.set(v.name, v);
      }
      return byName.get(name);
    };
    const out = [...this.analysis.diagnostics];
    for (const d of this.carried.findings) {
      const position = vmPinnedAt(before, d.span.start);
      const vm = position >= 0 && before[position].name ? named(before[position].name, position) : undefined;
      if (vm) out.push({ ...d, span: vm.spans.name?.value ?? vm.span });
    }
    sortDiagnostics(out);
    return out;
  }

  /** Whether the scenario may add findings: `hvmem check` runs it unless turned off or an error blocks it. */
  get scenarioPending(): boolean {
    return this.options.scenario !== false && simulationBlockers(this.analysis.diagnostics).length === 0;
  }

  /** Everything `hvmem check` reports for this text, the scenario's findings included. */
  completeDiagnostics(): PlanDiagnostic[] {
    if (!this.scenarioPending) return this.analysis.diagnostics;
    // As analyzePlan composes them for `hvmem check`: static findings, then the scenario's.
    if (!this.complete) {
      this.scenario = scenarioFindings(this.analysis.plan, this.analysis.diagnostics, this.options);
      this.carried = undefined;
      this.complete = [...this.analysis.diagnostics, ...this.scenario];
      sortDiagnostics(this.complete);
    }
    return this.complete;
  }

  /** Line starts of this version, computed when a feature first needs them. */
  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
  }

  /**
   * The scenario's outcome for hovers and code lenses, or undefined when the plan has errors or the
   * simulator fails. Hovers and lenses are asked for after every edit, so a large plan is only
   * simulated when asked for explicitly (`simulateNow`, the hvmem/simulate request).
   */
  get simulation(): SimulationResult | undefined {
    if (this.simulated || this.analysis.plan.vms.length <= INTERACTIVE_SIMULATION_MAX_VMS) this.runSimulation();
    return this.simulationResult;
  }

  /** What draining each node now would do: one short what-if per node, for small clusters, once per version. */
  get drains(): ReadonlyMap<string, MoveReview> | undefined {
    const plan = this.analysis.plan;
    if (!plan.cluster || plan.vms.length > DRAIN_WHATIF_MAX_VMS || plan.hosts.length > DRAIN_WHATIF_MAX_NODES || simulationBlockers(this.analysis.diagnostics).length) return undefined;
    if (!this.drainWhatIfs) {
      this.drainWhatIfs = new Map();
      for (const host of plan.hosts) {
        const d = drainWhatIf(plan, host.name);
        if (d) this.drainWhatIfs.set(host.name, d);
      }
    }
    return this.drainWhatIfs;
  }

  /**
   * The advice of this version (fixes, headroom), computed answer by answer as it is asked for; undefined
   * while an error blocks the simulation.
   */
  get advisor(): Advisor | undefined {
    if (simulationBlockers(this.analysis.diagnostics).length) return undefined;
    return (this.advisorOfVersion ??= new Advisor({ text: this.text, root: this.analysis.root, plan: this.analysis.plan }));
  }

  /** The advice's fixes for a finding: searched when first asked (or by the background advice), up to 1,000 VMs. */
  advisedFixes(d: PlanDiagnostic): readonly DetailedFix[] | undefined {
    if (this.analysis.plan.vms.length > INTERACTIVE_SIMULATION_MAX_VMS) return undefined;
    const advisor = this.advisor;
    const f = advisor?.findingOf(d);
    return f && advisor!.fixes(f);
  }

  simulateNow(): SimulationResult | undefined {
    this.runSimulation();
    return this.simulationResult;
  }

  /** Why there is no simulation: one line per reason. */
  simulationErrors(): string[] {
    this.runSimulation();
    if (this.simulationResult) return [];
    const errors = simulationBlockers(this.analysis.diagnostics).map((d) => {
      const p = this.lines.positionAt(d.span.start);
      return `line ${p.line + 1}, column ${p.character + 1}: ${d.message}`;
    });
    return errors.length ? errors : [this.simulationError ?? 'The plan cannot be simulated.'];
  }

  private runSimulation(): void {
    if (this.simulated) return;
    this.simulated = true;
    if (simulationBlockers(this.analysis.diagnostics).length) return;
    try {
      this.simulationResult = simulate(this.analysis.plan);
    } catch (e) {
      this.simulationError = `The simulation failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
}

/** The position of the VM a finding is pinned to (its name, else the whole VM) starting at `offset`, or -1. */
function vmPinnedAt(vms: readonly Vm[], offset: number): number {
  let lo = 0;
  let hi = vms.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const vm = vms[mid];
    if (vm.span.end <= offset) lo = mid + 1;
    else if (vm.span.start > offset) hi = mid - 1;
    else return (vm.spans.name?.value ?? vm.span).start === offset ? mid : -1;
  }
  return -1;
}

/** Which files beside a plan the server may read: none in an untrusted workspace. */
export interface ScanAccess {
  trusted: boolean;
  /** the workspace folders' URIs */
  workspaceFolders: readonly string[];
}

export class PlanCache {
  private readonly entries = new Map<string, CachedPlan>();
  /** analyses made before files changed: kept for what they carry over, never reused as they are */
  private readonly stale = new Set<string>();
  private options: AnalyzeOptions = {};
  private access: ScanAccess = { trusted: true, workspaceFolders: [] };

  /**
   * `readerFor` gives the scan result reader for a document and the workspace folders' URIs (the
   * runtime's), or undefined. It is not asked in an untrusted workspace.
   */
  constructor(private readonly readerFor: (uri: string, workspaceFolders: readonly string[]) => SharingScanReader | undefined = () => undefined) {}

  /** New settings make every cached analysis stale. */
  setOptions(options: AnalyzeOptions): void {
    this.options = options;
    this.entries.clear();
  }

  /** A change of trust or folders makes every cached analysis stale too: scans are read again, or no more. */
  setScanAccess(access: ScanAccess): void {
    this.access = access;
    this.entries.clear();
  }

  get scanAccess(): ScanAccess {
    return this.access;
  }

  /** Files the plans name may read differently now: each plan is read again in full when next asked. */
  filesChanged(): void {
    for (const uri of this.entries.keys()) this.stale.add(uri);
  }

  get(document: TextDocument): CachedPlan {
    const cached = this.entries.get(document.uri);
    const stale = this.stale.delete(document.uri);
    if (cached && cached.version === document.version && !stale) return cached;
    // The previous version's analysis lets an edit inside one VM re-read only that VM; after a change
    // of files (or with a read still pending) everything is read again, since hosts name the files.
    let pending = false;
    const reader = this.reader(document.uri);
    const readSharingScan: ReadOptions['readSharingScan'] = reader && ((path) => {
      const read = reader(path);
      if (!('pending' in read)) return read;
      pending = true;
      return NOT_BACK_YET;
    });
    const editable = analyzeEdited(stale || cached?.readsPending ? undefined : cached?.editable, document.getText(), { ...this.options, scenario: false, readSharingScan });
    const fresh = new CachedPlan(document.uri, document.version, editable, this.options, cached, pending);
    this.entries.set(document.uri, fresh);
    return fresh;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
    this.stale.delete(uri);
  }

  private reader(uri: string): SharingScanReader | undefined {
    return this.access.trusted ? this.readerFor(uri, this.access.workspaceFolders) : untrusted;
  }
}

/** Said to the core for a read still under way: such an analysis is never published (readsPending). */
const NOT_BACK_YET = { problem: 'it is being read' };
/** Why nothing beside a plan is read in restricted mode. */
export const UNTRUSTED_PROBLEM = 'files beside the plan are not read in an untrusted workspace (restricted mode); trust the workspace to use it';
const untrusted: SharingScanReader = () => ({ problem: UNTRUSTED_PROBLEM });
