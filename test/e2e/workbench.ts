// Driving VS Code (code-server) in Chromium like a user: the few moves the e2e tests share.
// Run through `npm run test:e2e`, which starts code-server and passes its address in HVMEM_E2E_*.
// Every wait polls for a state of the page; nothing sleeps for a fixed time.
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { test } from 'node:test';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the end-to-end tests with \`npm run test:e2e\``);
  return value;
}

export const e2e = {
  get url() { return required('HVMEM_E2E_URL'); },
  get state() { return required('HVMEM_E2E_STATE'); },
  get shots() { return required('HVMEM_E2E_SHOTS'); },
  get chromium() { return required('CHROMIUM'); },
  get extension() { return required('HVMEM_E2E_EXTENSION'); },
};

/** Generous upper bounds for the editor to reach a state; a healthy run takes a fraction of them. */
export const WAIT = { workbench: 90_000, server: 45_000, ui: 20_000 };

/**
 * A folder of its own for one test file, holding the given plans: the samples by name from samples/,
 * or { name: text } written as is. Tests edit these copies, never the repository.
 */
export function makeWorkspace(name: string, files: Record<string, string> = {}, samples: string[] = []): string {
  const folder = join(e2e.state, 'workspaces', name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const sample of samples) copyFileSync(join(root, 'samples', sample), join(folder, sample));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text);
  return folder;
}

export function sampleNames(): string[] {
  return readdirSync(join(root, 'samples')).filter((f) => f.endsWith('.hvmem.jsonc')).sort();
}

/** The editor's log files this extension's errors can appear in, with their current lengths. */
function extensionLogs(): Map<string, number> {
  const logs = new Map<string, number>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'remoteexthost.log' || path.includes(`${EXTENSION_ID}/`)) logs.set(path, statSync(path).size);
    }
  };
  const root = join(e2e.state, 'user-data', 'logs');
  if (existsSync(root)) walk(root);
  return logs;
}

const EXTENSION_ID = 'hvmem.hyperv-memory-planner';

const NON_LOOPBACK = (url: URL) =>
  /^(http|ws)s?:$/.test(url.protocol) && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

export class Workbench {
  /** Requests that tried to leave the machine (all blocked). */
  readonly blocked: string[] = [];
  /** Browser-side errors from the page and its webviews. */
  readonly pageErrors: string[] = [];
  private shot = 0;
  private failedStep: string | undefined;

  context!: BrowserContext;
  page!: Page;
  private profile: string | undefined;
  private logsAtOpen = new Set<string>();

  /** `name` prefixes this file's screenshots. Steps are declared at once; open() runs in a before() hook. */
  constructor(private readonly name: string) {}

  /** Starts Chromium on a fresh profile and opens the workbench on `folder`. */
  async open(folder: string, payload?: [string, string][], beforeLoad?: (page: Page) => Promise<void>): Promise<void> {
    mkdirSync(join(e2e.state, 'tmp'), { recursive: true });
    this.logsAtOpen = new Set(extensionLogs().keys());
    this.profile = mkdtempSync(join(e2e.state, 'tmp', 'chromium-'));
    this.context = await chromium.launchPersistentContext(this.profile, {
      executablePath: e2e.chromium,
      headless: true,
      viewport: { width: 1400, height: 900 },
      env: { ...process.env, XDG_CONFIG_HOME: this.profile, XDG_CACHE_HOME: this.profile },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-crash-reporter', '--disable-breakpad'],
    });
    await this.context.route((url) => NON_LOOPBACK(url), (route) => {
      this.blocked.push(route.request().url());
      return route.abort();
    });
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
    this.page.on('pageerror', (error) => this.pageErrors.push(error.message));
    await beforeLoad?.(this.page);
    let url = `${e2e.url}/?folder=${encodeURIComponent(folder)}`;
    if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await this.page.goto(url);
    try {
      await this.page.locator('.monaco-workbench .part.editor').waitFor({ timeout: WAIT.workbench });
    } catch (error) {
      await this.screenshot('FAIL workbench');
      throw error;
    }
  }

  /**
   * Errors the editor logged about this extension in this window: failed activation or
   * commands in the extension host's log, failed requests in the language client's output channel.
   * They do not show in the UI.
   */
  extensionErrors(): string[] {
    const errors: string[] = [];
    for (const [path, size] of extensionLogs()) {
      // each window gets an extension host of its own, logging into a new folder: skip earlier windows'
      if (this.logsAtOpen.has(path)) continue;
      const text = readFileSync(path).subarray(0, size).toString('utf8');
      // an entry is a "[level]" line and the stack lines under it
      const entries = text.split(/\n(?=\S)/);
      errors.push(...entries.filter((e) => /\[error\]|\[Error\b/.test(e) && (e.includes(EXTENSION_ID) || path.includes(EXTENSION_ID) || /Request \S+ failed/.test(e))).map((e) => e.slice(0, 800)));
    }
    return errors;
  }

  async close(): Promise<void> {
    await this.context?.close().catch(() => {});
    if (this.profile) rmSync(this.profile, { recursive: true, force: true });
  }

  /**
   * One user-visible step as a node:test test, with a screenshot after it (and one named FAIL-… when it
   * fails). Steps build on each other: after a failure the rest report that they did not run.
   */
  step(title: string, fn: () => Promise<void>): void {
    test(title, async () => {
      if (this.failedStep) throw new Error(`not run: the earlier step "${this.failedStep}" failed`);
      try {
        if (!this.page) throw new Error('the workbench did not open (see the before hook)');
        await fn();
        await this.screenshot(title);
      } catch (error) {
        this.failedStep = title;
        await this.screenshot(`FAIL ${title}`);
        throw error;
      }
    });
  }

  async screenshot(title: string): Promise<void> {
    mkdirSync(e2e.shots, { recursive: true });
    const file = `${this.name}-${String(++this.shot).padStart(2, '0')}-${title.replace(/[^\w]+/g, '-').replace(/^-|-$/g, '')}.png`;
    await this.page.screenshot({ path: join(e2e.shots, file) }).catch(() => {});
  }

  /** Runs a command from the palette by its title, as a user would; `opensPicker`: it asks for a choice next. */
  async command(title: string, { opensPicker = false } = {}): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input').first();
    await input.waitFor({ state: 'visible', timeout: WAIT.ui });
    await input.fill(`>${title}`);
    await this.pick(title);
    if (!opensPicker) await input.waitFor({ state: 'hidden', timeout: WAIT.ui });
  }

  /**
   * Chooses the row of the open quick pick whose label is exactly `label`: the list filters
   * asynchronously and fuzzy matches rank first, so move the focus down to it, then Enter.
   */
  async pick(label: string): Promise<void> {
    const focused = this.page.locator('.quick-input-list .monaco-list-row.focused').first();
    await this.until(`"${label}" to be focused in the quick pick`, async () => {
      const text = (await focused.locator('.label-name').first().innerText({ timeout: 1000 }).catch(() => '')).trim();
      if (text && text !== label) await this.page.keyboard.press('ArrowDown');
      return text;
    }, (text) => text === label, WAIT.ui);
    await this.page.keyboard.press('Enter');
  }

  /** Opens a workspace file through Quick Open and waits until its editor shows `expectText`. */
  async openFile(file: string, expectText: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget .quick-input-box input').first();
    await input.waitFor({ state: 'visible', timeout: WAIT.ui });
    await input.fill(file);
    await this.pick(file);
    await this.page.locator('.tabs-container .tab.active', { hasText: file }).waitFor({ timeout: WAIT.ui });
    await this.editor.locator('.view-lines', { hasText: expectText }).waitFor({ timeout: WAIT.ui });
  }

  get editor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** The lines of the active editor that are on screen (the editor renders only those). */
  async visibleText(): Promise<string> {
    const lines = await this.editor.locator('.view-lines .view-line').evaluateAll((nodes) =>
      nodes.map((n) => ({ top: parseFloat((n as HTMLElement).style.top) || 0, text: (n.textContent ?? '').replace(/\u00a0/g, ' ') })));
    return lines.sort((a, b) => a.top - b.top).map((l) => l.text).join('\n');
  }

  /** Gives the active editor the keyboard focus with a click at the start of a line it shows. Not on
   * the middle of all its lines, nor on the first line Monaco draws: either may lie outside the
   * viewport, and Playwright would scroll the editor's own scrollable to reach it, landing the click
   * elsewhere (on a code lens, a tab). */
  async focusEditor(): Promise<void> {
    const guard = await this.editor.locator('.overflow-guard').first().boundingBox();
    const lines = await this.editor.locator('.view-lines .view-line').evaluateAll((nodes) =>
      nodes.map((n) => { const r = n.getBoundingClientRect(); return { x: r.x, y: r.y, height: r.height }; }));
    const shown = guard && lines.filter((l) => l.height > 0 && l.y >= guard.y && l.y + l.height <= guard.y + guard.height)
      .sort((a, b) => a.y - b.y)[0];
    if (!shown) throw new Error('the active editor shows no line to click');
    await this.page.mouse.click(shown.x + 2, shown.y + shown.height / 2);
    await this.page.locator('.editor-group-container.active .monaco-editor.focused').first().waitFor({ timeout: WAIT.ui });
  }

  /** Puts the cursor on the first occurrence of `text` in the active editor (Find), selecting it. */
  async find(text: string): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press('Control+Home');
    await this.page.keyboard.press('Control+F');
    const findInput = this.page.locator('.editor-group-container.active .find-widget textarea, .editor-group-container.active .find-widget input').first();
    await findInput.waitFor({ state: 'visible', timeout: WAIT.ui });
    await findInput.fill(text);
    await this.page.locator('.editor-group-container.active .find-widget .matchesCount', { hasText: /^1 of|of \d/ }).waitFor({ timeout: WAIT.ui });
    await this.page.keyboard.press('Escape'); // closes Find and leaves the match selected in the editor
  }

  /**
   * The diagnostic codes the Problems panel lists, sorted. The list renders only rows on screen, so it
   * is read maximized in a tall window; a list longer than that would fail the comparison, not pass it.
   */
  async problemCodes(): Promise<string[]> {
    const size = this.page.viewportSize()!;
    await this.command('Problems: Focus on Problems View');
    await this.command('View: Toggle Maximized Panel');
    await this.page.setViewportSize({ width: size.width, height: 2400 });
    try {
      await this.page.locator('.markers-panel .monaco-list-row').first().waitFor({ timeout: WAIT.ui }).catch(() => {});
      return (await this.page.locator('.markers-panel .monaco-list-row .marker-code').allInnerTexts()).map((c) => c.trim()).sort();
    } finally {
      await this.page.setViewportSize(size);
      await this.command('View: Toggle Maximized Panel');
    }
  }

  /** The webview's own document, through the two frames VS Code wraps it in. */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  }

  /** Waits until `check` holds, polling; fails with the last value seen. */
  async until<T>(what: string, check: () => Promise<T>, accept: (value: T) => boolean, timeout = WAIT.server): Promise<T> {
    const end = Date.now() + timeout;
    let last: T | undefined;
    for (;;) {
      last = await check();
      if (accept(last)) return last;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)?.slice(0, 2000)}`);
      await this.page.waitForTimeout(200);
    }
  }
}
