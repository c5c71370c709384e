// Tests inside VS Code's extension host, with the real `vscode` API, against the installed extension.
// Bundled to dist/test/suite.js; test/e2e/exthost.e2e.ts loads it as the workbench's extensionTestsPath,
// and VS Code calls run() once the extension host is up. Results go to $HVMEM_E2E_STATE/exthost-results.json
// so that the runner can report each case.
import * as vscode from 'vscode';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strict as assert } from 'node:assert';
import { COMMANDS } from '../../server/src/protocol';

const EXTENSION_ID = 'hvmem.hyperv-memory-planner';
const SEVERITY = ['error', 'warning', 'information', 'hint'] as const;

interface CliDiagnostic {
  code: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

const cases: { name: string; fn: () => Promise<void> }[] = [];
const test = (name: string, fn: () => Promise<void>) => cases.push({ name, fn });

export async function run(): Promise<void> {
  const results: { name: string; ok: boolean; error?: string }[] = [];
  for (const c of cases) {
    try {
      await c.fn();
      results.push({ name: c.name, ok: true });
    } catch (error) {
      results.push({ name: c.name, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) });
    }
  }
  const state = process.env.HVMEM_E2E_STATE;
  if (state) writeFileSync(join(state, 'exthost-results.json'), JSON.stringify(results, null, 2));
  const failed = results.filter((r) => !r.ok);
  if (failed.length) throw new Error(`${failed.length} of ${results.length} extension host tests failed: ${failed.map((f) => f.name).join(', ')}`);
}

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  return ext;
}

/** Polls `check` until it stops throwing; rethrows its last error after `ms`. */
async function eventually<T>(ms: number, check: () => T | Promise<T>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function plans(): Promise<vscode.Uri[]> {
  const uris = await vscode.workspace.findFiles('*.hvmem.jsonc');
  assert.ok(uris.length > 0, 'the workspace holds the sample plans');
  return uris.sort((a, b) => a.path.localeCompare(b.path));
}

/** What `hvmem check --format json` (the packaged CLI) reports for a file, in one comparable shape. */
function cliDiagnostics(file: string): string[] {
  const cli = join(extension().extensionPath, 'dist', 'cli.js');
  let out: string;
  try {
    out = execFileSync(process.execPath, [cli, 'check', '--format', 'json', file], { encoding: 'utf8' });
  } catch (error) {
    // exit status 1 = the plan has errors; the JSON is still on stdout
    out = (error as { stdout?: string }).stdout ?? '';
  }
  return (JSON.parse(out) as CliDiagnostic[]).map((d) => key(d.code, d.severity, d.range.start, d.range.end, d.message)).sort();
}

function editorDiagnostics(uri: vscode.Uri): string[] {
  return vscode.languages.getDiagnostics(uri).map((d) => {
    const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code);
    return key(code, SEVERITY[d.severity], d.range.start, d.range.end, d.message);
  }).sort();
}

function key(code: string, severity: string, start: { line: number; character: number }, end: { line: number; character: number }, message: string): string {
  return `${String(start.line + 1).padStart(4)}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${severity} ${code}: ${message}`;
}

test('the extension activates when a plan opens', async () => {
  const [first] = await plans();
  const doc = await vscode.workspace.openTextDocument(first);
  assert.equal(doc.languageId, 'hvmem');
  await vscode.window.showTextDocument(doc);
  await eventually(30_000, () => assert.ok(extension().isActive, 'active'));
});

test('the editor shows exactly the diagnostics `hvmem check` reports, for every sample', async () => {
  for (const uri of await plans()) {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const expected = cliDiagnostics(uri.fsPath);
    await eventually(30_000, () => assert.deepEqual(editorDiagnostics(uri), expected, uri.path));
  }
});

test('Analyze Page Sharing… scans the images it is given, across images too', async () => {
  const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
  const page = (byte: number) => Buffer.alloc(4096, byte);
  // Two images sharing one page's content across them, each with a zero page: known answers at 4 KB.
  const a = join(folder, 'scan-a.bin');
  const b = join(folder, 'scan-b.bin');
  writeFileSync(a, Buffer.concat([page(1), page(2), page(0)]));
  writeFileSync(b, Buffer.concat([page(1), page(3), page(0)]));
  await vscode.commands.executeCommand(COMMANDS.scanPages, vscode.Uri.file(a), [vscode.Uri.file(a), vscode.Uri.file(b)]);
  const tab = await eventually(30_000, () => {
    const found = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('hvmem.pageSharing'));
    assert.ok(found, 'the page sharing panel is open');
    return found;
  });
  assert.equal(tab.label, 'Page Sharing');
  const cli = JSON.parse(execFileSync(process.execPath, [join(extension().extensionPath, 'dist', 'cli.js'), 'pages', a, b, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }));
  assert.equal(cli.pageSizes['4096'].savedAcrossBytes, 2 * 4096, 'one shared content and one zero page across the two images');
  await vscode.window.tabGroups.close(tab);
});

test('the commands the extension contributes are registered', async () => {
  const contributed: { command: string }[] = (extension().packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? [];
  const registered = new Set(await vscode.commands.getCommands(true));
  assert.deepEqual(contributed.map((c) => c.command).filter((c) => !registered.has(c)), []);
});
