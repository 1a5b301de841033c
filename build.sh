#!/usr/bin/env bash
# The pipeline's entry point: ./build.sh --target=Push [--env=staging] [--dryrun] ...; ./build.sh --help
# lists every target and setting. Restores the pinned Cake tool (.config/dotnet-tools.json) and runs
# build/build.cake from the repository root, whatever the current directory. docs/pipeline.md has more.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# Cake's files go under artifacts/, not into the source tree. The compiled script is cached there
# (Cake's script cache: about 10 s saved per run), keyed inside by the script's whole text, so any change
# under build/ compiles afresh, and here by the pinned tools, so a Cake upgrade does too.
tools=$(sha256sum .config/dotnet-tools.json | cut -c1-12)
export CAKE_PATHS_TOOLS="$PWD/artifacts/cake/tools" CAKE_PATHS_ADDINS="$PWD/artifacts/cake/addins" CAKE_PATHS_MODULES="$PWD/artifacts/cake/modules"
export CAKE_PATHS_CACHE="$PWD/artifacts/cake/cache/$tools" CAKE_SETTINGS_ENABLESCRIPTCACHE=true
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
dotnet tool restore >/dev/null
# Cake's own --help knows nothing of this pipeline: its Help target lists the targets and settings.
arguments=()
for argument in "$@"; do
  case $argument in
    --help | -h) arguments+=(--target=Help) ;;
    *) arguments+=("$argument") ;;
  esac
done
exec dotnet cake build/build.cake "${arguments[@]}"
