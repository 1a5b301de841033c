# The pipeline's entry point under PowerShell (7, pinned in .config/dotnet-tools.json: `dotnet pwsh`):
# ./build.ps1 --target=Push [--env=staging] [--dryrun] ...; the same arguments as build.sh, passed to
# Cake unchanged (--help becomes --target=Help). tests/.../EndToEnd/PowerShellEndToEndTests.cs runs it.
$ErrorActionPreference = 'Stop'
Set-Location -Path $PSScriptRoot
# Cake's files go under artifacts/; the compiled script is cached there, keyed by the pinned tools (see build.sh).
$tools = (Get-FileHash -Algorithm SHA256 -Path '.config/dotnet-tools.json').Hash.Substring(0, 12).ToLowerInvariant()
$env:CAKE_PATHS_TOOLS = Join-Path $PSScriptRoot 'artifacts/cake/tools'
$env:CAKE_PATHS_ADDINS = Join-Path $PSScriptRoot 'artifacts/cake/addins'
$env:CAKE_PATHS_MODULES = Join-Path $PSScriptRoot 'artifacts/cake/modules'
$env:CAKE_PATHS_CACHE = Join-Path $PSScriptRoot "artifacts/cake/cache/$tools"
$env:CAKE_SETTINGS_ENABLESCRIPTCACHE = 'true'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
dotnet tool restore | Out-Null
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
$arguments = @($args | ForEach-Object { if ($_ -in '--help', '-h') { '--target=Help' } else { $_ } })
dotnet cake build/build.cake @arguments
exit $LASTEXITCODE
