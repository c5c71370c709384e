import type { Rule } from './rule';

/** Every static rule, in no particular order: diagnostics are sorted by position afterwards. */
export const RULES: readonly Rule[] = [];
