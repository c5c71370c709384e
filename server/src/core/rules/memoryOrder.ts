import type { Rule } from './rule';
import { diagnostic, mb } from './util';

/** With Dynamic Memory, Hyper-V requires minimum ≤ startup ≤ maximum. */
export const memoryOrder: Rule = {
  codes: ['memory-order'],
  checkVm(vm, { report }) {
    if (!vm.dynamic || vm.invalid.has('memory.startup')) return;
    const s = vm.spans;
    const startup = s['memory.startup']!.value;
    if (!vm.invalid.has('memory.minimum') && vm.minimumBytes > vm.startupBytes) {
      const written = s['memory.minimum'];
      const what = written ? `Minimum memory ${mb(vm.minimumBytes)}` : `The default minimum memory (${mb(vm.minimumBytes)})`;
      report(diagnostic('memory-order', 'error',
        `${what} is above startup memory ${mb(vm.startupBytes)}; Dynamic Memory needs minimum ≤ startup ≤ maximum. ${written ? `Lower the minimum to at most ${mb(vm.startupBytes)}, or raise the startup.` : `Write a "minimum" of at most ${mb(vm.startupBytes)}.`}`,
        written?.value ?? startup, written ? [{ span: startup, message: `startup memory: ${mb(vm.startupBytes)}` }] : undefined));
    }
    if (!vm.invalid.has('memory.maximum') && vm.maximumBytes < vm.startupBytes) {
      const written = s['memory.maximum'];
      report(diagnostic('memory-order', 'error',
        `Maximum memory ${mb(vm.maximumBytes)} is below startup memory ${mb(vm.startupBytes)}; Dynamic Memory needs minimum ≤ startup ≤ maximum. Raise the maximum to at least ${mb(vm.startupBytes)}, or lower the startup.`,
        written?.value ?? startup, [{ span: startup, message: `startup memory: ${mb(vm.startupBytes)}` }]));
    }
  },
};
