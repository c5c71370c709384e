// `hvmem simulate --html <file>`: one self-contained page with the editor panel's timeline view. The
// page runs the same bundle (dist/timeline.js, inlined) over the result embedded as JSON data, so a
// VM name is only ever data, never markup: the JSON sits in a non-executed script element with every
// '<' escaped, and the page itself puts names in with textContent.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SimulationResult } from '../core/simulate/types';
import { shellHtml } from '../../../client/webview/shell';
import { RESULT_ELEMENT_ID } from '../../../client/webview/protocol';
import { UsageError } from './io';

export interface PageOptions {
  title: string;
  /** the browser bundle's text (dist/timeline.js) */
  script: string;
  /** fixed only in tests; a fresh random one otherwise */
  nonce?: string;
}

export function timelinePage(result: SimulationResult, options: PageOptions): string {
  const nonce = options.nonce ?? randomBytes(16).toString('base64');
  const data = JSON.stringify(result).replace(/</g, '\\u003c');
  // Only '</script' or '<!--' could end or confuse the inline script early; both can occur only in
  // strings, regular expressions or comments, where '<\/' and '<\!' mean the same.
  const script = options.script.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--').replace(/\/\/# sourceMappingURL=.*$/m, '');
  return shellHtml({
    nonce,
    title: options.title,
    imgSrc: 'data: blob:',
    body: `<script type="application/json" id="${RESULT_ELEMENT_ID}">${data}</script>\n<script nonce="${nonce}">${script}</script>`,
  });
}

/** The timeline bundle beside the CLI bundle in dist/, or in dist/ of the source tree when run from source. */
export function readTimelineScript(): string {
  const candidates = [join(__dirname, 'timeline.js'), join(__dirname, '..', '..', '..', 'dist', 'timeline.js')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new UsageError(`the timeline page script is missing (looked for ${candidates.join(', ')}): run 'npm run build'`);
  return readFileSync(found, 'utf8');
}

export function writeTimelineHtml(file: string, result: SimulationResult, title: string): void {
  const page = timelinePage(result, { title, script: readTimelineScript() });
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, page);
  } catch (e) {
    throw new UsageError(`${file}: cannot write the page (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
