import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { panelHtml } from '../client/src/timeline/html';
import { findNamedEntry } from '../client/src/timeline/reveal';
import { COMMANDS } from '../server/src/protocol';
import { TIMELINE_VIEW_TYPE } from '../client/webview/protocol';

const plan = `{
  // a host and a VM may share a name: the VM wins
  "hosts": [ { "name": "SQL01", "memory": "64GB" }, { "name": "HV02", "memory": "64GB" } ],
  "vms": [
    { "name": "web", "memory": { "startup": "2GB" } },
    { "memory": { "startup": "4GB" }, "name": "SQL01" },
    { "name": "\\u003cimg\\u003e", "memory": { "startup": "1GB" } },
  ],
}`;

test('reveal finds the VM by name, prefers a VM over a host, then falls back to hosts', () => {
  const at = (name: string) => {
    const span = findNamedEntry(plan, name);
    return span && plan.slice(span.offset, span.offset + span.length);
  };
  assert.equal(at('web'), '"web"');
  const sql = findNamedEntry(plan, 'SQL01')!;
  assert.ok(sql.offset > plan.indexOf('"vms"'), 'the VM, not the host');
  assert.equal(at('HV02'), '"HV02"');
  assert.equal(at('<img>'), '"\\u003cimg\\u003e"', 'escaped names match by value');
  assert.equal(findNamedEntry(plan, 'missing'), undefined);
  assert.equal(findNamedEntry('{ not json', 'web'), undefined);
});

test("the panel's page allows only its own nonce'd script and style, and escapes what it is given", () => {
  const html = panelHtml({ cspSource: 'vscode-resource:', nonce: 'n0nce', scriptUri: 'vscode-resource:/x/dist/timeline.js?a=1&b=2', title: 'Timeline: <b>' });
  const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)![1].replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-n0nce'(;|$)/);
  assert.match(csp, /style-src 'nonce-n0nce'(;|$)/);
  assert.doesNotMatch(csp, /unsafe/);
  assert.match(html, /<script nonce="n0nce" src="vscode-resource:\/x\/dist\/timeline.js\?a=1&#38;b=2"><\/script>/);
  assert.match(html, /<title>Timeline: &#60;b&#62;<\/title>/);
  assert.equal((html.match(/<script/g) ?? []).length, 1, 'no inline script');
});

test('the manifest declares the timeline commands and the serializer activation', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const commands = pkg.contributes.commands.map((c: { command: string }) => c.command);
  assert.ok(commands.includes(COMMANDS.showTimeline));
  assert.ok(commands.includes(COMMANDS.revealInPlan));
  assert.ok(pkg.activationEvents.includes(`onWebviewPanel:${TIMELINE_VIEW_TYPE}`));
  assert.ok(pkg.dependencies.uplot, 'uPlot is bundled into the page, so a runtime dependency');
});
