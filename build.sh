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

# The pinned Cake's own entry point, Cake.dll in NuGet's package folder, for the newest .NET it targets
# that this machine runs. build.sh becomes Cake itself (exec, below), not `dotnet cake`: that launcher
# runs Cake as a child and passes no signal on, so a SIGTERM or kill of ./build.sh left Cake deploying on
# its own (issue 11). Now a signal to ./build.sh is a signal to Cake, which stops cleanly.
cake_dll() {
  local version packages runtime=0 best=0 dll major dir cake=
  version=$(sed -n '/"cake.tool"/,/}/s/.*"version": *"\([^"]*\)".*/\1/p' .config/dotnet-tools.json)
  packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
  # A NuGet.Config may move the package folder: ask NuGet only then (it takes about half a second).
  if [ ! -d "$packages/cake.tool/$version" ]; then
    packages=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: //p')
  fi
  for dir in "$(dirname "$(readlink -f "$(command -v dotnet)")")"/shared/Microsoft.NETCore.App/*/; do
    major=$(basename "$dir"); major=${major%%.*}
    if [ "$major" -gt "$runtime" ]; then runtime=$major; fi
  done
  for dll in "${packages%/}/cake.tool/$version"/tools/net*/any/Cake.dll; do
    major=${dll%/any/Cake.dll}; major=${major##*/net}; major=${major%%.*}
    if [ "$major" -le "$runtime" ] && [ "$major" -gt "$best" ]; then best=$major; cake=$dll; fi
  done
  [ -n "$cake" ] || { echo "build.sh: no Cake.dll of cake.tool $version for .NET $runtime under $packages" >&2; exit 1; }
  printf '%s\n' "$cake"
}
# Cake's own --help knows nothing of this pipeline: its Help target lists the targets and settings.
arguments=()
for argument in "$@"; do
  case $argument in
    --help | -h) arguments+=(--target=Help) ;;
    *) arguments+=("$argument") ;;
  esac
done
cake=$(cake_dll)
exec dotnet "$cake" build/build.cake "${arguments[@]}"
