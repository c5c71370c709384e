import { readFileSync } from 'node:fs';
import { analyzePlan } from './server/src/core/analyze';
import { Evaluator, subPlan } from './server/src/core/advise/evaluate';
const text = readFileSync('samples/patch-night.hvmem.jsonc', 'utf8');
const a = analyzePlan(text, { scenario: false });
const own = subPlan(a.plan, new Set(['HV-A']));
const plan = { ...own, scenario: { ...own.scenario, events: [{ index: -1, atSeconds: 0, type: 'hostRestart', host: 'HV-A', span: { start: 0, end: 0 }, spans: {} }] } } as any;
for (const f of new Evaluator(a.plan).findings(plan)) console.log(f.key, f.message.slice(0, 140));
