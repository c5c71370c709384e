// npm run bench: runs every bench/*.bench.ts (or those whose name contains an argument) in turn.
// Each prints its own measurements with ratios against a baseline measured in the same run.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cpus } from 'node:os';

const filters = process.argv.slice(2);
const dir = __dirname;
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (filters.length === 0 || filters.some((s) => f.includes(s)))).sort();

async function main() {
  console.log(`hvmem benchmarks on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; best of several runs, ratios against baselines of the same run`);
  for (const file of files) {
    console.log(`\n## ${file.replace('.bench.ts', '')}`);
    const mod = await import(pathToFileURL(join(dir, file)).href);
    await mod.run();
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
