<#
.SYNOPSIS
    Calls the stand-in Set-VMMemory and Set-VM directly, one change per VM, and returns for each whether
    Hyper-V (as the stand-ins model it) accepted it: the ground truth the export script's refusals are
    compared with. Each case is a VM of the loaded state whose name says the change to try.
#>
$cases = [ordered]@{
    'toggle-dynamic'    = @{ Command = 'Set-VMMemory'; Parameters = @{ DynamicMemoryEnabled = $true } }
    'startup-dynamic'   = @{ Command = 'Set-VMMemory'; Parameters = @{ StartupBytes = 4GB } }
    'startup-static'    = @{ Command = 'Set-VMMemory'; Parameters = @{ StartupBytes = 4GB } }
    'startup-static-resizable' = @{ Command = 'Set-VMMemory'; Parameters = @{ StartupBytes = 4GB } }
    'raise-minimum'     = @{ Command = 'Set-VMMemory'; Parameters = @{ MinimumBytes = 2GB } }
    'lower-minimum'     = @{ Command = 'Set-VMMemory'; Parameters = @{ MinimumBytes = 512MB } }
    'raise-maximum'     = @{ Command = 'Set-VMMemory'; Parameters = @{ MaximumBytes = 16GB } }
    'lower-maximum'     = @{ Command = 'Set-VMMemory'; Parameters = @{ MaximumBytes = 7GB } }
    'buffer'            = @{ Command = 'Set-VMMemory'; Parameters = @{ Buffer = 50 } }
    'priority'          = @{ Command = 'Set-VMMemory'; Parameters = @{ Priority = 80 } }
    'start-action'      = @{ Command = 'Set-VM'; Parameters = @{ AutomaticStartAction = 'Start' } }
    'start-delay'       = @{ Command = 'Set-VM'; Parameters = @{ AutomaticStartDelay = 60 } }
    'stop-action'       = @{ Command = 'Set-VM'; Parameters = @{ AutomaticStopAction = 'ShutDown' } }
    'smart-paging'      = @{ Command = 'Set-VM'; Parameters = @{ SmartPagingFilePath = 'D:\SP' } }
    'odd-mb'            = @{ Command = 'Set-VMMemory'; Parameters = @{ StartupBytes = 1025MB } }
    'not-whole-mb'      = @{ Command = 'Set-VMMemory'; Parameters = @{ StartupBytes = 1GB + 512KB } }
    'under-32mb'        = @{ Command = 'Set-VMMemory'; Parameters = @{ StartupBytes = 16MB } }
    'minimum-over-startup' = @{ Command = 'Set-VMMemory'; Parameters = @{ MinimumBytes = 8GB } }
    'maximum-under-startup' = @{ Command = 'Set-VMMemory'; Parameters = @{ MaximumBytes = 2GB } }
    'minimum-on-static' = @{ Command = 'Set-VMMemory'; Parameters = @{ MinimumBytes = 1GB } }
    'minimum-with-dynamic-on' = @{ Command = 'Set-VMMemory'; Parameters = @{ MinimumBytes = 1GB; DynamicMemoryEnabled = $true } }
    'buffer-range'      = @{ Command = 'Set-VMMemory'; Parameters = @{ Buffer = 4 } }
    'priority-range'    = @{ Command = 'Set-VMMemory'; Parameters = @{ Priority = 101 } }
    'generation-1-limit' = @{ Command = 'Set-VMMemory'; Parameters = @{ MaximumBytes = 2TB } }
}
foreach ($name in $cases.Keys) {
    foreach ($state in 'Off', 'Running') {
        $vmName = "$name-$state"
        if (-not (Get-VM -Name $vmName -ErrorAction SilentlyContinue)) { continue }
        $case = $cases[$name]
        $parameters = $case.Parameters
        & $case.Command -VM (Get-VM -Name $vmName) @parameters -ErrorAction SilentlyContinue -ErrorVariable failed
        [pscustomobject]@{ Case = $name; State = $state; Accepted = -not $failed; Message = "$failed" }
    }
}
