# Stand-ins for the Hyper-V cmdlets hvmem's scripts call, with Hyper-V's parameter names, types,
# positions and parameter sets, and its refusals (test/powershell/README.md lists what is not modelled).
Set-StrictMode -Version 3

$script:offStates = @('Off')
$script:perVmLimit = @{ 1 = 1TB; 2 = 12TB }

function Find-HvVm {
    param([string[]] $Name, [string[]] $ComputerName, [System.Management.Automation.PSCmdlet] $Cmdlet)
    $state = Get-HvStandInState
    foreach ($h in Resolve-HvStandInHost -ComputerName $ComputerName -Cmdlet $Cmdlet) {
        foreach ($pattern in $(if ($Name) { $Name } else { @('*') })) {
            $found = @($state.Vms | Where-Object { $_.ComputerName -eq $h.Name -and $_.Name -like $pattern })
            if ($found.Count -eq 0 -and -not [WildcardPattern]::ContainsWildcardCharacters($pattern)) {
                Write-HvStandInError -Cmdlet $Cmdlet -Message "Hyper-V was unable to find a virtual machine with name `"$pattern`"." -Category InvalidArgument -Target $pattern -ErrorId 'InvalidParameter'
            }
            $found
        }
    }
}

function Get-VM {
    [CmdletBinding(DefaultParameterSetName = 'Name')]
    [OutputType([Microsoft.HyperV.PowerShell.VirtualMachine])]
    param(
        [Parameter(ParameterSetName = 'Name', Position = 0, ValueFromPipeline = $true)]
        [Alias('VMName')] [ValidateNotNullOrEmpty()] [string[]] $Name,
        [Parameter(ParameterSetName = 'Id', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Alias('VMId')] [Nullable[Guid]] $Id,
        [Parameter(ParameterSetName = 'ClusterObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [psobject] $ClusterObject,
        [Parameter(ParameterSetName = 'Name')] [Parameter(ParameterSetName = 'Id')] [ValidateNotNullOrEmpty()] [string[]] $ComputerName,
        [Parameter(ParameterSetName = 'Name')] [Parameter(ParameterSetName = 'Id')] [pscredential[]] $Credential,
        [Parameter(ParameterSetName = 'Name')] [Parameter(ParameterSetName = 'Id')] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession
    )
    process {
        $entries = switch ($PSCmdlet.ParameterSetName) {
            'Name' { Find-HvVm -Name $Name -ComputerName $ComputerName -Cmdlet $PSCmdlet }
            'Id' { @((Get-HvStandInState).Vms | Where-Object { [guid]$_.Id -eq $Id }) }
            'ClusterObject' {
                $groupName = if ($ClusterObject -is [Microsoft.FailoverClusters.PowerShell.ClusterResource]) { $ClusterObject.OwnerGroup.Name } else { [string]$ClusterObject }
                @((Get-HvStandInState).Vms | Where-Object { $_.Cluster -and (Get-HvStandInRoleName $_) -eq $groupName })
            }
        }
        foreach ($entry in $entries) { [Microsoft.HyperV.PowerShell.VirtualMachine]::new($entry) }
    }
}

function Get-VMMemory {
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    [OutputType([Microsoft.HyperV.PowerShell.VMMemory])]
    param(
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0)] [ValidateNotNullOrEmpty()] [string[]] $VMName,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)] [ValidateNotNullOrEmpty()] [Microsoft.HyperV.PowerShell.VirtualMachine[]] $VM,
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()] [string[]] $ComputerName,
        [Parameter(ParameterSetName = 'VMName')] [pscredential[]] $Credential,
        [Parameter(ParameterSetName = 'VMName')] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession
    )
    process {
        $entries = if ($VM) { Find-HvVmEntry $VM } else { Find-HvVm -Name $VMName -ComputerName $ComputerName -Cmdlet $PSCmdlet }
        foreach ($entry in $entries) { [Microsoft.HyperV.PowerShell.VMMemory]::new($entry) }
    }
}

<# A VirtualMachine object's state entry (the object itself is a snapshot taken by Get-VM). #>
function Find-HvVmEntry([Microsoft.HyperV.PowerShell.VirtualMachine[]] $VM) {
    foreach ($v in $VM) { @((Get-HvStandInState).Vms | Where-Object { $_.Id -eq $v.Id.ToString() }) }
}

function Get-HvMemoryRefusal {
    param([System.Collections.IDictionary] $Entry, [System.Collections.IDictionary] $Change)
    $name = $Entry.Name
    $new = @{}
    foreach ($key in 'DynamicMemoryEnabled', 'Startup', 'Minimum', 'Maximum', 'Buffer', 'Priority') {
        $new[$key] = if ($Change.Contains($key)) { $Change[$key] } else { $Entry[$key] }
    }
    $running = $Entry.State -notin $script:offStates
    if ($running) {
        if ($Change.Contains('DynamicMemoryEnabled') -and [bool]$Change.DynamicMemoryEnabled -ne [bool]$Entry.DynamicMemoryEnabled) {
            return "'$name' failed to modify device 'Memory'. Dynamic Memory cannot be enabled or disabled while the virtual machine is in the $($Entry.State) state."
        }
        if ($Change.Contains('Startup') -and $Change.Startup -ne $Entry.Startup) {
            if ($Entry.DynamicMemoryEnabled) { return "'$name' failed to modify device 'Memory'. The startup memory of a virtual machine with Dynamic Memory cannot be changed while it is in the $($Entry.State) state." }
            if (-not ($Entry.Generation -eq 2 -and $Entry.State -eq 'Running' -and $Entry.Contains('RuntimeMemoryResize') -and $Entry.RuntimeMemoryResize)) {
                return "'$name' failed to modify device 'Memory'. The memory of '$name' cannot be changed while it is in the $($Entry.State) state: runtime memory resize needs a running generation 2 virtual machine whose guest supports it."
            }
        }
        if ($Change.Contains('Minimum') -and $Change.Minimum -gt $Entry.Minimum) { return "'$name' failed to modify device 'Memory'. The minimum memory cannot be increased while the virtual machine is in the $($Entry.State) state." }
        if ($Change.Contains('Maximum') -and $Change.Maximum -lt $Entry.Maximum) { return "'$name' failed to modify device 'Memory'. The maximum memory cannot be decreased while the virtual machine is in the $($Entry.State) state." }
    }
    if (-not $new.DynamicMemoryEnabled) {
        foreach ($key in 'Minimum', 'Maximum', 'Buffer') {
            if ($Change.Contains($key)) { return "'$name' failed to modify device 'Memory'. The $($key.ToLowerInvariant()) memory setting applies only with Dynamic Memory: enable Dynamic Memory in the same call." }
        }
    }
    foreach ($key in 'Startup', 'Minimum', 'Maximum') {
        if (-not $Change.Contains($key)) { continue }
        $bytes = [long]$Change[$key]
        if ($bytes % 2MB -ne 0) { return "'$name' failed to modify device 'Memory'. Invalid $($key.ToLowerInvariant()) memory amount assigned for '$name': $bytes bytes is not properly aligned (memory must be a multiple of 2 MB)." }
        if ($bytes -lt 32MB) { return "'$name' failed to modify device 'Memory'. Invalid $($key.ToLowerInvariant()) memory amount assigned for '$name': the minimum is 32 MB." }
        $limit = $script:perVmLimit[[int]$Entry.Generation]
        if ($bytes -gt $limit) { return "'$name' failed to modify device 'Memory'. Invalid $($key.ToLowerInvariant()) memory amount assigned for '$name': the most a generation $($Entry.Generation) virtual machine can have is $($limit / 1TB) TB." }
    }
    if ($new.DynamicMemoryEnabled) {
        if ($new.Minimum -gt $new.Startup) { return "'$name' failed to modify device 'Memory'. The minimum memory ($($new.Minimum / 1MB) MB) cannot be greater than the startup memory ($($new.Startup / 1MB) MB)." }
        if ($new.Maximum -lt $new.Startup) { return "'$name' failed to modify device 'Memory'. The maximum memory ($($new.Maximum / 1MB) MB) cannot be less than the startup memory ($($new.Startup / 1MB) MB)." }
    }
    if ($Change.Contains('Buffer') -and ($Change.Buffer -lt 5 -or $Change.Buffer -gt 2000)) { return "'$name' failed to modify device 'Memory'. The memory buffer must be between 5 and 2000 percent." }
    if ($Change.Contains('Priority') -and ($Change.Priority -lt 0 -or $Change.Priority -gt 100)) { return "'$name' failed to modify device 'Memory'. The memory weight must be between 0 and 100." }
    return $null
}

<# Applies one call's changes to one VM entry, or refuses them all; records the call either way. #>
function Invoke-HvChange {
    param([System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Command, [System.Collections.IDictionary] $Bound, [System.Collections.IDictionary] $Entry,
          [System.Collections.IDictionary] $Memory, [System.Collections.IDictionary] $Settings, [string] $Action)
    $recorded = [ordered]@{ VMName = $Entry.Name }
    foreach ($key in $Bound.Keys) { if ($key -notin 'VM', 'VMName', 'Name', 'Passthru', 'WhatIf', 'Confirm', 'ErrorAction', 'ComputerName') { $recorded[$key] = $Bound[$key] } }
    if (-not $Cmdlet.ShouldProcess($Entry.Name, $Action)) { Add-HvStandInCall -Command $Command -Parameters $recorded -Outcome 'not run (ShouldProcess)'; return }
    $refusal = if ($Memory.Count -gt 0) { Get-HvMemoryRefusal -Entry $Entry -Change $Memory } else { $null }
    if (-not $refusal -and $Entry.State -notin $script:offStates) {
        foreach ($key in 'AutomaticStopAction', 'SmartPagingFilePath') {
            if ($Settings.Contains($key) -and [string]$Settings[$key] -ne [string]$Entry[$key]) {
                $refusal = "'$($Entry.Name)' failed to modify the $key setting: the operation cannot be performed while the virtual machine is in the $($Entry.State) state."
                break
            }
        }
    }
    if (-not $refusal -and $Settings.Contains('SmartPagingFilePath') -and $Settings.SmartPagingFilePath -notmatch '^([A-Za-z]:\\|\\\\[^\\]+\\[^\\]+)') {
        $refusal = "'$($Entry.Name)' failed to modify the SmartPagingFilePath setting: '$($Settings.SmartPagingFilePath)' is not an absolute path."
    }
    if (-not $refusal -and $Settings.Contains('AutomaticStartDelay') -and $Settings.AutomaticStartDelay -lt 0) {
        $refusal = "'$($Entry.Name)': the automatic start delay cannot be negative."
    }
    if ($refusal) {
        Add-HvStandInCall -Command $Command -Parameters $recorded -Outcome "refused: $refusal"
        Write-HvStandInError -Cmdlet $Cmdlet -Message $refusal -Category InvalidOperation -Target $Entry.Name -ErrorId 'InvalidState'
        return
    }
    foreach ($key in $Memory.Keys) { $Entry[$key] = $Memory[$key] }
    foreach ($key in $Settings.Keys) { $Entry[$key] = if ($Settings[$key] -is [enum]) { [string]$Settings[$key] } else { $Settings[$key] } }
    Add-HvStandInCall -Command $Command -Parameters $recorded -Outcome 'applied'
}

function Set-VMMemory {
    [CmdletBinding(DefaultParameterSetName = 'VMName', SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    [OutputType([Microsoft.HyperV.PowerShell.VMMemory])]
    param(
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)] [ValidateNotNullOrEmpty()] [string[]] $VMName,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)] [ValidateNotNullOrEmpty()] [Microsoft.HyperV.PowerShell.VirtualMachine[]] $VM,
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()] [string[]] $ComputerName,
        [Parameter(ParameterSetName = 'VMName')] [pscredential[]] $Credential,
        [Parameter(ParameterSetName = 'VMName')] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [int] $Buffer,
        [bool] $DynamicMemoryEnabled,
        [long] $MaximumBytes,
        [long] $MinimumBytes,
        [long] $StartupBytes,
        [long] $MaximumAmountPerNumaNodeBytes,
        [int] $Priority,
        [string] $ResourcePoolName,
        [switch] $Passthru
    )
    process {
        $memory = [ordered]@{}
        foreach ($pair in @(('DynamicMemoryEnabled', 'DynamicMemoryEnabled'), ('StartupBytes', 'Startup'), ('MinimumBytes', 'Minimum'), ('MaximumBytes', 'Maximum'), ('Buffer', 'Buffer'), ('Priority', 'Priority'))) {
            if ($PSBoundParameters.ContainsKey($pair[0])) { $memory[$pair[1]] = $PSBoundParameters[$pair[0]] }
        }
        $entries = if ($VM) { Find-HvVmEntry $VM } else { Find-HvVm -Name $VMName -ComputerName $ComputerName -Cmdlet $PSCmdlet }
        foreach ($entry in $entries) {
            Invoke-HvChange -Cmdlet $PSCmdlet -Command 'Set-VMMemory' -Bound $PSBoundParameters -Entry $entry -Memory $memory -Settings @{} -Action 'Set-VMMemory'
            if ($Passthru) { [Microsoft.HyperV.PowerShell.VMMemory]::new($entry) }
        }
    }
}

function Set-VM {
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    [OutputType([Microsoft.HyperV.PowerShell.VirtualMachine])]
    param(
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)] [Alias('VMName')] [ValidateNotNullOrEmpty()] [string[]] $Name,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)] [ValidateNotNullOrEmpty()] [Microsoft.HyperV.PowerShell.VirtualMachine[]] $VM,
        [Parameter(ParameterSetName = 'Name')] [ValidateNotNullOrEmpty()] [string[]] $ComputerName,
        [Parameter(ParameterSetName = 'Name')] [pscredential[]] $Credential,
        [Parameter(ParameterSetName = 'Name')] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [bool] $GuestControlledCacheTypes,
        [uint32] $LowMemoryMappedIoSpace,
        [uint64] $HighMemoryMappedIoSpace,
        [uint64] $HighMemoryMappedIoBaseAddress,
        [long] $ProcessorCount,
        [switch] $DynamicMemory,
        [switch] $StaticMemory,
        [long] $MemoryMinimumBytes,
        [long] $MemoryMaximumBytes,
        [long] $MemoryStartupBytes,
        [Microsoft.HyperV.PowerShell.StartAction] $AutomaticStartAction,
        [Microsoft.HyperV.PowerShell.StopAction] $AutomaticStopAction,
        [int] $AutomaticStartDelay,
        [string] $AutomaticCriticalErrorAction,
        [int] $AutomaticCriticalErrorActionTimeout,
        [bool] $AutomaticCheckpointsEnabled,
        [string] $LockOnDisconnect,
        [string] $Notes,
        [string] $NewVMName,
        [string] $SnapshotFileLocation,
        [string] $SmartPagingFilePath,
        [string] $CheckpointType,
        [string] $EnhancedSessionTransportType,
        [bool] $BatteryPassthroughEnabled,
        [switch] $AllowUnverifiedPaths,
        [switch] $Passthru
    )
    process {
        if ($DynamicMemory -and $StaticMemory) {
            Write-HvStandInError -Cmdlet $PSCmdlet -Message 'Parameters DynamicMemory and StaticMemory cannot be used together.' -Category InvalidArgument -Target $null -ErrorId 'InvalidParameter'
            return
        }
        $memory = [ordered]@{}
        if ($DynamicMemory) { $memory.DynamicMemoryEnabled = $true }
        if ($StaticMemory) { $memory.DynamicMemoryEnabled = $false }
        foreach ($pair in @(('MemoryStartupBytes', 'Startup'), ('MemoryMinimumBytes', 'Minimum'), ('MemoryMaximumBytes', 'Maximum'))) {
            if ($PSBoundParameters.ContainsKey($pair[0])) { $memory[$pair[1]] = $PSBoundParameters[$pair[0]] }
        }
        $settings = [ordered]@{}
        foreach ($key in 'AutomaticStartAction', 'AutomaticStartDelay', 'AutomaticStopAction', 'SmartPagingFilePath') {
            if ($PSBoundParameters.ContainsKey($key)) { $settings[$key] = $PSBoundParameters[$key] }
        }
        $entries = if ($VM) { Find-HvVmEntry $VM } else { Find-HvVm -Name $Name -ComputerName $ComputerName -Cmdlet $PSCmdlet }
        foreach ($entry in $entries) {
            Invoke-HvChange -Cmdlet $PSCmdlet -Command 'Set-VM' -Bound $PSBoundParameters -Entry $entry -Memory $memory -Settings $settings -Action 'Set-VM'
            if ($Passthru) { [Microsoft.HyperV.PowerShell.VirtualMachine]::new($entry) }
        }
    }
}

function New-VM {
    [CmdletBinding(DefaultParameterSetName = 'No VHD', SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    [OutputType([Microsoft.HyperV.PowerShell.VirtualMachine])]
    param(
        [Parameter(Position = 0)] [Alias('VMName')] [ValidateNotNullOrEmpty()] [string] $Name,
        [Parameter(Position = 1)] [long] $MemoryStartupBytes,
        [ValidateSet('Floppy', 'CD', 'IDE', 'LegacyNetworkAdapter', 'NetworkAdapter', 'VHD')] [string] $BootDevice,
        [ValidateNotNullOrEmpty()] [string] $SwitchName,
        [Parameter(ParameterSetName = 'New VHD', Mandatory = $true)] [ValidateNotNullOrEmpty()] [string] $NewVHDPath,
        [Parameter(ParameterSetName = 'New VHD', Mandatory = $true)] [uint64] $NewVHDSizeBytes,
        [Parameter(ParameterSetName = 'Existing VHD', Mandatory = $true)] [ValidateNotNullOrEmpty()] [string] $VHDPath,
        [Parameter(ParameterSetName = 'No VHD')] [switch] $NoVHD,
        [ValidateSet(1, 2)] [int16] $Generation = 1,
        [version] $Version,
        [switch] $Prerelease,
        [switch] $Experimental,
        [string] $Path,
        [string] $GuestStateIsolationType,
        [ValidateNotNullOrEmpty()] [string[]] $ComputerName,
        [pscredential[]] $Credential,
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [switch] $AsJob,
        [switch] $Force
    )
    $state = Get-HvStandInState
    $h = @(Resolve-HvStandInHost -ComputerName $ComputerName -Cmdlet $PSCmdlet)[0]
    if (-not $h) { return }
    $vmName = if ($Name) { $Name } else { 'New Virtual Machine' }
    $recorded = [ordered]@{}
    foreach ($key in $PSBoundParameters.Keys) { $recorded[$key] = $PSBoundParameters[$key] }
    if (-not $PSCmdlet.ShouldProcess($vmName, 'New-VM')) { Add-HvStandInCall -Command 'New-VM' -Parameters $recorded -Outcome 'not run (ShouldProcess)'; return }
    $startup = if ($PSBoundParameters.ContainsKey('MemoryStartupBytes')) { $MemoryStartupBytes } else { 512MB }
    $entry = [ordered]@{
        Name = $vmName; Id = [guid]::NewGuid().ToString(); ComputerName = $h.Name; Generation = [int]$Generation; State = 'Off'
        DynamicMemoryEnabled = $false; Startup = 512MB; Minimum = 512MB; Maximum = 1TB; Buffer = 20; Priority = 50; Assigned = 0; Demand = 0
        AutomaticStartAction = 'StartIfRunning'; AutomaticStartDelay = 0; AutomaticStopAction = 'Save'
        SmartPagingFilePath = $(if ($Path) { Join-Path $Path $vmName } else { 'C:\ProgramData\Microsoft\Windows\Hyper-V' }); Cluster = $null; Samples = $null
    }
    $refusal = Get-HvMemoryRefusal -Entry $entry -Change @{ Startup = $startup }
    if ($refusal) {
        Add-HvStandInCall -Command 'New-VM' -Parameters $recorded -Outcome "refused: $refusal"
        Write-HvStandInError -Cmdlet $PSCmdlet -Message $refusal -Category InvalidArgument -Target $vmName -ErrorId 'InvalidParameter'
        return
    }
    $entry.Startup = $startup
    $state.Vms = @($state.Vms) + $entry
    Add-HvStandInCall -Command 'New-VM' -Parameters $recorded -Outcome 'applied'
    [Microsoft.HyperV.PowerShell.VirtualMachine]::new($entry)
}

function Get-VMHost {
    [CmdletBinding()]
    [OutputType([Microsoft.HyperV.PowerShell.VMHost])]
    param(
        [Parameter(Position = 0)] [ValidateNotNullOrEmpty()] [string[]] $ComputerName,
        [pscredential[]] $Credential,
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession
    )
    foreach ($h in Resolve-HvStandInHost -ComputerName $ComputerName -Cmdlet $PSCmdlet) { [Microsoft.HyperV.PowerShell.VMHost]::new($h) }
}

function Get-VMHostNumaNode {
    [CmdletBinding()]
    [OutputType([Microsoft.HyperV.PowerShell.VMHostNumaNode])]
    param(
        [int] $Id,
        [ValidateNotNullOrEmpty()] [string[]] $ComputerName,
        [pscredential[]] $Credential,
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession
    )
    foreach ($h in Resolve-HvStandInHost -ComputerName $ComputerName -Cmdlet $PSCmdlet) {
        $count = if ($h.Contains('NumaNodes')) { [int]$h.NumaNodes } else { 1 }
        for ($n = 0; $n -lt $count; $n++) {
            if ($PSBoundParameters.ContainsKey('Id') -and $Id -ne $n) { continue }
            [Microsoft.HyperV.PowerShell.VMHostNumaNode]::new($h.Name, $n, [long]($h.MemoryCapacity / $count / 1MB))
        }
    }
}
