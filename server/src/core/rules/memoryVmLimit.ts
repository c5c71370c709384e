import type { Rule } from './rule';
import { vmMemoryLimitBytes } from '../capacity';
import { appliedMemoryValues, diagnostic, mb } from './util';

/** Per-VM memory limit: 1 TB for generation 1, 12 TB for generation 2 (Windows Server 2016 and later). */
export const memoryVmLimit: Rule = {
  codes: ['memory-vm-limit'],
  checkVm(vm, { report }) {
    const limit = vmMemoryLimitBytes(vm.generation);
    for (const v of appliedMemoryValues(vm)) {
      if (v.bytes <= limit) continue;
      const hint = vm.generation === 1 ? ' Lower it, or use a generation 2 VM (12 TB).' : ' Lower it.';
      report(diagnostic('memory-vm-limit', 'error', `${v.label} ${mb(v.bytes)} is over the ${mb(limit)} a generation ${vm.generation} VM can have.${hint}`, v.span));
    }
  },
};
