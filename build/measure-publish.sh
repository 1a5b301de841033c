#!/usr/bin/env bash
# Measures each publish mode of the API: image size and start time (docker run until /health/ready
# answers, and a real /predict). Figures go into docs/pipeline.md by hand, with this command.
# Usage: build/measure-publish.sh [SOURCE_DIR] (default: artifacts/clone, as left by ./build.sh --target=Clone)
# Needs the sandbox (./build.sh --target=Sandbox) for the base image; runs containers on 127.0.0.1 only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source_dir="$(cd "${1:-$root/artifacts/clone}" && pwd)"
out="$root/artifacts/measure"
base="purchase-predict/runtime-deps:bookworm"
port=18931
runs=5

declare -A flags=(
  [ready-to-run]="--self-contained -p:PublishReadyToRun=true"
  [self-contained]="--self-contained"
  # Trimming and AOT report warnings for Google.Apis/Newtonsoft.Json, which TreatWarningsAsErrors would
  # turn into errors: allowed here to measure them, and the /predict check below shows whether they work.
  [trimmed]="--self-contained -p:PublishTrimmed=true -p:TreatWarningsAsErrors=false"
  [aot]="-p:PublishAot=true -p:TreatWarningsAsErrors=false $(command -v clang >/dev/null || echo -p:CppCompilerAndLinker=clang-14)"
)

now_ms() { date +%s%3N; }

for mode in ready-to-run self-contained trimmed aot; do
  rm -rf "$out/$mode"
  start=$(now_ms)
  # shellcheck disable=SC2086
  dotnet publish "$source_dir/src/PurchasePredict.Api" -c Release -r linux-x64 -o "$out/$mode" ${flags[$mode]} >"$out-$mode.log" 2>&1 \
    || { echo "$mode: publish failed, see $out-$mode.log"; continue; }
  publish_s=$(( ($(now_ms) - start) / 1000 ))
  find "$out/$mode" -maxdepth 1 \( -name '*.dbg' -o -name '*.pdb' \) -delete
  docker build -q --network host -f "$source_dir/ops/Dockerfile" --build-arg BASE_IMAGE="$base" -t "measure:$mode" "$out/$mode" >/dev/null
  size=$(docker image inspect "measure:$mode" --format '{{.Size}}')
  app=$(du -sb "$out/$mode" | cut -f1)
  times=()
  predict="no"
  for _ in $(seq $runs); do
    t0=$(now_ms)
    id=$(docker run -d --rm --network host -e PORT=$port -e WORKERS=4 -e MODEL_URI=/models/model.txt \
      -v "$source_dir/models/demo:/models:ro" "measure:$mode")
    until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do
      sleep 0.02
      if [ $(( $(now_ms) - t0 )) -gt 60000 ]; then echo "$mode: not ready after 60 s"; docker logs "$id" | tail -5; break; fi
    done
    times+=($(( $(now_ms) - t0 )))
    if curl -sf -H 'Content-Type: application/json' --data-binary "@$source_dir/models/demo/request.json" \
        "http://127.0.0.1:$port/predict" >/dev/null; then predict="yes"; fi
    docker rm -f "$id" >/dev/null
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  printf '%-15s image %4d MB  app %4d MB  ready median %5d ms (runs: %s)  /predict ok: %s  publish %d s\n' \
    "$mode" $((size / 1000000)) $((app / 1000000)) "$median" "${times[*]}" "$predict" "$publish_s"
  docker image rm "measure:$mode" >/dev/null
done
