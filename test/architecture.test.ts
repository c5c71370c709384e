// The core is pure: it imports only other core files and the few pure libraries listed here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const CORE = join(ROOT, 'server', 'src', 'core');
/** Libraries the core may use: they parse text and do no I/O. */
const PURE_LIBRARIES = ['jsonc-parser', '@rgrove/parse-xml'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

test('the core imports nothing from the editor, the protocol or Node', () => {
  const offences: string[] = [];
  for (const file of files(CORE)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith('.')) {
        const target = join(file, '..', spec);
        if (!target.startsWith(CORE)) offences.push(`${relative(ROOT, file)} imports ${spec} (outside the core)`);
      } else if (!PURE_LIBRARIES.includes(spec)) {
        offences.push(`${relative(ROOT, file)} imports ${spec}`);
      }
    }
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    for (const name of ['process.', 'setTimeout(', 'setInterval(', 'Buffer.', '__dirname', 'require(']) {
      if (code.includes(name)) offences.push(`${relative(ROOT, file)} uses ${name}`);
    }
  }
  assert.deepEqual(offences, []);
});
