// "Use in plan" from the page sharing panel, without the editor: the hosts a plan names, the scan's
// path as the plan writes it (inside the plan's folder only), and the edit of the host's pageSharing,
// which the reader then takes as written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from 'jsonc-parser';
import { join } from 'node:path';
import { pageSharingEdits, pageSizeText, planHosts, scanPathInPlan } from '../client/src/pages/planEdit';
import { readPlan } from '../server/src/core/read';

const PLAN = `{
  // two hosts, the second already with a what-if
  "hosts": [
    { "name": "HV01", "memory": "64GB" },
    { "name": "HV02", "memory": "64GB", "pageSharing": "10%" },
    { "memory": "8GB" }
  ],
  "vms": []
}
`;

test('the hosts a plan names, with their place in "hosts"', () => {
  assert.deepEqual(planHosts(PLAN), [{ name: 'HV01', index: 0 }, { name: 'HV02', index: 1 }]);
  assert.deepEqual(planHosts('{ not json'), []);
  assert.deepEqual(planHosts('{ "hosts": 3 }'), []);
});

test('the scan path is relative to the plan, with "/", and only inside its folder', () => {
  const plan = join('/work', 'plans', 'lab.hvmem.jsonc');
  assert.equal(scanPathInPlan(plan, join('/work', 'plans', 'scans', 'hv01.json')), 'scans/hv01.json');
  assert.equal(scanPathInPlan(plan, join('/work', 'plans', 'hv01.json')), 'hv01.json');
  assert.equal(scanPathInPlan(plan, join('/work', 'other', 'hv01.json')), undefined);
  assert.equal(scanPathInPlan(plan, join('/work', 'plans')), undefined);
  assert.equal(scanPathInPlan(plan, '/etc/hv01.json'), undefined);
});

test('the edit points the host at the scan, replacing a what-if it had, and keeps the comments', () => {
  for (const [index, host] of [[0, 'HV01'], [1, 'HV02']] as const) {
    const text = applyEdits(PLAN, pageSharingEdits(PLAN, index, 'scans/hv.json', 2 * 1024 ** 2));
    assert.match(text, /\/\/ two hosts, the second already with a what-if/);
    const { plan } = readPlan(text, { readSharingScan: () => ({ problem: 'not read in this test' }) });
    const edited = plan.hosts.find((h) => h.name === host)!;
    assert.deepEqual([edited.pageSharingScan?.path, edited.pageSharingScan?.pageSizeBytes], ['scans/hv.json', 2 * 1024 ** 2], text);
    const other = plan.hosts.find((h) => h.name === (host === 'HV01' ? 'HV02' : 'HV01'))!;
    assert.equal(other.pageSharingScan, undefined, 'the other host is left as it was');
  }
  assert.deepEqual([4096, 2 * 1024 ** 2, 1024 ** 3, 3000].map(pageSizeText), ['4KB', '2MB', '1GB', '3000']);
});
