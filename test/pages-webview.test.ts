// The page sharing panel's bars: four parts that add up to every page scanned, zero pages apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PageScanner } from '../server/src/core/pages';
import { sharingBars } from '../client/webview/pages';
import type { PageScanReport } from '../client/src/pages/protocol';
import { image } from './support/pages';

const KB = 1024;

function report(images: string[], pageSizes: number[]): PageScanReport {
  const bytes = images.map((t) => image(t, 4 * KB));
  const scanner = new PageScanner({ pageSizes, reader: { readPage: (i, a, l) => bytes[i].slice(a, a + l) } });
  bytes.forEach((b, i) => { scanner.beginImage(`image ${i}`); scanner.add(0, b); });
  const r = scanner.result();
  return { ...r, images: r.images.map((i) => ({ ...i, kind: 'file' as const })) };
}

test('zero pages apart; the rest shared inside, shared across or unique', () => {
  const [small, large] = sharingBars(report(['A B A 0', 'B C 0 0'], [16 * KB, 4 * KB]));
  const page = 4 * KB;
  assert.deepEqual(small, {
    pageSize: page, scannedBytes: 8 * page, savedBytes: 4 * page,
    zeroBytes: 3 * page, withinBytes: 1 * page, acrossBytes: 1 * page, uniqueBytes: 3 * page, hashCollisions: 0,
  });
  assert.equal(large.pageSize, 16 * KB);
  assert.equal(large.uniqueBytes, 2 * 16 * KB);
});

test('the parts always add up to what was scanned', () => {
  for (const images of [['0 0 0'], ['A A A', 'A A 0'], ['A B C D', 'D C B A', '0 A 0 B']]) {
    for (const bar of sharingBars(report(images, [4 * KB, 8 * KB]))) {
      assert.equal(bar.zeroBytes + bar.withinBytes + bar.acrossBytes + bar.uniqueBytes, bar.scannedBytes, images.join(' | '));
      assert.equal(bar.savedBytes, bar.scannedBytes - bar.uniqueBytes - (bar.zeroBytes > 0 ? bar.pageSize : 0));
    }
  }
});

