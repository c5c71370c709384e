// The plan's outcome in a few words, for the status bar: what a first look at the timeline would say.
import type { SimulateResponse } from '../../../server/src/protocol';

export interface Outcome {
  text: string;
  tooltip: string;
  /** 'error': a VM failed to start or the plan cannot be simulated; 'warning': Smart Paging or a VM short of demand */
  level: 'ok' | 'warning' | 'error';
}

export function outcomeOf(response: SimulateResponse | null): Outcome {
  if (!response) return { text: '$(circle-slash) Not simulated', tooltip: 'The language server gave no simulation', level: 'error' };
  if (!response.ok) {
    const n = response.errors.length;
    return { text: `$(circle-slash) Cannot simulate: ${n} ${n === 1 ? 'error' : 'errors'}`, tooltip: response.errors.slice(0, 5).join('\n'), level: 'error' };
  }
  const vms = Object.values(response.result.vms);
  const failed = vms.filter((v) => v.startFailures > 0).length;
  const paging = vms.filter((v) => v.smartPagingPeakBytes > 0).length;
  const short = vms.filter((v) => v.running && v.demandBytes > v.assignedBytes + v.smartPagingBytes).length;
  const nodes = Object.values(response.result.hosts).filter((h) => h.failed).length;
  const parts = [
    failed ? `${failed} failed to start` : '',
    paging ? `${paging} on Smart Paging` : '',
    short ? `${short} short of demand` : '',
  ].filter(Boolean);
  const lost = nodes ? `, ${nodes} ${nodes === 1 ? 'node' : 'nodes'} lost` : '';
  const tooltip = `Simulated the plan's scenario: ${vms.length} VMs${lost}. Click for the timeline.`;
  if (!parts.length) return { text: `$(pass) All VMs start${lost ? ` (${lost.slice(2)})` : ''}`, tooltip, level: 'ok' };
  return { text: `$(${failed ? 'error' : 'warning'}) ${parts.join(', ')}`, tooltip, level: failed ? 'error' : 'warning' };
}
