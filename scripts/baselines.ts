// Rewrites samples/baselines/<sample>.txt from the current build. Review the diff before committing.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderBaseline, ROOT } from '../test/support/baseline';

const samples = join(ROOT, 'samples');
mkdirSync(join(samples, 'baselines'), { recursive: true });
for (const name of readdirSync(samples).filter((f) => f.endsWith('.hvmem.jsonc')).sort()) {
  const out = join(samples, 'baselines', name.replace('.hvmem.jsonc', '.txt'));
  writeFileSync(out, renderBaseline(join('samples', name)));
  console.log(`wrote ${out}`);
}
