@{
    RootModule        = 'HvStandIn.psm1'
    ModuleVersion     = '1.0.0'
    GUID              = '5e0a3b1c-2f4d-4e8a-b6c7-9d1e2f3a4b02'
    Description       = 'The in-memory state behind hvmem''s stand-in Hyper-V and FailoverClusters modules (test/powershell/README.md).'
    FunctionsToExport = '*'
    CmdletsToExport   = @()
    AliasesToExport   = @()
}
