// Property tests with fast-check, bounded and seeded so `npm test` is the same on every run.
// `npm run fuzz` (scripts/fuzz.mjs) runs the same properties longer with fresh seeds:
//   HVMEM_FUZZ_SCALE     runs per property, as a multiple of the npm test count (default 1)
//   HVMEM_FUZZ_SEED      the seed (default: fixed per property; `npm run fuzz` picks one)
//   HVMEM_FUZZ_PATH      with the seed, replays one failing case and its shrinking
//   HVMEM_FUZZ_PROPERTY  only the property of that name
// A failure prints its seed, path and the command that replays it.
import fc from 'fast-check';
import { test } from 'node:test';

const SCALE = Number(process.env.HVMEM_FUZZ_SCALE ?? 1);
const ONLY = process.env.HVMEM_FUZZ_PROPERTY;

/** A stable seed per property name, so npm test always checks the same cases. */
function seedOf(name: string): number {
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h | 0;
}

export interface FuzzOptions {
  /** cases in `npm test` */
  runs: number;
  /** the test file, for the replay command */
  file: string;
  timeout?: number;
}

/** A node:test test checking `property` on `runs` cases (scaled by HVMEM_FUZZ_SCALE). */
export function fuzz<Ts extends [unknown, ...unknown[]]>(name: string, options: FuzzOptions, arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> }, predicate: (...args: Ts) => void | Promise<void>): void {
  const skip = ONLY !== undefined && ONLY !== name ? `HVMEM_FUZZ_PROPERTY is ${JSON.stringify(ONLY)}` : false;
  test(name, { skip, timeout: options.timeout ?? 10 * 60_000 * Math.max(1, SCALE) }, async () => {
    const seed = process.env.HVMEM_FUZZ_SEED !== undefined ? Number(process.env.HVMEM_FUZZ_SEED) : seedOf(name);
    const path = process.env.HVMEM_FUZZ_PATH;
    const property = fc.asyncProperty(...arbitraries, async (...args: Ts) => { await predicate(...args); });
    const details = await fc.check(property, { seed, numRuns: Math.max(1, Math.round(options.runs * SCALE)), ...(path ? { path, endOnFailure: true } : {}) });
    if (!details.failed) return;
    const replay = `HVMEM_FUZZ_SEED=${details.seed} HVMEM_FUZZ_PATH=${details.counterexamplePath} HVMEM_FUZZ_PROPERTY=${JSON.stringify(name)} node scripts/run-tests.mjs ${options.file}`;
    const example = JSON.stringify(details.counterexample, null, 1)?.slice(0, 4000);
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`property failed after ${details.numRuns} case(s), seed ${details.seed}, path ${details.counterexamplePath}\nreplay: ${replay}\ncounterexample: ${example}\n${error}`);
  });
}
