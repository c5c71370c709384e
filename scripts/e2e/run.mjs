// `npm run test:e2e [filter…]`: the extension as a user gets it, in a real VS Code.
// Builds and packages the extension (.vsix), installs a pinned code-server into .e2e-cache/, installs the
// .vsix into it, starts it on loopback, runs test/e2e/*.e2e.ts (Playwright driving Debian's Chromium),
// and stops everything it started, also when a test fails or the run is interrupted.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerInstalled, ensureCodeServer, installExtension, startCodeServer } from './code-server.mjs';
import { chromiumPath, ensurePackages, missingPackages, PrerequisiteError } from './prerequisites.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cache = join(root, '.e2e-cache');
const shots = join(root, 'test-output', 'e2e');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// Whole run, well above the few minutes it takes, so that a hang ends with a message instead of a stuck CI job.
const RUN_TIMEOUT_MS = 15 * 60_000;

const t0 = Date.now();
const log = (message) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${message}`);

const cleanups = [];
let cleaning;
/** Undoes what was started, newest first; once, however many paths (end, failure, signal) ask. */
function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length) await cleanups.pop()().catch((error) => log(`cleanup: ${error.message}`));
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => { log(`${signal}: stopping`); cleanup().finally(() => process.exit(130)); });
}

async function main(filters) {
  const packages = missingPackages({ installingCodeServer: !codeServerInstalled(cache) });
  ensurePackages(packages, log);

  mkdirSync(cache, { recursive: true });
  const vsix = join(cache, `${pkg.name}-${pkg.version}.vsix`);
  log(`building and packaging ${vsix}`);
  // `npm run package`: the production build, then vsce with the options the release uses.
  run('npm', ['run', '--silent', 'package', '--', '--out', vsix], { stdio: ['ignore', 'ignore', 'inherit'] });

  const codeServer = ensureCodeServer(cache, log);

  // Short path: VS Code's sockets live under it and socket paths are limited to ~107 characters.
  const state = mkdtempSync(join(existsSync('/tmp') ? '/tmp' : tmpdir(), 'hvmem-e2e-'));
  cleanups.push(async () => { if (!process.env.HVMEM_E2E_KEEP) rmSync(state, { recursive: true, force: true }); });
  log(`installing the .vsix into code-server (state in ${state})`);
  installExtension(codeServer, state, vsix);

  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  const server = await startCodeServer(codeServer, state, { HVMEM_E2E_STATE: state });
  cleanups.push(async () => {
    await server.stop();
    copyFileSync(join(state, 'code-server.log'), join(shots, 'code-server.log'));
    log('code-server stopped');
  });
  log(`code-server ${server.url} (process group ${server.pid})`);

  const files = readdirSync(join(root, 'test', 'e2e'))
    .filter((f) => f.endsWith('.e2e.ts') && (filters.length === 0 || filters.some((s) => f.includes(s))))
    .sort()
    .map((f) => join('test', 'e2e', f));
  if (files.length === 0) throw new PrerequisiteError('no test/e2e/*.e2e.ts file matches');
  const status = await runTests(files, {
    HVMEM_E2E_URL: server.url,
    HVMEM_E2E_STATE: state,
    HVMEM_E2E_SHOTS: shots,
    HVMEM_E2E_EXTENSION: join(state, 'extensions', `${pkg.publisher}.${pkg.name}-${pkg.version}`),
    CHROMIUM: chromiumPath(),
  });
  log(status === 0 ? `passed; screenshots in ${shots}` : `FAILED (exit ${status}); screenshots and code-server.log in ${shots}`);
  return status;
}

/** node:test over the e2e files, one at a time (each drives its own browser). */
function runTests(files, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
      cwd: root, env: { ...process.env, ...env }, stdio: 'inherit', detached: true,
    });
    const kill = (signal) => { try { process.kill(-child.pid, signal); } catch { /* gone */ } };
    const timer = setTimeout(() => { log(`tests still running after ${RUN_TIMEOUT_MS / 60_000} minutes: stopping them`); kill('SIGKILL'); }, RUN_TIMEOUT_MS);
    cleanups.push(async () => kill('SIGKILL'));
    child.on('exit', (code, signal) => { clearTimeout(timer); resolve(code ?? (signal ? 1 : 0)); });
  });
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`${args.slice(0, 2).join(' ')} failed (exit ${result.status ?? result.signal})`);
}

main(process.argv.slice(2)).then(
  async (status) => { await cleanup(); process.exit(status); },
  async (error) => {
    await cleanup();
    console.error(`test:e2e: ${error instanceof PrerequisiteError ? '' : 'error: '}${error.message}`);
    process.exit(error instanceof PrerequisiteError ? 2 : 1);
  },
);
