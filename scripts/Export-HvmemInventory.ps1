<#
.SYNOPSIS
    Exports a Hyper-V host and its VMs' memory settings as JSON for `hvmem import`.
.DESCRIPTION
    Writes one JSON document (shape in docs/import-export.md) with the host's memory, NUMA layout,
    root reserve override and volumes' free space, and for every VM its memory settings (startup,
    minimum, maximum, buffer, priority, Dynamic Memory), state, assigned memory and demand,
    automatic start/stop actions and delay, and Smart Paging folder.
    Enums are written as names and every value is flattened, so the result is the same under
    Windows PowerShell 5.1 and PowerShell 7 and no -Depth is ever too shallow.
    Read-only: it changes nothing on the host.
.PARAMETER ComputerName
    The Hyper-V host to read; this computer when omitted.
.PARAMETER Path
    The file to write (UTF-8). Without it the JSON goes to the pipeline.
.EXAMPLE
    .\Export-HvmemInventory.ps1 -Path hv01.json
    hvmem import hv01.json -o hv01.hvmem.jsonc
#>
#Requires -Modules Hyper-V
[CmdletBinding()]
param(
    [string] $ComputerName = $env:COMPUTERNAME,
    [string] $Path
)

Set-StrictMode -Version 2
$ErrorActionPreference = 'Stop'

$vmHost = Get-VMHost -ComputerName $ComputerName
$numaNodes = @(Get-VMHostNumaNode -ComputerName $ComputerName).Count

# The root reserve override (MB) exists only when an administrator set it.
$readReserve = {
    (Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Virtualization' -Name MemoryReserve -ErrorAction SilentlyContinue).MemoryReserve
}
$reserveMB = if ($ComputerName -eq $env:COMPUTERNAME) { & $readReserve } else { Invoke-Command -ComputerName $ComputerName -ScriptBlock $readReserve }

$os = Get-CimInstance -ClassName Win32_OperatingSystem -ComputerName $ComputerName
# Local fixed volumes, with mount points such as C:\ClusterStorage\Volume1, trailing backslash removed.
$volumes = @(Get-CimInstance -ClassName Win32_Volume -ComputerName $ComputerName |
    Where-Object { $_.DriveType -eq 3 -and $_.Name -and $_.Name -notlike '\\?\*' } |
    ForEach-Object { [ordered]@{ Name = $_.Name.TrimEnd('\'); FreeBytes = [long]$_.FreeSpace } })

$hostData = [ordered]@{
    Name                  = $vmHost.ComputerName
    MemoryCapacity        = [long]$vmHost.MemoryCapacity
    NumaSpanningEnabled   = [bool]$vmHost.NumaSpanningEnabled
    NumaNodeCount         = [int]$numaNodes
    LogicalProcessorCount = [int]$vmHost.LogicalProcessorCount
    SystemDrive           = [string]$os.SystemDrive
    Volumes               = $volumes
}
if ($reserveMB) { $hostData.MemoryReserveBytes = [long]$reserveMB * 1MB }

$vms = @(Get-VM -ComputerName $ComputerName | ForEach-Object {
    $memory = Get-VMMemory -VM $_
    [ordered]@{
        Name                 = $_.Name
        Generation           = [int]$_.Generation
        State                = [string]$_.State
        DynamicMemoryEnabled = [bool]$memory.DynamicMemoryEnabled
        MemoryStartup        = [long]$memory.Startup
        MemoryMinimum        = [long]$memory.Minimum
        MemoryMaximum        = [long]$memory.Maximum
        MemoryBuffer         = [int]$memory.Buffer
        MemoryPriority       = [int]$memory.Priority
        MemoryAssigned       = [long]$_.MemoryAssigned
        MemoryDemand         = [long]$_.MemoryDemand
        AutomaticStartAction = [string]$_.AutomaticStartAction
        AutomaticStartDelay  = [int]$_.AutomaticStartDelay
        AutomaticStopAction  = [string]$_.AutomaticStopAction
        SmartPagingFilePath  = [string]$_.SmartPagingFilePath
    }
})

$inventory = [ordered]@{
    hvmemInventory = 1
    exportedAt     = (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
    host           = $hostData
    vms            = $vms
}

$json = ConvertTo-Json -InputObject $inventory -Depth 5
if ($Path) {
    [System.IO.File]::WriteAllText($ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path), $json, (New-Object System.Text.UTF8Encoding $false))
    Write-Verbose "Wrote $($vms.Count) VM(s) of $($hostData.Name) to $Path"
} else {
    $json
}
