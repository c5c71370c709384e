# The in-memory world behind the stand-in Hyper-V and FailoverClusters modules: hosts, VMs, the cluster,
# and every call made, loaded from and written back to JSON by the test driver. Also the few Windows
# commands the shipped scripts use that PowerShell on Linux lacks (Get-CimInstance, Get-Counter, the
# registry through Get-ItemProperty, Invoke-Command -ComputerName), answered from the same state.
Set-StrictMode -Version 3

$source = Join-Path $PSScriptRoot 'HvStandIn.cs'
if (-not ('HvStandIn.Store' -as [type])) {
    # Compiling takes seconds; each test starts a new pwsh, so the assembly is kept per source hash.
    $hash = (Get-FileHash -Path $source -Algorithm SHA256).Hash.Substring(0, 16)
    $cache = if ($env:HVMEM_STANDIN_CACHE) { $env:HVMEM_STANDIN_CACHE } else { [IO.Path]::GetTempPath() }
    $dll = Join-Path $cache "hvmem-standin-$hash.dll"
    if (-not (Test-Path -LiteralPath $dll)) {
        $partial = "$dll.$PID.tmp"
        Add-Type -Path $source -OutputAssembly $partial -OutputType Library
        Move-Item -LiteralPath $partial -Destination $dll -Force
    }
    Add-Type -Path $dll
}

$script:remoteComputer = $null

function Import-HvStandInState {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path)
    $state = Get-Content -LiteralPath $Path -Raw | ConvertFrom-Json -AsHashtable
    foreach ($key in 'Hosts', 'Vms') { if (-not $state.Contains($key)) { $state[$key] = @() } }
    $i = 0
    foreach ($vm in $state.Vms) {
        $i++
        $defaults = [ordered]@{
            Id = '{0:d8}-0000-4000-8000-{1:d12}' -f $i, $i; Generation = 1; State = 'Off'; DynamicMemoryEnabled = $false
            Startup = 512MB; Minimum = 512MB; Maximum = 1TB; Buffer = 20; Priority = 50; Assigned = 0; Demand = 0
            AutomaticStartAction = 'StartIfRunning'; AutomaticStartDelay = 0; AutomaticStopAction = 'Save'
            SmartPagingFilePath = 'C:\ProgramData\Microsoft\Windows\Hyper-V'; Cluster = $null; Samples = $null
        }
        foreach ($key in $defaults.Keys) { if (-not $vm.Contains($key)) { $vm[$key] = $defaults[$key] } }
        if (-not $vm.Contains('ComputerName')) { $vm.ComputerName = $state.ComputerName }
    }
    [HvStandIn.Store]::Data = $state
    [HvStandIn.Store]::Calls.Clear()
    $env:COMPUTERNAME = $state.ComputerName
    if ($state.Contains('Mode') -and $state.Mode -eq 'ps51') {
        # Windows PowerShell 5.1's types.ps1xml gives arrays an extended Count property, which makes
        # ConvertTo-Json write an array that went through the pipeline as { "value": [...], "Count": n }.
        Update-TypeData -TypeName System.Array -MemberType AliasProperty -MemberName Count -Value Length -Force
    }
}

function Export-HvStandInState {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path, [hashtable] $Extra = @{})
    $out = [ordered]@{ State = [HvStandIn.Store]::Data; Calls = @([HvStandIn.Store]::Calls) }
    foreach ($key in $Extra.Keys) { $out[$key] = $Extra[$key] }
    [IO.File]::WriteAllText($Path, (ConvertTo-Json -InputObject $out -Depth 12), [Text.UTF8Encoding]::new($false))
}

function ConvertTo-HvStandInPlain($value) {
    if ($null -eq $value) { return $null }
    if ($value -is [System.Management.Automation.SwitchParameter]) { return $value.IsPresent }
    if ($value -is [Microsoft.HyperV.PowerShell.VirtualMachine]) { return $value.Name }
    if ($value -is [enum] -or $value -is [string]) { return [string]$value }
    if ($value -is [ValueType]) { return $value }
    if ($value -is [System.Collections.IEnumerable]) { return , @($value | ForEach-Object { ConvertTo-HvStandInPlain $_ }) }
    [string]$value
}

<# Records a call with its bound parameters as plain values: objects by name, enums by name. #>
function Add-HvStandInCall {
    param([string] $Command, [System.Collections.IDictionary] $Parameters, [string] $Outcome)
    $plain = [ordered]@{}
    foreach ($key in $Parameters.Keys) { $plain[$key] = ConvertTo-HvStandInPlain $Parameters[$key] }
    [HvStandIn.Store]::Record($Command, $plain, $Outcome)
}

function Get-HvStandInState { [HvStandIn.Store]::Data }

<# The name of a clustered VM's role: the VM's own unless the state renames the role (Cluster.RoleName). #>
function Get-HvStandInRoleName($Vm) {
    if ($Vm.Cluster -and $Vm.Cluster.Contains('RoleName') -and $Vm.Cluster.RoleName) { [string]$Vm.Cluster.RoleName } else { [string]$Vm.Name }
}

function Test-HvStandInLocal([string] $Name) {
    -not $Name -or $Name -eq '.' -or $Name -eq 'localhost' -or $Name -eq [HvStandIn.Store]::Data.ComputerName
}

<# The host entries a -ComputerName names (this computer when empty); unknown names are errors. #>
function Resolve-HvStandInHost {
    param([string[]] $ComputerName, [System.Management.Automation.PSCmdlet] $Cmdlet)
    $state = [HvStandIn.Store]::Data
    $names = if ($ComputerName) { $ComputerName } elseif ($script:remoteComputer) { @($script:remoteComputer) } else { @($state.ComputerName) }
    foreach ($name in $names) {
        $wanted = if (Test-HvStandInLocal $name) { if ($script:remoteComputer) { $script:remoteComputer } else { $state.ComputerName } } else { $name }
        $found = @($state.Hosts | Where-Object { $_.Name -eq $wanted })
        if ($found.Count -eq 0) {
            Write-HvStandInError -Cmdlet $Cmdlet -Message "Hyper-V encountered an error trying to access an object on computer '$name' because the object was not found. The object might have been deleted, or you might not have permission to perform the task. Verify that the Virtual Machine Management service on the computer is running." -Category ObjectNotFound -Target $name -ErrorId 'ObjectNotFound'
        } else { $found[0] }
    }
}

function Write-HvStandInError {
    param([System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Message, [System.Management.Automation.ErrorCategory] $Category, $Target, [string] $ErrorId)
    $exception = [System.Management.Automation.RuntimeException]::new($Message)
    $record = [System.Management.Automation.ErrorRecord]::new($exception, "$ErrorId,$($Cmdlet.MyInvocation.MyCommand.Name)", $Category, $Target)
    $Cmdlet.WriteError($record)
}

<# Get-Counter's instance name for a VM: lower case, with the characters counters cannot hold replaced. #>
function ConvertTo-HvStandInInstance([string] $Name) {
    $Name.ToLowerInvariant().Replace('(', '[').Replace(')', ']').Replace('#', '_').Replace('/', '_').Replace('\', '_')
}

function Get-CimInstance {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [Alias('Class')] [string] $ClassName, [string[]] $ComputerName, [string] $Namespace = 'root/cimv2', [string] $Filter)
    foreach ($h in Resolve-HvStandInHost -ComputerName $ComputerName -Cmdlet $PSCmdlet) {
        switch ($ClassName) {
            'Win32_OperatingSystem' { [pscustomobject]@{ PSTypeName = 'Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_OperatingSystem'; CSName = $h.Name; SystemDrive = $(if ($h.Contains('SystemDrive')) { $h.SystemDrive } else { 'C:' }); TotalVisibleMemorySize = [uint64]($h.MemoryCapacity / 1KB) } }
            'Win32_Volume' {
                foreach ($v in @($h.Volumes)) {
                    [pscustomobject]@{ PSTypeName = 'Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_Volume'; Name = $v.Name; DriveType = [uint32]$(if ($v.Contains('DriveType')) { $v.DriveType } else { 3 }); FreeSpace = [uint64]$v.FreeSpace; Capacity = [uint64]$(if ($v.Contains('Capacity')) { $v.Capacity } else { $v.FreeSpace * 2 }); Label = $null }
                }
            }
            default { Write-HvStandInError -Cmdlet $PSCmdlet -Message "Invalid class" -Category InvalidType -Target $ClassName -ErrorId 'HRESULT 0x80041010' }
        }
    }
}

$script:virtualizationKey = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Virtualization'

<# Only the Hyper-V key the inventory reads is answered here; every other path goes to the real cmdlet. #>
function Get-ItemProperty {
    [CmdletBinding()]
    param([Parameter(Position = 0, ValueFromPipelineByPropertyName)] [string[]] $Path, [Parameter(Position = 1)] [Alias('PSProperty')] [string[]] $Name, [string[]] $LiteralPath)
    $target = @(@($Path) + @($LiteralPath) | Where-Object { $_ })
    if ($target.Count -eq 1 -and $target[0] -eq $script:virtualizationKey) {
        $h = @(Resolve-HvStandInHost -Cmdlet $PSCmdlet)[0]
        $key = [pscustomobject]@{ PSPath = "Microsoft.PowerShell.Core\Registry::$($target[0])" }
        if ($h -and $h.Contains('MemoryReserveMB') -and $null -ne $h.MemoryReserveMB) { $key | Add-Member -NotePropertyName MemoryReserve -NotePropertyValue ([int]$h.MemoryReserveMB) }
        if (-not $Name -or $key.PSObject.Properties[$Name[0]]) { return $key }
        Write-HvStandInError -Cmdlet $PSCmdlet -Message "Property $Name does not exist at path $($target[0] -replace '^HKLM:', 'HKEY_LOCAL_MACHINE')." -Category InvalidArgument -Target $Name -ErrorId 'System.Management.Automation.PSArgumentException'
        return
    }
    Microsoft.PowerShell.Management\Get-ItemProperty @PSBoundParameters
}

<#
Join-Path as on Windows: a backslash between the parts (PowerShell on Linux joins with '/' and looks for
drives such as D: that only the Hyper-V host has).
#>
function Join-Path {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)] [Alias('PSPath')] [string[]] $Path,
          [Parameter(Position = 1)] [AllowEmptyString()] [string] $ChildPath,
          [Parameter(Position = 2, ValueFromRemainingArguments)] [string[]] $AdditionalChildPath, [switch] $Resolve)
    process {
        foreach ($p in $Path) {
            $joined = $p
            foreach ($child in @($ChildPath) + @($AdditionalChildPath)) {
                if (-not $child) { continue }
                $joined = $joined.TrimEnd('\', '/') + '\' + $child.TrimStart('\', '/')
            }
            $joined
        }
    }
}

<# -ComputerName runs the block here, with the stand-ins answering as that computer. #>
function Invoke-Command {
    [CmdletBinding()]
    param([Parameter(Position = 0)] [string[]] $ComputerName, [Parameter(Mandatory, Position = 1)] [scriptblock] $ScriptBlock, [object[]] $ArgumentList)
    Add-HvStandInCall -Command 'Invoke-Command' -Parameters ([ordered]@{ ComputerName = $ComputerName }) -Outcome 'ran'
    foreach ($computer in $(if ($ComputerName) { $ComputerName } else { @($null) })) {
        $previous = $script:remoteComputer
        $script:remoteComputer = if ($computer -and -not (Test-HvStandInLocal $computer)) { $computer } else { $previous }
        try { & $ScriptBlock @ArgumentList } finally { $script:remoteComputer = $previous }
    }
}

<#
Get-Counter for the Hyper-V Dynamic Memory VM counter set: one sample set per -SampleInterval (without
waiting), one sample per running VM with Dynamic Memory, from the VM's Samples list in the state
([physical MB, pressure] pairs; the last one repeats). Other counter sets are refused.
#>
function Get-Counter {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)] [string[]] $Counter,
        [int] $SampleInterval = 1,
        [long] $MaxSamples = 1,
        [switch] $Continuous,
        [string[]] $ComputerName
    )
    $state = [HvStandIn.Store]::Data
    Add-HvStandInCall -Command 'Get-Counter' -Parameters $PSBoundParameters -Outcome 'sampled'
    $known = @{ 'physical memory' = 0; 'current pressure' = 1 }
    $wanted = foreach ($path in $Counter) {
        if ($path -notmatch '^(?:\\\\([^\\]+))?\\Hyper-V Dynamic Memory VM\(\*\)\\(.+)$' -or -not $known.ContainsKey($Matches[2].ToLowerInvariant())) {
            Write-HvStandInError -Cmdlet $PSCmdlet -Message "The specified counter path could not be interpreted: $path" -Category InvalidResult -Target $path -ErrorId 'CounterPathTranslationFailed'
            continue
        }
        [pscustomobject]@{ Computer = $Matches[1]; Counter = $Matches[2].ToLowerInvariant() }
    }
    $hosts = @(Resolve-HvStandInHost -ComputerName $ComputerName -Cmdlet $PSCmdlet)
    $start = [datetime]::new(2026, 11, 20, 9, 0, 0, [DateTimeKind]::Local)
    for ($k = 0; $k -lt $MaxSamples; $k++) {
        $at = $start.AddSeconds($k * $SampleInterval)
        $samples = foreach ($h in $hosts) {
            foreach ($vm in @($state.Vms | Where-Object { $_.ComputerName -eq $h.Name -and $_.State -eq 'Running' -and $_.DynamicMemoryEnabled -and $_.Samples })) {
                $pair = $vm.Samples[[Math]::Min($k, $vm.Samples.Count - 1)]
                $instance = ConvertTo-HvStandInInstance $vm.Name
                foreach ($w in $wanted) {
                    $path = "\\$($h.Name.ToLowerInvariant())\hyper-v dynamic memory vm($instance)\$($w.Counter)"
                    [Microsoft.PowerShell.Commands.GetCounter.PerformanceCounterSample]::new($path, $instance, [double]$pair[$known[$w.Counter]], $at)
                }
            }
        }
        [Microsoft.PowerShell.Commands.GetCounter.PerformanceCounterSampleSet]::new($at, @($samples))
    }
}

Export-ModuleMember -Function Import-HvStandInState, Export-HvStandInState, Add-HvStandInCall, Get-HvStandInState, Get-HvStandInRoleName, Resolve-HvStandInHost,
    Write-HvStandInError, Test-HvStandInLocal, ConvertTo-HvStandInInstance, Get-CimInstance, Get-ItemProperty, Invoke-Command, Get-Counter, Join-Path
