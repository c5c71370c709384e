// npm run fuzz [scale]: the property tests (test/fuzz-*.test.ts) with `scale` times the cases of
// npm test (default 25) and a fresh seed, printed first. A failure prints the seed and path that
// replay it (test/support/fuzz.ts); HVMEM_FUZZ_SEED set beforehand reruns a whole earlier run.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const scale = process.argv[2] ?? process.env.HVMEM_FUZZ_SCALE ?? '25';
const seed = process.env.HVMEM_FUZZ_SEED ?? String((Math.random() * 2 ** 31) | 0);
const files = readdirSync('test').filter((f) => /^fuzz-.*\.test\.ts$/.test(f)).sort().map((f) => `test/${f}`);
console.log(`fuzz: ${files.length} files, ${scale}x the npm test cases, HVMEM_FUZZ_SEED=${seed}`);
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
  env: { ...process.env, HVMEM_FUZZ_SCALE: scale, HVMEM_FUZZ_SEED: seed },
});
process.exit(result.status ?? 1);
