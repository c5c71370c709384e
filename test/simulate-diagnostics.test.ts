// Diagnostics from the scenario, as `hvmem check` and the editor report them: on the VM's name,
// only for plans without errors, and not at all when the caller asks for no scenario.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzePlan } from '../server/src/core/analyze';
import { marked } from './support/marked';

function scenarioFindings(source: string, options = {}) {
  const { text, spans } = marked(source);
  const codes = new Set(['restart-smart-paging', 'restart-failure', 'smart-paging-over-target', 'failover-capacity']);
  const found = analyzePlan(text, options).diagnostics.filter((d) => codes.has(d.code));
  return { found, spans };
}

// 2 GB for VMs, no overhead; "app" holds its 512 MB minimum, "filler" the other 1.5 GB.
const restartPlan = (demand: string, extra = '') => `{
  "hosts": [{ "name": "HV01", "memory": "4GB", "vmOverhead": "none" ${extra} }],
  "vms": [
    { "name": ⟦"app"⟧, "memory": { "dynamic": true, "startup": "1GB", "minimum": "512MB" }, "demand": ${demand}, "smartPagingFilePath": "D:\\\\sp" },
    { "name": "filler", "memory": { "startup": "1536MB" } }
  ],
  "scenario": { "duration": "15m", "events": [{ "at": 10, "type": "vmRestart", "vm": "app" }] }
}`;

test('restart-smart-paging sits on the VM name and gives the size, the time and the folder', () => {
  const { found, spans } = scenarioFindings(restartPlan('"400MB"'));
  assert.deepEqual(found.map((d) => [d.code, d.severity]), [['restart-smart-paging', 'warning']]);
  assert.deepEqual(found[0].span, spans[0]);
  assert.match(found[0].message, /0:00:10/);
  assert.match(found[0].message, /512 MB Smart Paging file in D:\\sp/);
  assert.match(found[0].message, /1 min 8 s/);
});

test('smart-paging-over-target joins it when the guest keeps the memory', () => {
  const { found } = scenarioFindings(restartPlan('"1GB"'));
  assert.deepEqual(found.map((d) => d.code), ['restart-smart-paging', 'smart-paging-over-target']);
  assert.match(found[1].message, /14 min 50 s/);
  assert.match(found[1].message, /10 min target/);
});

test('restart-failure is an error that says why and when', () => {
  const { found, spans } = scenarioFindings(restartPlan('"400MB"', ', "volumes": { "D:": "100MB" }'));
  assert.deepEqual(found.map((d) => [d.code, d.severity]), [['restart-failure', 'error']]);
  assert.deepEqual(found[0].span, spans[0]);
  assert.match(found[0].message, /0:00:10/);
  assert.match(found[0].message, /512 MB Smart Paging file in D:\\sp does not fit: D: has 100 MB free/);
});

test('no scenario diagnostics when asked for none, or when the plan has errors', () => {
  assert.equal(scenarioFindings(restartPlan('"400MB"'), { scenario: false }).found.length, 0);
  const broken = restartPlan('"400MB"').replace('"1536MB"', '"1535MB"');
  const all = analyzePlan(marked(broken).text).diagnostics;
  assert.ok(all.some((d) => d.code === 'memory-alignment'));
  assert.equal(scenarioFindings(broken).found.length, 0);
});

test('failover-capacity names the node whose loss leaves a VM nowhere to start', () => {
  // Each node: 8 GB for VMs (10 GB less the 2 GB reserve, which is larger than the 512 MB RootMemoryReserved:
  // the two are not added). "big" (6 GB) on A; B holds 3 GB and C 4 GB, so neither has 6 GB free. Losing
  // B or C is fine: their VMs fit on A or each other.
  const { found, spans } = scenarioFindings(`{
    "hosts": [
      { "name": "A", "memory": "10GB", "vmOverhead": "none" },
      { "name": "B", "memory": "10GB", "vmOverhead": "none" },
      { "name": "C", "memory": "10GB", "vmOverhead": "none" }
    ],
    "cluster": { "name": "CL" },
    "vms": [
      { "name": ⟦"big"⟧, "host": "A", "memory": { "startup": "6GB" } },
      { "name": "b1", "host": "B", "memory": { "startup": "3GB" } },
      { "name": "c1", "host": "C", "memory": { "startup": "4GB" } }
    ],
    "scenario": { "events": [] }
  }`);
  assert.deepEqual(found.map((d) => [d.code, d.severity]), [['failover-capacity', 'warning']]);
  assert.deepEqual(found[0].span, spans[0]);
  assert.match(found[0].message, /^If A fails, big cannot run on any other node: no node can take its 6 GB startup memory/);
  assert.match(found[0].message, /the most any node could give was 5 GB/);
});
