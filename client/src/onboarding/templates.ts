// The plans "New plan…" starts from: small, commented, and each already telling a story when
// simulated (a reboot where one shut-down VM boots on Smart Paging; a node failure with a VM left behind).
export interface PlanTemplate {
  id: string;
  label: string;
  detail: string;
  /** the file name proposed when saving */
  fileName: string;
  text: string;
}

export const PLAN_TEMPLATES: readonly PlanTemplate[] = [
  {
    id: 'standalone',
    label: 'Standalone host',
    detail: 'One Hyper-V host and its VMs; the scenario reboots the host: who comes back, who needs Smart Paging?',
    fileName: 'host.hvmem.jsonc',
    text: `// A Hyper-V memory plan: one host, its VMs, and what happens when the host reboots.
// Sizes are "4GB"-style strings; hover any key or value for what it means.
{
  "hosts": [
    {
      "name": "HV01",
      "memory": "64GB",             // installed physical memory (Get-VMHost: MemoryCapacity)
      "reserve": "2GB",             // kept for the management OS
      "volumes": { "C:": "60GB", "D:": "400GB" }   // free space, for Smart Paging files
    }
  ],
  "vms": [
    // Saved before the reboot and restored after it with the memory it held (the default stop action).
    { "name": "DC01", "memory": { "startup": "4GB" } },
    // The others are shut down, so they boot at their startup memory when the host is back.
    { "name": "SQL01", "memory": { "startup": "24GB" }, "automaticStopAction": "ShutDown" },
    {
      "name": "APP01",
      "memory": { "dynamic": true, "startup": "12GB", "minimum": "2GB", "maximum": "24GB", "buffer": 20 },
      "demand": "6GB",              // what the guest uses; Dynamic Memory follows it
      "automaticStopAction": "ShutDown",
      "smartPagingFilePath": "D:\\\\Hyper-V\\\\Smart Paging"
    },
    {
      "name": "WEB01",
      "memory": { "dynamic": true, "startup": "24GB", "minimum": "2GB", "maximum": "32GB" },
      "demand": "4GB",
      "automaticStopAction": "ShutDown",
      "automaticStartDelay": "30s", // starts last, when the others hold their startup memory
      "smartPagingFilePath": "D:\\\\Hyper-V\\\\Smart Paging"
    }
  ],
  "scenario": {
    "duration": "15m",
    "events": [
      { "at": "1m", "type": "hostRestart", "host": "HV01" }
    ]
  }
}
`,
  },
  {
    id: 'cluster',
    label: 'Failover cluster',
    detail: 'Three nodes kept at N+1; the scenario loses one: where do its VMs go, and who stays off?',
    fileName: 'cluster.hvmem.jsonc',
    text: `// A Hyper-V memory plan: a failover cluster, and what happens when one node fails.
// Its VMs start on the other nodes, High before Medium before Low; NoAutoStart ones stay off.
{
  "cluster": { "name": "CL01", "rootMemoryReserved": "512MB" },
  "hosts": [
    { "name": "NODE1", "memory": "128GB" },
    { "name": "NODE2", "memory": "128GB" },
    { "name": "NODE3", "memory": "128GB" }
  ],
  "vms": [
    { "name": "SQL-1", "host": "NODE1", "memory": { "startup": "48GB" }, "clusterPriority": "High" },
    { "name": "APP-1", "host": "NODE1", "memory": { "dynamic": true, "startup": "16GB", "minimum": "4GB", "maximum": "32GB" }, "demand": "12GB", "smartPagingFilePath": "S:\\\\Paging" },
    { "name": "SQL-2", "host": "NODE2", "memory": { "startup": "64GB" }, "clusterPriority": "High" },
    { "name": "APP-2", "host": "NODE2", "memory": { "dynamic": true, "startup": "16GB", "minimum": "8GB", "maximum": "24GB" }, "demand": "14GB", "smartPagingFilePath": "S:\\\\Paging" },
    { "name": "TEST-2", "host": "NODE2", "memory": { "startup": "16GB" }, "clusterPriority": "NoAutoStart" },
    { "name": "FILE-3", "host": "NODE3", "memory": { "startup": "32GB" }, "clusterPriority": "Medium" },
    { "name": "WEB-3", "host": "NODE3", "memory": { "dynamic": true, "startup": "4GB", "minimum": "1GB", "maximum": "8GB" }, "demand": "2GB", "clusterPriority": "Low", "smartPagingFilePath": "S:\\\\Paging" }
  ],
  "scenario": {
    "duration": "20m",
    "events": [
      { "at": "5m", "type": "nodeFailure", "host": "NODE2" }
    ]
  }
}
`,
  },
];
