// Advice on plans it has never seen: over generated plans, every fix `advise` lists is applied to the
// text and the plan checked again from scratch, as a user would (`hvmem check`): the finding is gone and
// no new error appears; a numeric fix one step smaller keeps the finding (or brings an error). Headroom
// is tested by writing that many more VMs of the shape into a one-host plan (they fit) and one more
// (it does not).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { modify, applyEdits as applyJsonEdits } from 'jsonc-parser';
import { advise, type Change } from '../server/src/core/advise';
import { changeFix } from '../server/src/core/advise/changes';
import { analyzePlan, simulationBlockers } from '../server/src/core/analyze';
import type { PlanDiagnostic } from '../server/src/core/diagnostics';
import { fixTextEdits } from '../server/src/core/fixes';
import { simulate, simulationRefusal } from '../server/src/core/simulate';
import { GB, MB } from '../server/src/core/units';
import { applyEdits } from './lspSession';
import { generatePlan } from './support/plans';

const SEEDS = 200;

/** The plan's text with the change written into it, the way `advise` writes it. */
function written(text: string, change: Change): string {
  const a = analyzePlan(text, { scenario: false });
  const edits = fixTextEdits(text, a.plan, a.root, changeFix(change)) ?? [];
  assert.ok(edits.length, `${JSON.stringify(change)}: no edit`);
  let out = text;
  for (const e of [...edits].sort((x, y) => y.span.start - x.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

/** The same change one step smaller, or undefined for a change that has no steps. */
function oneStepLess(c: Change): Change | undefined {
  switch (c.kind) {
    case 'hostMemory': return c.to - GB > c.from ? { ...c, to: c.to - GB } : undefined;
    case 'vmStartup': return c.to + 2 * MB < c.from ? { ...c, to: c.to + 2 * MB } : undefined;
    case 'vmMinimum': return c.to + 2 * MB < c.from ? { ...c, to: c.to + 2 * MB } : undefined;
    case 'startDelay': return c.to - 1 > c.from ? { ...c, to: c.to - 1 } : undefined;
    default: return undefined;
  }
}

/** VMs running (or saved, to be restored) when the plan's scenario ends. */
function upAtEnd(text: string): Set<string> {
  const { plan } = analyzePlan(text, { scenario: false });
  const result = simulate(plan, { series: false });
  return new Set(plan.vms.filter((v) => result.vms[v.name].running || result.vms[v.name].saved).map((v) => v.name));
}

/** One finding, before and after a change: the same code about the same VM (its numbers may differ). */
const same = (a: PlanDiagnostic, b: PlanDiagnostic) => a.code === b.code && (a.about?.vm !== undefined ? a.about.vm === b.about?.vm : a.message === b.message);

test(`every fix advised for ${SEEDS} generated plans works when written into the plan, and one step less does not`, () => {
  let checked = 0;
  let numeric = 0;
  const kinds = new Set<string>();
  for (let seed = 1; seed <= SEEDS; seed++) {
    const text = generatePlan(seed);
    const a = analyzePlan(text, { scenario: false });
    if (simulationBlockers(a.diagnostics).length || simulationRefusal(a.plan)) continue;
    const before = analyzePlan(text).diagnostics;
    const advice = advise({ text, root: a.root, plan: a.plan }, { fixesOnly: true });
    for (const finding of advice.findings) {
      for (const fix of finding.fixes) {
        const label = `seed ${seed}, ${finding.code} on ${finding.vm}: ${fix.title}`;
        const after = analyzePlan(applyEdits(text, fix.edits)).diagnostics;
        assert.ok(!after.some((d) => d.code === finding.code && d.about?.vm === finding.vm && (finding.vm !== undefined || d.message === finding.message)), `${label}: the finding remains`);
        const fresh = after.filter((d) => d.severity === 'error' && !before.some((b) => same(b, d)));
        assert.deepEqual(fresh.map((d) => d.message), [], `${label}: new errors`);
        // Never an invalid value: every size written is a whole even number of MB.
        for (const e of fix.edits) for (const m of e.newText.matchAll(/"(\d+)MB"/g)) assert.equal(Number(m[1]) % 2, 0, `${label}: odd MB`);
        const less = oneStepLess(fix.change);
        if (less) {
          numeric++;
          const t = written(text, less);
          const lessAfter = analyzePlan(t).diagnostics;
          const stillThere = lessAfter.some((d) => d.code === finding.code && d.about?.vm === finding.vm);
          const newError = lessAfter.some((d) => d.severity === 'error' && !before.some((b) => same(b, d)));
          // The trouble moved to another VM (the next one preempted instead) is no fix either.
          const moved = lessAfter.some((d) => d.code === finding.code && !before.some((b) => same(b, d)));
          // So is a VM that was back by the end and no longer is (its start delayed past the end).
          const up = upAtEnd(t);
          const leftOff = [...upAtEnd(text)].some((vm) => !up.has(vm));
          assert.ok(stillThere || newError || moved || leftOff, `${label}: one step less (${JSON.stringify(less)}) also works`);
        }
        kinds.add(fix.change.kind);
        checked++;
      }
    }
  }
  // The generated plans must reach the search, or this proves little.
  assert.ok(checked >= 30, `only ${checked} fixes checked`);
  assert.ok(numeric >= 15, `only ${numeric} numeric fixes checked`);
  for (const kind of ['hostMemory', 'vmStartup', 'stopAction']) assert.ok(kinds.has(kind), `no ${kind} fix among ${[...kinds].join(', ')}`);
});

/** The text with `n` more VMs of the advised shape on the host, written into the plan's VM list. */
function withMoreVms(text: string, host: string, n: number, shape: { startup: number; dynamic: boolean }, like: Record<string, unknown> | undefined): string {
  let out = text;
  for (let i = 0; i < n; i++) {
    const vm = like ? { ...like, name: `added${i}`, host } : { name: `added${i}`, host, memory: { startup: `${shape.startup / MB}MB` } };
    out = applyJsonEdits(out, modify(out, ['vms', -1], vm, { isArrayInsertion: true, formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  }
  return out;
}

const TROUBLE = ['restart-smart-paging', 'restart-failure', 'startup-exceeds-host', 'numa-fit'];

test('headroom on generated one-host plans: that many more VMs of the shape come back, one more does not', () => {
  let checked = 0;
  let positive = 0;
  for (let seed = 1; seed <= 600 && checked < 30; seed++) {
    const text = generatePlan(seed);
    const a = analyzePlan(text, { scenario: false });
    if (a.plan.hosts.length !== 1 || a.plan.cluster || simulationBlockers(a.diagnostics).length || simulationRefusal(a.plan)) continue;
    const advice = advise({ text, root: a.root, plan: a.plan });
    const room = advice.headroom;
    if (!room) continue;
    const host = a.plan.hosts[0].name;
    const more = room.hosts[host].more;
    // The VM the shape copies, as written (its name and host replaced).
    // The VM the shape copies, as written: running, coming back after a restart, without placement constraints.
    const written = room.shape.like !== undefined ? (JSON.parse(text).vms as Record<string, unknown>[]).find((v) => v.name === room.shape.like) : undefined;
    const like = written && { ...written, state: 'Running', possibleOwners: undefined, antiAffinityClass: undefined, automaticStartAction: written.automaticStartAction === 'Nothing' ? 'StartIfRunning' : written.automaticStartAction };
    const key = (d: { code: string; about?: { vm?: string } }) => `${d.code} ${d.about?.vm}`;
    const base = new Set(analyzePlan(text).diagnostics.filter((d) => TROUBLE.includes(d.code)).map(key));
    const trouble = (t: string) => analyzePlan(t).diagnostics.some((d) => TROUBLE.includes(d.code) && !base.has(key(d)));
    assert.equal(trouble(withMoreVms(text, host, more, room.shape, like)), false, `seed ${seed}: ${more} more on ${host} bring trouble`);
    assert.equal(trouble(withMoreVms(text, host, more + 1, room.shape, like)), true, `seed ${seed}: ${more + 1} more on ${host} still fit`);
    if (more > 0) positive++;
    checked++;
  }
  assert.ok(checked >= 8, `only ${checked} plans checked`);
  assert.ok(positive >= 3, `only ${positive} plans had room for more`);
});
