// Names that are members of Object.prototype (`__proto__`, `constructor`, `toString`…) as host, VM and
// volume names, file names, variables and functions in import sources: every command and the language
// server must treat them as any other name. Each case runs twice, once with those names and once with
// names of the same length that differ in their last letter; the outputs must be the same once the
// names are swapped back. Same lengths keep every range and column equal, and the order of the names
// is kept too.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, CodeLens, CompletionList, Hover, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { SimulateRequest, type SimulateResponse } from '../server/src/protocol';
import { runCli } from './support/baseline';
import { image } from './support/pages';
import { Session } from './lspSession';

const MEMBERS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;
const ORDINARY = MEMBERS.map((n) => `${n.slice(0, -1)}x`);

type Names = readonly string[];
/** The ordinary names' output with the member names put back. */
const swap = (text: string) => ORDINARY.reduce((t, ordinary, i) => t.split(ordinary).join(MEMBERS[i]), text);

/** A plan that uses each name for a host (a cluster node), a VM, a volume, and in events and a scan file's name. */
function plan(n: Names): string {
  const hosts = n.map((name, i) => `    { "name": "${name}", "memory": "8GB", "reserve": "2GB", "volumes": { "C:": "200GB", "${name}": "${i === 3 ? 1 : 100}GB" }${i === 0 ? `, "pageSharing": { "scan": "scans/${name}.json", "pageSize": "4KB" }` : ''} }`);
  // The filler starts first, so the dynamic VM restarts on Smart Paging and keeps some of it past the target.
  const vms = n.flatMap((name, i) => [
    `    { "name": "filler-${i}", "host": "${name}", "memory": { "startup": "3GB" } }`,
    `    { "name": "${name}", "host": "${name}", "smartPagingFilePath": "${name}\\\\paging", "clusterPriority": "High",\n      "memory": { "dynamic": true, "minimum": "1GB", "startup": "4GB", "maximum": "8GB" }, "demand": "3GB" }`,
  ]);
  const events = [
    ...n.map((name) => `      { "at": 0, "type": "hostRestart", "host": "${name}" }`),
    `      { "at": "15m", "type": "demand", "vm": "${n[2]}", "memory": "5GB" }`,
    `      { "at": "20m", "type": "vmRestart", "vm": "${n[1]}" }`,
    `      { "at": "25m", "type": "nodeFailure", "host": "${n[4]}" }`,
  ];
  return `{\n  "hosts": [\n${hosts.join(',\n')}\n  ],\n  "cluster": { "name": "${n[0]}" },\n  "vms": [\n${vms.join(',\n')}\n  ],\n  "scenario": { "duration": "30m", "events": [\n${events.join(',\n')}\n  ] }\n}\n`;
}

/** A plan with errors about names: a duplicate VM and a VM on a host that does not exist. */
function broken(n: Names): string {
  return `{\n  "hosts": [ { "name": "${n[0]}", "memory": "64GB" }, { "name": "${n[1]}", "memory": "64GB" } ],\n  "vms": [\n    { "name": "${n[2]}", "host": "${n[0]}", "memory": { "startup": "4GB" } },\n    { "name": "${n[2]}", "host": "${n[1]}", "memory": { "startup": "4GB" } },\n    { "name": "${n[3]}", "host": "${n[4]}", "memory": { "startup": "4GB" } }\n  ]\n}\n`;
}

/** `hvmem pages --format json` of a small scan, as a plan's pageSharing names it. */
const SCAN = JSON.stringify({ pageSizes: { '4096': { pages: 100, zeroPages: 0, distinctPages: 90, savedBytes: 10 * 4096, savedNonZeroBytes: 10 * 4096 } }, images: [] });

/** Sources of every format hvmem imports, each naming VMs, hosts, variables or functions with the names. */
function sources(n: Names): Record<string, string> {
  return {
    'get-vm.json': JSON.stringify([
      { Name: n[0], ComputerName: n[1], MemoryStartup: 4294967296, DynamicMemoryEnabled: true, MemoryMinimum: 1073741824, MemoryMaximum: 8589934592, State: 2 },
      { Name: n[2], ComputerName: n[1], MemoryStartup: 2147483648, DynamicMemoryEnabled: false },
    ]),
    'get-vmhost.json': JSON.stringify({ Name: n[1], MemoryCapacity: 68719476736, Volumes: [{ Name: n[3], FreeBytes: 107374182400 }, { Name: 'C:', FreeBytes: 1073741824 }] }),
    'vm.xml': `<?xml version="1.0"?>\n<configuration>\n  <properties><name type="string">${n[4]}</name><subtype type="integer">1</subtype></properties>\n  <settings><memory><bank><size type="integer">4096</size><dynamic_memory_enabled type="bool">False</dynamic_memory_enabled></bank></memory></settings>\n</configuration>\n`,
    'main.tf': [
      `variable "${n[0]}" { default = 4096 }`,
      `locals { ${n[1]} = { ${n[2]} = 2048 } }`,
      `resource "hyperv_machine_instance" "${n[3]}" {`,
      `  for_each = { ${n[0]} = 1, ${n[4]} = 2 }`,
      '  name = "tf-${each.key}"',
      `  memory_startup_bytes = var.${n[0]} * 1048576 * each.value`,
      '}',
      `resource "hyperv_machine_instance" "calls" {`,
      `  name = "tf-${n[1]}"`,
      `  memory_startup_bytes = ${n[2]}(1)`,
      `  generation = ${n[4]}(1)`,
      '}',
      `resource "hyperv_machine_instance" "lookups" {`,
      `  name = "tf-${n[2]}"`,
      `  memory_startup_bytes = local.${n[1]}.${n[2]} * 1048576`,
      `  generation = lookup({ a = 1 }, "${n[1]}", 2)`,
      `  state = ${n[3]}.x`,
      '}',
      '',
    ].join('\n'),
    'prod.tfvars': `${n[0]} = 8192\n`,
    'packer.json': JSON.stringify({ variables: { [n[0]]: '2048', [n[1]]: n[2] }, builders: [{ type: 'hyperv-iso', name: n[3], vm_name: `{{user \`${n[1]}\`}}`, memory: `{{user \`${n[0]}\`}}` }] }),
    'image.pkr.hcl': `variable "${n[4]}" { default = "pk-${n[4]}" }\nsource "hyperv-iso" "${n[0]}" {\n  vm_name = var.${n[4]}\n  memory  = 2048\n}\n`,
    'deploy.ps1': [
      `$${n[0]} = 'ps-${n[0]}'`,
      `New-VM -Name $${n[0]} -MemoryStartupBytes 2GB`,
      `Set-VMMemory -VMName ps-${n[0]} -DynamicMemoryEnabled $true -MinimumBytes 1GB -MaximumBytes 8GB`,
      `${n[1]} -Name web`,
      `${n[2]} -MemoryStartupBytes 4GB`,
      `New-VM -Name ps-${n[3]} -MemoryStartupBytes $${n[4]}`,
      '',
    ].join('\n'),
    'dsc.ps1': `Configuration ${n[0]} {\n  Import-DscResource -ModuleName xHyper-V\n  Node 'localhost' {\n    xVMHyperV ${n[1]} {\n      Name = 'dsc-${n[2]}'\n      StartupMemory = 2GB\n    }\n  }\n}\n`,
    'Vagrantfile': [
      `${n[0]} = 2048`,
      'Vagrant.configure("2") do |config|',
      `  config.vm.define :${n[1]} do |m|`,
      '    m.vm.provider :hyperv do |h|',
      `      h.vmname = "vg-${n[2]}"`,
      `      h.memory = ${n[0]}`,
      '    end',
      '  end',
      `  config.vm.define "${n[3]}" do |m|`,
      '    m.vm.provider "hyperv" do |h|',
      `      h.memory = ${n[4]}`,
      '    end',
      '  end',
      'end',
      '',
    ].join('\n'),
  };
}

let root: string;
/** The same files twice: under member/ with the member names and under ordinary/ with the others. */
const twin = (files: (n: Names) => Record<string, string | Uint8Array>) => {
  for (const [folder, names] of [['member', MEMBERS], ['ordinary', ORDINARY]] as const) {
    for (const [path, content] of Object.entries(files(names))) {
      const file = join(root, folder, path);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, content);
    }
  }
};

/** Runs hvmem in both folders: exit status, standard output and error must agree once the names are swapped. */
function sameInBoth(args: (n: Names) => string[]): { status: number | null; stdout: string; stderr: string } {
  const member = runCli(args(MEMBERS), { cwd: join(root, 'member') });
  const ordinary = runCli(args(ORDINARY), { cwd: join(root, 'ordinary') });
  assert.doesNotMatch(member.stderr, /internal error/);
  assert.equal(member.status, ordinary.status, member.stderr);
  assert.equal(member.stderr, swap(ordinary.stderr).split('ordinary').join('member'));
  assert.equal(member.stdout, swap(ordinary.stdout).split('ordinary').join('member'));
  return member;
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'hvmem-names-'));
  twin((n) => ({
    'plan.hvmem.jsonc': plan(n),
    'broken.hvmem.jsonc': broken(n),
    [`scans/${n[0]}.json`]: SCAN,
    ...Object.fromEntries(Object.entries(sources(n)).map(([file, text]) => [`src/${file}`, text])),
    ...Object.fromEntries(n.map((name, i) => [`images/${name}`, image(`A ${i} B 0`, 4096)])),
  }));
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('the command line', () => {
  test('the names are there to be tested: ordinary names are not members, member names are', () => {
    for (const [i, name] of MEMBERS.entries()) {
      assert.ok(name in {}, name);
      assert.ok(!(ORDINARY[i] in {}), ORDINARY[i]);
      assert.equal(ORDINARY[i].length, name.length);
    }
  });

  test('check, text and JSON', () => {
    const text = sameInBoth(() => ['check', 'plan.hvmem.jsonc', 'broken.hvmem.jsonc']);
    assert.equal(text.status, 1);
    // The VM on Smart Paging past the target is reported with the time it really held the file.
    assert.match(text.stdout, /plan\.hvmem\.jsonc:\d+:\d+: warning smart-paging-over-target: .*constructor/);
    assert.doesNotMatch(text.stdout, /for 0 s/);
    assert.match(text.stdout, /broken\.hvmem\.jsonc:\d+:\d+: error duplicate-name: Another VM is already named "toString"/);
    assert.match(text.stdout, /There is no host named "valueOf"\. Hosts: __proto__, constructor\./);
    const json = sameInBoth(() => ['check', 'plan.hvmem.jsonc', '--format', 'json']);
    const rows = JSON.parse(json.stdout) as { code: string }[];
    assert.ok(!rows.some((r) => r.code === 'page-sharing-scan'), 'the scan file named __proto__.json is read');
  });

  test('simulate: text, JSON and the timeline page', () => {
    const text = sameInBoth(() => ['simulate', 'plan.hvmem.jsonc']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^ {2}__proto__: page sharing 10 %/m);
    const json = sameInBoth(() => ['simulate', 'plan.hvmem.jsonc', '--format', 'json']);
    const result = JSON.parse(json.stdout);
    for (const name of MEMBERS) {
      assert.ok(Object.hasOwn(result.vms, name), `vms has ${name}`);
      assert.ok(Object.hasOwn(result.hosts, name), `hosts has ${name}`);
      assert.ok(Object.hasOwn(result.series.vms, name), `series.vms has ${name}`);
    }
    assert.ok(result.vms.constructor.smartPagingSeconds > 0);
    const page = (folder: string) => {
      const r = runCli(['simulate', 'plan.hvmem.jsonc', '--format', 'json', '--html', 'timeline.html'], { cwd: join(root, folder) });
      assert.equal(r.status, 0, r.stderr);
      const html = readFileSync(join(root, folder, 'timeline.html'), 'utf8');
      return /<script type="application\/json" id="[^"]+">(.*?)<\/script>/s.exec(html)![1];
    };
    assert.equal(page('member'), swap(page('ordinary')));
  });

  test('export to PowerShell', () => {
    const dated = (s: string) => s.replace(/ on \d{4}-\d\d-\d\dT[0-9:.]+Z/, ' on (date)');
    const member = runCli(['export', 'plan.hvmem.jsonc', '--to', 'powershell'], { cwd: join(root, 'member') });
    const ordinary = runCli(['export', 'plan.hvmem.jsonc', '--to', 'powershell'], { cwd: join(root, 'ordinary') });
    assert.equal(member.status, 0, member.stderr);
    assert.equal(dated(member.stdout), swap(dated(ordinary.stdout)));
    assert.match(member.stdout, /'hasOwnProperty'/);
  });

  for (const file of Object.keys(sources(MEMBERS))) {
    test(`import ${file}`, () => {
      const r = sameInBoth(() => ['import', `src/${file}`]);
      assert.equal(r.status, 0, r.stderr);
    });
  }

  test('import of every source together', () => {
    const r = sameInBoth(() => ['import', ...Object.keys(sources(MEMBERS)).map((f) => `src/${f}`)]);
    assert.equal(r.status, 0, r.stderr);
    // What the sources say, read as they say it.
    assert.match(r.stdout, /"name": "__proto__",\n\s+"host": "constructor"/);
    assert.match(r.stdout, /"volumes": \{ "hasOwnProperty": "100GB", "C:": "1GB" \}/);
    assert.match(r.stderr, /calls toString\(\), which is not evaluated/);
    assert.match(r.stderr, /calls valueOf\(\), which is not evaluated/);
    assert.doesNotMatch(r.stdout, /\[object /);
    assert.match(r.stdout, /"name": "tf-__proto__",\n.*\n\s+"memory": \{ "dynamic": false, "startup": "8GB" \}/);
    assert.match(r.stdout, /"name": "tf-toString",\n.*\n\s+"memory": \{ "dynamic": false, "startup": "2GB" \}/);
    // A generation that cannot be evaluated is left out, not replaced by the provider's default.
    assert.match(r.stdout, /"name": "tf-constructor",\n\s+"memory"/);
    assert.match(r.stdout, /"name": "pk-valueOf"/);
    assert.match(r.stdout, /"name": "vg-toString",\n\s+"memory": \{ "dynamic": false, "startup": "2GB" \}/);
    assert.match(r.stdout, /"name": "dsc-toString"/);
  });

  test('pages: images whose files carry the names', () => {
    const files = (n: Names) => n.map((name) => `images/${name}`);
    sameInBoth((n) => ['pages', ...files(n), '--format', 'json']);
    const text = sameInBoth((n) => ['pages', ...files(n)]);
    assert.equal(text.status, 0, text.stderr);
  });
});

describe('the language server', () => {
  let session: Session;
  const docs = new Map<string, { member: string; ordinary: string }>();
  const uri = (folder: string, file: string) => pathToFileURL(join(root, folder, file)).href;
  const swapFolder = (text: string) => swap(text).split(pathToFileURL(join(root, 'ordinary')).href).join(pathToFileURL(join(root, 'member')).href);
  /** The same request on the member and the ordinary document; the results must agree once swapped. */
  async function same<R>(file: string, request: (uri: string) => Promise<R>): Promise<R> {
    const { member, ordinary } = docs.get(file)!;
    const a = await request(member);
    const b = await request(ordinary);
    assert.equal(JSON.stringify(a), swapFolder(JSON.stringify(b)));
    return a;
  }
  const position = (text: string, marker: string, after = marker.length) => {
    const offset = text.indexOf(marker) + after;
    const before = text.slice(0, offset).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
  };

  before(async () => {
    session = await Session.start();
    for (const [file, text] of [['plan.hvmem.jsonc', plan], ['broken.hvmem.jsonc', broken]] as const) {
      const member = await session.open(text(MEMBERS), uri('member', file));
      const ordinary = await session.open(text(ORDINARY), uri('ordinary', file));
      assert.equal(JSON.stringify(member.diagnostics), swapFolder(JSON.stringify(ordinary.diagnostics)), `${file}: diagnostics`);
      docs.set(file, { member: member.uri, ordinary: ordinary.uri });
    }
  });
  after(async () => { await session.stop(); });

  test('diagnostics, with the scenario\'s', async () => {
    const { member } = docs.get('plan.hvmem.jsonc')!;
    const diagnostics = await session.diagnosticsFor(member, 1);
    assert.ok(diagnostics.some((d) => d.code === 'smart-paging-over-target' && String(d.message).includes('constructor') && !String(d.message).includes('for 0 s')), JSON.stringify(diagnostics));
    const broken = await session.diagnosticsFor(docs.get('broken.hvmem.jsonc')!.member, 1);
    assert.deepEqual(broken.map((d) => d.code).sort(), ['duplicate-name', 'unknown-reference']);
  });

  test('hover on every host and VM name', async () => {
    const text = plan(MEMBERS);
    for (const name of MEMBERS) {
      for (const marker of [`{ "name": "${name}", "memory"`, `{ "name": "${name}", "host"`]) {
        const hover = await same('plan.hvmem.jsonc', (u) => session.request<Hover>('textDocument/hover', { textDocument: { uri: u }, position: position(text, marker, 12) }));
        assert.match(JSON.stringify(hover), new RegExp(`${marker.includes('memory') ? 'Host' : 'VM'} ${name}`));
        assert.match(JSON.stringify(hover), /Scenario: /);
      }
    }
  });

  test('completion of host names', async () => {
    const list = await same('plan.hvmem.jsonc', (u) => session.request<CompletionList>('textDocument/completion', { textDocument: { uri: u }, position: position(plan(MEMBERS), `"host": "${MEMBERS[1]}`, 9) }));
    for (const name of MEMBERS) assert.ok(list.items.some((i) => i.label === name), name);
  });

  test('code lenses with each host\'s outcome', async () => {
    const lenses = await same('plan.hvmem.jsonc', (u) => session.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: u } }));
    for (const name of MEMBERS) assert.ok(lenses.some((l) => l.command!.title.startsWith(`${name}: `) && /VMs started/.test(l.command!.title)), name);
  });

  test('quick fixes: rename the duplicate', async () => {
    const text = broken(MEMBERS);
    const at = position(text, `{ "name": "${MEMBERS[2]}", "host": "${MEMBERS[1]}"`, 12);
    const actions = await same('broken.hvmem.jsonc', (u) => session.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: u }, range: { start: at, end: at }, context: { diagnostics: [] },
    }));
    assert.ok(actions.some((a) => a.title === 'Rename to "toString-2"'), JSON.stringify(actions));
  });

  test('rename a VM and a host, and refuse a name already taken', async () => {
    const text = plan(MEMBERS);
    for (const [marker, newName] of [[`{ "name": "${MEMBERS[1]}", "host"`, 'renamed'], [`{ "name": "${MEMBERS[3]}", "memory"`, 'renamed-host']] as const) {
      const edit = await same('plan.hvmem.jsonc', (u) => session.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: u }, position: position(text, marker, 12), newName }));
      assert.ok(Object.values(edit.changes!)[0].length >= 2);
    }
    await assert.rejects(
      session.request('textDocument/rename', { textDocument: { uri: docs.get('plan.hvmem.jsonc')!.member }, position: position(text, `{ "name": "${MEMBERS[0]}", "host"`, 12), newName: 'valueOf' }),
      /A VM named "valueOf" already exists/,
    );
  });

  test('hvmem/simulate', async () => {
    const r = await same('plan.hvmem.jsonc', (u) => session.request<SimulateResponse>(SimulateRequest.method, { uri: u }));
    assert.ok(r.ok);
    if (r.ok) for (const name of MEMBERS) assert.ok(Object.hasOwn(r.result.vms, name), name);
  });
});
