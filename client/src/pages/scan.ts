// Runs `hvmem pages --format json` in a child process: the scan can take minutes on large images and
// must not block the extension host; cancelling kills it. The CLI reports progress over IPC.
// No `vscode` import: progress and cancellation come in as the two small shapes below (VS Code's own
// objects fit them), so tests run this without the editor.
import { fork } from 'node:child_process';
import type { PageScanProgress, PageScanReport } from '../../../server/src/protocol';
import type { ImagesToScan } from './pick';

export class ScanCancelled extends Error {}

export interface ScanProgress { report(value: { message?: string; increment?: number }): void }
export interface ScanCancellation {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => unknown): { dispose(): unknown };
}

export function runPageScan(
  cli: string,
  images: ImagesToScan,
  progress: ScanProgress,
  token: ScanCancellation,
): Promise<PageScanReport> {
  const args = ['pages', ...images.files, ...images.pids.flatMap((pid) => ['--pid', String(pid)]), '--format', 'json'];
  return new Promise((resolve, reject) => {
    // ELECTRON_RUN_AS_NODE: inside the editor, the runtime is Electron; this makes it plain Node.
    const child = fork(cli, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, execArgv: [] });
    let stdout = '';
    let stderr = '';
    let reported = 0;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('message', (m: PageScanProgress) => {
      if (m?.type !== 'progress' || !(m.totalBytes > 0)) return;
      const percent = Math.min(100, (m.doneBytes / m.totalBytes) * 100);
      progress.report({ message: `${m.image} (${percent.toFixed(0)}%)`, increment: percent - reported });
      reported = percent;
    });
    const cancel = token.onCancellationRequested(() => child.kill());
    child.on('error', (e) => { cancel.dispose(); reject(e); });
    child.on('exit', (code) => {
      cancel.dispose();
      if (token.isCancellationRequested) return reject(new ScanCancelled('cancelled'));
      if (code !== 0) return reject(new Error(stderr.trim().split('\n')[0]?.replace(/^hvmem: /, '') || `hvmem pages exited with ${code}`));
      try {
        resolve(JSON.parse(stdout) as PageScanReport);
      } catch {
        reject(new Error('hvmem pages gave output that is not JSON'));
      }
    });
  });
}
