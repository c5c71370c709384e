import type { Rule } from './rule';
import { disks } from './disks';
import { dynamicOnly } from './dynamicOnly';
import { hostFit } from './hostFit';
import { memoryAlignment } from './memoryAlignment';
import { memoryFloor } from './memoryFloor';
import { memoryOrder } from './memoryOrder';
import { memoryVmLimit } from './memoryVmLimit';
import { names } from './names';
import { owners } from './owners';
import { ranges } from './ranges';

/** Every static rule, in no particular order: diagnostics are sorted by position afterwards. */
export const RULES: readonly Rule[] = [
  names, memoryAlignment, memoryFloor, memoryVmLimit, memoryOrder, ranges, dynamicOnly, hostFit, disks, owners,
];
