// Where the tests' PowerShell lives: .tools/pwsh/ (git-ignored), installed by scripts/install-pwsh.mjs.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const PWSH_VERSION = '7.6.9';
export const toolPath = fileURLToPath(new URL('../.tools/pwsh', import.meta.url));
export const pwshPath = join(toolPath, process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
