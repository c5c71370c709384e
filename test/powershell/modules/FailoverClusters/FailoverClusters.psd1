@{
    RootModule        = 'FailoverClusters.psm1'
    ModuleVersion     = '2.0.0.0'
    GUID              = '8a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c03'
    Description       = 'Test stand-in for the FailoverClusters module: the cmdlets hvmem''s scripts use, over an in-memory state (test/powershell/README.md).'
    RequiredModules   = @('HvStandIn')
    FunctionsToExport = @('Get-Cluster', 'Get-ClusterNode', 'Get-ClusterGroup', 'Get-ClusterResource', 'Get-ClusterOwnerNode', 'Set-ClusterOwnerNode',
                          'Get-ClusterResourceType', 'Get-ClusterParameter', 'Set-ClusterParameter', 'Move-ClusterVirtualMachineRole', 'Move-ClusterGroup')
    CmdletsToExport   = @()
    AliasesToExport   = @()
}
