// The timeline for the largest supported cluster (64 hosts, 8,000 VMs) over one hour: bytes posted to
// the panel and the time from simulation result to the chart's first paint in headless Chromium.
// Goal: under 300 ms and under 5 MB. Baseline in the same run: posting the raw result instead.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TimelineModel, defaultHost } from '../client/webview/model';
import type { ToWebview } from '../client/webview/protocol';
import { shellHtml } from '../client/webview/shell';
import { readPlan } from '../server/src/core/read';
import { simulate } from '../server/src/core/simulate';
import type { SimulationResult } from '../server/src/core/simulate/types';
import { syntheticResult } from '../test/timeline-fixture';
import { row, timeBest } from './util';

const HOSTS = 64;
const VMS_PER_HOST = 125;
const SECONDS = 3600;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const MiB = 1024 * 1024;

function clusterPlan(): string {
  const hosts = Array.from({ length: HOSTS }, (_, h) => ({ name: `HV${h + 1}`, memory: '768GB' }));
  const vms = hosts.flatMap((host, h) => Array.from({ length: VMS_PER_HOST }, (_, i) => ({
    name: `VM-${h + 1}-${i + 1}`, host: host.name,
    memory: { dynamic: true, startup: '8GB', minimum: '2GB', maximum: '16GB' },
  })));
  // Every host restarts, one a minute, with more startup memory than it has: Smart Paging and failed
  // starts on each; then a node fails and its VMs fail over.
  const events = [
    ...hosts.map((h, i) => ({ at: `${i}m`, type: 'hostRestart', host: h.name })),
    { at: '50m', type: 'nodeFailure', host: hosts[0].name },
  ];
  return JSON.stringify({ hosts, cluster: { name: 'CL' }, vms, scenario: { duration: '1h', events } });
}

/** The real simulator when it runs, else a result of the same shape and size built by hand. */
function result(): { result: SimulationResult; simulateMs?: number; source: string } {
  try {
    const plan = readPlan(clusterPlan()).plan;
    let out: SimulationResult | undefined;
    const ms = timeBest(() => { out = simulate(plan); }, 1);
    return { result: out!, simulateMs: ms, source: 'simulator' };
  } catch (e) {
    return { result: syntheticResult({ hosts: HOSTS, vmsPerHost: VMS_PER_HOST, seconds: SECONDS }), source: `hand-built (simulator: ${(e as Error).message})` };
  }
}

export async function run(): Promise<void> {
  const { result: r, simulateMs, source } = result();
  console.log(`  ${HOSTS} hosts, ${Object.keys(r.vms).length} VMs, ${r.series.t.length} samples, ${r.events.length} events; result from the ${source}`);
  if (simulateMs !== undefined) row('simulation itself', simulateMs);

  let raw = '';
  const rawMs = timeBest(() => { raw = JSON.stringify(r); }, 3);
  row('baseline: serialise the whole result', rawMs, undefined, `${(raw.length / MiB).toFixed(2)} MB`);

  let message = '';
  const viewMs = timeBest(() => {
    const model = new TimelineModel(r);
    const overview = model.overview();
    const host = defaultHost(overview);
    const msg: ToWebview = { type: 'result', documentUri: 'file:///bench.hvmem.jsonc', overview, view: host ? model.hostView(host) ?? null : null };
    message = JSON.stringify(msg);
  }, 5);
  row('extension: views + serialise the message', viewMs, rawMs, `${(message.length / MiB).toFixed(2)} MB posted (${((message.length / raw.length) * 100).toFixed(1)}% of the raw result)`);
  const model = new TimelineModel(r);
  let rows = '';
  const rowsMs = timeBest(() => { rows = JSON.stringify({ type: 'rows', rows: new TimelineModel(r).rows() } satisfies ToWebview); }, 5);
  row('extension: table rows, asked for after the paint', rowsMs, rawMs, `${(rows.length / MiB).toFixed(2)} MB posted; ${((message.length + rows.length) / MiB).toFixed(2)} MB in all`);
  const hosts = model.hostNames();
  const switchMs = timeBest(() => { JSON.stringify(model.hostView(hosts[hosts.length - 1])); }, 5);
  row('extension: one more host view (host picker)', switchMs, rawMs);

  if (!existsSync(CHROMIUM)) {
    console.log(`  first paint: skipped, no browser at ${CHROMIUM} (apt-get install -y chromium)`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const script = readFileSync(join('dist', 'timeline.js'), 'utf8').replace(/<\/(script)/gi, '<\\/$1');
    // The editor's API, stubbed: it records what the page posts.
    const stub = 'window.posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m), getState: () => undefined, setState: () => {} });';
    const html = shellHtml({ nonce: 'bench', title: 'bench', imgSrc: 'data:', body: `<script nonce="bench">${stub}</script><script nonce="bench">${script}</script>` });
    const paint: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.setContent(html);
      await page.waitForFunction(() => (window as unknown as { posted: { type: string }[] }).posted.some((m) => m.type === 'ready'));
      // From the message's text arriving to the frame after the chart drew: parse, build, paint.
      paint.push(await page.evaluate(async (text) => {
        const t0 = performance.now();
        window.dispatchEvent(new MessageEvent('message', { data: JSON.parse(text) }));
        await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
        if (!document.querySelector('.uplot canvas')) throw new Error('no chart drawn');
        return performance.now() - t0;
      }, message));
      await page.close();
    }
    const pageMs = Math.min(...paint);
    row('page: parse + draw + first paint', pageMs, rawMs);
    const total = viewMs + pageMs;
    row('result to first paint (extension + page)', total, rawMs, total < 300 ? 'under the 300 ms goal' : 'OVER the 300 ms goal');
  } finally {
    await browser.close();
  }
}
