<#
.SYNOPSIS
    The oracle for hvmem's PowerShell importer: what PowerShell's own parser and parameter binder make
    of a script's New-VM, Set-VM and Set-VMMemory calls, and of its DSC VMHyperV resources.
.DESCRIPTION
    For each file: its parse errors, and per call the command, its line, and each bound parameter under
    its full name (abbreviations, aliases and positions resolved by StaticParameterBinder against the
    stand-in Hyper-V module's parameter metadata) with its constant value when the argument is a
    constant, or its text when it is not; the splatted variables; and the binder's errors. Per DSC
    resource block: the resource, its line and each property's constant value or text. Nothing is run.
#>
param([Parameter(Mandatory, ValueFromRemainingArguments)] [string[]] $Path)
$env:PSModulePath = (Join-Path $PSScriptRoot 'modules') + [IO.Path]::PathSeparator + $env:PSModulePath
Import-Module Hyper-V
$language = [System.Management.Automation.Language.Ast].Namespace

function Get-Constant($ast) {
    # SafeGetValue evaluates only what has no side effects: literals, arrays and hashtables of them,
    # $true/$false/$null. Anything else (a variable, an expandable string, a subexpression) is not constant.
    try { return @{ ok = $true; value = $ast.SafeGetValue() } } catch { return @{ ok = $false } }
}

function ConvertTo-Argument($ast) {
    $c = Get-Constant $ast
    $out = [ordered]@{ text = $ast.Extent.Text }
    if ($c.ok) {
        $v = $c.value
        $out.value = if ($v -is [array]) { @($v) } elseif ($v -is [enum]) { [string]$v } else { $v }
    }
    $out
}

$results = foreach ($file in $Path) {
    $tokens = $null; $errors = $null
    # PowerShell on Linux has no DSC schema store, so a `Configuration` cannot be parsed as one; read as a
    # function (same length, so every position stays), its resource blocks parse as they do whenever the
    # resource's module is not loaded: a command with a script block.
    $text = [IO.File]::ReadAllText((Resolve-Path -LiteralPath $file).ProviderPath)
    $text = [regex]::Replace($text, '(?im)^(\s*)configuration(\s+[\w-]+)', '$1function     $2')
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($text, $file, [ref]$tokens, [ref]$errors)
    $calls = foreach ($command in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $name = $command.GetCommandName()
        if (-not $name) { continue }
        $short = $name -replace '^Hyper-V\\', ''
        if ($short -notin 'New-VM', 'Set-VM', 'Set-VMMemory') { continue }
        $binding = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($command, $true)
        $parameters = [ordered]@{}
        foreach ($key in $binding.BoundParameters.Keys) {
            $bound = $binding.BoundParameters[$key]
            $parameters[$key] = if ($null -eq $bound.Value -or ($bound.Value -is [System.Management.Automation.Language.CommandParameterAst] -and -not $bound.Value.Argument)) { [ordered]@{ text = "-$key"; value = $true } }
                                elseif ($bound.Value -is [System.Management.Automation.Language.CommandParameterAst]) { ConvertTo-Argument $bound.Value.Argument }
                                else { ConvertTo-Argument $bound.Value }
        }
        $splats = @($command.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.VariableExpressionAst] -and $_.Splatted } | ForEach-Object { $_.VariablePath.UserPath })
        [ordered]@{
            command = $short; line = $command.Extent.StartLineNumber; parameters = $parameters; splats = $splats
            bindingErrors = @($binding.BindingExceptions.Keys | ForEach-Object { "$($_): $($binding.BindingExceptions[$_].BindingException.Message)" })
        }
    }
    # DSC resources: without the resource module loaded PowerShell parses `VMHyperV Name { Key = value }`
    # as a command with a script block whose statements are `Key = value` commands.
    $resources = foreach ($command in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] -and $n.GetCommandName() -match '^[xc]?VMHyperV$' }, $true)) {
        $block = $command.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.ScriptBlockExpressionAst] } | Select-Object -First 1
        if (-not $block) {
            # DSC style puts the brace on the next line: there it is the next statement.
            $statement = $command.Parent
            $siblings = @($statement.Parent.Statements)
            $next = $siblings[[array]::IndexOf($siblings, $statement) + 1]
            if ($next -is [System.Management.Automation.Language.PipelineAst] -and $next.PipelineElements.Count -eq 1 -and $next.PipelineElements[0].Expression -is [System.Management.Automation.Language.ScriptBlockExpressionAst]) {
                $block = $next.PipelineElements[0].Expression
            }
        }
        if (-not $block) { continue }
        $properties = [ordered]@{}
        foreach ($statement in $block.ScriptBlock.EndBlock.Statements) {
            $e = @($statement.PipelineElements)[0]
            if ($e -is [System.Management.Automation.Language.CommandAst] -and $e.CommandElements.Count -ge 3 -and $e.CommandElements[1].Extent.Text -eq '=') {
                $properties[$e.GetCommandName()] = ConvertTo-Argument $e.CommandElements[2]
            }
        }
        [ordered]@{ resource = $command.GetCommandName(); line = $command.Extent.StartLineNumber; properties = $properties }
    }
    [ordered]@{
        file = $file
        parseErrors = @($errors | ForEach-Object { "line $($_.Extent.StartLineNumber): $($_.Message)" })
        calls = @($calls)
        resources = @($resources)
    }
}
ConvertTo-Json -InputObject @($results) -Depth 8
