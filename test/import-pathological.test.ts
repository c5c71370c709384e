// Import sources built to be slow (bench/pathological.ts): each completes and still imports the VM
// written after its filler. How fast is measured by `npm run bench import` at 10 MB; here a smaller
// size is enough for a reader that is quadratic to never finish, which the time-out turns into a failure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectFormat, importPlan } from '../server/src/core/import';
import { readPlan } from '../server/src/core/read';
import { parseSize } from '../server/src/core/units';
import { PATHOLOGICAL } from '../bench/pathological';

const SIZE = 1024 * 1024;

for (const source of PATHOLOGICAL) {
  test(`${source.format}: ${source.label}`, { timeout: 120_000 }, () => {
    const text = source.text(SIZE);
    assert.ok(text.length >= SIZE * 0.9, `the filler is ${text.length} characters`);
    assert.equal(detectFormat(text), source.format);
    const result = importPlan([{ file: source.file, text }]);
    const vm = readPlan(result.text).plan.vms.find((v) => v.name === source.vm.name);
    assert.ok(vm, `${source.vm.name} imported:\n${result.text.slice(0, 2000)}`);
    assert.equal(vm.startupBytes, (parseSize(source.vm.startup) as { value: number }).value);
  });
}
