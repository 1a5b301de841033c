# The pipeline's entry point on Windows/PowerShell: ./build.ps1 --target=Push [--env=staging] [--dryrun] ...
# Same arguments as build.sh: everything after the script name goes to Cake unchanged.
$ErrorActionPreference = 'Stop'
Set-Location -Path $PSScriptRoot
# Cake's downloaded addins go under artifacts/, not into the source tree.
$env:CAKE_PATHS_TOOLS = Join-Path $PSScriptRoot 'artifacts/cake/tools'
$env:CAKE_PATHS_ADDINS = Join-Path $PSScriptRoot 'artifacts/cake/addins'
$env:CAKE_PATHS_MODULES = Join-Path $PSScriptRoot 'artifacts/cake/modules'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
dotnet tool restore | Out-Null
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
dotnet cake build/build.cake @args
exit $LASTEXITCODE
