// Choosing what to scan: memory image files, or (on Linux) running processes, largest first.
import * as vscode from 'vscode';
import { readdirSync, readFileSync } from 'node:fs';

export interface ImagesToScan { files: string[]; pids: number[] }

export async function pickImages(): Promise<ImagesToScan | undefined> {
  let source: 'files' | 'processes' = 'files';
  if (process.platform === 'linux') {
    const choice = await vscode.window.showQuickPick([
      { label: 'Memory image files…', description: 'guest memory dumps, or any file', source: 'files' as const },
      { label: 'Running processes…', description: 'the resident memory of processes on this machine', source: 'processes' as const },
    ], { title: 'Analyze page sharing', placeHolder: 'What should be scanned? Several images are compared as VMs on one host.' });
    if (!choice) return undefined;
    source = choice.source;
  }
  if (source === 'files') {
    const uris = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Analyze', title: 'Memory images to analyze' });
    return uris && uris.length > 0 ? { files: uris.map((u) => u.fsPath), pids: [] } : undefined;
  }
  const picked = await vscode.window.showQuickPick(listProcesses(), { canPickMany: true, title: 'Processes to analyze', matchOnDescription: true });
  return picked && picked.length > 0 ? { files: [], pids: picked.map((p) => p.pid) } : undefined;
}

function listProcesses(): (vscode.QuickPickItem & { pid: number; rss: number })[] {
  const items = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      const rss = Number(readFileSync(`/proc/${entry}/statm`, 'utf8').split(' ')[1]) * 4096;
      if (rss > 0) items.push({ label: command, description: `pid ${entry}`, detail: `${(rss / 1024 / 1024).toFixed(0)} MB resident`, pid: Number(entry), rss });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return items.sort((a, b) => b.rss - a.rss);
}
