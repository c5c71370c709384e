@{
    RootModule        = 'Hyper-V.psm1'
    ModuleVersion     = '2.0.0.0'
    GUID              = '2c4f6e7a-7d0e-4a6c-9f0b-7b1c8e5d3a01'
    Description       = 'Test stand-in for the Hyper-V module: the cmdlets hvmem''s scripts use, over an in-memory state (test/powershell/README.md).'
    RequiredModules   = @('HvStandIn')
    FunctionsToExport = @('Get-VM', 'New-VM', 'Set-VM', 'Get-VMMemory', 'Set-VMMemory', 'Get-VMHost', 'Get-VMHostNumaNode')
    CmdletsToExport   = @()
    AliasesToExport   = @()
}
