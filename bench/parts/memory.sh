#!/usr/bin/env bash
# Peak resident memory of the whole service (master + all workers) with WORKERS=4 after a load run:
# the sum of VmHWM (peak RSS) over the process tree, read after BENCH_SECONDS of wrk at 32 connections,
# and the sum of VmRSS at that moment. BENCH_RUNS fresh starts per model; medians. Prints one JSON object.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
runs="${BENCH_RUNS:-3}" seconds="${BENCH_SECONDS:-10}" workers="${BENCH_MEMORY_WORKERS:-4}"
mode="${BENCH_PUBLISH_MODE:-$(pipeline_publish_mode)}" port="${BENCH_PORT:-18872}"

binary="${BENCH_BINARY:-$(publish_api "$mode")}"
declare -A models=([demo]="$root/models/demo/model.txt" [300-trees]="$(bench_model categorical)")

# Sum of a /proc/PID/status field (kB) over the given pids, in MiB.
sum_status_mib() {
  local field="$1"; shift
  for pid in "$@"; do awk -v f="$field:" '$1 == f { print $2 }' "/proc/$pid/status"; done \
    | awk '{ s += $1 } END { printf "%.1f", s / 1024 }'
}

load_before="$(load_json)"
samples=()
for name in demo 300-trees; do
  for run in $(seq "$runs"); do
    start_api "$binary" "${models[$name]}" "$port" "$workers"
    trap 'stop_api $api_pid' EXIT
    wait_for_predict "$port" "$demo_body" "$(now_ms)" >/dev/null || die "$name: no /predict answer within 60 s"
    run_wrk 32 "$seconds" "$demo_body" "$port" >/dev/null
    mapfile -t pids < <(process_tree "$api_pid")
    samples+=("$(jq -cn --arg model "$name" --argjson processes "${#pids[@]}" \
      --argjson peak "$(sum_status_mib VmHWM "${pids[@]}")" --argjson rss "$(sum_status_mib VmRSS "${pids[@]}")" \
      '{ model: $model, processes: $processes, peak_rss_mib: $peak, rss_after_load_mib: $rss }')")
    log "memory $name WORKERS=$workers run $run: ${samples[-1]}"
    stop_api "$api_pid"
    trap - EXIT
  done
done

printf '%s\n' "${samples[@]}" | jq -s --arg mode "$mode" --argjson workers "$workers" --argjson seconds "$seconds" \
  --argjson before "$load_before" --argjson after "$(load_json)" "$jq_median"'
  { publish_mode: $mode, workers: $workers, load_seconds: $seconds, load_before: $before, load_after: $after,
    models: (group_by(.model) | map({ model: .[0].model, processes: (map(.processes) | med),
      median_peak_rss_mib: (map(.peak_rss_mib) | med), median_rss_after_load_mib: (map(.rss_after_load_mib) | med),
      runs: . })) }'
