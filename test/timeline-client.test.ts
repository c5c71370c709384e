import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { panelHtml } from '../client/src/timeline/html';
import { COMMANDS } from '../server/src/protocol';
import { TIMELINE_VIEW_TYPE } from '../client/webview/protocol';

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

test('the manifest declares the timeline command and the serializer activation', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const commands = pkg.contributes.commands.map((c: { command: string }) => c.command);
  assert.ok(commands.includes(COMMANDS.showTimeline));
  assert.ok(pkg.activationEvents.includes(`onWebviewPanel:${TIMELINE_VIEW_TYPE}`));
  assert.ok(pkg.dependencies.uplot, 'uPlot is bundled into the page, so a runtime dependency');
});
