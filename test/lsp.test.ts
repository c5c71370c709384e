// The bundled language server, spoken to over stdio as an editor would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, CodeLens, CompletionList, Diagnostic, DocumentSymbol, Hover, Location, MarkupContent, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { RULES } from '../server/src/core/rules';
import { analyzePlan } from '../server/src/core/analyze';
import { LineIndex } from '../server/src/core/text';
import { COMMANDS, SimulateRequest, type SimulateResponse } from '../server/src/protocol';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatePlan } from '../bench/generate';
import { applyEdits, applyWorkspaceEdit, at, checkWithCli, ROOT, Session } from './lspSession';
import { BOOK_CASE } from './support/plans';

const SAMPLES = join(ROOT, 'samples');

const PLAN = `{
  // two hosts, one VM each
  "hosts": [
    { "name": "HV01", "memory": "64GB", "reserve": "4GB" },
    { "name": "HV02", "memory": "128GB" }
  ],
  "vms": [
    { "name": "SQL01", "host": "HV01", "smartPagingFilePath": "D:\\\\SP",
      "memory": { "dynamic": true, "minimum": "2GB", "startup": "8GB", "maximum": "32GB" } },
    { "name": "WEB01", "host": "HV02", "memory": { "startup": "4GB" } }
  ],
  "scenario": { "duration": "30m", "events": [
    { "at": "5m", "type": "hostRestart", "host": "HV01" },
    { "at": "6m", "type": "vmRestart", "vm": "WEB01" }
  ] }
}
`;

/** PLAN with one piece of text replaced (the replaced text must occur exactly once). */
function variant(from: string, to: string): string {
  assert.equal(PLAN.split(from).length, 2, `"${from}" must occur once in the plan`);
  return PLAN.replace(from, to);
}

const SEVERITY_NAMES = ['', 'error', 'warning', 'information', 'hint'];
const asCheck = (d: Diagnostic) => ({ severity: SEVERITY_NAMES[d.severity!], code: d.code, message: d.message, range: d.range });
const markdownOf = (h: Hover | null) => (h?.contents as MarkupContent | undefined)?.value ?? '';

let session: Session;
before(async () => { session = await Session.start(); });
after(async () => { await session.stop(); });

describe('diagnostics are what `hvmem check` reports', () => {
  const cases: Record<string, string> = {
    'a clean plan': PLAN,
    'a syntax error': variant('"memory": "128GB" }', '"memory": "128GB" '),
    'an unknown key': variant('"reserve": "4GB"', '"reserv": "4GB"'),
    'a bare small number': variant('"reserve": "4GB"', '"reserve": 4096'),
    'a bad enum value': variant('"type": "hostRestart"', '"type": "hostrestart"'),
    'a size that cannot be read': variant('"startup": "4GB"', '"startup": "4 gigs"'),
    'an event after the end': variant('"at": "6m"', '"at": "2h"'),
    'a key written twice': variant('"reserve": "4GB"', '"reserve": "4GB", "reserve": "6GB"'),
    'an empty file': '',
    'a CRLF file with an error': variant('"reserve": "4GB"', '"reserve": 12').replace(/\n/g, '\r\n'),
  };
  for (const [name, text] of Object.entries(cases)) {
    test(name, async () => {
      const { uri, diagnostics } = await session.open(text);
      assert.deepEqual(diagnostics.map(asCheck), checkWithCli(text).map(({ file: _file, ...rest }: Record<string, unknown>) => rest));
      for (const d of diagnostics) {
        assert.equal(d.source, 'hvmem');
        assert.match(d.codeDescription!.href, new RegExp(`^file://.*/docs/diagnostics\\.md#${d.code}$`));
      }
      await session.close(uri);
    });
  }

  test('a clean plan has no diagnostics, and an edit brings them', async () => {
    const { uri, diagnostics } = await session.open(PLAN);
    assert.deepEqual(diagnostics, []);
    const after = await session.change(uri, variant('"reserve": "4GB"', '"reserve": 4096'));
    assert.deepEqual(after.map((d) => d.code), ['size-suspicious']);
    assert.deepEqual(await session.change(uri, PLAN), []);
  });

  test('edit after edit, inside VMs and around them, still equals check', async () => {
    const { uri } = await session.open(PLAN);
    const edits = [
      variant('"startup": "4GB"', '"startup": "4097MB"'),
      variant('"startup": "4GB"', '"startup": "4097MB", '),
      variant('"startup": "4GB"', '"startup": "4097MB", "buffer": 2'),
      variant('"name": "WEB01"', '"name": "SQL01"'),
      variant('"reserve": "4GB"', '"reserve": "70GB"'),
      PLAN,
    ];
    for (const text of edits) {
      const diagnostics = await session.change(uri, text);
      assert.deepEqual(diagnostics.map(asCheck), checkWithCli(text).map(({ file: _file, ...rest }: Record<string, unknown>) => rest), text);
    }
  });

  for (const file of readdirSync(SAMPLES).filter((f) => f.endsWith('.hvmem.jsonc'))) {
    test(`the sample ${file}, opened and then edited inside a VM`, async () => {
      const text = readFileSync(join(SAMPLES, file), 'utf8');
      const { uri, diagnostics } = await session.open(text);
      assert.deepEqual(diagnostics.map(asCheck), checkWithCli(text).map(({ file: _file, ...rest }: Record<string, unknown>) => rest));
      const edited = text.replace(/"startup": "(\d+)GB"/, (_m, n) => `"startup": "${Number(n) + 2}GB"`);
      assert.notEqual(edited, text);
      assert.deepEqual((await session.change(uri, edited)).map(asCheck), checkWithCli(edited).map(({ file: _file, ...rest }: Record<string, unknown>) => rest));
    });
  }

  test('a large plan: static findings first, then everything check reports', async () => {
    const text = generatePlan(300, 2);
    const { uri, diagnostics } = await session.open(text);
    const complete = await session.diagnosticsFor(uri, 1, 2);
    const check = checkWithCli(text).map(({ file: _file, ...rest }: Record<string, unknown>) => rest);
    assert.deepEqual(complete.map(asCheck), check);
    // The first publish: what check reports without the scenario.
    const lines = new LineIndex(text);
    const staticOnly = analyzePlan(text, { scenario: false }).diagnostics;
    assert.deepEqual(diagnostics.map(asCheck), staticOnly.map((d) => ({ severity: d.severity, code: d.code, message: d.message, range: lines.range(d.span) })));
    const isStatic = new Set<unknown>(staticOnly.map((d) => d.message));
    const scenario = (ds: Diagnostic[]) => ds.filter((d) => !isStatic.has(d.message));
    assert.ok(scenario(complete).length > 0, 'the plan has scenario findings');

    // After an edit, the first publish carries the scenario findings over to the same VMs; the second is fresh.
    const edited = text.replace('"name": "VM10",', '"name":  "VM10",');
    const first = await session.change(uri, edited);
    const moved = (ds: Diagnostic[]) => scenario(ds).map((d) => [d.code, d.message, d.range.start.line]);
    assert.deepEqual(moved(first), moved(complete));
    assert.deepEqual((await session.diagnosticsFor(uri, 2, 2)).map(asCheck), checkWithCli(edited).map(({ file: _file, ...rest }: Record<string, unknown>) => rest));
  });

  test('a large plan: carried scenario findings follow their VMs when a VM before them is removed', async () => {
    const text = generatePlan(300, 2);
    const { uri } = await session.open(text);
    const complete = await session.diagnosticsFor(uri, 1, 2);
    const scenarioCodes = new Set(['restart-smart-paging', 'restart-failure', 'smart-paging-over-target', 'failover-capacity']);
    const removed = text.slice(text.indexOf('{ "name": "VM0"'), text.indexOf('{ "name": "VM1"'));
    const edited = text.replace(removed, '');
    const first = await session.change(uri, edited);
    // Each carried finding sits on the same name as before, wherever that name now is.
    const named = (ds: Diagnostic[], t: string) => ds.filter((d) => scenarioCodes.has(d.code as string))
      .map((d) => [d.code, d.message, applyEdits(t, [{ range: { start: { line: 0, character: 0 }, end: d.range.start }, newText: '' }]).match(/^"[^"]*"/)?.[0]]);
    const expected = named(complete, text).filter(([, , name]) => name !== '"VM0"');
    assert.ok(expected.length > 0, 'the plan has scenario findings after VM0');
    assert.deepEqual(named(first, edited), expected);
  });

  test('related information points at the other place', async () => {
    const text = variant('"reserve": "4GB"', '"reserve": "4GB", "reserve": "6GB"');
    const { uri, diagnostics } = await session.open(text);
    const twice = diagnostics.find((d) => String(d.message).includes('written twice'))!;
    const related = twice.relatedInformation![0];
    assert.equal(related.location.uri, uri);
    assert.equal(related.location.range.start.character, text.split('\n')[3].indexOf('"reserve"'));
    assert.ok(twice.range.start.character > related.location.range.start.character);
  });
});

describe('hover', () => {
  const hover = async (marked: string) => {
    const { text, position } = at(marked);
    const { uri } = await session.open(text);
    return markdownOf(await session.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position }));
  };

  test('on a VM: startup plus overhead and the worst-case Smart Paging file', async () => {
    const md = await hover(variant('"name": "SQL01"', '"name": "SQ|L01"'));
    // overhead: 32 MB for the first GB + 8 MB for each of the 7 further GB
    assert.match(md, /startup 8 GB \+ overhead 88 MB = \*\*8\.09 GB\*\*/);
    // startup 8 GB - minimum 2 GB
    assert.match(md, /worst-case Smart Paging file at a restart: \*\*6 GB\*\*/);
  });

  test('on a static VM: no Smart Paging', async () => {
    assert.match(await hover(variant('"name": "WEB01"', '"name": "|WEB01"')), /Smart Paging never applies/);
  });

  test('on a host: capacity, committed startup and headroom', async () => {
    const md = await hover(variant('{ "name": "HV01"', '{ "name": "HV0|1"'));
    assert.match(md, /memory 64 GB − reserve 4 GB = \*\*60 GB\*\* for VMs/);
    assert.match(md, /committed startup .*\*\*8\.09 GB\*\* for 1 VM/);
    assert.match(md, /headroom: \*\*51\.9 GB\*\*/);
  });

  test('on a reference to a host: the host', async () => {
    assert.match(await hover(variant('"host": "HV01" }', '"host": "|HV01" }')), /\*\*Host HV01\*\*/);
  });

  test('on a size: its exact value in other units, with the key\'s documentation', async () => {
    const md = await hover(variant('"maximum": "32GB"', '"maximum": "3|2GB"'));
    assert.match(md, /32 GB = 32,768 MB = 33,554,432 KB = 34,359,738,368 bytes/);
    assert.match(md, /Maximum memory with Dynamic Memory/);
  });

  test('on a duration: minutes and seconds', async () => {
    assert.match(await hover(variant('"at": "6m"', '"at": "6|m"')), /6 min = 360 seconds/);
  });

  test('on a key: its documentation from the schema', async () => {
    assert.match(await hover(variant('"reserve"', '"res|erve"')), /root reserve/);
  });
});

describe('completion', () => {
  const labels = async (marked: string) => {
    const { text, position } = at(marked);
    const { uri } = await session.open(text);
    const list = await session.request<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position });
    return (list?.items ?? []).map((i) => i.label);
  };

  test('host names where a VM names its host', async () => {
    const names = await labels(variant('"host": "HV02"', '"host": "|"'));
    assert.ok(names.includes('HV01') && names.includes('HV02'), names.join());
  });

  test('VM names where an event names a VM', async () => {
    const names = await labels(variant('"vm": "WEB01"', '"vm": |'));
    assert.ok(names.includes('SQL01') && names.includes('WEB01'), names.join());
    assert.ok(!names.includes('HV01'));
  });

  test('snippets for a VM between VMs', async () => {
    assert.ok((await labels(variant('} },\n    { "name": "WEB01"', '} },\n    |\n    { "name": "WEB01"'))).includes('New VM (Dynamic Memory)'));
  });

  test('snippets for a host and for events', async () => {
    assert.ok((await labels(variant('"hosts": [', '"hosts": [ |'))).includes('New host'));
    assert.ok((await labels(variant('"events": [', '"events": [ |'))).includes('New nodeFailure event'));
  });

  test('keys of the memory object from the schema', async () => {
    const names = await labels(variant('"memory": { "startup": "4GB" }', '"memory": { "startup": "4GB", | }'));
    for (const key of ['buffer', 'priority', 'minimum']) assert.ok(names.some((n) => n.includes(key)), `${key} in ${names.join()}`);
    assert.ok(!names.some((n) => n.includes('startup')), 'a key already written is not offered again');
  });

  test('enum values', async () => {
    const names = await labels(variant('"host": "HV02",', '"host": "HV02", "automaticStartAction": |,'));
    for (const v of ['Nothing', 'StartIfRunning', 'Start']) assert.ok(names.some((n) => n.replace(/"/g, '') === v), `${v} in ${names.join()}`);
  });
});

describe('quick fixes: each applied, the plan re-checks clean', () => {
  // codes the reader reports itself; the others come from rules (skipped until their rule is registered)
  const READER_CODES = new Set(['syntax', 'schema', 'size-invalid', 'size-suspicious', 'duration-invalid', 'event-after-end', 'scenario-event']);
  const cases: { code: string; text: string; expect: RegExp }[] = [
    { code: 'size-suspicious', text: variant('"reserve": "4GB"', '"reserve": 4096'), expect: /"reserve": "4096MB"/ },
    { code: 'schema', text: variant('"host": "HV02",', '"host": "HV02", "automaticStartActon": "Start",'), expect: /"automaticStartAction": "Start"/ },
    { code: 'schema', text: variant('"type": "hostRestart"', '"type": "hostrestart"'), expect: /"type": "hostRestart"/ },
    { code: 'memory-alignment', text: variant('"startup": "4GB"', '"startup": "4097MB"'), expect: /"startup": "4GB"/ },
    { code: 'memory-order', text: variant('"minimum": "2GB", "startup": "8GB"', '"minimum": "8GB", "startup": "2GB"'), expect: /"minimum": "2GB", "startup": "8GB"/ },
    { code: 'dynamic-only', text: variant('"host": "HV02", "memory": { "startup": "4GB" }', '"host": "HV02", "smartPagingFilePath": "D:\\\\SP", "memory": { "startup": "4GB", "maximum": "8GB" }'), expect: /"memory": \{ "dynamic": true, "startup": "4GB", "maximum": "8GB" \}/ },
    { code: 'smart-paging-system-drive', text: variant(', "smartPagingFilePath": "D:\\\\SP"', '').replace('"memory": "64GB",', '"memory": "64GB", "volumes": { "C:": "100GB", "E:": "500GB" },'), expect: /"smartPagingFilePath": "E:\\\\Hyper-V\\\\Smart Paging"/ },
    { code: 'duplicate-name', text: variant('"memory": { "startup": "4GB" } }', '"memory": { "startup": "4GB" } },\n    { "name": "WEB01", "host": "HV02", "memory": { "startup": "2GB" } }'), expect: /"name": "WEB01-2"/ },
  ];
  for (const { code, text, expect } of cases) {
    const implemented = READER_CODES.has(code) || RULES.some((r) => r.codes.includes(code));
    test(`${code}: ${expect.source}`, { skip: implemented ? false : `no rule reports ${code} yet` }, async () => {
      const { uri, diagnostics } = await session.open(text);
      const d = diagnostics.find((x) => x.code === code);
      assert.ok(d, `expected a ${code} diagnostic, got ${diagnostics.map((x) => x.code).join()}`);
      const actions = await session.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
      const fix = actions.find((a) => a.isPreferred && a.diagnostics?.[0].code === code);
      assert.ok(fix, `a preferred fix for ${code}: ${actions.map((a) => a.title).join()}`);
      const fixed = applyWorkspaceEdit(text, uri, fix.edit);
      assert.match(fixed, expect);
      assert.match(fixed, /\/\/ two hosts, one VM each/, 'comments stay');
      assert.deepEqual(await session.change(uri, fixed), [], fixed);
    });
  }
});

describe('names', () => {
  test('go to definition from an event to the VM', async () => {
    const { text, position } = at(variant('"vm": "WEB01"', '"vm": "WE|B01"'));
    const { uri } = await session.open(text);
    const loc = await session.request<Location>('textDocument/definition', { textDocument: { uri }, position });
    const line = text.split('\n')[loc.range.start.line];
    assert.equal(line.slice(loc.range.start.character, loc.range.end.character), 'WEB01');
    assert.match(line, /"name": "WEB01"/);
  });

  test('rename a host from a reference renames every occurrence', async () => {
    const { text, position } = at(variant('"host": "HV01" }', '"host": "HV|01" }'));
    const { uri } = await session.open(text);
    const edit = await session.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position, newName: 'HOST-A' });
    const renamed = applyWorkspaceEdit(text, uri, edit);
    assert.equal(renamed.split('"HOST-A"').length - 1, 3);
    assert.ok(!renamed.includes('HV01'));
    assert.deepEqual(await session.change(uri, renamed), []);
  });

  test('rename refuses a name that is taken', async () => {
    const { text, position } = at(variant('"name": "WEB01"', '"name": "W|EB01"'));
    const { uri } = await session.open(text);
    await assert.rejects(session.request('textDocument/rename', { textDocument: { uri }, position, newName: 'SQL01' }), /already exists/);
  });

  test('prepare rename gives the name without quotes', async () => {
    const { text, position } = at(variant('"name": "HV02"', '"name": "H|V02"'));
    const { uri } = await session.open(text);
    const r = await session.request<{ placeholder: string }>('textDocument/prepareRename', { textDocument: { uri }, position });
    assert.equal(r.placeholder, 'HV02');
  });
});

describe('outline, code lens, formatting, simulate', () => {
  test('outline: hosts, VMs and events', async () => {
    const { uri } = await session.open(PLAN);
    const symbols = await session.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const tree = Object.fromEntries(symbols.map((s) => [s.name, (s.children ?? []).map((c) => c.name)]));
    assert.deepEqual(tree, { hosts: ['HV01', 'HV02'], vms: ['SQL01', 'WEB01'], scenario: ['0:05:00 hostRestart', '0:06:00 vmRestart'] });
  });

  test('code lens: Simulate runs the timeline command with the document', async () => {
    const { uri } = await session.open(PLAN);
    const lenses = await session.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses[0].command!.command, COMMANDS.showTimeline);
    assert.deepEqual(lenses[0].command!.arguments, [uri]);
    assert.match(lenses[1].command!.title, /^HV01: 8\.09 GB of 60 GB committed/);
  });

  test('formatting keeps comments', async () => {
    const text = '{ // the hosts\n"hosts": [ { "name": "HV01", /* big */ "memory": "64GB" } ], "vms": [] }';
    const { uri } = await session.open(text);
    const edits = await session.request<never[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    const formatted = applyEdits(text, edits);
    assert.match(formatted, /\/\/ the hosts\n {2}"hosts": \[/);
    assert.match(formatted, /\/\* big \*\//);
  });

  test('simulate refuses a plan with errors, saying where', async () => {
    const { uri } = await session.open(variant('"startup": "4GB"', '"startup": "4 gigs"'));
    const r = await session.request<SimulateResponse>(SimulateRequest.method, { uri });
    assert.equal(r.ok, false);
    assert.match((r as { errors: string[] }).errors[0], /^line 10, column \d+: The size "4 gigs"/);
  });

  test('simulate answers for a clean plan with the simulation of that version', async () => {
    const { uri } = await session.open(PLAN);
    const r = await session.request<SimulateResponse>(SimulateRequest.method, { uri });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.version, 1);
    assert.deepEqual(Object.keys(r.result.vms).sort(), ['SQL01', 'WEB01']);
    assert.ok(r.result.events.some((e) => e.type === 'hostRestart' && e.host === 'HV01' && e.t === 300));
  });

  test('the scenario in hovers and host lenses: a VM that restarts on Smart Paging', async () => {
    const text = readFileSync(join(SAMPLES, 'standalone-restart.hvmem.jsonc'), 'utf8');
    const { uri, diagnostics } = await session.open(text);
    const paging = diagnostics.find((d) => d.code === 'restart-smart-paging');
    assert.ok(paging, 'the sample has a VM restarting on Smart Paging');
    const hover = markdownOf(await session.request<Hover>('textDocument/hover', { textDocument: { uri }, position: paging.range.start }));
    assert.match(hover, /\n\nScenario: restarted at \d+:\d\d:\d\d with [\d.]+ [KMG]B on Smart Paging/);
    const lenses = await session.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    // Then, once the background advice is in, the headroom (test/lsp-advice.test.ts).
    assert.match(lenses[1].command!.title, /^HV01: 46\.5 GB of 38 GB committed: over by 8\.5 GB · 6 of 7 VMs started \(2 restored, 4 booted\), 1 on Smart Paging \(largest 4\.5 GB\), no failures( · no room for another VM like WEB02)?$/);
  });

  test('a Smart Paging restart caused by the stop action has its verified quick fix: Save, and the warning is gone', async () => {
    // B is shut down at the restart and boots on 2 GB of Smart Paging; saved, it is restored beside A.
    const text = BOOK_CASE;
    const { uri, diagnostics } = await session.open(text);
    const paging = diagnostics.find((d) => d.code === 'restart-smart-paging')!;
    const actions = await session.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: paging.range, context: { diagnostics: [paging] } });
    const fix = actions.find((a) => a.title === 'Set B\'s stop action to Save (restored after a host restart, no Smart Paging)');
    assert.ok(fix?.isPreferred, actions.map((a) => a.title).join());
    const fixed = applyWorkspaceEdit(text, uri, fix.edit);
    assert.match(fixed, /"automaticStopAction": "Save"/);
    assert.match(fixed, /\/\/ the application server/, 'comments stay');
    assert.deepEqual((await session.change(uri, fixed)).map((d) => d.code), []);
    // On the standalone sample, Save would not help WEB02: restored with the 2.4 GB it held, it would not
    // fit (a restore gets no Smart Paging), so the simulation refuses that fix.
    const sample = readFileSync(join(SAMPLES, 'standalone-restart.hvmem.jsonc'), 'utf8');
    const opened = await session.open(sample);
    const web02 = opened.diagnostics.find((d) => d.code === 'restart-smart-paging')!;
    const offered = await session.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: opened.uri }, range: web02.range, context: { diagnostics: [web02] } });
    assert.deepEqual(offered.filter((a) => /stop action/.test(a.title)), []);
  });

  test('on a cluster, each node\'s lens and hover say what a drain now would do', async () => {
    const text = readFileSync(join(SAMPLES, 'patch-night.hvmem.jsonc'), 'utf8');
    const { uri } = await session.open(text);
    const lenses = await session.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const byHost = (h: string) => lenses.find((l) => l.command!.title.startsWith(`${h}:`))!.command!.title;
    assert.match(byHost('HV-A'), / · drain: moves 4 VMs in [\d a-z]+ \(3 live, 1 quick\)( · (no )?room for .*)?$/);
    assert.match(byHost('HV-C'), / · drain: fails: SQL-C cannot move \(no node it may run on \(its possible owners: HV-C, HV-A\) has room/);
    const line = text.split('\n').findIndex((l) => l.includes('"name": "HV-C"'));
    const hover = markdownOf(await session.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line, character: text.split('\n')[line].indexOf('HV-C') + 1 } }));
    assert.match(hover, /If drained now: \*\*fails\*\*: SQL-C cannot move/);
  });
});

describe('settings', () => {
  test('code lenses can be turned off', async () => {
    const off = await Session.start({ codeLens: { enabled: false } });
    try {
      const { uri } = await off.open(PLAN);
      assert.deepEqual(await off.request('textDocument/codeLens', { textDocument: { uri } }), []);
    } finally {
      await off.stop();
    }
  });
});
