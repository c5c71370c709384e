import type { Rule } from './rule';
import { MB } from '../units';
import { appliedMemoryValues, diagnostic, mb } from './util';

const FLOOR = 32 * MB;

/** Hyper-V's smallest memory setting is 32 MB. */
export const memoryFloor: Rule = {
  codes: ['memory-floor'],
  checkVm(vm, { report }) {
    for (const v of appliedMemoryValues(vm)) {
      if (v.bytes >= FLOOR) continue;
      report(diagnostic('memory-floor', 'error', `${v.label} ${mb(v.bytes)} is under Hyper-V's floor of 32 MB. Use at least "32MB".`, v.span));
    }
  },
};
