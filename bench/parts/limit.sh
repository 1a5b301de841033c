#!/usr/bin/env bash
# The service under its documented memory limit (deploy.memoryLimit, docs/deploy.md): for each WORKERS of
# BENCH_LIMIT_WORKERS (default 2 4), the native-AOT image runs with `--memory=<limit> --memory-swap=<limit>` as
# the unit runs it, and gets for BENCH_SECONDS the bench's load (wrk, 32 connections, the tutorial's body) and at
# the same time WORKERS connections posting the largest body the service accepts (bench/make-large-body.py:
# 10,000 rows in 10 MiB). Figures: the container's peak memory (cgroup), OOM kills, workers that exited, errors.
# Holds the sandbox lock (Docker engine). Prints one JSON object.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
port="${BENCH_PORT:-18874}" seconds="${BENCH_SECONDS:-10}" mode="${BENCH_LIMIT_MODE:-aot}"
base="$(jq -r .baseImage "$root/ops/environments/sandbox.json")"
model="$(bench_model categorical)"
large_body="$work/large-body.json"
"$root/bench/make-large-body.py" "$demo_body" "$large_body"
published_binary "$mode" >/dev/null

# The documented limit for a worker count: the same formula as docs/deploy.md, in MiB.
memory_limit_mib() { echo $(( 64 + 112 * $1 )); }

# The container's memory cgroup (v2, or v1's memory controller): peak bytes, OOM kills.
cgroup_figures() {
  local id="$1" pid dir
  pid=$(docker inspect -f '{{.State.Pid}}' "$id")
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    dir="/sys/fs/cgroup$(cut -d: -f3 "/proc/$pid/cgroup")"
    jq -cn --argjson peak "$(cat "$dir/memory.peak")" --argjson kills "$(awk '$1 == "oom_kill" { print $2 }' "$dir/memory.events")" \
      '{ peak_mib: ($peak / 1048576 | floor), oom_kills: $kills }'
  else
    dir="/sys/fs/cgroup/memory$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3 }' "/proc/$pid/cgroup")"
    jq -cn --argjson peak "$(cat "$dir/memory.max_usage_in_bytes")" --argjson kills "$(awk '$1 == "oom_kill" { print $2 }' "$dir/memory.oom_control")" \
      '{ peak_mib: ($peak / 1048576 | floor), oom_kills: $kills }'
  fi
}

hold_sandbox_lock
tag="purchase-predict-bench:limit-$mode"
docker build -q --network host -f "$root/ops/Dockerfile" --build-arg "BASE_IMAGE=$base" -t "$tag" "$work/publish-$mode" >/dev/null
load_before="$(load_json)"
cases=()
for workers in ${BENCH_LIMIT_WORKERS:-2 4}; do
  limit="$(memory_limit_mib "$workers")m"
  id=$(docker run -d --rm --network host --memory="$limit" --memory-swap="$limit" -e PORT="$port" -e WORKERS="$workers" \
    -e MODEL_URI="/models/$(basename "$model")" -v "$(dirname "$model"):/models:ro" "$tag")
  wait_for_predict "$port" "$demo_body" "$(now_ms)" >/dev/null || { docker logs "$id" 2>&1 | tail -3 >&2; docker rm -f "$id"; die "WORKERS=$workers: no /predict"; }
  BENCH_BODY="$large_body" wrk -t1 -c"$workers" -d"${seconds}s" --timeout 20s -s "$root/bench/wrk/predict.lua" \
    "http://127.0.0.1:$port/predict" | grep '^{' >"$work/limit-large.json" &
  large_wrk=$!
  small="$(run_wrk 32 "$seconds" "$demo_body" "$port")"
  wait "$large_wrk"
  cases+=("$(jq -cn --argjson workers "$workers" --arg limit "$limit" --argjson small "$small" --argjson large "$(cat "$work/limit-large.json")" \
    --argjson cgroup "$(cgroup_figures "$id")" --argjson exited "$(docker logs "$id" 2>/dev/null | grep -c '"Event":"worker_exited"' || true)" \
    '{ workers: $workers, limit: $limit, small: ($small | { rps, p99_ms, errors, requests }), large: ($large | { rps, p99_ms, errors, requests }),
       workers_exited: $exited } + $cgroup')")
  log "limit: ${cases[-1]}"
  docker rm -f "$id" >/dev/null
done
docker rmi -f "$tag" >/dev/null
printf '%s\n' "${cases[@]}" | jq -s --arg mode "$mode" --argjson seconds "$seconds" --argjson before "$load_before" --argjson after "$(load_json)" \
  '{ publish_mode: $mode, seconds: $seconds, formula: "64 MiB + 112 MiB per worker", load_before: $before, load_after: $after, cases: . }'
