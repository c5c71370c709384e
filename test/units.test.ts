import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatBytesExact, formatDuration, GB, KB, MB, parseDuration, parseSize, TB } from '../server/src/core/units';

const sizes: [string | number, number | null][] = [
  ['512MB', 512 * MB], ['4 GB', 4 * GB], ['1.5GB', 1.5 * GB], ['2TB', 2 * TB], ['4GiB', 4 * GB], ['64kb', 64 * KB],
  ['512mb', 512 * MB], ['  1 TiB ', TB], [1073741824, GB], [0, 0], ['100B', 100],
  ['-1GB', null], ['1e400GB', null], ['GB', null], ['1.0000001MB', null], ['1024', null], ['4 gigs', null],
  ['', null], [-5, null], [1.5, null], [Infinity, null], ['99999999PB', null], ['1..5GB', null],
];
for (const [input, expected] of sizes) {
  test(`size ${JSON.stringify(input)} → ${expected ?? 'error'}`, () => {
    const r = parseSize(input);
    if (expected === null) {
      assert.equal(r.ok, false);
      assert.ok(!r.ok && r.message.length > 5);
    } else assert.deepEqual(r, { ok: true, value: expected });
  });
}

const durations: [string | number, number | null][] = [
  ['90s', 90], ['5m', 300], ['1h', 3600], ['1h30m', 5400], ['1h 30m 15s', 5415], ['2d', 172800], [45, 45], ['120', 120], [0.5, 0.5],
  ['-5m', null], ['5x', null], ['m', null], ['30m1h', null], ['', null], [-1, null], ['1h1h', null],
];
for (const [input, expected] of durations) {
  test(`duration ${JSON.stringify(input)} → ${expected ?? 'error'}`, () => {
    const r = parseDuration(input);
    if (expected === null) assert.equal(r.ok, false);
    else assert.deepEqual(r, { ok: true, value: expected });
  });
}

test('sizes read back the way people write them', () => {
  assert.equal(formatBytes(512 * MB), '512 MB');
  assert.equal(formatBytes(1.5 * GB), '1.5 GB');
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytesExact(1.5 * GB), '≈ 1.5 GB = 1,536 MB = 1,572,864 KB = 1,610,612,736 bytes');
  assert.equal(formatDuration(90), '1 min 30 s');
  assert.equal(formatDuration(7500), '2 h 5 min');
});

test('a unit named like a member of every object is an unknown unit, not a number', () => {
  for (const unit of ['constructor', 'toString', 'valueOf', 'hasOwnProperty']) {
    assert.deepEqual(parseSize(`8${unit}`), { ok: false, message: `has an unknown unit "${unit}": use B, KB, MB, GB or TB (1024-based)` });
  }
});
