import type { Rule } from './rule';
import { MB } from '../units';
import { appliedMemoryValues, diagnostic } from './util';

/** Hyper-V's VMMS refuses memory that is not a whole, even number of MB ("not properly aligned"). */
export const memoryAlignment: Rule = {
  codes: ['memory-alignment'],
  checkVm(vm, { report }) {
    for (const v of appliedMemoryValues(vm)) {
      // Under 32 MB the floor rule speaks; alignment advice on a unit mistake would only add noise.
      if (v.bytes % (2 * MB) === 0 || v.bytes < 32 * MB) continue;
      const down = Math.floor(v.bytes / (2 * MB)) * 2;
      const up = down + 2;
      const exact = v.bytes / MB;
      const shown = Number.isInteger(exact) ? `${exact} MB` : `${exact.toFixed(3)} MB (${v.bytes} bytes)`;
      report(diagnostic('memory-alignment', 'error',
        `${v.label} ${shown} is not a whole, even number of MB; Hyper-V rejects it as not properly aligned. Use ${down > 0 ? `${down} MB or ` : ''}${up} MB.`, v.span));
    }
  },
};
