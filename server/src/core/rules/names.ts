import type { Rule } from './rule';
import type { Host } from '../plan';
import { diagnostic } from './util';

/** Host and VM names are unique; every reference names something that exists. */
export const names: Rule = {
  codes: ['duplicate-name', 'unknown-reference'],
  /** A VM's host. */
  checkVm(vm, { hostsByName, report }) {
    const span = vm.spans.host?.value;
    if (span && !vm.invalid.has('host') && !hostsByName.has(vm.host)) report(diagnostic('unknown-reference', 'error', unknownHost(vm.host, hostsByName), span));
  },
  /** Duplicates, and the hosts and VMs that events name. */
  check({ plan, hostsByName, vmsByName, report }) {
    for (const [kind, items, byName] of [['host', plan.hosts, hostsByName], ['VM', plan.vms, vmsByName]] as const) {
      for (const item of items) {
        const first = byName.get(item.name);
        const span = item.spans.name?.value;
        if (!first || first === item || !span) continue;
        report(diagnostic('duplicate-name', 'error', `Another ${kind} is already named "${item.name}". Rename one: names must be unique.`, span,
          first.spans.name ? [{ span: first.spans.name.value, message: `first ${kind} named "${item.name}"` }] : undefined));
      }
    }
    for (const ev of plan.scenario.events) {
      if (ev.host !== undefined && ev.spans.host && !hostsByName.has(ev.host)) report(diagnostic('unknown-reference', 'error', unknownHost(ev.host, hostsByName), ev.spans.host.value));
      if (ev.vm !== undefined && ev.spans.vm && !vmsByName.has(ev.vm)) report(diagnostic('unknown-reference', 'error', `There is no VM named "${ev.vm}".`, ev.spans.vm.value));
      if (ev.type === 'nodeFailure' && !plan.cluster && ev.spans.type) {
        report(diagnostic('scenario-event', 'error', 'A nodeFailure needs a failover cluster: add "cluster": { "name": … } to the plan, or use hostRestart.', ev.spans.type.value));
      }
    }
  },
};

function unknownHost(name: string, hostsByName: ReadonlyMap<string, Host>): string {
  const hostNames = [...hostsByName.keys()];
  return `There is no host named "${name}". ${hostNames.length ? `Hosts: ${hostNames.slice(0, 8).join(', ')}${hostNames.length > 8 ? ', …' : ''}.` : 'Add it to "hosts".'}`;
}
