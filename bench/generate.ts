// Plans of a given size for benchmarks: `hostCount` hosts, `vmCount` VMs spread over them, a realistic mix.
export function generatePlan(vmCount: number, hostCount = 64, options: { cluster?: boolean; scenario?: string } = {}): string {
  const hosts = Array.from({ length: hostCount }, (_, i) =>
    `    { "name": "HV${String(i + 1).padStart(2, '0')}", "memory": "1TB", "reserve": "4GB", "volumes": { "C:": "200GB", "D:": "4TB" } }`);
  const vms: string[] = [];
  for (let i = 0; i < vmCount; i++) {
    const host = `HV${String((i % hostCount) + 1).padStart(2, '0')}`;
    const kind = i % 4;
    const memory = kind === 0
      ? '{ "startup": "8GB" }'
      : `{ "dynamic": true, "startup": "${2 << kind}GB", "minimum": "${kind}GB", "maximum": "${4 << kind}GB", "buffer": ${10 * kind + 10} }`;
    vms.push(`    // workload ${kind}\n    { "name": "VM${i}", "host": "${host}", "memory": ${memory}, "demand": "${kind + 1}GB",\n      "smartPagingFilePath": "D:\\\\SmartPaging", "clusterPriority": "${['High', 'Medium', 'Low', 'Medium'][kind]}" }`);
  }
  const cluster = options.cluster ? '\n  "cluster": { "name": "CL", "rootMemoryReserved": "512MB" },' : '';
  const scenario = options.scenario ? `,\n  "scenario": ${options.scenario}` : '';
  return `// generated: ${vmCount} VMs on ${hostCount} hosts\n{${cluster}\n  "hosts": [\n${hosts.join(',\n')}\n  ],\n  "vms": [\n${vms.join(',\n')}\n  ]${scenario}\n}\n`;
}

/**
 * The edit the language server benchmarks time: a plan of `vmCount` VMs on 64 hosts, and the offset
 * in a VM in the middle of the file where a space is typed, then deleted (said on the console).
 */
export function typingBench(vmCount: number): { text: string; at: number } {
  const text = generatePlan(vmCount);
  console.log(`  ${vmCount} VMs on 64 hosts, ${(text.length / 1e6).toFixed(1)} MB; the edit: typing a space in a VM in the middle of the file, then deleting it`);
  return { text, at: text.indexOf('"startup":', text.indexOf(`"VM${vmCount / 2}"`)) + '"startup":'.length };
}
