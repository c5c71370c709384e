// `npm run setup:pwsh`: installs PowerShell 7 (pwsh), pinned, into .tools/pwsh/ with the .NET SDK's
// `dotnet tool install`, so the tests can run the scripts the product generates and ships.
// pwsh is a tool of the tests only: the product never runs it.
import { existsSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { PWSH_VERSION, pwshPath, toolPath } from './pwsh.mjs';

const env = { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1' };

function installedVersion() {
  if (!existsSync(pwshPath)) return undefined;
  const r = spawnSync(pwshPath, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.ToString()'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

const found = installedVersion();
if (found === PWSH_VERSION) {
  console.log(`pwsh ${PWSH_VERSION} is installed in ${toolPath}`);
  process.exit(0);
}
if (spawnSync('dotnet', ['--version'], { env, encoding: 'utf8' }).status !== 0) {
  console.error('pwsh needs the .NET SDK (the `dotnet` command) to install: https://learn.microsoft.com/dotnet/core/install/linux-debian');
  process.exit(2);
}
// Another version (or a broken install) is replaced, never updated in place.
if (existsSync(toolPath)) rmSync(toolPath, { recursive: true, force: true });
const r = spawnSync('dotnet', ['tool', 'install', 'PowerShell', '--version', PWSH_VERSION, '--tool-path', toolPath], { env, stdio: 'inherit' });
if (r.status !== 0 || installedVersion() !== PWSH_VERSION) {
  console.error(`installing pwsh ${PWSH_VERSION} with dotnet tool install failed`);
  process.exit(2);
}
console.log(`pwsh ${PWSH_VERSION} installed in ${toolPath}`);
