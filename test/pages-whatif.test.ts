// The page sharing what-if in a plan: the host's "pageSharing" share lets the simulation hold more VM
// memory, so a restart that needed Smart Paging may not.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readPlan } from '../server/src/core/read';
import { simulate } from '../server/src/core/simulate';
import { analyzePlan } from '../server/src/core/analyze';
import { planSchema } from '../server/src/core/schema';
import { MB, GB } from '../server/src/core/units';

// 4 GB host, 2 GB reserve: 2 GB for VMs, no overhead. "app" holds its 512 MB minimum and restarts at
// t = 10 needing 1 GB; "filler" (static) holds the other 1.5 GB, so without sharing the restart takes
// 512 MB from a Smart Paging file (the book's case).
const plan = (pageSharing?: string) => `{
  "hosts": [{ "name": "HV01", "memory": "4GB", "vmOverhead": "none"${pageSharing === undefined ? '' : `, "pageSharing": ${pageSharing}`} }],
  "vms": [
    { "name": "app", "memory": { "dynamic": true, "startup": "1GB", "minimum": "512MB", "maximum": "4GB" }, "demand": "400MB" },
    { "name": "filler", "memory": { "startup": "1536MB" } }
  ],
  "scenario": { "duration": "5m", "events": [{ "at": 10, "type": "vmRestart", "vm": "app" }] }
}`;

function restart(pageSharing?: string) {
  const { plan: p, diagnostics } = readPlan(plan(pageSharing));
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const r = simulate(p);
  const started = r.events.find((e) => e.type === 'vmStarted' && e.vm === 'app') as { physicalBytes: number; smartPagingBytes: number };
  return { physical: started.physicalBytes, smartPaging: started.smartPagingBytes, capacity: r.hosts.HV01.capacity };
}

test('no sharing, as Hyper-V: the restart needs 512 MB of Smart Paging', () => {
  assert.deepEqual(restart(), { physical: 512 * MB, smartPaging: 512 * MB, capacity: 2 * GB });
  assert.deepEqual(restart('"0%"'), restart());
});

test('20 % shared: the host holds 2 GB / 0.8 = 2.5 GB of VM memory, and the restart needs no Smart Paging', () => {
  assert.deepEqual(restart('"20%"'), { physical: 1 * GB, smartPaging: 0, capacity: 2.5 * GB });
  assert.deepEqual(restart('20'), restart('"20%"'));
});

test('10 % shared: less Smart Paging, by the 227.6 MB that sharing frees', () => {
  // capacity = floor(2 GB / 0.9) = 2,386,092,942 bytes; free at the restart = that - 2 GB = 238,609,294;
  // Smart Paging = 1 GB - 512 MB held - 238,609,294 free = 298,261,618 bytes.
  assert.deepEqual(restart('"10%"'), { physical: 512 * MB + 238_609_294, smartPaging: 298_261_618, capacity: 2_386_092_942 });
});

test('bad values are schema errors on the value', () => {
  for (const [value, message] of [['"12 percent"', /must be a percentage such as "12%"/], ['"95%"', /must be between 0 and 90/], ['-1', /must be between 0 and 90/], ['true', /must be a percentage/]] as const) {
    const text = plan(value);
    const d = analyzePlan(text).diagnostics.find((x) => x.code === 'schema');
    assert.ok(d, value);
    assert.match(d.message, message);
    assert.equal(text.slice(d.span.start, d.span.end), value);
  }
});

test('the JSON Schema takes "12%" and 12', () => {
  const host = (planSchema() as { properties: { hosts: { items: { properties: Record<string, { anyOf: { pattern?: string; maximum?: number }[] }> } } } }).properties.hosts.items.properties;
  const [text, number] = host.pageSharing.anyOf;
  assert.match('12%', new RegExp(text.pattern!));
  assert.match(' 0.5 % ', new RegExp(text.pattern!));
  assert.doesNotMatch('12', new RegExp(text.pattern!));
  assert.equal(number.maximum, 90);
});
