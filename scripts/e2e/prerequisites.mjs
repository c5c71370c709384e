// The Debian packages the end-to-end run needs. As root they are installed with apt-get; otherwise the
// run stops and says exactly what to install.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export function which(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, name);
    try { accessSync(path, constants.X_OK); return path; } catch { /* not here */ }
  }
  return undefined;
}

export function chromiumPath() {
  return process.env.CHROMIUM || which('chromium') || which('chromium-browser');
}

/** What is missing, as Debian package names. Build tools only matter while code-server is installed. */
export function missingPackages({ installingCodeServer }) {
  const missing = [];
  if (!chromiumPath()) missing.push('chromium');
  if (installingCodeServer) {
    if (!which('rg')) missing.push('ripgrep');
    // code-server's `kerberos` module builds against these headers
    if (!existsSync('/usr/include/gssapi/gssapi.h') || !which('krb5-config')) missing.push('libkrb5-dev');
    for (const [tool, pkg] of [['g++', 'g++'], ['make', 'make'], ['python3', 'python3']]) if (!which(tool)) missing.push(pkg);
  }
  return missing;
}

/** Installs what is missing when running as root; otherwise throws with the command to run. */
export function ensurePackages(packages, log) {
  if (packages.length === 0) return;
  const command = `apt-get update && apt-get install -y ${packages.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new PrerequisiteError(`missing Debian packages: ${packages.join(', ')}.\nInstall them as root:\n  ${command}\n(or set CHROMIUM to a Chromium binary)`);
  }
  log(`installing ${packages.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...packages]]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (result.status !== 0) throw new PrerequisiteError(`apt-get ${args.join(' ')} failed (exit ${result.status}); run as root:\n  ${command}`);
  }
}

export class PrerequisiteError extends Error {}

