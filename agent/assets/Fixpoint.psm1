# Fixpoint helpers for PowerShell scripts.
#
# The agent puts this module on PSModulePath, so scripts just call (the module loads on first use):
#   fixpoint output NAME VALUE            record an output; the action's declaration gives it its type
#   fixpoint output --json NAME JSON      record an output written as JSON (a list, a number, true/false)
#   Set-FixpointOutput -Name NAME -Value VALUE [-Json]
#   fixpoint campaign ID [--timeout S] [--param k=v]... [--no-wait]   prints the JSON outcome; $LASTEXITCODE as for sh
#   fixpoint campaign --status REQUEST_ID
#   $r = Invoke-FixpointCampaign -Campaign ID [-TimeoutSec S] [-Parameters @{ k = 'v' }] [-NoWait]
#                                [-DeadlineSec S] [-MaxPostpones N] [-CountdownSec S]
#   $r = Invoke-FixpointCampaign -Status REQUEST_ID
#        returns the outcome as an object (Status, Answers, FreeText, RequestId, ExitCode); answered in full: $r.Status -eq 'fully'
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

function Invoke-FixpointCampaign {
    [CmdletBinding(DefaultParameterSetName = 'Start')]
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'Start')][string]$Campaign,
        [Parameter(ParameterSetName = 'Start')][int]$TimeoutSec = 0,
        [Parameter(ParameterSetName = 'Start')][hashtable]$Parameters = @{},
        [Parameter(ParameterSetName = 'Start')][switch]$NoWait,
        [Parameter(ParameterSetName = 'Start')][int]$DeadlineSec = 0,
        [Parameter(ParameterSetName = 'Start')][int]$MaxPostpones = -1,
        [Parameter(ParameterSetName = 'Start')][int]$CountdownSec = 0,
        [Parameter(Mandatory = $true, ParameterSetName = 'Status')][string]$Status
    )
    if (-not $env:FIXPOINT_NODE -or -not $env:FIXPOINT_BIN) { throw 'fixpoint: campaigns only work inside a Fixpoint action script' }
    $cli = Join-Path $env:FIXPOINT_BIN 'fixpoint-campaign.mjs'
    if ($PSCmdlet.ParameterSetName -eq 'Status') {
        $argv = @('--status', $Status)
    } else {
        $argv = @($Campaign)
        if ($TimeoutSec -gt 0) { $argv += @('--timeout', [string]$TimeoutSec) }
        foreach ($key in $Parameters.Keys) { $argv += @('--param', ('{0}={1}' -f $key, $Parameters[$key])) }
        if ($NoWait) { $argv += '--no-wait' }
        if ($DeadlineSec -gt 0) { $argv += @('--deadline', [string]$DeadlineSec) }
        if ($MaxPostpones -ge 0) { $argv += @('--max-postpones', [string]$MaxPostpones) }
        if ($CountdownSec -gt 0) { $argv += @('--countdown', [string]$CountdownSec) }
    }
    $line = & $env:FIXPOINT_NODE $cli @argv | Select-Object -Last 1
    $code = $LASTEXITCODE
    $outcome = if ($line) { $line | ConvertFrom-Json } else { [pscustomobject]@{ status = 'error'; answers = @{}; freeText = @{} } }
    [pscustomobject]@{
        Status    = $outcome.status
        Answers   = $outcome.answers
        FreeText  = $outcome.freeText
        RequestId = $outcome.requestId
        Message   = $outcome.message
        ExitCode  = $code
    }
}

function fixpoint {
    $command = $args[0]
    $rest = @($args | Select-Object -Skip 1)
    if ($command -eq 'campaign') {
        if (-not $env:FIXPOINT_NODE -or -not $env:FIXPOINT_BIN) { throw 'fixpoint: campaigns only work inside a Fixpoint action script' }
        & $env:FIXPOINT_NODE (Join-Path $env:FIXPOINT_BIN 'fixpoint-campaign.mjs') @rest
        return
    }
    if ($command -ne 'output') { throw 'usage: fixpoint output [--json] NAME VALUE | fixpoint campaign ID [--timeout S] [--param k=v]...' }
    $json = $false
    if ($rest.Count -gt 0 -and ($rest[0] -eq '--json' -or $rest[0] -eq '-Json')) {
        $json = $true
        $rest = @($rest | Select-Object -Skip 1)
    }
    if ($rest.Count -ne 2) { throw 'usage: fixpoint output [--json] NAME VALUE' }
    Set-FixpointOutput -Name $rest[0] -Value $rest[1] -Json:$json
}

Export-ModuleMember -Function 'fixpoint', 'Set-FixpointOutput', 'Invoke-FixpointCampaign'
