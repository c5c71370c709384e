// The page sharing panel's bars: four parts that add up to every page scanned, zero pages apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PageScanner } from '../server/src/core/pages';
import { imageShare, sharingBars } from '../client/webview/pages';
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
    zeroBytes: 3 * page, withinBytes: 1 * page, acrossBytes: 1 * page, uniqueBytes: 3 * page, hashCollisions: 0, tooSmall: [],
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


test('"shared inside one image" is one figure: the images\' own shares add up to the bar\'s, zero pages apart', () => {
  const r = report(['A A B 0 0 0', 'A C C C 0 0'], [4 * KB]);
  const [bar] = sharingBars(r);
  const own = r.images.map((i) => imageShare(i.pageSizes[String(4 * KB)], 4 * KB));
  assert.deepEqual(own.map((o) => o.withinBytes / (4 * KB)), [1, 2], 'image 0 repeats A once, image 1 repeats C twice; their zero pages are not in it');
  assert.deepEqual(own.map((o) => o.zeroBytes / (4 * KB)), [3, 2]);
  assert.equal(own.reduce((s, o) => s + o.withinBytes, 0), bar.withinBytes);
  // The scan's own per-image figure counts zero pages too: that is the 58.6 % beside a 34.0 % that was not.
  assert.equal(r.images[0].pageSizes[String(4 * KB)].savedWithinBytes, (1 + 2) * 4 * KB);
});

test('an image smaller than a page is named as such, and a size no image fills has nothing to compare', () => {
  const bars = sharingBars(report(['A B', 'A B C D'], [4 * KB, 16 * KB]));
  const large = bars.find((b) => b.pageSize === 16 * KB)!;
  assert.deepEqual(large.tooSmall, [{ name: 'image 0', bytes: 8 * KB }], 'two 4 KB pages make no 16 KB page');
  assert.equal(bars.find((b) => b.pageSize === 4 * KB)!.tooSmall.length, 0);
  const none = sharingBars(report(['A B'], [16 * KB]))[0];
  assert.equal(none.scannedBytes, 0);
  assert.equal(none.tooSmall.length, 1);
  assert.equal(imageShare(undefined, 16 * KB).pages, 0);
});
