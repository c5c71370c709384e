<#
.SYNOPSIS
    Runs a script against the stand-in Hyper-V and FailoverClusters modules and writes what happened as JSON.
.DESCRIPTION
    Loads the in-memory state from -State, runs -Script with -Parameters (a JSON object: name to value,
    true for a switch), and writes to -Result the state afterwards, every stand-in call, the script's exit
    code, its errors, warnings and information records, and PowerShell's parse errors for the script. Host output (what -WhatIf prints) goes to
    standard output as usual. With a state whose Mode is "ps51", the script is first checked for what
    Windows PowerShell 5.1 cannot run (syntax and parameters added in PowerShell 6 and 7).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $State,
    [Parameter(Mandatory)] [string] $Script,
    [string] $Parameters = '{}',
    [Parameter(Mandatory)] [string] $Result
)
$ErrorActionPreference = 'Stop'
$Script = (Resolve-Path -LiteralPath $Script).ProviderPath
$env:PSModulePath = (Join-Path $PSScriptRoot 'modules') + [IO.Path]::PathSeparator + $env:PSModulePath
Import-Module HvStandIn
Import-HvStandInState -Path $State

$tokens = $null; $parseErrors = $null
[void][System.Management.Automation.Language.Parser]::ParseFile($Script, [ref]$tokens, [ref]$parseErrors)
$mode = (Get-HvStandInState)['Mode']
$incompatible = @()
if ($mode -eq 'ps51') { $incompatible = @(& (Join-Path $PSScriptRoot 'Test-WindowsPowerShell51.ps1') -Path $Script) }

$splat = @{}
$given = $Parameters | ConvertFrom-Json -AsHashtable
foreach ($key in $given.Keys) { $splat[$key] = if ($given[$key] -is [bool] -and $given[$key]) { [switch]::Present } else { $given[$key] } }

$errors = @(); $warnings = @(); $information = @(); $output = @()
$exitCode = 0
$threw = $null
if ($incompatible.Count -eq 0) {
    $global:LASTEXITCODE = 0
    $ErrorActionPreference = 'Continue'
    try {
        $records = & $Script @splat 2>&1 3>&1 6>&1
        $exitCode = $global:LASTEXITCODE
    } catch {
        $threw = "$($_.Exception.Message)`n$($_.ScriptStackTrace)"
        $exitCode = -1
        $records = @()
    }
    foreach ($r in $records) {
        if ($r -is [System.Management.Automation.ErrorRecord]) { $errors += "$r" }
        elseif ($r -is [System.Management.Automation.WarningRecord]) { $warnings += $r.Message }
        elseif ($r -is [System.Management.Automation.InformationRecord]) { $information += "$($r.MessageData)" }
        else { $output += "$r" }
    }
}
Export-HvStandInState -Path $Result -Extra @{
    ExitCode = $exitCode; Threw = $threw; Errors = $errors; Warnings = $warnings; Information = $information; Output = $output
    Incompatible = $incompatible; ParseErrors = @($parseErrors | ForEach-Object { "line $($_.Extent.StartLineNumber): $($_.Message)" })
}
