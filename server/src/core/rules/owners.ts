import type { Rule } from './rule';
import type { Vm } from '../plan';
import { diagnostic } from './util';

/**
 * Cluster placement written into the plan: a VM placed on a node that is not one of its possible owners
 * (the cluster would never run it there), and two VMs of one anti-affinity class on one node.
 */
export const owners: Rule = {
  codes: ['possible-owner', 'anti-affinity'],
  checkVm(vm, { report }) {
    if (!vm.possibleOwners || !vm.host || vm.invalid.has('host') || vm.possibleOwners.includes(vm.host)) return;
    const span = vm.spans.host?.value ?? vm.spans.name?.value ?? vm.span;
    report(diagnostic('possible-owner', 'error',
      `${vm.name || 'This VM'} is placed on ${vm.host}, which is not one of its possible owners (${vm.possibleOwners.join(', ') || 'none'}): the cluster would never run it there. Place it on a possible owner, or add ${vm.host} to "possibleOwners".`,
      span, vm.spans.possibleOwners ? [{ span: vm.spans.possibleOwners.value, message: 'possible owners' }] : undefined));
  },
  check({ plan, report }) {
    if (!plan.cluster) return;
    const first = new Map<string, Vm>();
    for (const vm of plan.vms) {
      if (!vm.host) continue;
      for (const cls of vm.antiAffinityClasses) {
        const key = `${vm.host}\u0000${cls}`;
        const other = first.get(key);
        if (!other) { first.set(key, vm); continue; }
        const rule = plan.cluster.enforcedAntiAffinity;
        report(diagnostic('anti-affinity', 'warning',
          `${vm.name} and ${other.name} share the anti-affinity class "${cls}" and are both placed on ${vm.host}: ${rule ? 'with enforcedAntiAffinity the cluster never places them together, so one of them cannot come back here after a move' : 'the cluster avoids this when it places VMs, and a loss of this node takes both down'}. Place one of them on another node.`,
          vm.spans.antiAffinityClass?.value ?? vm.spans.host?.value ?? vm.span,
          [{ span: other.spans.name?.value ?? other.span, message: `${other.name}, class "${cls}", also on ${vm.host}` }]));
      }
    }
  },
};
