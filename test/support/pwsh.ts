// PowerShell for the tests that run the scripts hvmem generates and ships (`npm run setup:pwsh`
// installs it into .tools/pwsh/). Without it those tests skip and say why; under CI they fail instead,
// because CI installs it and must never skip them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname ?? __dirname, '..', '..');
export const PWSH = process.env.HVMEM_PWSH ?? join(ROOT, '.tools', 'pwsh', process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
export const STAND_INS = join(ROOT, 'test', 'powershell');

/** The `skip` option of a test that needs pwsh: a reason when it is missing, never under CI. */
export const needsPwsh: { skip: string | false } = {
  skip: existsSync(PWSH) || process.env.CI ? false : `pwsh is not installed (npm run setup:pwsh installs it into .tools/pwsh)`,
};

export interface PwshRun { status: number | null; stdout: string; stderr: string }

/** Runs pwsh; with `input` it is interactive, answering prompts from that text. */
export function pwsh(args: string[], options: { cwd?: string; input?: string } = {}): PwshRun {
  if (!existsSync(PWSH)) throw new Error(`pwsh is not installed at ${PWSH}: run npm run setup:pwsh (CI must run the PowerShell tests)`);
  const r = spawnSync(PWSH, ['-NoLogo', '-NoProfile', ...(options.input === undefined ? ['-NonInteractive'] : []), ...args], {
    encoding: 'utf8', cwd: options.cwd, input: options.input, timeout: 120_000,
    env: { ...process.env, POWERSHELL_TELEMETRY_OPTOUT: '1', POWERSHELL_UPDATECHECK: 'Off', NO_COLOR: '1', TERM: 'dumb' },
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A VM in the stand-ins' state (Hyper-V's own property names; sizes in bytes). */
export interface StandInVm {
  Name: string;
  ComputerName?: string;
  Id?: string;
  Generation?: number;
  State?: string;
  DynamicMemoryEnabled?: boolean;
  Startup?: number;
  Minimum?: number;
  Maximum?: number;
  Buffer?: number;
  Priority?: number;
  Assigned?: number;
  Demand?: number;
  AutomaticStartAction?: string;
  AutomaticStartDelay?: number;
  AutomaticStopAction?: string;
  SmartPagingFilePath?: string;
  RuntimeMemoryResize?: boolean;
  /** [physical memory MB, pressure %] per Get-Counter sample */
  Samples?: [number, number][] | null;
  /** the VM's cluster role, when it is clustered (named after the VM unless RoleName says otherwise) */
  Cluster?: { RoleName?: string; Priority?: number; PreferredOwners?: string[]; PossibleOwners?: string[]; AntiAffinityClassNames?: string[] } | null;
}

export interface StandInHost {
  Name: string;
  MemoryCapacity: number;
  LogicalProcessorCount?: number;
  NumaSpanningEnabled?: boolean;
  NumaNodes?: number;
  MemoryReserveMB?: number | null;
  SystemDrive?: string;
  Volumes?: { Name: string; FreeSpace: number; DriveType?: number }[];
  /** cluster node state: Up, Down, Paused */
  NodeState?: string;
}

export interface StandInState {
  ComputerName: string;
  /** "ps51": emulate Windows PowerShell 5.1 where it differs (test/powershell/README.md) */
  Mode?: 'ps7' | 'ps51';
  Hosts: StandInHost[];
  Vms: StandInVm[];
  Cluster?: { Name: string; RootMemoryReserved?: number; ClusterEnforcedAntiAffinity?: number; MoveTypeThreshold?: number } | null;
}

export interface StandInCall { Command: string; Parameters: Record<string, unknown>; Outcome: string }

export interface StandInResult extends PwshRun {
  state: StandInState & { Vms: Required<StandInVm>[] };
  calls: StandInCall[];
  exitCode: number;
  threw: string | null;
  errors: string[];
  warnings: string[];
  information: string[];
  output: string[];
  parseErrors: string[];
  incompatible: string[];
}

/** Runs a script file against the stand-ins from `state`; `parameters` are the script's (true = a switch). */
export function runWithStandIns(state: StandInState, script: string, parameters: Record<string, unknown> = {}, input?: string): StandInResult {
  const dir = mkdtempSync(join(tmpdir(), 'hvmem-pwsh-'));
  try {
    const statePath = join(dir, 'state.json');
    const resultPath = join(dir, 'result.json');
    writeFileSync(statePath, JSON.stringify(state));
    const run = pwsh(['-File', join(STAND_INS, 'Invoke-WithStandIns.ps1'), '-State', statePath, '-Script', script,
      '-Parameters', JSON.stringify(parameters), '-Result', resultPath], { cwd: dir, input });
    if (!existsSync(resultPath)) throw new Error(`the stand-in driver wrote no result (exit ${run.status}):\n${run.stderr}\n${run.stdout}`);
    const r = JSON.parse(readFileSync(resultPath, 'utf8').replace(/^\uFEFF/, ''));
    return {
      ...run, state: r.State, calls: r.Calls ?? [], exitCode: r.ExitCode, threw: r.Threw, errors: r.Errors ?? [], warnings: r.Warnings ?? [],
      information: r.Information ?? [], output: r.Output ?? [], parseErrors: r.ParseErrors ?? [], incompatible: r.Incompatible ?? [],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A state VM with the defaults the stand-ins fill in (New-VM's: static, 512 MB, generation 1…). */
export function withDefaults(vm: StandInVm): Required<StandInVm> {
  return {
    Id: '', ComputerName: '', Generation: 1, State: 'Off', DynamicMemoryEnabled: false, Startup: 512 * 1024 ** 2, Minimum: 512 * 1024 ** 2, Maximum: 1024 ** 4,
    Buffer: 20, Priority: 50, Assigned: 0, Demand: 0, AutomaticStartAction: 'StartIfRunning', AutomaticStartDelay: 0, AutomaticStopAction: 'Save',
    SmartPagingFilePath: 'C:\\ProgramData\\Microsoft\\Windows\\Hyper-V', RuntimeMemoryResize: false, Samples: null, Cluster: null, ...vm,
  };
}
