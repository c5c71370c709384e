// The extension manifest (package.json) checked the way VS Code and vsce read it: a wrong path or a
// command without a title only shows up at run time otherwise, as a silent no-op in the editor.
// Needs a build first (`npm test` does it): referenced files include the bundles under dist/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { COMMANDS } from '../server/src/protocol';

const root = join(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributes = manifest.contributes ?? {};

// Keys whose string values VS Code resolves as files relative to the extension folder.
const FILE_KEYS = new Set(['main', 'browser', 'icon', 'light', 'dark', 'path', 'configuration', 'url', 'image', 'markdown', 'svg']);

/** Every file the manifest points at, with the JSON path it came from. */
function referencedFiles(): { where: string; file: string }[] {
  const found: { where: string; file: string }[] = [];
  const visit = (value: unknown, where: string, key: string) => {
    if (typeof value === 'string') {
      // remote schemas and codicons ($(name)) are not files
      if (FILE_KEYS.has(key) && !/^[a-z]+:/i.test(value) && !value.startsWith('$(')) found.push({ where, file: value });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${where}[${i}]`, key));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, `${where}.${k}`, k);
    }
  };
  for (const key of ['main', 'browser', 'icon']) visit(manifest[key], key, key);
  visit(contributes, 'contributes', 'contributes');
  return found;
}

test('every file the manifest references exists', () => {
  const files = referencedFiles();
  assert.ok(files.some((f) => f.where === 'main'), 'the manifest has a main entry');
  const missing = files.filter(({ file }) => !existsSync(join(root, file)));
  assert.deepEqual(missing, [], 'referenced files are missing (run `npm run build` first for dist/)');
});

test('every referenced file is in the packaged .vsix (not dropped by .vscodeignore)', () => {
  const vsce = spawnSync(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
  assert.equal(vsce.status, 0, vsce.stderr);
  const packaged = new Set(vsce.stdout.split('\n').map((line) => line.trim()).filter(Boolean));
  const normalise = (file: string) => file.replace(/^\.\//, '');
  const dropped = referencedFiles().filter(({ file }) => !packaged.has(normalise(file)));
  assert.deepEqual(dropped, []);
  assert.ok(![...packaged].some((f) => f.startsWith('node_modules/') || f.startsWith('test/') || f.startsWith('dist/test/')),
    'dependencies are bundled and tests stay out of the package');
});

test('every command has a title, and both client bundles (desktop and browser) register its id', () => {
  const commands: { command: string; title?: string }[] = contributes.commands ?? [];
  for (const file of ['dist/client.js', 'dist/web/client.js']) {
    const bundle = clientBundle(file);
    for (const c of commands) {
      assert.ok(c.title?.trim(), `${c.command} has a title`);
      assert.ok(bundle.includes(JSON.stringify(c.command)) || bundle.includes(`'${c.command}'`), `${c.command} is in ${file} (registered when the extension activates)`);
    }
  }
});

test('every command sits in the one category, so the palette groups them', () => {
  const commands: { command: string; title: string; category?: string }[] = contributes.commands ?? [];
  for (const c of commands) {
    assert.equal(c.category, 'Hyper-V Memory', `${c.command}'s category`);
    assert.doesNotMatch(c.title, /^Hyper-V/, `${c.command}'s title does not repeat the category`);
  }
});

test('menus and keybindings only use declared commands', () => {
  const declared = new Set((contributes.commands ?? []).map((c: { command: string }) => c.command));
  const used: string[] = [];
  for (const items of Object.values(contributes.menus ?? {}) as { command?: string }[][]) {
    for (const item of items) if (item.command) used.push(item.command);
  }
  for (const binding of contributes.keybindings ?? []) used.push(binding.command);
  assert.deepEqual(used.filter((c) => !declared.has(c)), []);
});

test('activation events match the contributions', () => {
  const events: string[] = manifest.activationEvents ?? [];
  const languages = new Set((contributes.languages ?? []).map((l: { id: string }) => l.id));
  const commands = new Set((contributes.commands ?? []).map((c: { command: string }) => c.command));
  const bundle = clientBundle();
  for (const event of events) {
    const [kind, arg] = event.split(/:(.*)/);
    if (kind === 'onCommand') assert.ok(commands.has(arg), `${event}: command ${arg} is contributed`);
    // a panel VS Code restores after a reload needs a serializer for its view type
    if (kind === 'onWebviewPanel') assert.ok(bundle.includes(JSON.stringify(arg)), `${event}: dist/client.js has a panel of view type ${arg}`);
  }
  // VS Code 1.100 did not activate on a contributed language without an explicit event.
  for (const id of languages) assert.ok(events.includes(`onLanguage:${id}`), `activationEvents has onLanguage:${id}`);
});

test('the VS Code API the code is typed against is not newer than engines.vscode', () => {
  const types = JSON.parse(readFileSync(join(root, 'node_modules/@types/vscode/package.json'), 'utf8')).version as string;
  const engine = String(manifest.engines.vscode).replace(/^[\^~>=]+/, '');
  const [a, b] = [types, engine].map((v) => v.split('.').map(Number));
  assert.ok(a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]), `@types/vscode ${types} <= engines.vscode ${manifest.engines.vscode}`);
});

test('the manifest contributes exactly the command ids of COMMANDS, and code names commands only through it', () => {
  const contributed = (contributes.commands ?? []).map((c: { command: string }) => c.command).sort();
  assert.deepEqual(contributed, Object.values(COMMANDS).sort());
  const ids = new Set<string>(Object.values(COMMANDS));
  const literal: string[] = [];
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : /\.ts$/.test(e.name) ? [join(dir, e.name)] : []);
  for (const file of ['client', 'server/src', 'test'].flatMap((d) => walk(join(root, d)))) {
    if (file === join(root, 'server/src/protocol.ts')) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/['"](hvmem\.[A-Za-z]+)['"]/g)) {
      if (ids.has(m[1])) literal.push(`${relative(root, file)}: ${m[1]}`);
    }
  }
  assert.deepEqual(literal, [], 'command ids written out instead of COMMANDS.<name>');
});

function clientBundle(bundle = 'dist/client.js'): string {
  const file = join(root, bundle);
  assert.ok(existsSync(file), `${bundle} is built (npm run build)`);
  return readFileSync(file, 'utf8');
}

test('onboarding: a walkthrough whose links run declared commands, an icon, where the project lives, a key for the timeline', () => {
  const declared = new Set((contributes.commands ?? []).map((c: { command: string }) => c.command));
  const [walkthrough] = contributes.walkthroughs ?? [];
  assert.ok(walkthrough, 'a walkthrough');
  assert.deepEqual(walkthrough.steps.map((s: { id: string }) => s.id), ['write', 'check', 'simulate', 'import']);
  for (const step of walkthrough.steps as { id: string; description: string; completionEvents?: string[] }[]) {
    for (const [, command] of step.description.matchAll(/\]\(command:([\w.]+)/g)) {
      if (command.startsWith('hvmem.')) assert.ok(declared.has(command), `${step.id} links to ${command}`);
    }
    for (const event of step.completionEvents ?? []) {
      const [kind, arg] = event.split(/:(.*)/);
      if (kind === 'onCommand' && arg.startsWith('hvmem.')) assert.ok(declared.has(arg), `${step.id} completes on ${arg}`);
    }
  }
  assert.match(manifest.icon, /\.png$/, 'the marketplace takes a PNG icon');
  const png = readFileSync(join(root, manifest.icon));
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], '128 x 128');
  assert.match(manifest.repository?.url ?? '', /^https:\/\//);
  assert.match(manifest.bugs?.url ?? '', /^https:\/\/.*\/issues$/);
  const key = (contributes.keybindings ?? []).find((k: { command: string }) => k.command === COMMANDS.showTimeline);
  assert.ok(key?.key && key.mac, 'the timeline has a key on every platform');
  const palette: { command: string; when?: string }[] = contributes.menus?.commandPalette ?? [];
  assert.equal(palette.find((m) => m.command === COMMANDS.showTimeline)?.when, undefined, 'the timeline is in the palette wherever you are');
  assert.equal(palette.find((m) => m.command === COMMANDS.newPlan)?.when, undefined, 'so is New Plan…');
});
