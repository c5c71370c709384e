// `node scripts/e2e/install-prerequisites.mjs` (before `npm ci`, as in .ci/run): installs, as root, the
// Debian packages the e2e run needs, or says exactly which to install and exits 2.
import { fileURLToPath } from 'node:url';
import { codeServerInstalled } from './code-server.mjs';
import { ensurePackages, missingPackages } from './prerequisites.mjs';

const cache = fileURLToPath(new URL('../../.e2e-cache', import.meta.url));
try {
  ensurePackages(missingPackages({ installingCodeServer: !codeServerInstalled(cache) }), (message) => console.log(message));
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
