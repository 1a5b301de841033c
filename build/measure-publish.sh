#!/usr/bin/env bash
# Measures each publish mode of the API with the pipeline itself: image size, and start time
# (docker run until /health/ready answers, then a real /predict). The figures in docs/pipeline.md
# come from this script. Run from a repository whose committed branch has the API:
#   build/measure-publish.sh [EXTRA PIPELINE ARGUMENTS...]   (e.g. --branch=staging)
# Needs the sandbox (it brings it up through Clone); containers use 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
port=18931
runs=5
clone=artifacts/clone
mkdir -p artifacts

now_ms() { date +%s%3N; }
quiet() { "$@" >"artifacts/measure-$mode.log" 2>&1 || { echo "$mode: $* failed, see artifacts/measure-$mode.log"; return 1; }; }

mode=clone quiet ./build.sh --target=Clone "$@"
image="purchase_predict_api:$(git -C "$clone" rev-parse --short=7 HEAD)"
for mode in ready-to-run self-contained trimmed aot; do
  start=$(now_ms)
  quiet ./build.sh --target=Publish --exclusive --force --publish-mode="$mode" "$@" || continue
  publish_s=$(( ($(now_ms) - start) / 1000 ))
  quiet ./build.sh --target=Image --exclusive --force --publish-mode="$mode" "$@" || continue
  size=$(docker image inspect "$image" --format '{{.Size}}')
  app=$(du -sb artifacts/publish | cut -f1)
  times=()
  predict="no"
  for _ in $(seq $runs); do
    t0=$(now_ms)
    id=$(docker run -d --rm --network host -e PORT=$port -e WORKERS=4 -e MODEL_URI=/models/model.txt \
      -v "$PWD/$clone/models/demo:/models:ro" "$image")
    until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do
      sleep 0.02
      if [ $(( $(now_ms) - t0 )) -gt 60000 ]; then echo "$mode: not ready after 60 s"; docker logs "$id" | tail -5; break; fi
    done
    times+=($(( $(now_ms) - t0 )))
    if curl -sf -H 'Content-Type: application/json' --data-binary "@$clone/models/demo/request.json" \
        "http://127.0.0.1:$port/predict" >/dev/null; then predict="yes"; fi
    docker rm -f "$id" >/dev/null
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  printf '%-15s image %4d MB  app %4d MB  ready median %5d ms (runs: %s)  /predict ok: %s  publish+cake %d s\n' \
    "$mode" $((size / 1000000)) $((app / 1000000)) "$median" "${times[*]}" "$predict" "$publish_s"
done
