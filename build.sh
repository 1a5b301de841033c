#!/usr/bin/env bash
# The pipeline's entry point: ./build.sh --target=Push [--env=staging] [--dryrun] ...
# Restores the pinned Cake tool (.config/dotnet-tools.json) and runs build/build.cake from the
# repository root, whatever the current directory. docs/pipeline.md lists targets and settings.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# Cake's downloaded addins go under artifacts/, not into the source tree.
export CAKE_PATHS_TOOLS="$PWD/artifacts/cake/tools" CAKE_PATHS_ADDINS="$PWD/artifacts/cake/addins" CAKE_PATHS_MODULES="$PWD/artifacts/cake/modules"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
dotnet tool restore >/dev/null
exec dotnet cake build/build.cake "$@"
