// code-server, the real VS Code the end-to-end tests run in: installed pinned (scripts/e2e/code-server/
// package-lock.json) into a cache folder outside node_modules, started on loopback with every outside
// service switched off, and stopped as a whole process group.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { which } from './prerequisites.mjs';

const pinDir = join(dirname(fileURLToPath(import.meta.url)), 'code-server');
export const CODE_SERVER_VERSION = JSON.parse(readFileSync(join(pinDir, 'package.json'), 'utf8')).dependencies['code-server'];
// The ripgrep build code-server 4.100.3's @vscode/ripgrep postinstall looks for in its download cache.
const RIPGREP_CACHE = { folder: 'vscode-ripgrep-cache-1.15.11', file: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz' };

function installation(cacheRoot) {
  // A new lockfile gets a new folder, so a changed pin never mixes with an old install.
  const hash = createHash('sha256').update(readFileSync(join(pinDir, 'package-lock.json'))).digest('hex').slice(0, 10);
  const dir = resolve(cacheRoot, `code-server-${CODE_SERVER_VERSION}-${hash}`);
  return { dir, bin: join(dir, 'node_modules', '.bin', 'code-server'), done: join(dir, '.installed') };
}

export function codeServerInstalled(cacheRoot) {
  const { bin, done } = installation(cacheRoot);
  return existsSync(done) && existsSync(bin);
}

/** Installs code-server into `<cacheRoot>/code-server-<version>-<lock hash>` unless already there; returns the binary. */
export function ensureCodeServer(cacheRoot, log) {
  const { dir, bin, done } = installation(cacheRoot);
  if (codeServerInstalled(cacheRoot)) return bin;

  // A half-finished install is not repaired by running npm again: start from nothing.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(pinDir, 'package.json'), join(dir, 'package.json'));
  copyFileSync(join(pinDir, 'package-lock.json'), join(dir, 'package-lock.json'));

  // code-server's nested install would download ripgrep from GitHub; it first looks in a cache under
  // TMPDIR, so put Debian's rg there, packed the way the download would be.
  const tmp = join(dir, 'tmp');
  mkdirSync(join(tmp, RIPGREP_CACHE.folder), { recursive: true });
  mkdirSync(join(tmp, 'rg'), { recursive: true });
  copyFileSync(which('rg'), join(tmp, 'rg', 'rg'));
  run('tar', ['czf', join(tmp, RIPGREP_CACHE.folder, RIPGREP_CACHE.file), '-C', join(tmp, 'rg'), 'rg'], { cwd: dir });

  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (once; about a minute)`);
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    env: {
      ...process.env,
      TMPDIR: tmp,
      // its postinstall refuses to run as root otherwise; a nested npx must not prompt;
      // native modules build against the installed Node's headers instead of downloading them
      npm_config_unsafe_perm: 'true',
      npm_config_yes: 'true',
      npm_config_nodedir: dirname(dirname(process.execPath)),
    },
  });
  for (const file of ['lib/vscode/node_modules/@vscode/ripgrep/bin/rg', 'lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node']) {
    if (!existsSync(join(dir, 'node_modules', 'code-server', file))) throw new Error(`code-server install is incomplete: ${file} is missing (see the npm output above)`);
  }
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(done, `${new Date().toISOString()}\n`);
  return bin;
}

/** Environment that keeps every file code-server and its extension host write inside `state`. */
export function stateEnv(state) {
  return {
    XDG_CONFIG_HOME: join(state, 'config'),
    XDG_DATA_HOME: join(state, 'data'),
    XDG_CACHE_HOME: join(state, 'cache'),
    // VS Code puts its IPC sockets in os.tmpdir(); socket paths must stay under ~107 characters.
    TMPDIR: join(state, 'tmp'),
    // the gallery points at a closed loopback port, so nothing tries to leave the machine
    EXTENSIONS_GALLERY: JSON.stringify({
      serviceUrl: 'http://127.0.0.1:9/gallery',
      itemUrl: 'http://127.0.0.1:9/item',
      resourceUrlTemplate: 'http://127.0.0.1:9/res/{publisher}/{name}/{version}/{path}',
    }),
  };
}

const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'security.workspace.trust.enabled': false,
  'npm.fetchOnlinePackageInfo': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'git.enabled': false,
  'github.gitAuthentication': false,
  'chat.disableAIFeatures': true,
  'editor.hover.delay': 100,
  'window.restoreWindows': 'none',
  'files.autoSave': 'off',
};

function commonArgs(state) {
  return ['--user-data-dir', join(state, 'user-data'), '--extensions-dir', join(state, 'extensions')];
}

function prepareState(state) {
  for (const d of ['config', 'data', 'cache', 'tmp', 'user-data/User', 'extensions']) mkdirSync(join(state, d), { recursive: true });
  writeFileSync(join(state, 'user-data', 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
}

/** Installs a .vsix into the state's extensions folder (the way a user would, from the package). */
export function installExtension(bin, state, vsix) {
  prepareState(state);
  run(bin, [...commonArgs(state), '--install-extension', vsix, '--force'], { env: { ...process.env, ...stateEnv(state) } });
}

/**
 * Starts code-server on 127.0.0.1 (a free port it picks) with no auth, telemetry, update checks or
 * gallery, in its own process group so that stopping it also stops its extension hosts.
 * Resolves to { url, stop }, once it answers /healthz.
 */
export async function startCodeServer(bin, state, extraEnv = {}) {
  prepareState(state);
  const logFile = join(state, 'code-server.log');
  writeFileSync(join(state, 'config.yaml'), 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  const child = spawn(bin, [
    '--config', join(state, 'config.yaml'), '--bind-addr', '127.0.0.1:0', '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--ignore-last-opened', ...commonArgs(state),
  ], {
    env: { ...process.env, ...stateEnv(state), ...extraEnv },
    detached: true, // setsid: a process group of its own
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk) => { output += chunk; writeFileSync(logFile, output); };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = false;
  child.on('exit', () => { exited = true; });

  const stop = () => stopGroup(child.pid, () => exited);
  try {
    const url = await poll('code-server to listen', 60_000, () => {
      if (exited) throw new Error(`code-server exited:\n${output}`);
      return output.match(/HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    });
    await poll('code-server /healthz', 30_000, async () => {
      if (exited) throw new Error(`code-server exited:\n${output}`);
      const response = await fetch(`${url}/healthz`).catch(() => undefined);
      return response?.ok;
    });
    return { url, pid: child.pid, stop, log: () => output };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** TERM the process group, KILL what is left after 10 s. */
async function stopGroup(pid, exited) {
  const alive = () => { try { process.kill(-pid, 0); return true; } catch { return false; } };
  if (!alive()) return;
  try { process.kill(-pid, 'SIGTERM'); } catch { return; }
  const gone = await poll('code-server to stop', 10_000, () => !alive() && exited()).then(() => true, () => false);
  if (!gone) { try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ } }
}

/** Calls `check` until it returns something truthy; rejects after `ms` with what it was waiting for. */
export async function poll(what, ms, check, every = 100) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

function run(cmd, args, options) {
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit status ${result.status}`);
}
