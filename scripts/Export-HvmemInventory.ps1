<#
.SYNOPSIS
    Exports Hyper-V hosts and their VMs' memory settings as JSON for `hvmem import`.
.DESCRIPTION
    Writes one JSON document (shape in docs/import-export.md) with each host's memory, NUMA layout,
    root reserve override and volumes' free space, and for every VM its memory settings (startup,
    minimum, maximum, buffer, priority, Dynamic Memory), state, assigned memory and demand,
    automatic start/stop actions and delay, and Smart Paging folder.
    On a failover cluster node (or with -Cluster) it also writes the cluster's root memory reserve,
    anti-affinity enforcement and move type threshold, and each clustered VM's priority, preferred and
    possible owners and anti-affinity classes.
    With -SampleSeconds it samples each running Dynamic Memory VM's physical memory and memory pressure
    (Get-Counter, "Hyper-V Dynamic Memory VM" counters) over that window, from which `hvmem import`
    computes the VM's measured demand.
    Enums are written as names and every value is flattened, so the result is the same under
    Windows PowerShell 5.1 and PowerShell 7 and no -Depth is ever too shallow.
    Read-only: it changes nothing on the hosts.
.PARAMETER ComputerName
    The Hyper-V host to read; this computer when omitted.
.PARAMETER Cluster
    A failover cluster: every node is read, with the cluster's settings for its VMs.
.PARAMETER Path
    The file to write (UTF-8). Without it the JSON goes to the pipeline.
.PARAMETER SampleSeconds
    How long to sample memory for measured demand (0: no sampling). An hour or a working day shows the
    peaks that averages hide.
.PARAMETER SampleInterval
    Seconds between two samples (default 10).
.EXAMPLE
    .\Export-HvmemInventory.ps1 -Path hv01.json
    hvmem import hv01.json -o hv01.hvmem.jsonc
.EXAMPLE
    .\Export-HvmemInventory.ps1 -Cluster CL01 -SampleSeconds 3600 -Path cl01.json
#>
#Requires -Modules Hyper-V
[CmdletBinding()]
param(
    [string] $ComputerName = $env:COMPUTERNAME,
    [string] $Cluster,
    [string] $Path,
    [ValidateRange(0, 604800)] [int] $SampleSeconds = 0,
    [ValidateRange(1, 3600)] [int] $SampleInterval = 10
)

Set-StrictMode -Version 2
$ErrorActionPreference = 'Stop'

# The cluster, when there is one: named with -Cluster, or the one this host is a node of.
$clusterObject = $null
if ($Cluster -or (Get-Module -ListAvailable -Name FailoverClusters)) {
    Import-Module FailoverClusters -ErrorAction Stop
    $clusterObject = if ($Cluster) { Get-Cluster -Name $Cluster } else { Get-Cluster -Name $ComputerName -ErrorAction SilentlyContinue }
}
$hostNames = if ($Cluster) { @(Get-ClusterNode -Cluster $clusterObject.Name | ForEach-Object { [string]$_.Name }) } else { @($ComputerName) }

# The root reserve override (MB) exists only when an administrator set it; strict mode forbids reading
# a value that is not there, so its presence is checked first.
$readReserve = {
    $key = Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Virtualization' -ErrorAction SilentlyContinue
    if ($key -and $key.PSObject.Properties['MemoryReserve']) { $key.MemoryReserve }
}

function Get-HostData([string] $name) {
    $vmHost = Get-VMHost -ComputerName $name
    $numaNodes = @(Get-VMHostNumaNode -ComputerName $name).Count
    $reserveMB = if ($name -eq $env:COMPUTERNAME) { & $readReserve } else { Invoke-Command -ComputerName $name -ScriptBlock $readReserve }
    $os = Get-CimInstance -ClassName Win32_OperatingSystem -ComputerName $name
    # Local fixed volumes, with mount points such as C:\ClusterStorage\Volume1, trailing backslash removed.
    $volumes = @(Get-CimInstance -ClassName Win32_Volume -ComputerName $name |
        Where-Object { $_.DriveType -eq 3 -and $_.Name -and $_.Name -notlike '\\?\*' } |
        ForEach-Object { [ordered]@{ Name = $_.Name.TrimEnd('\'); FreeBytes = [long]$_.FreeSpace } })
    $data = [ordered]@{
        Name                  = [string]$vmHost.ComputerName
        MemoryCapacity        = [long]$vmHost.MemoryCapacity
        NumaSpanningEnabled   = [bool]$vmHost.NumaSpanningEnabled
        NumaNodeCount         = [int]$numaNodes
        LogicalProcessorCount = [int]$vmHost.LogicalProcessorCount
        SystemDrive           = [string]$os.SystemDrive
        Volumes               = $volumes
    }
    if ($reserveMB) { $data.MemoryReserveBytes = [long]$reserveMB * 1MB }
    $data
}

# Get-Counter names a VM's instance in lower case, with the characters a counter path cannot hold replaced.
function Get-CounterInstance([string] $vmName) {
    $vmName.ToLowerInvariant().Replace('(', '[').Replace(')', ']').Replace('#', '_').Replace('/', '_').Replace('\', '_')
}

# Physical memory (MB) and current pressure (%) per "host|instance", one pair per sample taken.
$samples = @{}
$sampledAt = $null
if ($SampleSeconds -gt 0) {
    $count = [int][Math]::Max(1, [Math]::Ceiling($SampleSeconds / $SampleInterval))
    Write-Verbose "Sampling memory of the VMs on $($hostNames -join ', ') every $SampleInterval s, $count times"
    $paths = @('\Hyper-V Dynamic Memory VM(*)\Physical Memory', '\Hyper-V Dynamic Memory VM(*)\Current Pressure')
    foreach ($set in Get-Counter -Counter $paths -ComputerName $hostNames -SampleInterval $SampleInterval -MaxSamples $count) {
        if (-not $sampledAt) { $sampledAt = $set.Timestamp.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ') }
        $taken = @{}
        foreach ($s in $set.CounterSamples) {
            if ($s.Path -notmatch '^\\\\([^\\]+)\\hyper-v dynamic memory vm\((.*)\)\\(physical memory|current pressure)$') { continue }
            $key = "$($Matches[1])|$($Matches[2])".ToLowerInvariant()
            if (-not $taken.ContainsKey($key)) { $taken[$key] = @{} }
            $taken[$key][$Matches[3]] = $s.CookedValue
        }
        foreach ($key in $taken.Keys) {
            if ($taken[$key].Count -ne 2) { continue }
            if (-not $samples.ContainsKey($key)) { $samples[$key] = New-Object System.Collections.ArrayList }
            [void]$samples[$key].Add(@([long]$taken[$key]['physical memory'], [int]$taken[$key]['current pressure']))
        }
    }
}

# Cluster settings per VM id: the role's priority, owners and anti-affinity classes.
$roles = @{}
$clusterData = $null
if ($clusterObject) {
    $threshold = Get-ClusterResourceType -Name 'Virtual Machine' -Cluster $clusterObject.Name | Get-ClusterParameter -Name MoveTypeThreshold
    $clusterData = [ordered]@{
        Name                        = [string]$clusterObject.Name
        RootMemoryReservedBytes     = [long]$clusterObject.RootMemoryReserved * 1MB
        ClusterEnforcedAntiAffinity = [int]$clusterObject.ClusterEnforcedAntiAffinity
        MoveTypeThreshold           = $(if ($threshold) { [int]$threshold.Value } else { 2000 })
        Nodes                       = @(Get-ClusterNode -Cluster $clusterObject.Name | ForEach-Object { [string]$_.Name })
    }
    foreach ($group in @(Get-ClusterGroup -Cluster $clusterObject.Name | Where-Object { [string]$_.GroupType -eq 'VirtualMachine' })) {
        $resource = @(Get-ClusterResource -InputObject $group | Where-Object { [string]$_.ResourceType.Name -eq 'Virtual Machine' })
        if ($resource.Count -ne 1) { continue }
        $vm = @(Get-VM -ClusterObject $resource[0])
        if ($vm.Count -ne 1) { continue }
        $roles[[string]$vm[0].Id] = [ordered]@{
            Group                  = [string]$group.Name
            OwnerNode              = [string]$group.OwnerNode.Name
            Priority               = [int]$group.Priority
            PreferredOwners        = @((Get-ClusterOwnerNode -InputObject $group).OwnerNodes | ForEach-Object { [string]$_.Name })
            PossibleOwners         = @((Get-ClusterOwnerNode -InputObject $resource[0]).OwnerNodes | ForEach-Object { [string]$_.Name })
            AntiAffinityClassNames = @($group.AntiAffinityClassNames | ForEach-Object { [string]$_ })
        }
    }
}

$hosts = @($hostNames | ForEach-Object { Get-HostData $_ })
$vms = @(foreach ($hostName in $hostNames) {
    $onHost = @(Get-VM -ComputerName $hostName)
    $instances = @{}
    foreach ($v in $onHost) { $instances[(Get-CounterInstance $v.Name)] += 1 }
    foreach ($v in $onHost) {
        $memory = Get-VMMemory -VM $v
        $data = [ordered]@{
            Name                 = $v.Name
            ComputerName         = [string]$v.ComputerName
            Generation           = [int]$v.Generation
            State                = [string]$v.State
            DynamicMemoryEnabled = [bool]$memory.DynamicMemoryEnabled
            MemoryStartup        = [long]$memory.Startup
            MemoryMinimum        = [long]$memory.Minimum
            MemoryMaximum        = [long]$memory.Maximum
            MemoryBuffer         = [int]$memory.Buffer
            MemoryPriority       = [int]$memory.Priority
            MemoryAssigned       = [long]$v.MemoryAssigned
            MemoryDemand         = [long]$v.MemoryDemand
            AutomaticStartAction = [string]$v.AutomaticStartAction
            AutomaticStartDelay  = [int]$v.AutomaticStartDelay
            AutomaticStopAction  = [string]$v.AutomaticStopAction
            SmartPagingFilePath  = [string]$v.SmartPagingFilePath
        }
        if ($roles.ContainsKey([string]$v.Id)) { $data.Cluster = $roles[[string]$v.Id] }
        $instance = Get-CounterInstance $v.Name
        $key = "$($hostName)|$instance".ToLowerInvariant()
        if ($samples.ContainsKey($key) -and $instances[$instance] -eq 1) {
            $data.MemorySamples = [ordered]@{
                StartedAt           = $sampledAt
                IntervalSeconds     = $SampleInterval
                PhysicalMemoryBytes = @($samples[$key] | ForEach-Object { [long]$_[0] * 1MB })
                PressurePercent     = @($samples[$key] | ForEach-Object { [int]$_[1] })
            }
        } elseif ($samples.ContainsKey($key)) {
            Write-Warning "$($v.Name): another VM on $hostName has the same counter instance name; its samples are left out"
        }
        $data
    }
})

$inventory = [ordered]@{
    hvmemInventory = 2
    exportedAt     = (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
}
if ($clusterData) { $inventory.cluster = $clusterData }
$inventory.hosts = $hosts
$inventory.vms = $vms

$json = ConvertTo-Json -InputObject $inventory -Depth 6
if ($Path) {
    [System.IO.File]::WriteAllText($ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path), $json, (New-Object System.Text.UTF8Encoding $false))
    Write-Verbose "Wrote $($vms.Count) VM(s) of $($hosts.Count) host(s) to $Path"
} else {
    $json
}
