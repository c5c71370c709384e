// The language server's web worker bundle (dist/web/server.js) in headless Chromium, as the extension
// in the browser starts it: a page on a made-up origin (every request is answered here, nothing goes
// out) starts the worker, and its messages are carried to and from an LSP session in this process.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { AbstractMessageReader, AbstractMessageWriter, createProtocolConnection, type DataCallback, type Message } from 'vscode-languageserver-protocol/node';
import { ROOT, Session } from '../lspSession';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const WORKER_BUNDLE = join(ROOT, 'dist', 'web', 'server.js');
/** Why the browser tests cannot run here, or false; under CI they must run, so nothing is skipped there. */
export const skipWithoutBrowser = process.env.CI ? false
  : !existsSync(CHROMIUM) ? `no browser at ${CHROMIUM}` : !existsSync(WORKER_BUNDLE) ? 'dist/web/server.js is not built (npm run build)' : false;

const ORIGIN = 'http://hvmem.test';
/** The page: it starts the worker and relays its messages (the benchmark talks to `hvmemWorker` in the page instead). */
const PAGE = `<!doctype html><meta charset="utf-8"><title>hvmem worker</title><script>
  const worker = new Worker('/server.js');
  worker.onmessage = (e) => window.hvmemFromWorker?.(e.data);
  worker.onerror = (e) => window.hvmemWorkerError(String(e.message || e));
  window.hvmemToWorker = (m) => worker.postMessage(m);
  window.hvmemWorker = worker;
</script>`;

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
}

/**
 * A page of its own for the worker; `errors` collects what the page and the worker threw, `ended`
 * resolves when the worker has ended.
 */
export async function openWorkerPage(browser: Browser): Promise<{ page: Page; errors: string[]; ended: Promise<void> }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const ended = new Promise<void>((resolve) => page.once('worker', (worker) => worker.once('close', () => resolve())));
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort();
    if (url.pathname === '/server.js') return route.fulfill({ contentType: 'text/javascript', body: readFileSync(WORKER_BUNDLE, 'utf8') });
    return route.fulfill({ contentType: 'text/html', body: PAGE });
  });
  await page.exposeFunction('hvmemWorkerError', (message: string) => { errors.push(`worker: ${message}`); });
  return { page, errors, ended };
}

/** An LSP session with the worker on `page` (opened by openWorkerPage), initialized as an editor would. */
export async function workerSession(page: Page, settings: unknown = null, initializationOptions: Record<string, unknown> = {}, workspaceFolders: string[] | null = null): Promise<Session> {
  const reader = new PageReader();
  await page.exposeFunction('hvmemFromWorker', (message: Message) => reader.deliver(message));
  await startWorker(page);
  const connection = createProtocolConnection(reader, new PageWriter(page));
  return Session.connect(connection, { ended: async () => undefined }, settings, initializationOptions, workspaceFolders);
}

/** Loads the page on `page` (opened by openWorkerPage), which starts the worker. */
export async function startWorker(page: Page): Promise<void> {
  await page.goto(`${ORIGIN}/`);
}

class PageReader extends AbstractMessageReader {
  private callback?: DataCallback;
  private readonly early: Message[] = [];

  listen(callback: DataCallback) {
    this.callback = callback;
    for (const m of this.early.splice(0)) callback(m);
    return { dispose: () => { this.callback = undefined; } };
  }

  deliver(message: Message): void {
    if (this.callback) this.callback(message);
    else this.early.push(message);
  }
}

class PageWriter extends AbstractMessageWriter {
  /** one message after the other, in order */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly page: Page) {
    super();
  }

  write(message: Message): Promise<void> {
    this.queue = this.queue.then(() => this.page.evaluate((m) => (window as unknown as { hvmemToWorker(m: unknown): void }).hvmemToWorker(m), message as never));
    return this.queue;
  }

  end(): void {}
}
