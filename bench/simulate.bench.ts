// The simulator on a full cluster: 64 hosts, 8,000 VMs, 1 hour at 1 s ticks with demand changes and a
// node failure at half time; then 24 hours. Beside it, in the same run, a baseline: a typed-array pass
// over the same VM-steps doing only the target arithmetic (demand × (1 + buffer) within [min, max]).
// Peak heap is checked by running the simulation in a worker capped at 200 MB of heap.
import { Worker } from 'node:worker_threads';
import { readPlan } from '../server/src/core/read';
import { simulate } from '../server/src/core/simulate';
import type { Plan } from '../server/src/core/plan';
import { row, timeBest } from './util';

const HOSTS = 64;
const VMS = 8000;
const HEAP_LIMIT_MB = 200;

/** A cluster sized N+1: 125 VMs per 1 TB node, a mix of static and dynamic VMs whose demand moves. */
export function clusterPlan(durationSeconds: number, stepsPerVm: number): string {
  const hosts = Array.from({ length: HOSTS }, (_, i) => `{ "name": "HV${i}", "memory": "1TB", "reserve": "8GB" }`);
  const vms: string[] = [];
  for (let i = 0; i < VMS; i++) {
    const kind = i % 4;
    const host = `"host": "HV${i % HOSTS}"`;
    if (kind === 0) { vms.push(`{ "name": "VM${i}", ${host}, "memory": { "startup": "4GB" }, "clusterPriority": "High" }`); continue; }
    const startup = 2 << kind;
    const steps = Array.from({ length: stepsPerVm + 1 }, (_, s) => {
      const at = s === 0 ? 0 : Math.floor(((s - 0.5 + ((i * 7919) % 1000) / 1000) * durationSeconds) / stepsPerVm);
      const gb = 1 + ((i * 31 + s * 17) % (startup * 2)) / 2;
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
  for (const [label, duration, steps, goalMs] of [['1 hour', 3600, 3, 1000], ['24 hours', 86400, 24, 15000]] as const) {
    const text = clusterPlan(duration, steps);
    const { plan } = readPlan(text);
    const runs = duration > 3600 ? 1 : 5;
    let sink = 0;
    const base = timeBest(() => { sink += baseline(plan); }, runs);
    let events = 0;
    let json = 0;
    const sim = timeBest(() => { const r = simulate(plan); events = r.events.length; json = JSON.stringify(r).length; }, runs);
    console.log(`  ${HOSTS} hosts, ${VMS} VMs, ${label} at 1 s ticks (${(plan.vms.length * (duration + 1) / 1e6).toFixed(1)} M VM-steps), node failure at half time`);
    row('baseline: typed-array target arithmetic, every VM-step', base, undefined, sink ? '' : ' ');
    const ratioGoal = duration === 3600 ? `(goal < 3x and < ${goalMs} ms: ${sim < 3 * base && sim < goalMs ? 'met' : 'missed'})` : `(goal < ${goalMs / 1000} s: ${sim < goalMs ? 'met' : 'missed'})`;
    row('simulate()', sim, base, ratioGoal);
    console.log(`  ${events} events; JSON result ${(json / 1e6).toFixed(1)} MB`);
    const heap = await peakHeap(text);
    console.log(`  heap in a worker capped at ${HEAP_LIMIT_MB} MB: ${heap}`);
  }
}

/** Reads and simulates the plan in a worker whose heap may not pass the limit; reports what it held. */
function peakHeap(text: string): Promise<string> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    require('tsx/cjs');
    const { readPlan } = require(${JSON.stringify(require.resolve('../server/src/core/read'))});
    const { simulate } = require(${JSON.stringify(require.resolve('../server/src/core/simulate'))});
    const plan = readPlan(workerData).plan;
    const before = process.memoryUsage().heapUsed;
    const result = simulate(plan);
    parentPort.postMessage({ held: process.memoryUsage().heapUsed - before, total: process.memoryUsage().heapUsed, events: result.events.length });`;
  return new Promise((resolve) => {
    const worker = new Worker(code, { eval: true, workerData: text, resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB } });
    worker.once('message', (m: { held: number; total: number }) => {
      resolve(`ok, ${(m.total / 2 ** 20).toFixed(0)} MB in use at the end (plan and result; the result adds ${(m.held / 2 ** 20).toFixed(0)} MB) (goal < ${HEAP_LIMIT_MB} MB: met)`);
      void worker.terminate();
    });
    worker.once('error', (e) => resolve(`FAILED: ${e.message} (goal < ${HEAP_LIMIT_MB} MB: missed)`));
  });
}
