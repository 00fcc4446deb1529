# Fixpoint helpers for PowerShell scripts.
#
# The agent puts this module on PSModulePath, so scripts just call (the module loads on first use):
#   fixpoint output NAME VALUE            record an output; the action's declaration gives it its type
#   fixpoint output --json NAME JSON      record an output written as JSON (a list, a number, true/false)
#   Set-FixpointOutput -Name NAME -Value VALUE [-Json]
#
# Each call appends one JSON line to $env:FIXPOINT_OUTPUT_FILE (UTF-8, no BOM).

function Set-FixpointOutput {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$Name,
        [Parameter(Mandatory = $true)][AllowEmptyString()][AllowNull()]$Value,
        [switch]$Json
    )
    if ($Name -cnotmatch '^[a-z][a-z0-9_]{0,63}$') {
        throw "fixpoint: invalid output name '$Name' (lower-case letters, digits and _)"
    }
    if (-not $env:FIXPOINT_OUTPUT_FILE) { throw 'fixpoint: FIXPOINT_OUTPUT_FILE is not set' }
    if ($Json) {
        $record = [ordered]@{ name = $Name; valueJson = [string]$Value }
    } else {
        $record = [ordered]@{ name = $Name; value = $Value }
    }
    $line = ConvertTo-Json -InputObject $record -Compress -Depth 5
    $utf8 = New-Object System.Text.UTF8Encoding $false
    [System.IO.File]::AppendAllText($env:FIXPOINT_OUTPUT_FILE, $line + "`n", $utf8)
}

function fixpoint {
    $command = $args[0]
    $rest = @($args | Select-Object -Skip 1)
    if ($command -ne 'output') { throw 'usage: fixpoint output [--json] NAME VALUE' }
    $json = $false
    if ($rest.Count -gt 0 -and ($rest[0] -eq '--json' -or $rest[0] -eq '-Json')) {
        $json = $true
        $rest = @($rest | Select-Object -Skip 1)
    }
    if ($rest.Count -ne 2) { throw 'usage: fixpoint output [--json] NAME VALUE' }
    Set-FixpointOutput -Name $rest[0] -Value $rest[1] -Json:$json
}

Export-ModuleMember -Function fixpoint, Set-FixpointOutput
