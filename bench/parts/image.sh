#!/usr/bin/env bash
# The image as the pipeline builds it (build/image.cake: `docker build` of the published folder with ops/Dockerfile
# on the sandbox's base image), for each publish mode of BENCH_IMAGE_MODES (default: aot ready-to-run), tagged
# purchase-predict-bench:MODE and removed at the end: its size, the base's, the image's own layers; then, alternating
# between the modes, BENCH_STARTS times `docker run` (WORKERS=4, the 300-tree model) to the first successful
# /predict (polled every 10 ms); after the last start, 10 s of wrk at 32 connections and the memory of the
# container's processes. Holds the sandbox lock (Docker engine). Prints one JSON object.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
starts="${BENCH_STARTS:-5}" port="${BENCH_PORT:-18873}" workers="${BENCH_IMAGE_WORKERS:-4}"
modes="${BENCH_IMAGE_MODES:-aot ready-to-run}" seconds="${BENCH_SECONDS:-10}"
base="$(jq -r .baseImage "$root/ops/environments/sandbox.json")"
model="$(bench_model categorical)"
for mode in $modes; do published_binary "$mode" >/dev/null; done

measure() {
  docker image inspect "$base" >/dev/null || die "base image $base is missing (./build.sh --target=Sandbox makes it)"
  local base_size base_steps images=() mode tag
  base_size=$(docker image inspect "$base" --format '{{.Size}}')
  base_steps=$(docker history -q "$base" | wc -l)
  for mode in $modes; do
    tag="purchase-predict-bench:$mode"
    log "image $mode: docker build -f ops/Dockerfile --build-arg BASE_IMAGE=$base bench/work/publish-$mode"
    docker build -q --network host -f "$root/ops/Dockerfile" --build-arg "BASE_IMAGE=$base" -t "$tag" "$work/publish-$mode" >/dev/null
    images+=("$(jq -cn --arg mode "$mode" --argjson size "$(docker image inspect "$tag" --format '{{.Size}}')" \
      --argjson published "$(du -sb "$work/publish-$mode" | cut -f1)" \
      --argjson own_layers "$(docker history --human=false --no-trunc --format '{{json .}}' "$tag" \
        | head -n "$(( $(docker history -q "$tag" | wc -l) - base_steps ))" \
        | jq -s 'map(select(.Size != "0") | { size: (.Size | tonumber), created_by: (.CreatedBy | .[0:100]) })')" \
      '{ mode: $mode, size_bytes: $size, published_bytes: $published, own_layers: $own_layers }')")
  done

  local samples=() run id start ms pid
  for run in $(seq "$starts"); do
    for mode in $modes; do
      start=$(now_ms)
      id=$(docker run -d --rm --network host -e PORT="$port" -e WORKERS="$workers" -e MODEL_URI="/models/$(basename "$model")" \
        -v "$(dirname "$model"):/models:ro" "purchase-predict-bench:$mode")
      ms=$(wait_for_predict "$port" "$demo_body" "$start") || { docker logs "$id" 2>&1 | tail -3 >&2; ms=null; }
      local memory=null
      if [ "$run" = "$starts" ] && [ "$ms" != null ]; then
        run_wrk 32 "$seconds" "$demo_body" "$port" >/dev/null
        pid=$(docker inspect -f '{{.State.Pid}}' "$id")
        memory=$(jq -cn --argjson pss "$(tree_memory_mib "$pid" Pss)" --argjson rss "$(tree_memory_mib "$pid" VmRSS)" \
          --argjson processes "$(process_tree "$pid" | wc -l)" '{ pss_mib: $pss, rss_mib: $rss, processes: $processes }')
      fi
      docker rm -f "$id" >/dev/null
      samples+=("$(jq -cn --arg mode "$mode" --argjson ms "$ms" --argjson memory "$memory" '{ mode: $mode, first_predict_ms: $ms, memory: $memory }')")
      log "image $mode start $run: ${samples[-1]}"
    done
  done

  # For scale: what docker itself takes to create, start and remove a container that does nothing.
  local overhead=()
  for run in $(seq "$starts"); do
    start=$(now_ms); docker run --rm --network host --entrypoint /bin/true "$base" >/dev/null; overhead+=($(( $(now_ms) - start )))
  done
  for mode in $modes; do docker rmi -f "purchase-predict-bench:$mode" >/dev/null; done

  printf '%s\n' "${images[@]}" | jq -s --arg base "$base" --argjson base_size "$base_size" --argjson workers "$workers" \
    --arg model "$(basename "$model")" --argjson starts "$starts" --argjson seconds "$seconds" \
    --argjson samples "$(printf '%s\n' "${samples[@]}" | jq -s .)" --argjson overhead "$(printf '%s\n' "${overhead[@]}" | jq -s .)" \
    --argjson load "$(load_json)" "$jq_median"'
    { base: $base, base_size_bytes: $base_size, workers: $workers, model: $model, starts: $starts, load_seconds: $seconds,
      images: map(.mode as $m | ($samples | map(select(.mode == $m))) as $mine | . + {
        own_bytes: (.size_bytes - $base_size),
        first_predict_ms: { median: ($mine | map(.first_predict_ms | select(. != null)) | med),
          runs: ($mine | map(.first_predict_ms)), failed: ($mine | map(select(.first_predict_ms == null)) | length) },
        memory_after_load: ($mine | map(.memory | select(. != null)) | last) }),
      docker_run_true_ms: { median: ($overhead | med), runs: $overhead }, load: $load }'
}

hold_sandbox_lock
measure
