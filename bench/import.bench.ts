// Import and export speed on a large host inventory, against plain JSON.parse of the same text
// (the least any import of it must do), measured in the same run. Then 10 MB sources built to be slow
// (bench/pathological.ts), each against one pass over its own text (splitting it into lines): a
// reader that is linear stays within a small multiple of that; a quadratic one would take hours.
import { importPlan } from '../server/src/core/import';
import { exportPowerShell } from '../server/src/core/export/powershell';
import { readPlan } from '../server/src/core/read';
import { row, timeBest } from './util';
import { PATHOLOGICAL } from './pathological';

const VMS = 2000;
const GB = 1024 ** 3;

function inventory(): string {
  const vms = Array.from({ length: VMS }, (_, i) => ({
    Name: `VM${String(i).padStart(4, '0')}`, Generation: 2, State: i % 5 ? 2 : 3, DynamicMemoryEnabled: i % 2 === 0,
    MemoryStartup: (2 + (i % 8)) * GB, MemoryMinimum: GB, MemoryMaximum: 32 * GB, MemoryBuffer: 20, MemoryPriority: 50,
    MemoryAssigned: 4 * GB, MemoryDemand: 3 * GB, AutomaticStartAction: 3, AutomaticStartDelay: i % 60, AutomaticStopAction: 3,
    SmartPagingFilePath: 'D:\\Hyper-V', NetworkAdapters: ['Microsoft.HyperV.PowerShell.VMNetworkAdapter'],
  }));
  return JSON.stringify({ hvmemInventory: 1, host: { Name: 'HV01', MemoryCapacity: 4096 * GB, NumaSpanningEnabled: true }, vms }, null, 4);
}

function script(): string {
  const lines: string[] = ["$prefix = 'LAB'"];
  for (let i = 0; i < VMS; i++) {
    lines.push(`New-VM -Name "$prefix-${i}" -MemoryStartupBytes ${2 + (i % 8)}GB -Generation 2`);
    lines.push(`Set-VMMemory -VMName "$prefix-${i}" -DynamicMemoryEnabled $true -MinimumBytes 1GB -MaximumBytes 32GB -Buffer 20 `);
    lines.push(`Set-VM -Name "$prefix-${i}" -AutomaticStartAction Start -AutomaticStartDelay ${i % 60} -SmartPagingFilePath 'D:\\SP'`);
  }
  return lines.join('\r\n');
}

function terraform(): string {
  const blocks = ['locals {\n  gb = 1073741824\n}'];
  for (let i = 0; i < VMS; i++) {
    blocks.push(`resource "hyperv_machine_instance" "vm${i}" {\n  name = "vm${i}"\n  dynamic_memory = true\n  memory_startup_bytes = ${2 + (i % 8)} * local.gb\n  memory_maximum_bytes = 32 * local.gb\n}`);
  }
  return blocks.join('\n\n');
}

export async function run(): Promise<void> {
  const json = inventory();
  const ps = script();
  const tf = terraform();
  console.log(`  ${VMS} VMs: inventory JSON ${(json.length / 1024).toFixed(0)} KB, script ${(ps.length / 1024).toFixed(0)} KB, Terraform ${(tf.length / 1024).toFixed(0)} KB`);
  const baseline = timeBest(() => JSON.parse(json));
  row('baseline: JSON.parse of the inventory', baseline);
  row('import inventory JSON', timeBest(() => importPlan([{ file: 'inv.json', text: json }])), baseline);
  row('import PowerShell script', timeBest(() => importPlan([{ file: 'deploy.ps1', text: ps }])), baseline);
  row('import Terraform', timeBest(() => importPlan([{ file: 'main.tf', text: tf }])), baseline);
  const plan = readPlan(importPlan([{ file: 'inv.json', text: json }]).text).plan;
  row('export to PowerShell', timeBest(() => exportPowerShell(plan, { planFile: 'p.hvmem.jsonc', generatedAt: '2026-01-01T00:00:00Z' })), baseline);
  console.log('  10 MB sources built to be slow, each against splitting the same text into lines:');
  for (const source of PATHOLOGICAL) {
    const label = `${source.format}: ${source.label}`;
    const text = source.text(PATHOLOGICAL_BYTES);
    const lines = timeBest(() => text.split('\n'), 3);
    row(label, timeBest(() => importPlan([{ file: source.file, text }]), 2), lines);
  }
}

const PATHOLOGICAL_BYTES = 10 * 1024 * 1024;
