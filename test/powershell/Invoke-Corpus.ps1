<#
.SYNOPSIS
    Runs each script of a corpus against the stand-ins, each from the same fresh state, in one PowerShell
    process, and writes per script the state afterwards, the calls made and the errors (JSON).
#>
param(
    [Parameter(Mandatory)] [string] $State,
    [Parameter(Mandatory)] [string] $Result,
    [Parameter(Mandatory, ValueFromRemainingArguments)] [string[]] $Script
)
$env:PSModulePath = (Join-Path $PSScriptRoot 'modules') + [IO.Path]::PathSeparator + $env:PSModulePath
Import-Module HvStandIn
Import-Module Hyper-V
$out = foreach ($path in $Script) {
    Import-HvStandInState -Path $State
    $errors = @()
    try { $records = & $path 2>&1; $errors = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { "$_" }) }
    catch { $errors += "threw: $($_.Exception.Message)" }
    [ordered]@{ Script = $path; Vms = @((Get-HvStandInState).Vms); Calls = @([HvStandIn.Store]::Calls); Errors = $errors }
}
[IO.File]::WriteAllText($Result, (ConvertTo-Json -InputObject @($out) -Depth 10), [Text.UTF8Encoding]::new($false))
