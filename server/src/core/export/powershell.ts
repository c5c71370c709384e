// A plan's memory settings as a PowerShell script that applies them: Set-VMMemory and Set-VM per VM,
// only where the VM differs (so running it twice changes nothing), -WhatIf/-Confirm through
// SupportsShouldProcess, and a refusal for running VMs where Hyper-V requires the VM off.
// Only settings the plan writes are applied; what it leaves to defaults is left as the VM has it.
import type { PlanDiagnostic } from '../diagnostics';
import type { Plan, Vm } from '../plan';
import { GB, MB, TB } from '../units';

/** Codes that mean a setting Hyper-V itself would reject: such a plan is not exported. */
const INVALID_SETTING_CODES = new Set([
  'syntax', 'schema', 'size-invalid', 'duration-invalid', 'memory-alignment', 'memory-floor', 'memory-order',
  'memory-vm-limit', 'buffer-range', 'priority-range', 'duplicate-name',
]);

/** The findings (of the plan without its scenario) that keep it from being exported: none means it can be. */
export function exportBlockers(diagnostics: readonly PlanDiagnostic[]): PlanDiagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error' && INVALID_SETTING_CODES.has(d.code));
}

/** A BOM keeps Windows PowerShell 5.1 from reading a non-ASCII VM name as ANSI. */
export const SCRIPT_FILE_PREFIX = '\uFEFF';

export interface PowerShellExportOptions {
  /** the plan's file name, for the header */
  planFile: string;
  /** when the script was generated (ISO 8601), passed in so the core stays pure */
  generatedAt: string;
  productVersion?: string;
}

/** A PowerShell literal for a byte count: 4GB, 512MB when whole, else the bytes. */
export function powerShellBytes(bytes: number): string {
  for (const [unit, size] of [['TB', TB], ['GB', GB], ['MB', MB]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

/** A single-quoted PowerShell string: only the quote itself (and its typographic twins) needs doubling. */
export function powerShellString(text: string): string {
  return `'${text.replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q)}'`;
}

/** Text for a comment line or the help block: on one line, and never closing the block early. */
export const powerShellComment = (text: string) => text.replace(/[\r\n]+/g, ' ').replace(/#>/g, '# >');

/** The Set-VMMemory parameters the plan sets for a VM, in the order Set-VMMemory lists them. */
export function memoryParameters(vm: Vm): [string, string][] {
  const written = (key: string) => vm.spans[key] !== undefined && !vm.invalid.has(key);
  const out: [string, string][] = [];
  if (written('memory.dynamic')) out.push(['DynamicMemoryEnabled', vm.dynamic ? '$true' : '$false']);
  if (written('memory.startup')) out.push(['StartupBytes', powerShellBytes(vm.startupBytes)]);
  // Minimum, maximum and buffer mean nothing on a static VM and Set-VMMemory refuses them there.
  if (vm.dynamic && written('memory.minimum')) out.push(['MinimumBytes', powerShellBytes(vm.minimumBytes)]);
  if (vm.dynamic && written('memory.maximum')) out.push(['MaximumBytes', powerShellBytes(vm.maximumBytes)]);
  if (vm.dynamic && written('memory.buffer')) out.push(['Buffer', String(vm.bufferPercent)]);
  if (written('memory.priority')) out.push(['Priority', String(vm.priority)]);
  return out;
}

/** The Set-VM parameters the plan sets for a VM. */
export function vmParameters(vm: Vm): [string, string][] {
  const written = (key: string) => vm.spans[key] !== undefined && !vm.invalid.has(key);
  const out: [string, string][] = [];
  if (written('automaticStartAction')) out.push(['AutomaticStartAction', powerShellString(vm.automaticStartAction)]);
  if (written('automaticStartDelay')) out.push(['AutomaticStartDelay', String(Math.round(vm.automaticStartDelaySeconds))]);
  if (written('automaticStopAction')) out.push(['AutomaticStopAction', powerShellString(vm.automaticStopAction)]);
  if (written('smartPagingFilePath')) out.push(['SmartPagingFilePath', powerShellString(vm.smartPagingFilePath)]);
  return out;
}

/** A cluster group's Priority for each plan priority. */
const GROUP_PRIORITY: Record<string, number> = { High: 3000, Medium: 2000, Low: 1000, NoAutoStart: 0 };

const stringArray = (names: string[]) => `@(${names.map(powerShellString).join(', ')})`;

/** The cluster role settings the plan writes for a VM (only on a cluster). */
export function roleParameters(plan: Plan, vm: Vm): [string, string][] {
  if (!plan.cluster) return [];
  const written = (key: string) => vm.spans[key] !== undefined && !vm.invalid.has(key);
  const out: [string, string][] = [];
  if (written('clusterPriority')) out.push(['Priority', String(GROUP_PRIORITY[vm.clusterPriority])]);
  if (written('preferredOwners')) out.push(['PreferredOwners', stringArray(vm.preferredOwners)]);
  if (written('possibleOwners') && vm.possibleOwners) out.push(['PossibleOwners', stringArray(vm.possibleOwners)]);
  if (written('antiAffinityClass')) out.push(['AntiAffinityClassNames', stringArray(vm.antiAffinityClasses)]);
  return out;
}

/** The cluster-wide settings the plan writes, under the cluster's own property names. */
export function clusterParameters(plan: Plan): [string, string][] {
  const c = plan.cluster;
  if (!c) return [];
  const written = (key: string) => c.spans[`cluster.${key}`] !== undefined;
  const out: [string, string][] = [];
  if (written('rootMemoryReserved')) out.push(['RootMemoryReserved', String(Math.round(c.rootMemoryReservedBytes / MB))]);
  if (written('enforcedAntiAffinity')) out.push(['ClusterEnforcedAntiAffinity', c.enforcedAntiAffinity ? '1' : '0']);
  if (written('moveTypeThreshold')) out.push(['MoveTypeThreshold', String(GROUP_PRIORITY[c.moveTypeThreshold])]);
  return out;
}

/** In argument mode `[ordered]` would be read as text: the parentheses make it an expression. */
const table = (params: [string, string][]) =>
  params.length === 0 ? '@{}' : `([ordered]@{ ${params.map(([k, v]) => `${k} = ${v}`).join('; ')} })`;

export function exportPowerShell(plan: Plan, options: PowerShellExportOptions): string {
  const file = powerShellComment(options.planFile);
  const several = plan.hosts.length > 1;
  const lines: string[] = [];
  lines.push(
    '<#',
    '.SYNOPSIS',
    `    Applies the memory settings of the Hyper-V memory plan ${file}.`,
    '.DESCRIPTION',
    `    Generated by hvmem${options.productVersion ? ` ${options.productVersion}` : ''} from ${file} on ${powerShellComment(options.generatedAt)}.`,
    '    For each VM it sets what the plan writes (Set-VMMemory, Set-VM) where the VM differs, so running',
    '    it again changes nothing. Settings the plan leaves to defaults are not touched.',
    '    A VM that is not Off is refused where Hyper-V requires it off: turning Dynamic Memory on or off,',
    '    changing startup memory, raising the minimum or lowering the maximum, changing the automatic stop',
    '    action or the Smart Paging folder. Stop the VM and run the script again.',
    '    On a failover cluster it also sets what the plan writes of each role (priority, preferred and',
    '    possible owners, anti-affinity classes) and of the cluster (root memory reserve, enforced',
    '    anti-affinity, move type threshold); these apply while VMs run.',
    '    Use -WhatIf to see what would change. Exit code 1 when a VM was refused or a change failed.',
    '.PARAMETER UsePlanHostNames',
    '    Address each VM on the host the plan names (Get-VM -ComputerName); otherwise on this computer.',
    '.EXAMPLE',
    '    .\\apply-memory.ps1 -WhatIf',
    '#>',
    '#Requires -Modules Hyper-V',
    '[CmdletBinding(SupportsShouldProcess = $true)]',
    'param(',
    '    [switch] $UsePlanHostNames',
    ')',
    '',
    'Set-StrictMode -Version 2',
    '$script:changed = 0; $script:unchanged = 0; $script:skipped = 0; $script:refused = 0; $script:failed = 0',
    '',
    ...HELPER,
    '',
  );
  const cluster = clusterParameters(plan);
  if (plan.cluster) lines.push(...CLUSTER_HELPER, '');
  if (cluster.length > 0) {
    lines.push(`# the cluster${plan.cluster?.name ? ` ${powerShellComment(plan.cluster.name)}` : ''}`);
    lines.push(`Update-HvmemCluster -PlanHost ${powerShellString(plan.hosts[0]?.name ?? '')} -Settings ${table(cluster)}`);
  }
  for (const vm of plan.vms) {
    if (!vm.name) continue;
    const memory = memoryParameters(vm);
    const settings = vmParameters(vm);
    const generation = vm.spans.generation && !vm.invalid.has('generation') ? vm.generation : 0;
    lines.push(`# ${powerShellComment(vm.name)}${vm.host ? ` on ${powerShellComment(vm.host)}` : ''}`);
    lines.push(`Update-HvmemVM -Name ${powerShellString(vm.name)} -PlanHost ${powerShellString(several ? vm.host : plan.hosts[0]?.name ?? '')} -Generation ${generation} \``);
    const role = roleParameters(plan, vm);
    lines.push(`    -Memory ${table(memory)} \``);
    lines.push(`    -Settings ${table(settings)}${role.length > 0 ? ' `' : ''}`);
    if (role.length > 0) lines.push(`    -Role ${table(role)}`);
  }
  lines.push(
    '',
    'Write-Host "hvmem: $script:changed VM(s) changed, $script:unchanged already as planned, $script:skipped not changed (-WhatIf or declined), $script:refused refused, $script:failed failed"',
    'if ($script:refused -gt 0 -or $script:failed -gt 0) { exit 1 }',
  );
  return lines.join('\r\n') + '\r\n';
}

// The per-VM work, once. Property names of Get-VMMemory / Get-VM that each parameter compares against.
const HELPER = `# A value as -WhatIf and -Verbose show it: sizes in GB or MB as the plan writes them, text quoted.
function Format-HvmemValue([string] $Key, $Value) {
    if ($Key -like '*Bytes') {
        if ($Value % 1GB -eq 0) { return "$($Value / 1GB)GB" }
        if ($Value % 1MB -eq 0) { return "$($Value / 1MB)MB" }
        return "$Value"
    }
    if ($Value -is [bool]) { return '$' + "$Value".ToLowerInvariant() }
    if ($Value -is [array]) { return ($Value | ForEach-Object { "'" + "$_".Replace("'", "''") + "'" }) -join ', ' }
    if ($Value -is [string]) { return "'" + $Value.Replace("'", "''") + "'" }
    "$Value"
}

function Update-HvmemVM {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)] [string] $Name,
        [string] $PlanHost,
        [int] $Generation,
        [System.Collections.IDictionary] $Memory,
        [System.Collections.IDictionary] $Settings,
        [System.Collections.IDictionary] $Role = @{}
    )
    # Get-VM -Name takes wildcards: a VM named web[1] or db* must match only itself.
    $target = @{ Name = [System.Management.Automation.WildcardPattern]::Escape($Name); ErrorAction = 'Stop' }
    if ($UsePlanHostNames -and $PlanHost) { $target.ComputerName = $PlanHost }
    try { $found = @(Get-VM @target) }
    catch { Write-Error "$($Name): no such VM ($($_.Exception.Message))"; $script:failed++; return }
    if ($found.Count -ne 1) { Write-Error "$($Name): $($found.Count) VMs have this name; set them by hand"; $script:failed++; return }
    $vm = $found[0]
    if ($Generation -and $vm.Generation -ne $Generation) {
        Write-Warning "$($Name): the plan says generation $Generation but the VM is generation $($vm.Generation); a generation cannot be changed"
    }
    $current = Get-VMMemory -VM $vm
    $memoryNow = @{ DynamicMemoryEnabled = $current.DynamicMemoryEnabled; StartupBytes = $current.Startup; MinimumBytes = $current.Minimum
                    MaximumBytes = $current.Maximum; Buffer = $current.Buffer; Priority = $current.Priority }
    $settingsNow = @{ AutomaticStartAction = [string]$vm.AutomaticStartAction; AutomaticStartDelay = $vm.AutomaticStartDelay
                      AutomaticStopAction = [string]$vm.AutomaticStopAction; SmartPagingFilePath = $vm.SmartPagingFilePath }
    $memoryChanges = [ordered]@{}
    foreach ($key in $Memory.Keys) { if ($memoryNow[$key] -ne $Memory[$key]) { $memoryChanges[$key] = $Memory[$key] } }
    $settingsChanges = [ordered]@{}
    foreach ($key in $Settings.Keys) {
        $now = $settingsNow[$key]
        $same = if ($key -eq 'SmartPagingFilePath') { "$now".TrimEnd('\\') -eq "$($Settings[$key])".TrimEnd('\\') } else { "$now" -eq "$($Settings[$key])" }
        if (-not $same) { $settingsChanges[$key] = $Settings[$key] }
    }
    $roleChanges = [ordered]@{}
    $found = $null
    if ($Role.Count -gt 0) {
        $found = Find-HvmemRole -VM $vm -PlanHost $PlanHost
        if (-not $found) { Write-Error "$($Name): the plan gives it cluster settings, but it is not a clustered role"; $script:failed++; return }
        $roleNow = @{
            Priority = [int]$found.Group.Priority
            PreferredOwners = @((Get-ClusterOwnerNode -InputObject $found.Group).OwnerNodes | ForEach-Object { [string]$_.Name })
            PossibleOwners = @((Get-ClusterOwnerNode -InputObject $found.Resource).OwnerNodes | ForEach-Object { [string]$_.Name })
            AntiAffinityClassNames = @($found.Group.AntiAffinityClassNames | ForEach-Object { [string]$_ })
        }
        foreach ($key in $Role.Keys) {
            # Owners are tried in order; anti-affinity classes are a set. Node and class names ignore case.
            $now = @($roleNow[$key] | ForEach-Object { "$_".ToLowerInvariant() })
            $want = @($Role[$key] | ForEach-Object { "$_".ToLowerInvariant() })
            if ($key -eq 'AntiAffinityClassNames') { $now = @($now | Sort-Object); $want = @($want | Sort-Object) }
            if (($now -join [char]10) -ne ($want -join [char]10)) { $roleChanges[$key] = $Role[$key] }
        }
    }
    if ($memoryChanges.Count -eq 0 -and $settingsChanges.Count -eq 0 -and $roleChanges.Count -eq 0) { $script:unchanged++; return }
    if ([string]$vm.State -ne 'Off') {
        $needOff = @()
        if ($memoryChanges.Contains('DynamicMemoryEnabled')) { $needOff += 'turn Dynamic Memory ' + $(if ($Memory.DynamicMemoryEnabled) { 'on' } else { 'off' }) }
        if ($memoryChanges.Contains('StartupBytes')) { $needOff += 'change its startup memory' }
        if ($memoryChanges.Contains('MinimumBytes') -and $Memory.MinimumBytes -gt $current.Minimum) { $needOff += 'raise its minimum' }
        if ($memoryChanges.Contains('MaximumBytes') -and $Memory.MaximumBytes -lt $current.Maximum) { $needOff += 'lower its maximum' }
        if ($settingsChanges.Contains('AutomaticStopAction')) { $needOff += 'change its automatic stop action' }
        if ($settingsChanges.Contains('SmartPagingFilePath')) { $needOff += 'move its Smart Paging folder' }
        if ($needOff.Count -gt 0) {
            Write-Error "$($Name) is $($vm.State): Hyper-V requires it off to $($needOff -join ', '). Stop it and run the script again."
            $script:refused++
            return
        }
    }
    $applied = $false
    try {
        if ($memoryChanges.Count -gt 0) {
            $what = ($memoryChanges.Keys | ForEach-Object { "-$_ $(Format-HvmemValue $_ $memoryChanges[$_])" }) -join ' '
            # Asked once here: -Confirm:$false keeps the cmdlet from asking again.
            if ($PSCmdlet.ShouldProcess($Name, "Set-VMMemory $what")) { Set-VMMemory -VM $vm @memoryChanges -Confirm:$false -ErrorAction Stop; $applied = $true }
        }
        if ($settingsChanges.Count -gt 0) {
            $what = ($settingsChanges.Keys | ForEach-Object { "-$_ $(Format-HvmemValue $_ $settingsChanges[$_])" }) -join ' '
            if ($PSCmdlet.ShouldProcess($Name, "Set-VM $what")) { Set-VM -VM $vm @settingsChanges -Confirm:$false -ErrorAction Stop; $applied = $true }
        }
        foreach ($key in $roleChanges.Keys) {
            $value = $roleChanges[$key]
            if (-not $PSCmdlet.ShouldProcess($Name, "set the cluster role's $key to $(Format-HvmemValue $key $value)")) { continue }
            switch ($key) {
                'Priority' { $found.Group.Priority = [uint32]$value }
                'PreferredOwners' { Set-ClusterOwnerNode -InputObject $found.Group -Owners $value -ErrorAction Stop }
                'PossibleOwners' { Set-ClusterOwnerNode -InputObject $found.Resource -Owners $value -ErrorAction Stop }
                'AntiAffinityClassNames' {
                    $classes = New-Object System.Collections.Specialized.StringCollection
                    foreach ($class in $value) { [void]$classes.Add($class) }
                    $found.Group.AntiAffinityClassNames = $classes
                }
            }
            $applied = $true
        }
        if ($applied) { $script:changed++ } else { $script:skipped++ }
    }
    catch { Write-Error "$($Name): $($_.Exception.Message)"; $script:failed++ }
}`.split('\n');

/**
 * Each clustered VM with its role, found through the role's "Virtual Machine" resource: a role may be
 * named otherwise than its VM. `$Target` is the splat for the cluster cmdlets (`@{ Cluster = … }` or empty).
 */
export const VM_ROLES_HELPER = `function Get-HvmemVmRoles([hashtable] $Target) {
    foreach ($resource in @(Get-ClusterResource @Target | Where-Object { [string]$_.ResourceType.Name -eq 'Virtual Machine' })) {
        foreach ($clustered in @(Get-VM -ClusterObject $resource -ErrorAction SilentlyContinue)) {
            @{ VM = $clustered; Group = $resource.OwnerGroup; Resource = $resource }
        }
    }
}`.split('\n');

// On a cluster: the role of each VM, and the cluster-wide settings. FailoverClusters is loaded only when
// the plan is a cluster.
const CLUSTER_HELPER = [`Import-Module FailoverClusters -ErrorAction Stop
$script:roles = @{}
`, ...VM_ROLES_HELPER, `
function Find-HvmemRole {
    param($VM, [string] $PlanHost)
    $target = @{}
    if ($UsePlanHostNames -and $PlanHost) { $target.Cluster = $PlanHost }
    $key = "$($target.Cluster)"
    if (-not $script:roles.ContainsKey($key)) {
        $byId = @{}
        foreach ($role in @(Get-HvmemVmRoles $target)) { $byId[[string]$role.VM.Id] = $role }
        $script:roles[$key] = $byId
    }
    $script:roles[$key][[string]$VM.Id]
}

function Update-HvmemCluster {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([string] $PlanHost, [System.Collections.IDictionary] $Settings)
    $target = @{ ErrorAction = 'Stop' }
    if ($UsePlanHostNames -and $PlanHost) { $target.Name = $PlanHost }
    try {
        $cluster = Get-Cluster @target
        $vmType = Get-ClusterResourceType -Name 'Virtual Machine' -Cluster $cluster.Name
        $now = @{
            RootMemoryReserved = [int]$cluster.RootMemoryReserved
            ClusterEnforcedAntiAffinity = [int]$cluster.ClusterEnforcedAntiAffinity
            MoveTypeThreshold = [int]($vmType | Get-ClusterParameter -Name MoveTypeThreshold).Value
        }
        $changed = $false
        foreach ($key in $Settings.Keys) {
            if ($now[$key] -eq $Settings[$key]) { continue }
            if (-not $PSCmdlet.ShouldProcess($cluster.Name, "set the cluster's $key to $($Settings[$key])")) { continue }
            switch ($key) {
                'MoveTypeThreshold' { $vmType | Set-ClusterParameter -Name MoveTypeThreshold -Value ([uint32]$Settings[$key]) -ErrorAction Stop }
                default { $cluster.$key = [uint32]$Settings[$key] }
            }
            $changed = $true
        }
        if ($changed) { Write-Host "hvmem: cluster $($cluster.Name) changed" }
    }
    catch { Write-Error "the cluster: $($_.Exception.Message)"; $script:failed++ }
}`].join('\n').split('\n');
