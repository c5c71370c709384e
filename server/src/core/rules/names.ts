import type { Rule } from './rule';
import type { Host } from '../plan';
import { diagnostic } from './util';
import { eventReferences, EVENTS } from '../events';

/** Host and VM names are unique; every reference names something that exists. */
export const names: Rule = {
  codes: ['duplicate-name', 'unknown-reference'],
  /** A VM's host. */
  checkVm(vm, { hostsByName, report }) {
    const span = vm.spans.host?.value;
    if (span && !vm.invalid.has('host') && !hostsByName.has(vm.host)) report(diagnostic('unknown-reference', 'error', unknownHost(vm.host, hostsByName), span));
    for (const key of ['possibleOwners', 'preferredOwners'] as const) {
      (key === 'possibleOwners' ? vm.possibleOwners ?? [] : vm.preferredOwners).forEach((name, i) => {
        const at = vm.spans[`${key}[${i}]`]?.value;
        if (at && !hostsByName.has(name)) report(diagnostic('unknown-reference', 'error', unknownHost(name, hostsByName), at));
      });
    }
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
      for (const ref of eventReferences(ev)) {
        if (!ref.span) continue;
        if (ref.kind === 'host' && !hostsByName.has(ref.name)) report(diagnostic('unknown-reference', 'error', unknownHost(ref.name, hostsByName), ref.span));
        if (ref.kind === 'vm' && !vmsByName.has(ref.name)) report(diagnostic('unknown-reference', 'error', `There is no VM named "${ref.name}"${sameButCase(ref.name, vmsByName) || '.'}`, ref.span));
      }
      if (EVENTS[ev.type].clusterOnly && !plan.cluster && ev.spans.type) {
        report(diagnostic('scenario-event', 'error', `A ${ev.type} needs a failover cluster: add "cluster": { "name": … } to the plan${ev.type === 'nodeFailure' ? ', or use hostRestart' : ''}.`, ev.spans.type.value));
      }
    }
  },
};

function unknownHost(name: string, hostsByName: ReadonlyMap<string, Host>): string {
  const hostNames = [...hostsByName.keys()];
  const near = sameButCase(name, hostsByName);
  if (near) return `There is no host named "${name}"${near} Windows ignores case in host names; a plan matches them exactly.`;
  return `There is no host named "${name}". ${hostNames.length ? `Hosts: ${hostNames.slice(0, 8).join(', ')}${hostNames.length > 8 ? ', …' : ''}.` : 'Add it to "hosts".'}`;
}

/** `: did you mean "H1"?` when a name differs from one that exists only in case (the quick fix takes it). */
function sameButCase(name: string, byName: ReadonlyMap<string, unknown>): string {
  const lower = name.toLowerCase();
  for (const other of byName.keys()) if (other.toLowerCase() === lower) return `: did you mean ${JSON.stringify(other)}?`;
  return '';
}
