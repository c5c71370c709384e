import type { Rule } from './rule';
import { diagnostic } from './util';

/** Minimum, maximum and buffer only apply with Dynamic Memory; Set-VMMemory refuses them on a static VM. */
export const dynamicOnly: Rule = {
  codes: ['dynamic-only'],
  checkVm(vm, { report }) {
    if (vm.dynamic || vm.invalid.has('memory.dynamic')) return;
    for (const key of ['minimum', 'maximum', 'buffer']) {
      const spans = vm.spans[`memory.${key}`];
      if (!spans) continue;
      report(diagnostic('dynamic-only', 'warning', `"${key}" only applies with Dynamic Memory, which is off for this VM: Hyper-V ignores it (and Set-VMMemory refuses it). Set "dynamic": true, or remove "${key}".`, spans.key));
    }
  },
};
