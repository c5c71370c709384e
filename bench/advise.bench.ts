// `hvmem advise` on the full cluster (64 hosts, 8,000 VMs, 1 hour with a node failure at half time):
// every finding's fixes, the headroom of each host and of the cluster (each count checked by the loss
// of each node), growth and the N+1 placement; against `hvmem check` of the same plan in the same run
// (its rules, its simulation and its loss of each node once). Then the editor's quick fixes of one
// finding on a plan of 1,000 VMs, from a fresh advisor, against one simulation of that plan.
import { advise, Advisor } from '../server/src/core/advise';
import { analyzePlan } from '../server/src/core/analyze';
import { simulate } from '../server/src/core/simulate';
import { generatePlan } from './generate';
import { clusterPlan } from './simulate.bench';
import { row, timeBest } from './util';

export async function run(): Promise<void> {
  const text = clusterPlan(3600, 3);
  const read = analyzePlan(text, { scenario: false });
  console.log(`  64 hosts, 8000 VMs, 1 hour at 1 s ticks, a node failure at half time`);
  const check = timeBest(() => { analyzePlan(text); }, 2);
  row('baseline: hvmem check (rules, scenario, loss of each node)', check);
  let summary = '';
  const all = timeBest(() => {
    const a = advise({ text, root: read.root, plan: read.plan });
    const hosts = Object.values(a.headroom?.hosts ?? {}).map((h) => h.more);
    summary = `${a.findings.length} findings, ${a.findings.reduce((s, f) => s + f.fixes.length, 0)} fixes; headroom ${Math.min(...hosts)}–${Math.max(...hosts)} per host, ${a.headroom?.cluster?.more} on the cluster; growth ${a.growth.percentUntilFirstFinding} %; ${a.simulations} simulations`;
  }, 1);
  row('advise()', all, check, `(goal < 10 s: ${all < 10000 ? 'met' : 'missed'})`);
  console.log(`  ${summary}`);

  // 1,000 VMs on 8 hosts of 1 TB, every host restarting: Smart Paging restarts and failed starts.
  const small = generatePlan(1000, 8);
  const plan = analyzePlan(small, { scenario: false });
  const finding = new Advisor({ text: small, root: plan.root, plan: plan.plan }).findings()[0];
  if (!finding) { console.log('  the 1,000-VM plan has no finding to fix'); return; }
  console.log(`  1000 VMs on 8 hosts, every host restarting; the quick fixes of ${finding.code} on ${finding.vm}`);
  const one = timeBest(() => { simulate(plan.plan, { series: false }); }, 3);
  row('baseline: one simulation of the plan', one);
  let fixes = '';
  const quick = timeBest(() => {
    const advisor = new Advisor({ text: small, root: plan.root, plan: plan.plan });
    const found = advisor.fixes(advisor.findings()[0]);
    fixes = `${found.length} fixes (${found.map((f) => f.title).join('; ')}), ${advisor.ev.simulations} simulations`;
  }, 3);
  row('the quick fixes of one finding', quick, one, `(goal < 1 s: ${quick < 1000 ? 'met' : 'missed'})`);
  console.log(`  ${fixes}`);
}
