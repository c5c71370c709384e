import type { Rule } from './rule';
import { hostCapacityBytes, numaNodeBytes, vmOverheadBytes } from '../capacity';
import { diagnostic, mb } from './util';

/** A VM whose startup memory (plus overhead) cannot fit its host can never start; with NUMA spanning off it must fit one node. */
export const hostFit: Rule = {
  codes: ['startup-exceeds-host', 'numa-fit'],
  checkVm(vm, { hostsByName, report }) {
    const host = hostsByName.get(vm.host);
    const span = vm.spans['memory.startup']?.value;
    if (!host || !span || vm.invalid.has('memory.startup') || host.invalid.has('memory') || !host.spans.memory) return;
    const overhead = vmOverheadBytes(host, vm.startupBytes);
    const capacity = hostCapacityBytes(host);
    const related = () => [{ span: host.spans.memory!.value, message: `host "${host.name}": ${mb(host.memoryBytes)} installed, ${mb(host.reserveBytes)} reserved` }];
    if (vm.startupBytes + overhead > capacity) {
      report(diagnostic('startup-exceeds-host', 'error',
        `Startup memory ${mb(vm.startupBytes)}${overhead ? ` plus ${mb(overhead)} overhead` : ''} exceeds host "${host.name}"'s capacity for VMs (${mb(capacity)} = ${mb(host.memoryBytes)} − ${mb(host.reserveBytes)} reserve): this VM can never start there. Lower the startup memory to at most ${mb(Math.max(0, capacity - overhead))}, or place it on a larger host.`,
        span, related()));
    } else if (!host.numaSpanning) {
      const node = numaNodeBytes(host);
      if (vm.startupBytes > node) {
        report(diagnostic('numa-fit', 'error',
          `NUMA spanning is off on host "${host.name}", so the VM must fit one NUMA node (${mb(node)} = ${mb(host.memoryBytes)} / ${host.numaNodes}); startup memory ${mb(vm.startupBytes)} does not. Lower it to at most ${mb(node)}, or turn NUMA spanning on.`,
          span, host.spans.numaSpanning ? [{ span: host.spans.numaSpanning.value, message: 'NUMA spanning is off here' }] : related()));
      }
    }
  },
};
