#!/usr/bin/env pwsh
<#
.SYNOPSIS
  Runs the whole DaprReservations system locally, without Tye and without Docker.

.DESCRIPTION
  Builds the solution, then starts every app of dapr.yaml with a Dapr sidecar each:
  - with the Dapr CLI (`dapr run -f`) when it is installed (or -Runtime dapr),
  - otherwise with the repo's local sidecar (tools/LocalSidecar, `run -f`), which uses Redis when the components'
    redisHost answers and its embedded backend when it does not (or as -Backend says).
  Prints the URLs (each app's Swagger UI, each sidecar; the web app and the local sign-in provider `identity`), then
  runs until Ctrl+C and stops everything it started.

.EXAMPLE
  dotnet tool restore; dotnet tool run pwsh ./tye-free-run.ps1
.EXAMPLE
  dotnet tool run pwsh ./tye-free-run.ps1 -Backend memory -Configuration Release
#>
param(
    [ValidateSet('auto', 'dapr', 'local')] [string] $Runtime = 'auto',
    [ValidateSet('auto', 'redis', 'memory')] [string] $Backend = 'auto',
    [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Debug',
    [string] $RunFile = (Join-Path $PSScriptRoot 'dapr.yaml'),
    [switch] $NoBuild
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not $NoBuild) {
    dotnet build (Join-Path $PSScriptRoot 'DaprReservations.sln') -c $Configuration -nologo -v q
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

# The run file's commands are `dotnet run --no-build`: MSBuild reads the configuration from the environment.
$env:Configuration = $Configuration

$useDapr = $Runtime -eq 'dapr' -or ($Runtime -eq 'auto' -and (Get-Command dapr -ErrorAction SilentlyContinue))
if ($useDapr) {
    $file = 'dapr'
    $arguments = @('run', '-f', $RunFile)
    # The Dapr CLI hands its environment to every daprd and app: one fresh pair of tokens for this run, so
    # subscription routes, /dapr/* and internal steps answer only the sidecars (see docs/security.md). The local
    # sidecar's `run -f` generates a pair per app itself.
    foreach ($name in 'APP_API_TOKEN', 'DAPR_API_TOKEN') {
        if (-not [Environment]::GetEnvironmentVariable($name)) {
            [Environment]::SetEnvironmentVariable($name, [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(32)))
        }
    }
} else {
    $sidecar = Join-Path $PSScriptRoot "tools/LocalSidecar/bin/$Configuration/net10.0/LocalSidecar.dll"
    if (-not (Test-Path $sidecar)) { throw "$sidecar is missing: run without -NoBuild" }
    $file = 'dotnet'
    $arguments = @($sidecar, 'run', '-f', $RunFile, '--backend', $Backend)
}

# The URLs, read from the run file (appID, appPort, daprHTTPPort of each app). The sign-in provider `identity` is no
# service: it has no Swagger UI and nobody invokes it through Dapr, so it gets its login page instead.
Write-Host "DaprReservations ($(if ($useDapr) { 'Dapr CLI' } else { 'local sidecar' })):"
$app = $null
$ports = @{}
foreach ($line in Get-Content $RunFile) {
    if ($line -match '^\s*-\s*appID:\s*(\S+)') { $app = @{ Id = $Matches[1] } }
    elseif ($app -and $line -match '^\s*appPort:\s*(\d+)') { $app.Port = $Matches[1]; $ports[$app.Id] = $Matches[1] }
    elseif ($app -and $line -match '^\s*daprHTTPPort:\s*(\d+)') {
        if ($app.Id -eq 'identity') {
            Write-Host ("  {0,-12} http://127.0.0.1:{1}/account/login   (local sign-in provider: demo users, no password)" -f $app.Id, $app.Port)
        } else {
            Write-Host ("  {0,-12} http://127.0.0.1:{1}/swagger   (through Dapr: http://127.0.0.1:{2}/v1.0/invoke/{0}/method/...)" -f $app.Id, $app.Port, $Matches[1])
        }
    }
}
if ($ports.ContainsKey('web')) {
    Write-Host ("Open http://127.0.0.1:{0} and sign in as a demo customer (alice, bob, carol) or admin." -f $ports['web'])
}
if ($ports.ContainsKey('identity')) {
    Write-Host ("Scripts: POST http://127.0.0.1:{0}/connect/token grant_type=urn:daprreservations:grant-type:demo-user client_id=scripts username=alice (docs/development.md)." -f $ports['identity'])
}
Write-Host 'Ctrl+C stops everything.'

$process = Start-Process -FilePath $file -ArgumentList $arguments -WorkingDirectory $PSScriptRoot -NoNewWindow -PassThru
try {
    # Polling, not one blocking wait, so a Ctrl+C that reaches PowerShell can stop the loop and run the finally.
    # (In a terminal, Ctrl+C also reaches the runner itself, which then stops its apps and sidecars and exits.)
    while (-not $process.WaitForExit(250)) { }
} finally {
    if (-not $process.HasExited) {
        # A graceful stop first: the runner stops the apps, then the sidecars.
        if ($IsLinux -or $IsMacOS) { & kill -INT $process.Id } else { Stop-Process -Id $process.Id }
        if (-not $process.WaitForExit(90000)) { Stop-Process -Id $process.Id -Force }
    }
    Write-Host 'stopped.'
    # Exit from inside finally: after a Ctrl+C that reached PowerShell too, code after the try would not run and
    # pwsh would report 1 (pipeline stopped) even though everything stopped cleanly.
    exit $process.ExitCode
}
