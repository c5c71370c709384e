// The plan's fields, once: the reader checks keys and types against this table and takes its defaults
// from it, and the JSON Schema shipped to editors is generated from it (planSchema). Descriptions are
// what hovers and completion show. Scenario events have their own table in events.ts.
import { duration, names, size, type Field } from './fields';
import { eventFields, EVENT_TYPES } from './events';

export type { Field, FieldKind } from './fields';
export { EVENT_TYPES };

export const START_ACTIONS = ['Nothing', 'StartIfRunning', 'Start'] as const;
export const STOP_ACTIONS = ['TurnOff', 'Save', 'ShutDown'] as const;
export const VM_STATES = ['Running', 'Off'] as const;
export const CLUSTER_PRIORITIES = ['High', 'Medium', 'Low', 'NoAutoStart'] as const;
export const VM_OVERHEADS = ['standard', 'none'] as const;

export const DEFAULT_SMART_PAGING_PATH = 'C:\\ProgramData\\Microsoft\\Windows\\Hyper-V';

/** The object form of a host's `pageSharing`: the share measured by `hvmem pages`. */
const pageSharingScanFields: Record<string, Field> = {
  scan: { kind: 'string', required: true, description: 'The result of `hvmem pages … --format json`, saved to a file; a relative path starts from the plan\'s folder.', examples: ['scan.json'] },
  pageSize: { ...size('Which of the scan\'s page sizes to take the share from: "4KB" (small pages, as page sharing usually works) or "2MB" (large pages, where almost nothing is identical).', undefined, true), examples: ['4KB', '2MB'] },
  zeroPages: { kind: 'boolean', default: true, description: 'Count zero pages in the saving (the scan\'s savedBytes). false: only the saving beyond zero pages (savedNonZeroBytes), since a guest\'s zero pages are mostly memory it does not use, which Dynamic Memory can already take back.' },
};

export const hostFields: Record<string, Field> = {
  name: { kind: 'string', description: 'Unique name of the host.', required: true },
  memory: size('Installed physical memory.', undefined, true),
  reserve: size('Memory kept back for the management OS (the root reserve). Hyper-V does not publish its formula; 2 GB is the planning default.', '2GB'),
  vmOverhead: {
    kind: 'enum', values: VM_OVERHEADS, default: 'standard',
    description: 'Memory each running VM costs the host beyond its own memory.',
    valueDescriptions: ['32 MB for the first GB plus 8 MB for each further GB of the VM\'s memory.', 'No overhead.'],
  },
  numaNodes: { kind: 'integer', minimum: 1, maximum: 64, default: 1, description: 'NUMA nodes; memory is split evenly between them.' },
  numaSpanning: { kind: 'boolean', default: true, description: 'Whether a VM may span NUMA nodes. With spanning off a VM must get its memory inside one node, when it starts and as it grows.' },
  systemDrive: { kind: 'string', default: 'C:', description: 'The host\'s system volume.' },
  pageSharing: {
    kind: 'percent', minimum: 0, maximum: 90, default: '0%', examples: ['12%', '0.5%'],
    description: 'What-if, for the simulation only: the share of VM memory that identical-page sharing would save (Hyper-V does not share pages; `hvmem pages` measures it on real memory, at 4 KB and at 2 MB). The host then holds its capacity ÷ (1 − share) of VM memory. A percentage, "12%" or 12, or { "scan": "scan.json", "pageSize": "4KB" } to take the share from a result of `hvmem pages --format json`.',
    fields: pageSharingScanFields,
  },
  maxMigrations: { kind: 'integer', minimum: 1, maximum: 64, default: 2, description: 'Simultaneous live migrations from or to this host (Set-VMHost -MaximumVirtualMachineMigrations). More wait their turn.' },
  volumes: {
    kind: 'map', mapValue: size('Free space on the volume.'),
    description: 'Free space per volume, e.g. { "C:": "60GB", "D:": "2TB" }. A path belongs to the volume whose key is its longest prefix (case-insensitive). Without it, disk checks are skipped.',
  },
};

const demandStep: Field = {
  kind: 'object', description: 'From `at` on, the guest needs `memory`.',
  fields: {
    at: { ...duration('Time from the start of the scenario.'), required: true },
    memory: size('Memory the guest needs.', undefined, true),
  },
};

export const memoryFields: Record<string, Field> = {
  dynamic: { kind: 'boolean', default: false, description: 'Dynamic Memory (Set-VMMemory -DynamicMemoryEnabled).' },
  startup: size('Startup memory (Set-VMMemory -StartupBytes): what the VM needs to start and to restart. At least 32 MB, a whole even number of MB.', undefined, true),
  minimum: size('Minimum memory with Dynamic Memory (-MinimumBytes): the balancer never goes below it.', '512MB'),
  maximum: size('Maximum memory with Dynamic Memory (-MaximumBytes).', '1TB'),
  buffer: { kind: 'integer', minimum: 5, maximum: 2000, default: 20, description: 'Memory buffer in percent (-Buffer): the balancer aims at demand × (1 + buffer/100).' },
  priority: { kind: 'integer', minimum: 0, maximum: 100, default: 50, description: 'Memory weight as PowerShell\'s -Priority, 0..100: under contention higher weight gets memory first.' },
};

export const vmFields: Record<string, Field> = {
  name: { kind: 'string', description: 'Unique name of the VM.', required: true },
  host: { kind: 'string', description: 'The host the VM runs on; required when there are several hosts.' },
  generation: { kind: 'enum', values: [1, 2], default: 2, description: 'VM generation; it sets the per-VM memory limit (generation 1: 1 TB, generation 2: 12 TB).' },
  memory: { kind: 'object', description: 'Memory settings, as Set-VMMemory.', required: true, fields: memoryFields },
  state: { kind: 'enum', values: VM_STATES, default: 'Running', description: 'The VM\'s state when the scenario begins.' },
  automaticStartAction: {
    kind: 'enum', values: START_ACTIONS, default: 'StartIfRunning', description: 'What the VM does when its host starts (Set-VM -AutomaticStartAction).',
    valueDescriptions: ['Stays off.', 'Starts if it was running when the host stopped.', 'Always starts.'],
  },
  automaticStartDelay: duration('Delay before the automatic start (Set-VM -AutomaticStartDelay).', 0),
  automaticStopAction: {
    kind: 'enum', values: STOP_ACTIONS, default: 'Save', description: 'What the VM does when its host shuts down (Set-VM -AutomaticStopAction). Save reserves disk equal to the VM\'s memory.',
    valueDescriptions: ['Turned off.', 'Saved: a saved-state file as large as its memory.', 'Guest shut down.'],
  },
  configurationPath: { kind: 'string', default: DEFAULT_SMART_PAGING_PATH, description: 'The VM\'s configuration folder (Get-VM ConfigurationLocation): where its saved state is written, and where the Smart Paging folder defaults to.' },
  smartPagingFilePath: { kind: 'string', description: 'Folder of the Smart Paging file (Set-VM -SmartPagingFilePath). Default: the configuration folder. Keep it off the system drive.' },
  clusterPriority: {
    kind: 'enum', values: CLUSTER_PRIORITIES, default: 'Medium', description: 'Cluster priority (Get-ClusterGroup Priority): after a node fails, High starts before Medium before Low, and High and Medium VMs may preempt lower ones; NoAutoStart is moved but not started. A drain moves High first.',
  },
  possibleOwners: names('Cluster nodes this VM may run on (Get-ClusterOwnerNode of its resource). Default: every node.', [['HV01', 'HV02']]),
  preferredOwners: names('Cluster nodes tried first, in order, when the VM is placed (Set-ClusterOwnerNode on its group).', [['HV01']]),
  antiAffinityClass: names('Anti-affinity class names (AntiAffinityClassNames): the cluster avoids placing two VMs of one class on one node; a rule when the cluster\'s enforcedAntiAffinity is true.', ['SQL', ['SQL', 'DC']]),
  demand: {
    kind: 'demand', items: demandStep,
    description: 'The guest\'s memory demand after boot: a size, or steps [{ "at": duration, "memory": size }]. Default: the minimum (dynamic) or the startup memory (static).',
  },
  bootSeconds: duration('How long the guest boots, holding its full startup memory. Default: model.bootSeconds.'),
};

export const modelFields: Record<string, Field> = {
  tickSeconds: { kind: 'number', minimum: 0.1, maximum: 3600, default: 1, description: 'Balancer period in seconds. Hyper-V balances about once a second.' },
  bootSeconds: duration('Guest boot time: how long a starting VM holds its full startup memory (a guest boots in about a minute).', 60),
  hostBootSeconds: duration('Host restart time, from the moment the host goes down (after its VMs are saved or shut down) until its VMs may start. 0: at once; set the real reboot time for later timestamps.', 0),
  addRatePerSecond: size('Most memory hot-added to one VM per second. Not published by Microsoft: a modelling choice; hot-add is fast, and 256 MB/s lets a VM grow by a few GB within seconds, as observed in practice.', '256MB'),
  removeRatePerSecond: size('Most memory one VM\'s balloon driver gives back per second. Not published by Microsoft: a modelling choice; ballooning is gentler than hot-add, and 64 MB/s drains a 1 GB Smart Paging file in 16 s.', '64MB'),
  smartPagingTargetSeconds: duration('Smart Paging use longer than this is reported (the documented target is 10 minutes).', 600),
  smartPagingRequiresMinimum: { kind: 'boolean', default: true, description: 'Not documented, so a modelling choice: a restart on Smart Paging fails unless the VM gets at least its minimum memory in physical RAM.' },
  smartPagingRequiresDisk: { kind: 'boolean', default: true, description: 'Not documented, so a modelling choice: a restart on Smart Paging fails when the folder\'s volume (if its free space is given) cannot hold the file.' },
  saveRestoreBytesPerSecond: size('How fast a host writes a VM\'s saved state and reads it back (a host\'s saves, and its restores, go one after another). Not published: a modelling choice; 512 MB/s is what a SATA SSD or a small array sustains, NVMe does several GB/s.', '512MB'),
  migrationBytesPerSecond: size('How fast a live migration copies a VM\'s memory to another node. Not published: a modelling choice; a 10 Gb/s migration network carries about 1 GB/s, 25–40 Gb/s with SMB Direct several GB/s.', '1GB'),
  clusterRetrySeconds: duration('A cluster tries again to start VMs it could not place (and preempted VMs) whenever memory frees up on a node, and at least this often. Not documented: a modelling choice.', 60),
};

export const clusterFields: Record<string, Field> = {
  name: { kind: 'string', description: 'Cluster name.' },
  rootMemoryReserved: size('Cluster RootMemoryReserved: a floor on the memory a node keeps for its host; a VM placement that would leave less is refused. It protects the same memory as the host\'s reserve, so the larger of the two counts (they are not added).', '512MB'),
  moveTypeThreshold: {
    kind: 'enum', values: ['High', 'Medium', 'Low'], default: 'Medium',
    description: 'When a node is drained, VMs of this cluster priority or higher live-migrate; the rest quick-migrate (MoveTypeThreshold).',
  },
  enforcedAntiAffinity: { kind: 'boolean', default: false, description: 'Anti-affinity classes are a rule, not a preference (ClusterEnforcedAntiAffinity): two VMs of one class are never placed on one node.' },
};

export const scenarioFields: Record<string, Field> = {
  duration: duration('How long to simulate.', '30m'),
  events: { kind: 'array', items: { kind: 'object', description: 'An event.', fields: eventFields }, description: 'What happens, in time order of `at`.' },
};

export const planFields: Record<string, Field> = {
  $schema: { kind: 'string', description: 'The JSON Schema of the plan (optional).' },
  hosts: { kind: 'array', required: true, items: { kind: 'object', description: 'A Hyper-V host.', fields: hostFields }, description: 'The Hyper-V hosts.' },
  cluster: { kind: 'object', fields: clusterFields, description: 'Present when the hosts form a failover cluster.' },
  vms: { kind: 'array', items: { kind: 'object', description: 'A virtual machine.', fields: vmFields }, description: 'The virtual machines.' },
  scenario: { kind: 'object', fields: scenarioFields, description: 'What happens over time. Without it: every host restarts at t = 0, for 30 minutes.' },
  model: { kind: 'object', fields: modelFields, description: 'Modelling parameters of the simulation, where Hyper-V\'s behaviour is not documented.' },
};

export const planRoot: Field = { kind: 'object', description: 'A Hyper-V memory plan.', fields: planFields };

type JsonSchema = Record<string, unknown>;

const SIZE_PATTERN = '^\\s*[0-9]+(\\.[0-9]+)?\\s*([KMGTP]i?B|B)\\s*$';
const PERCENT_PATTERN = '^\\s*[0-9]+(\\.[0-9]+)?\\s*%\\s*$';
const DURATION_PATTERN = '^\\s*([0-9]+(\\.[0-9]+)?\\s*(d|h|m|s)\\s*)+$|^\\s*[0-9]+(\\.[0-9]+)?\\s*$';

function toSchema(field: Field): JsonSchema {
  const common: JsonSchema = { description: field.description };
  if (field.default !== undefined) common.default = field.default;
  switch (field.kind) {
    case 'string': return { type: 'string', ...common };
    case 'names': return { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], examples: field.examples, ...common };
    case 'boolean': return { type: 'boolean', ...common };
    case 'integer': case 'number':
      return { type: field.kind, minimum: field.minimum, maximum: field.maximum, ...common };
    case 'percent': {
      const forms: JsonSchema[] = [{ type: 'string', pattern: PERCENT_PATTERN }, { type: 'number', minimum: field.minimum, maximum: field.maximum }];
      // A percentage with `fields` may also be given as an object of those fields (pageSharing's scan form).
      if (field.fields) forms.push(toSchema({ kind: 'object', description: field.description, fields: field.fields }));
      return { anyOf: forms, examples: field.examples, ...common };
    }
    case 'enum': {
      const s: JsonSchema = { enum: field.values, ...common };
      if (field.valueDescriptions) s.enumDescriptions = field.valueDescriptions;
      return s;
    }
    case 'size':
      return { anyOf: [{ type: 'string', pattern: SIZE_PATTERN }, { type: 'integer', minimum: 0 }], examples: field.examples, ...common,
        markdownDescription: `${field.description}\n\nA size: \`"512MB"\`, \`"4GB"\` (1024-based), or a bare number of bytes.` };
    case 'duration':
      return { anyOf: [{ type: 'string', pattern: DURATION_PATTERN }, { type: 'number', minimum: 0 }], examples: field.examples, ...common };
    case 'map':
      return { type: 'object', additionalProperties: toSchema(field.mapValue!), ...common };
    case 'array':
      return { type: 'array', items: toSchema(field.items!), ...common };
    case 'demand':
      return { anyOf: [toSchema({ ...field, kind: 'size' }), { type: 'array', items: toSchema(field.items!) }], ...common };
    case 'object': {
      const properties: Record<string, JsonSchema> = {};
      for (const [key, f] of Object.entries(field.fields!)) properties[key] = toSchema(f);
      const required = Object.entries(field.fields!).filter(([, f]) => f.required).map(([k]) => k);
      return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false, ...common };
    }
  }
}

/** The JSON Schema of a plan file, shipped as dist/hvmem.schema.json. */
export function planSchema(): JsonSchema {
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: 'Hyper-V memory plan', ...toSchema(planRoot) };
}
