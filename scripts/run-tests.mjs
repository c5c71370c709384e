// Runs every *.test.ts under test/ with Node's built-in test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [substring…]   only files whose path contains one of the substrings.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const filters = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) { if (entry.name !== 'fixtures' && entry.name !== 'e2e') walk(path); }
    else if (entry.name.endsWith('.test.ts')) files.push(relative(process.cwd(), path));
  }
})('test');
const chosen = files.filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))).sort();
if (chosen.length === 0) { console.error('no test files match'); process.exit(2); }
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...chosen], { stdio: 'inherit' });
process.exit(result.status ?? 1);
