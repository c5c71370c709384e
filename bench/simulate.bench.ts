// The simulator on a full cluster: 64 hosts, 8,000 VMs, 1 hour at 1 s ticks with demand changes and a
// node failure at half time; then 24 hours. Beside it, in the same run, a baseline: a typed-array pass
// over the same VM-steps doing only the target arithmetic (demand × (1 + buffer) within [min, max]).
// Peak heap is checked by running the simulation in a worker capped at 200 MB of heap.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { readPlan } from '../server/src/core/read';
import { simulate } from '../server/src/core/simulate';
import type { Plan } from '../server/src/core/plan';
import { row, timeBest } from './util';

const HOSTS = 64;
const VMS = 8000;
const HEAP_LIMIT_MB = 200;

/** A cluster sized N+1: 125 VMs per 768 GB node, a mix of static and dynamic VMs whose demand moves. */
export function clusterPlan(durationSeconds: number, stepsPerVm: number): string {
  const hosts = Array.from({ length: HOSTS }, (_, i) => `{ "name": "HV${i}", "memory": "768GB", "reserve": "8GB" }`);
  const vms: string[] = [];
  for (let i = 0; i < VMS; i++) {
    // Every host gets a mix of the four kinds, about 80 % of its memory targeted: N+1 headroom.
    const kind = Math.floor(i / HOSTS) % 4;
    const host = `"host": "HV${i % HOSTS}"`;
    if (kind === 0) { vms.push(`{ "name": "VM${i}", ${host}, "memory": { "startup": "4GB" }, "clusterPriority": "High" }`); continue; }
    const startup = 2 << kind;
    const steps = Array.from({ length: stepsPerVm + 1 }, (_, s) => {
      const at = s === 0 ? 0 : Math.floor(((s - 0.5 + ((i * 7919) % 1000) / 1000) * durationSeconds) / stepsPerVm);
      const gb = 1 + ((i * 31 + s * 17) % startup) / 2;
      return `{ "at": ${at}, "memory": "${gb}GB" }`;
    });
    vms.push(`{ "name": "VM${i}", ${host}, "memory": { "dynamic": true, "startup": "${startup}GB", "minimum": "1GB", "maximum": "${startup * 2}GB", "buffer": ${10 * kind + 10}, "priority": ${(i * 13) % 101} },
      "clusterPriority": "${['High', 'Medium', 'Low', 'NoAutoStart'][i % 4]}", "demand": [${steps.join(', ')}] }`);
  }
  return `{ "hosts": [${hosts.join(',\n')}], "cluster": { "name": "CL", "rootMemoryReserved": "512MB" }, "vms": [${vms.join(',\n')}],
    "scenario": { "duration": ${durationSeconds}, "events": [{ "at": ${Math.floor(durationSeconds / 2)}, "type": "nodeFailure", "host": "HV7" }] } }`;
}

/** The baseline: every VM on every tick, target arithmetic only, over typed arrays. */
function baseline(plan: Plan): number {
  const n = plan.vms.length;
  const demand = new Float64Array(n);
  const buffer = new Float64Array(n);
  const min = new Float64Array(n);
  const max = new Float64Array(n);
  plan.vms.forEach((v, i) => { demand[i] = v.demand[0].bytes; buffer[i] = 100 + v.bufferPercent; min[i] = v.minimumBytes; max[i] = v.maximumBytes; });
  const ticks = Math.floor(plan.scenario.durationSeconds / plan.model.tickSeconds) + 1;
  let sum = 0;
  for (let k = 0; k < ticks; k++) {
    for (let i = 0; i < n; i++) {
      const t = Math.floor((demand[i] * buffer[i]) / 100);
      sum += t < min[i] ? min[i] : t > max[i] ? max[i] : t;
    }
  }
  return sum;
}

export async function run(): Promise<void> {
  // 1 hour: against the baseline. 24 hours: against the 15 s goal (its baseline alone would take
  // 24 times the 1-hour one, so it is not rerun). Default scenario: all 64 hosts restart at once.
  let hourBaseline = 0;
  for (const [label, duration, steps] of [['1 hour', 3600, 3], ['24 hours', 86400, 24], ['default scenario (every host restarts at 0), 30 min', 1800, 0]] as const) {
    let text = clusterPlan(duration, steps);
    if (steps === 0) text = text.replace(/"scenario": \{.*\} \}\s*$/s, '}');
    const { plan } = readPlan(text);
    const runs = duration > 3600 ? 1 : 3;
    console.log(`  ${HOSTS} hosts, ${VMS} VMs, ${label} at 1 s ticks (${(plan.vms.length * (duration + 1) / 1e6).toFixed(1)} M VM-steps)${steps ? ', node failure at half time' : ''}`);
    let sink = 0;
    if (duration === 3600) {
      hourBaseline = timeBest(() => { sink += baseline(plan); }, runs);
      row('baseline: typed-array target arithmetic, every VM-step', hourBaseline, undefined, sink ? '' : '(no work)');
    }
    let events = 0;
    let json = 0;
    const sim = timeBest(() => { const r = simulate(plan); events = r.events.length; json = JSON.stringify(r).length; }, runs);
    if (duration === 3600) row('simulate()', sim, hourBaseline, `(goal < 3x and < 1000 ms: ${sim < 3 * hourBaseline && sim < 1000 ? 'met' : 'missed'})`);
    else if (duration === 86400) row('simulate()', sim, 24 * hourBaseline, `against 24 x the 1-hour baseline (goal < 15 s: ${sim < 15000 ? 'met' : 'missed'})`);
    else row('simulate()', sim);
    console.log(`  ${events} events; JSON result ${(json / 1e6).toFixed(1)} MB`);
    console.log(`  heap in a worker capped at ${HEAP_LIMIT_MB} MB: ${await peakHeap(plan)}`);
  }
  await rollingUpdate();
}

/**
 * A patch night of the whole cluster: every node drained, restarted (2 min) and failed back in turn,
 * against a run of the same plan and length with only a node failure at half time. The goal is judged
 * with demand that moves (one change per VM an hour, as in the 24-hour run), so both runs step their
 * VMs; with flat demand, shown after it, the failure-only run settles and skips nearly all of its 14
 * hours, and the ratio says how much more a patch night does than an idle cluster.
 */
async function rollingUpdate(): Promise<void> {
  const duration = 14 * 3600;
  for (const [label, steps] of [['demand changing hourly', 14], ['flat demand', 0]] as const) {
    const base = clusterPlan(duration, steps).replace('"cluster": {', '"model": { "hostBootSeconds": 120 }, "cluster": {');
    const update = readPlan(base.replace(/"events": \[.*\] \} \}\s*$/s, '"events": [{ "at": 0, "type": "clusterUpdate" }] } }')).plan;
    const failure = readPlan(base).plan;
    console.log(`  ${HOSTS} hosts, ${VMS} VMs, ${label}, a rolling update of every node, ${duration / 3600} hours at 1 s ticks, nodes back 2 min after a restart`);
    const failureOnly = timeBest(() => { simulate(failure, { series: false }); }, 1);
    row('baseline: the same plan and length, a node failure at half time', failureOnly);
    let summary = '';
    const sim = timeBest(() => {
      const r = simulate(update, { series: false });
      const end = r.events.find((e) => e.type === 'clusterUpdateEnded');
      const moves = r.events.filter((e) => e.type === 'vmMigrated').length;
      summary = end && end.type === 'clusterUpdateEnded' ? `${end.ok ? 'done' : `stopped at ${end.stoppedAt}`} after ${(end.seconds / 3600).toFixed(1)} h, ${moves} moves` : `not finished, ${moves} moves`;
    }, 1);
    const goal = steps ? `(goal < 5 s and < 3x: ${sim < 5000 && sim < 3 * failureOnly ? 'met' : 'missed'})` : `(< 5 s: ${sim < 5000 ? 'yes' : 'no'})`;
    row('simulate() the rolling update', sim, failureOnly, goal);
    console.log(`  the update: ${summary}`);
  }
}

/**
 * Simulates the plan in a worker whose heap may not pass the limit: the plan comes in as plain data
 * (no text, no syntax tree), so what the worker holds is the plan, the engine and the result.
 */
function peakHeap(plan: Plan): Promise<string> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    require('tsx/cjs');
    const { simulate } = require(${JSON.stringify(join(import.meta.dirname, '../server/src/core/simulate/index.ts'))});
    const planOnly = process.memoryUsage().heapUsed;
    const result = simulate(workerData);
    parentPort.postMessage({ planOnly, total: process.memoryUsage().heapUsed, events: result.events.length });`;
  return new Promise((resolve) => {
    const worker = new Worker(code, { eval: true, workerData: plan, resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB } });
    worker.once('message', (m: { planOnly: number; total: number }) => {
      const mb = (n: number) => (n / 2 ** 20).toFixed(0);
      resolve(`${mb(m.total)} MB in use at the end with the result (${mb(m.planOnly)} MB before simulating) (goal < ${HEAP_LIMIT_MB} MB: met)`);
      void worker.terminate();
    });
    worker.once('error', (e) => resolve(`FAILED: ${e.message} (goal < ${HEAP_LIMIT_MB} MB: missed)`));
  });
}
