import type { Rule } from './rule';
import { diagnostic } from './util';

/** Buffer 5..2000 percent and priority (memory weight) 0..100, as Set-VMMemory accepts them. */
export const ranges: Rule = {
  codes: ['buffer-range', 'priority-range'],
  checkVm(vm, { report }) {
    const buffer = vm.spans['memory.buffer'];
    if (buffer && !vm.invalid.has('memory.buffer') && (vm.bufferPercent < 5 || vm.bufferPercent > 2000)) {
      report(diagnostic('buffer-range', 'error', `Memory buffer ${vm.bufferPercent} % is outside the 5..2000 % Hyper-V accepts. Use ${vm.bufferPercent < 5 ? 5 : 2000}, or the default 20.`, buffer.value));
    }
    const priority = vm.spans['memory.priority'];
    if (priority && !vm.invalid.has('memory.priority') && (vm.priority < 0 || vm.priority > 100)) {
      report(diagnostic('priority-range', 'error', `Memory priority ${vm.priority} is outside 0..100 (PowerShell's -Priority; WMI's Weight is this × 100). Use a value from 0 to 100; the default is 50.`, priority.value));
    }
  },
};
