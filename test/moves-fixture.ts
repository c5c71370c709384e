// Cluster plans for `hvmem export --to moves`, and what `hvmem advise` says of them: the moves a
// script is checked against come from the advice, never written down here.
import type { Placement } from '../server/src/core/advise/placement';
import type { Plan } from '../server/src/core/plan';
import { runCli } from './support/baseline';
import type { StandInState } from './support/pwsh';

interface PlanVm { name: string; host: string; memory: { startup: string }; state?: string }
interface PlanObject { cluster: { name: string }; hosts: { name: string; memory: string }[]; vms: PlanVm[] }

const vm = (name: string, host: string, startup: string): PlanVm => ({ name, host, memory: { startup } });

/**
 * Four nodes of 64 GB, HV1 loaded with 56 GB: losing it leaves VMs unable to run. Names that must be
 * quoted (a quote in a node's name, wildcards in VMs').
 */
export const MOVES_OBJECT: PlanObject = {
  cluster: { name: 'CL-MOVES' },
  hosts: ['HV1', "HV'2", 'HV3', 'HV4'].map((name) => ({ name, memory: '64GB' })),
  vms: [
    vm("web's [1]", 'HV1', '8GB'), vm('APP1', 'HV1', '16GB'), vm('APP2', 'HV1', '8GB'), vm('SQL1', 'HV1', '16GB'), vm('APP3', 'HV1', '8GB'),
    vm('WEB2', "HV'2", '8GB'), vm('SQL2', "HV'2", '16GB'), vm('db*', "HV'2", '12GB'), vm('DC1', "HV'2", '4GB'), vm('APP4', "HV'2", '12GB'),
    vm('SQL3', 'HV3', '16GB'), vm('WEB3', 'HV3', '8GB'), vm('WEB4', 'HV3', '8GB'), vm('APP5', 'HV3', '9GB'),
    vm('DC2', 'HV4', '4GB'), vm('APP6', 'HV4', '12GB'), vm('APP7', 'HV4', '11GB'),
  ],
};
export const MOVES_PLAN = JSON.stringify(MOVES_OBJECT, null, 2);

/** Two nodes, each with a VM the other has no room for: no move helps. */
export const NO_MOVE_PLAN = JSON.stringify({
  cluster: { name: 'CL-FULL' },
  hosts: [{ name: 'N1', memory: '64GB' }, { name: 'N2', memory: '64GB' }],
  vms: [vm('BIG1', 'N1', '40GB'), vm('BIG2', 'N2', '40GB')],
});

/** Three nodes too full for any placement to survive a node's loss, where moves still strand less. */
export const PARTIAL_PLAN = JSON.stringify({
  cluster: { name: 'CL-PART' },
  hosts: ['HV1', 'HV2', 'HV3'].map((name) => ({ name, memory: '64GB' })),
  vms: [
    vm('V1', 'HV1', '4GB'), vm('V2', 'HV1', '16GB'), vm('V3', 'HV1', '4GB'), vm('V4', 'HV1', '12GB'), vm('V5', 'HV1', '12GB'), vm('V6', 'HV1', '8GB'),
    vm('V7', 'HV2', '12GB'), vm('V8', 'HV2', '4GB'), vm('V9', 'HV2', '8GB'), vm('V10', 'HV2', '8GB'), vm('V11', 'HV2', '4GB'),
    vm('V12', 'HV3', '8GB'), vm('V13', 'HV3', '12GB'), vm('V14', 'HV3', '8GB'), vm('V15', 'HV3', '7GB'),
  ],
});

/** `hvmem advise`'s placement for a plan file. */
export function placementOf(file: string): Placement {
  const r = runCli(['advise', file, '--format', 'json']);
  if (r.status !== 0) throw new Error(`advise ${file} exited ${r.status}: ${r.stderr}`);
  const placement = JSON.parse(r.stdout).placement as Placement | undefined;
  if (!placement) throw new Error(`advise ${file}: no placement (not a cluster of two nodes or more?)`);
  return placement;
}

/** The cluster as the plan has it: each VM clustered, on its plan host, running unless the plan says not. */
export function clusterState(plan: Plan): StandInState {
  return {
    ComputerName: plan.hosts[0].name,
    Cluster: { Name: plan.cluster?.name || 'CL' },
    Hosts: plan.hosts.map((h) => ({ Name: h.name, MemoryCapacity: h.memoryBytes })),
    Vms: plan.vms.map((v) => ({ Name: v.name, ComputerName: v.host, State: v.state, Startup: v.startupBytes, Cluster: {} })),
  };
}
