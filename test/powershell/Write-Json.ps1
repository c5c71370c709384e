<#
.SYNOPSIS
    Writes what a command returns the way an administrator exports it by hand: `<command> | ConvertTo-Json`,
    or with -NoEnumerate as `ConvertTo-Json -InputObject (<command>)` keeps an array whole.
#>
param(
    [Parameter(Mandatory)] [string] $Command,
    [Parameter(Mandatory)] [string] $Path,
    [switch] $EnumsAsStrings,
    [switch] $NoEnumerate
)
$result = Invoke-Expression $Command
$extra = @{}
if ($EnumsAsStrings) { $extra.EnumsAsStrings = $true }
$json = if ($NoEnumerate) { ConvertTo-Json -InputObject (Write-Output -InputObject $result -NoEnumerate) @extra } else { $result | ConvertTo-Json @extra }
[IO.File]::WriteAllText($Path, $json)
