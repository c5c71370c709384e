<#
.SYNOPSIS
    Lists what in a script Windows PowerShell 5.1 would not run: syntax and cmdlet parameters that came
    with PowerShell 6 and 7. One line per finding, with its line number; nothing when the script is fine.
#>
param([Parameter(Mandatory)] [string] $Path)
$tokens = $null; $parseErrors = $null
$ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$parseErrors)
foreach ($e in $parseErrors) { "line $($e.Extent.StartLineNumber): parse error: $($e.Message)" }

$newSyntax = $ast.FindAll({
    param($node)
    $node -is [System.Management.Automation.Language.TernaryExpressionAst] -or
    $node -is [System.Management.Automation.Language.PipelineChainAst] -or
    ($node -is [System.Management.Automation.Language.BinaryExpressionAst] -and $node.Operator -eq 'QuestionQuestion') -or
    ($node -is [System.Management.Automation.Language.AssignmentStatementAst] -and $node.Operator -eq 'QuestionQuestionEquals') -or
    ($node -is [System.Management.Automation.Language.MemberExpressionAst] -and $node.NullConditional)
}, $true)
foreach ($node in $newSyntax) { "line $($node.Extent.StartLineNumber): PowerShell 7 syntax: $($node.Extent.Text)" }

# Parameters these cmdlets gained after 5.1 (full names; abbreviations are matched as prefixes).
$newParameters = @{
    'ConvertTo-Json' = @('EnumsAsStrings', 'AsArray', 'EscapeHandling')
    'ConvertFrom-Json' = @('AsHashtable', 'Depth', 'NoEnumerate', 'DateKind')
    'Get-Date' = @('AsUTC', 'UnixTimeSeconds')
    'Join-Path' = @('AdditionalChildPath', 'Extension')
    'ForEach-Object' = @('Parallel', 'ThrottleLimit', 'TimeoutSeconds', 'AsJob')
    'Get-Content' = @('AsByteStream')
    'Set-Content' = @('AsByteStream', 'NoNewline')
    'Test-Json' = @('*')
    'Get-Error' = @('*')
}
$commands = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)
foreach ($command in $commands) {
    $name = $command.GetCommandName()
    if (-not $name -or -not $newParameters.ContainsKey($name)) { continue }
    $added = $newParameters[$name]
    if ($added -contains '*') { "line $($command.Extent.StartLineNumber): $name does not exist in Windows PowerShell 5.1"; continue }
    foreach ($element in $command.CommandElements) {
        if ($element -isnot [System.Management.Automation.Language.CommandParameterAst]) { continue }
        $hit = $added | Where-Object { $_.StartsWith($element.ParameterName, [StringComparison]::OrdinalIgnoreCase) -and $element.ParameterName.Length -ge 2 }
        if ($hit) { "line $($command.Extent.StartLineNumber): $name -$($element.ParameterName) does not exist in Windows PowerShell 5.1" }
    }
}
