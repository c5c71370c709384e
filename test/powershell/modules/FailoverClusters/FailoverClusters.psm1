# Stand-ins for the FailoverClusters cmdlets hvmem's scripts call: the cluster, its nodes (the state's
# hosts), one role per clustered VM (named after the VM unless the state renames it) with its "Virtual
# Machine" resource, and the two core groups every cluster has. Priority and AntiAffinityClassNames are
# writable properties of the group, as on a real cluster; owners go through Get-/Set-ClusterOwnerNode,
# MoveTypeThreshold through the "Virtual Machine" resource type's parameters. A role moves to another
# node with Move-ClusterVirtualMachineRole (live migration) or Move-ClusterGroup: the VM's host changes.
Set-StrictMode -Version 3

$script:vmType = [Microsoft.FailoverClusters.PowerShell.ClusterResourceType]::new('Virtual Machine')
$script:configurationType = [Microsoft.FailoverClusters.PowerShell.ClusterResourceType]::new('Virtual Machine Configuration')

function Get-HvCluster([System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Name) {
    $state = Get-HvStandInState
    $c = if ($state.Contains('Cluster')) { $state.Cluster } else { $null }
    $asked = if ($Name -and -not (Test-HvStandInLocal $Name)) { $Name } else { $null }
    $nodeNames = @($state.Hosts | ForEach-Object { $_.Name })
    if (-not $c -or ($asked -and $asked -ne $c.Name -and $asked -notin $nodeNames)) {
        $message = if ($asked) { "Failed to connect to cluster '$asked'. The cluster name could not be found." } else { 'The cluster service is not running on this computer, or it is not a member of a cluster.' }
        Write-HvStandInError -Cmdlet $Cmdlet -Message $message -Category ConnectionError -Target $Name -ErrorId 'ClusterCmdletConnectionError'
        return $null
    }
    $c
}

function New-HvNode($hostEntry, $cluster) {
    [Microsoft.FailoverClusters.PowerShell.ClusterNode]::new($hostEntry.Name, $(if ($hostEntry.Contains('NodeState')) { $hostEntry.NodeState } else { 'Up' }), $cluster.Name)
}

<# A clustered VM's role, owned by the node the VM is on. #>
function Get-HvVmGroup($vm, $cluster) {
    $owner = @((Get-HvStandInState).Hosts | Where-Object { $_.Name -eq $vm.ComputerName })[0]
    [Microsoft.FailoverClusters.PowerShell.ClusterGroup]::new($vm, (New-HvNode $owner $cluster), $cluster.Name, 'VirtualMachine')
}

function Get-HvGroups($cluster) {
    $state = Get-HvStandInState
    $first = New-HvNode $state.Hosts[0] $cluster
    [Microsoft.FailoverClusters.PowerShell.ClusterGroup]::new(@{ Name = 'Cluster Group' }, $first, $cluster.Name, 'Cluster')
    [Microsoft.FailoverClusters.PowerShell.ClusterGroup]::new(@{ Name = 'Available Storage' }, $first, $cluster.Name, 'AvailableStorage')
    foreach ($vm in @($state.Vms | Where-Object { $_.Cluster })) { Get-HvVmGroup $vm $cluster }
}

<# The resources keep the VM's name when its role is renamed, as on a cluster. #>
function Get-HvResources($cluster) {
    foreach ($vm in @((Get-HvStandInState).Vms | Where-Object { $_.Cluster })) {
        $group = Get-HvVmGroup $vm $cluster
        [Microsoft.FailoverClusters.PowerShell.ClusterResource]::new("Virtual Machine $($vm.Name)", $group, $script:vmType)
        [Microsoft.FailoverClusters.PowerShell.ClusterResource]::new("Virtual Machine Configuration $($vm.Name)", $group, $script:configurationType)
    }
}

function Get-Cluster {
    [CmdletBinding()]
    [OutputType([Microsoft.FailoverClusters.PowerShell.Cluster])]
    param([Parameter(Position = 0)] [string] $Name, [string] $Domain)
    $c = Get-HvCluster $PSCmdlet $Name
    if ($c) { [Microsoft.FailoverClusters.PowerShell.Cluster]::new($c) }
}

function Get-ClusterNode {
    [CmdletBinding()]
    [OutputType([Microsoft.FailoverClusters.PowerShell.ClusterNode])]
    param([Parameter(Position = 0)] [System.Collections.Specialized.StringCollection] $Name, [Parameter(ValueFromPipeline = $true)] [psobject] $InputObject, [string] $Cluster)
    $c = Get-HvCluster $PSCmdlet $Cluster
    if (-not $c) { return }
    foreach ($h in (Get-HvStandInState).Hosts) {
        if (-not $Name -or @($Name | Where-Object { $h.Name -like $_ }).Count -gt 0) { New-HvNode $h $c }
    }
}

function Get-ClusterGroup {
    [CmdletBinding()]
    [OutputType([Microsoft.FailoverClusters.PowerShell.ClusterGroup])]
    param([Parameter(Position = 0)] [System.Collections.Specialized.StringCollection] $Name, [Parameter(ValueFromPipeline = $true)] [psobject] $InputObject, [string] $Cluster)
    process {
        $c = Get-HvCluster $PSCmdlet $Cluster
        if (-not $c) { return }
        $groups = Get-HvGroups $c
        if ($InputObject -is [Microsoft.FailoverClusters.PowerShell.ClusterNode]) { $groups = $groups | Where-Object { $_.OwnerNode.Name -eq $InputObject.Name } }
        foreach ($g in $groups) { if (-not $Name -or @($Name | Where-Object { $g.Name -like $_ }).Count -gt 0) { $g } }
        foreach ($n in @($Name)) {
            if ($n -and -not [WildcardPattern]::ContainsWildcardCharacters($n) -and -not @($groups | Where-Object { $_.Name -eq $n })) {
                Write-HvStandInError -Cmdlet $PSCmdlet -Message "An error occurred opening cluster group '$n'. The group name could not be found." -Category ObjectNotFound -Target $n -ErrorId 'ClusterCmdletNotFound'
            }
        }
    }
}

function Get-ClusterResource {
    [CmdletBinding()]
    [OutputType([Microsoft.FailoverClusters.PowerShell.ClusterResource])]
    param([Parameter(Position = 0)] [System.Collections.Specialized.StringCollection] $Name, [Parameter(ValueFromPipeline = $true)] [psobject] $InputObject, [string] $Cluster)
    process {
        $c = Get-HvCluster $PSCmdlet $Cluster
        if (-not $c) { return }
        $resources = Get-HvResources $c
        if ($InputObject -is [Microsoft.FailoverClusters.PowerShell.ClusterGroup]) { $resources = $resources | Where-Object { $_.OwnerGroup.Name -eq $InputObject.Name } }
        foreach ($r in $resources) { if (-not $Name -or @($Name | Where-Object { $r.Name -like $_ }).Count -gt 0) { $r } }
    }
}

<# The group's preferred owners, or the resource's possible owners (every node unless restricted). #>
function Resolve-HvOwnerTarget {
    param($Cmdlet, [string] $Group, [string] $Resource, $InputObject, [string] $Cluster)
    $c = Get-HvCluster $Cmdlet $Cluster
    if (-not $c) { return $null }
    if ($InputObject -is [Microsoft.FailoverClusters.PowerShell.ClusterGroup]) { $Group = $InputObject.Name }
    elseif ($InputObject -is [Microsoft.FailoverClusters.PowerShell.ClusterResource]) { $Resource = $InputObject.Name }
    if ($Group) {
        $g = @(Get-HvGroups $c | Where-Object { $_.Name -eq $Group -and $_.GroupType -eq 'VirtualMachine' })
        if ($g.Count -eq 0) { Write-HvStandInError -Cmdlet $Cmdlet -Message "An error occurred opening cluster group '$Group'. The group name could not be found." -Category ObjectNotFound -Target $Group -ErrorId 'ClusterCmdletNotFound'; return $null }
        return @{ Object = $g[0]; Key = 'PreferredOwners'; Settings = (@((Get-HvStandInState).Vms | Where-Object { $_.Cluster -and (Get-HvStandInRoleName $_) -eq $Group })[0]).Cluster; Cluster = $c }
    }
    $r = @(Get-HvResources $c | Where-Object { $_.Name -eq $Resource })
    if ($r.Count -eq 0) { Write-HvStandInError -Cmdlet $Cmdlet -Message "An error occurred opening cluster resource '$Resource'. The resource name could not be found." -Category ObjectNotFound -Target $Resource -ErrorId 'ClusterCmdletNotFound'; return $null }
    $vm = @((Get-HvStandInState).Vms | Where-Object { $_.Cluster -and (Get-HvStandInRoleName $_) -eq $r[0].OwnerGroup.Name })[0]
    @{ Object = $r[0]; Key = 'PossibleOwners'; Settings = $vm.Cluster; Cluster = $c }
}

function Get-ClusterOwnerNode {
    [CmdletBinding()]
    [OutputType([Microsoft.FailoverClusters.PowerShell.ClusterOwnerNodeList])]
    param([string] $Group, [string] $Resource, [Parameter(ValueFromPipeline = $true)] [psobject] $InputObject, [string] $Cluster)
    process {
        $t = Resolve-HvOwnerTarget $PSCmdlet $Group $Resource $InputObject $Cluster
        if (-not $t) { return }
        $state = Get-HvStandInState
        $names = if ($t.Settings.Contains($t.Key) -and $null -ne $t.Settings[$t.Key]) { @($t.Settings[$t.Key]) } elseif ($t.Key -eq 'PossibleOwners') { @($state.Hosts | ForEach-Object { $_.Name }) } else { @() }
        $nodes = [System.Collections.Generic.List[Microsoft.FailoverClusters.PowerShell.ClusterNode]]::new()
        foreach ($n in $names) { $nodes.Add((New-HvNode @($state.Hosts | Where-Object { $_.Name -eq $n })[0] $t.Cluster)) }
        [Microsoft.FailoverClusters.PowerShell.ClusterOwnerNodeList]::new($t.Object, $nodes)
    }
}

function Set-ClusterOwnerNode {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)] [System.Collections.Specialized.StringCollection] $Owners, [string] $Group, [string] $Resource,
          [Parameter(ValueFromPipeline = $true)] [psobject] $InputObject, [string] $Cluster)
    process {
        $t = Resolve-HvOwnerTarget $PSCmdlet $Group $Resource $InputObject $Cluster
        if (-not $t) { return }
        $nodeNames = @((Get-HvStandInState).Hosts | ForEach-Object { $_.Name })
        $wanted = @($Owners | ForEach-Object { $_ })
        $unknown = @($wanted | Where-Object { $_ -notin $nodeNames })
        $record = [ordered]@{ Target = $t.Object.Name; Owners = $wanted; Kind = $t.Key }
        if ($unknown.Count -gt 0) {
            Add-HvStandInCall -Command 'Set-ClusterOwnerNode' -Parameters $record -Outcome "refused: $($unknown -join ', ') is not a node"
            Write-HvStandInError -Cmdlet $PSCmdlet -Message "The node '$($unknown[0])' could not be found in the cluster." -Category ObjectNotFound -Target $unknown[0] -ErrorId 'ClusterCmdletNotFound'
            return
        }
        # The cluster keeps owners under their node's own spelling, in the order given.
        $t.Settings[$t.Key] = @($wanted | ForEach-Object { $w = $_; @($nodeNames | Where-Object { $_ -eq $w })[0] })
        Add-HvStandInCall -Command 'Set-ClusterOwnerNode' -Parameters $record -Outcome 'applied'
    }
}

function Get-ClusterResourceType {
    [CmdletBinding()]
    [OutputType([Microsoft.FailoverClusters.PowerShell.ClusterResourceType])]
    param([Parameter(Position = 0)] [System.Collections.Specialized.StringCollection] $Name, [string] $Cluster)
    $c = Get-HvCluster $PSCmdlet $Cluster
    if (-not $c) { return }
    foreach ($t in $script:vmType, $script:configurationType) { if (-not $Name -or @($Name | Where-Object { $t.Name -like $_ }).Count -gt 0) { $t } }
}

function Get-ClusterParameter {
    [CmdletBinding()]
    [OutputType([Microsoft.FailoverClusters.PowerShell.ClusterParameter])]
    param([Parameter(Position = 0)] [System.Collections.Specialized.StringCollection] $Name, [Parameter(ValueFromPipeline = $true)] [psobject] $InputObject, [string] $Cluster)
    process {
        $c = Get-HvCluster $PSCmdlet $Cluster
        if (-not $c) { return }
        if ($InputObject -isnot [Microsoft.FailoverClusters.PowerShell.ClusterResourceType] -or $InputObject.Name -ne 'Virtual Machine') { return }
        $value = if ($c.Contains('MoveTypeThreshold')) { [uint32]$c.MoveTypeThreshold } else { [uint32]2000 }
        if (-not $Name -or 'MoveTypeThreshold' -in $Name) { [Microsoft.FailoverClusters.PowerShell.ClusterParameter]::new($InputObject, 'MoveTypeThreshold', $value) }
    }
}

function Set-ClusterParameter {
    [CmdletBinding()]
    param([Parameter(Position = 0)] [string] $Name, [Parameter(Position = 1)] [psobject] $Value, [Parameter(ValueFromPipeline = $true)] [psobject] $InputObject,
          [hashtable] $Multiple, [switch] $Create, [switch] $Delete, [string] $Cluster)
    process {
        $c = Get-HvCluster $PSCmdlet $Cluster
        if (-not $c) { return }
        $record = [ordered]@{ Target = "$InputObject"; Name = $Name; Value = $Value }
        if ($InputObject -isnot [Microsoft.FailoverClusters.PowerShell.ClusterResourceType] -or $InputObject.Name -ne 'Virtual Machine' -or $Name -ne 'MoveTypeThreshold') {
            Add-HvStandInCall -Command 'Set-ClusterParameter' -Parameters $record -Outcome 'refused: not modelled'
            Write-HvStandInError -Cmdlet $PSCmdlet -Message "The stand-ins model only the MoveTypeThreshold parameter of the 'Virtual Machine' resource type." -Category NotImplemented -Target $Name -ErrorId 'NotModelled'
            return
        }
        $c.MoveTypeThreshold = [uint32]$Value
        Add-HvStandInCall -Command 'Set-ClusterParameter' -Parameters $record -Outcome 'applied'
    }
}

<#
A VM role moved to a node, as Move-ClusterVirtualMachineRole and Move-ClusterGroup do it: the VM's host
becomes that node (its own spelling) and the VM keeps its state. Refused, changing nothing: a role that
does not exist or is not a VM's, a node that is not the cluster's, is down or paused, or is not among
the possible owners of the role's "Virtual Machine" resource. A move to the node the role is on does
nothing. Moves finish at once (-Wait is accepted); -Cancel and moves without -Node are not modelled.
#>
function Move-HvRole {
    param([System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Command, [string] $Name, [string] $Node, $InputObject, $VMId,
          [string] $Cluster, [switch] $Cancel, [string] $MigrationType)
    $c = Get-HvCluster $Cmdlet $Cluster
    if (-not $c) { return }
    $state = Get-HvStandInState
    $vms = @($state.Vms | Where-Object { $_.Cluster })
    if ($InputObject -is [Microsoft.FailoverClusters.PowerShell.ClusterResource]) { $InputObject = $InputObject.OwnerGroup }
    $vm = $null
    if ($InputObject -is [Microsoft.FailoverClusters.PowerShell.ClusterGroup]) { $Name = $InputObject.Name }
    elseif ($InputObject) { $Name = [string]$InputObject }
    if ($VMId -and -not $Name) {
        $vm = $vms | Where-Object { [guid]$_.Id -eq $VMId } | Select-Object -First 1
        $Name = if ($vm) { Get-HvStandInRoleName $vm } else { "$VMId" }
    }
    elseif ($Name) { $vm = $vms | Where-Object { (Get-HvStandInRoleName $_) -eq $Name } | Select-Object -First 1 }
    $record = [ordered]@{ Name = $Name; Node = $Node }
    if ($MigrationType) { $record.MigrationType = $MigrationType }
    $refuse = {
        param([string] $Why, [string] $Message, [System.Management.Automation.ErrorCategory] $Category, $Target, [string] $ErrorId)
        Add-HvStandInCall -Command $Command -Parameters $record -Outcome "refused: $Why"
        Write-HvStandInError -Cmdlet $Cmdlet -Message $Message -Category $Category -Target $Target -ErrorId $ErrorId
    }
    if ($Cancel) { & $refuse 'not modelled' 'The stand-ins do not model cancelling a live migration.' NotImplemented $Name 'NotModelled'; return }
    if (-not $vm) {
        $core = @(Get-HvGroups $c | Where-Object { $_.IsCoreGroup -and $_.Name -eq $Name })
        if ($core.Count -gt 0 -and $Command -eq 'Move-ClusterVirtualMachineRole') {
            & $refuse 'not a virtual machine' "The cluster group '$Name' is not a clustered virtual machine." InvalidArgument $Name 'InvalidVirtualMachineRole'
        } elseif ($core.Count -gt 0) {
            & $refuse 'not modelled' "The stand-ins move only virtual machine roles, not '$Name'." NotImplemented $Name 'NotModelled'
        } else {
            & $refuse 'no such role' "An error occurred opening cluster group '$Name'. The group name could not be found." ObjectNotFound $Name 'ClusterCmdletNotFound'
        }
        return
    }
    if (-not $Node) { & $refuse 'not modelled' 'The stand-ins model only moves to a named node.' NotImplemented $Name 'NotModelled'; return }
    # Without -MigrationType the cmdlet live-migrates.
    if ($MigrationType -and $MigrationType -ne 'Live') { & $refuse 'not modelled' "The stand-ins model only live migration, not $MigrationType." NotImplemented $Name 'NotModelled'; return }
    $target = $state.Hosts | Where-Object { $_.Name -eq $Node } | Select-Object -First 1
    if (-not $target) { & $refuse "$Node is not a node" "An error occurred opening cluster node '$Node'. The cluster node could not be found." ObjectNotFound $Node 'ClusterCmdletNotFound'; return }
    $nodeState = if ($target.Contains('NodeState') -and $target.NodeState) { [string]$target.NodeState } else { 'Up' }
    if ($nodeState -ne 'Up') {
        & $refuse "$($target.Name) is $nodeState" "An error occurred while moving the clustered role '$Name' to node '$Node'. The cluster node is $($nodeState.ToLowerInvariant())." InvalidOperation $Name 'ClusterCmdletMoveFailed'
        return
    }
    if ($vm.Cluster.Contains('PossibleOwners') -and $null -ne $vm.Cluster.PossibleOwners -and $target.Name -notin @($vm.Cluster.PossibleOwners)) {
        & $refuse "$($target.Name) is not a possible owner" "An error occurred while moving the clustered role '$Name' to node '$Node'. The node is not a possible owner of the resource 'Virtual Machine $($vm.Name)'." InvalidOperation $Name 'ClusterCmdletMoveFailed'
        return
    }
    if ($vm.ComputerName -eq $target.Name) {
        Add-HvStandInCall -Command $Command -Parameters $record -Outcome "unchanged: already on $($target.Name)"
    } else {
        $vm.ComputerName = $target.Name
        Add-HvStandInCall -Command $Command -Parameters $record -Outcome 'applied'
    }
    Get-HvVmGroup $vm $c
}

function Move-ClusterVirtualMachineRole {
    [CmdletBinding()]
    [OutputType([Microsoft.FailoverClusters.PowerShell.ClusterGroup])]
    param([Parameter(Position = 0)] [string] $Name, [Parameter(Position = 1)] [string] $Node, [switch] $Cancel,
          [Microsoft.FailoverClusters.PowerShell.VmMigrationType] $MigrationType, [switch] $IgnoreLocked,
          [Parameter(ValueFromPipelineByPropertyName = $true)] [guid] $VMId, [int] $Wait,
          [Parameter(ValueFromPipeline = $true)] [psobject] $InputObject, [string] $Cluster)
    process {
        $type = if ($PSBoundParameters.ContainsKey('MigrationType')) { [string]$MigrationType } else { '' }
        Move-HvRole -Cmdlet $PSCmdlet -Command 'Move-ClusterVirtualMachineRole' -Name $Name -Node $Node -InputObject $InputObject `
            -VMId $(if ($PSBoundParameters.ContainsKey('VMId')) { $VMId } else { $null }) -Cluster $Cluster -Cancel:$Cancel -MigrationType $type
    }
}

function Move-ClusterGroup {
    [CmdletBinding()]
    [OutputType([Microsoft.FailoverClusters.PowerShell.ClusterGroup])]
    param([Parameter(Position = 0)] [string] $Name, [Parameter(Position = 1)] [string] $Node, [switch] $IgnoreLocked, [int] $Wait,
          [Parameter(ValueFromPipeline = $true)] [psobject] $InputObject, [string] $Cluster)
    process { Move-HvRole -Cmdlet $PSCmdlet -Command 'Move-ClusterGroup' -Name $Name -Node $Node -InputObject $InputObject -Cluster $Cluster }
}
