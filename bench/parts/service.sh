#!/usr/bin/env bash
# The service under wrk: the published binary on the host (not in Docker), POST /predict with the tutorial's
# 10-row body, for each model x WORKERS x connections; BENCH_RUNS runs of BENCH_SECONDS each, medians.
# Also records each start's time from exec to the first successful /predict. Prints one JSON object.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
runs="${BENCH_RUNS:-3}" seconds="${BENCH_SECONDS:-10}" warmup="${BENCH_WARMUP:-3}"
workers_list="${BENCH_WORKERS:-1 2 4}" connections_list="${BENCH_CONNECTIONS:-1 8 32}"
mode="${BENCH_PUBLISH_MODE:-$(pipeline_publish_mode)}" port="${BENCH_PORT:-18871}"

binary="${BENCH_BINARY:-$(publish_api "$mode")}"
declare -A models=([demo]="$root/models/demo/model.txt" [300-trees]="$(bench_model categorical)")
load_before="$(load_json)"
cases=()
for name in demo 300-trees; do
  for workers in $workers_list; do
    start=$(now_ms)
    start_api "$binary" "${models[$name]}" "$port" "$workers"
    trap 'stop_api $api_pid' EXIT
    startup_ms="$(wait_for_predict "$port" "$demo_body" "$start")" \
      || die "$name WORKERS=$workers: no /predict answer within 60 s: $(tail -3 "$work/api-$port.err")"
    run_wrk 32 "$warmup" "$demo_body" "$port" >/dev/null
    # How many processes serve: shows whether WORKERS took effect (master + N workers, or 1).
    processes=$(process_tree "$api_pid" | wc -l)
    for connections in $connections_list; do
      results=()
      for run in $(seq "$runs"); do
        results+=("$(run_wrk "$connections" "$seconds" "$demo_body" "$port")")
        log "$name WORKERS=$workers c=$connections run $run: ${results[-1]}"
      done
      cases+=("$(printf '%s\n' "${results[@]}" | jq -s --arg model "$name" --argjson workers "$workers" \
        --argjson connections "$connections" --argjson startup "$startup_ms" --argjson processes "$processes" "$jq_median"'
        { model: $model, workers: $workers, processes: $processes, connections: $connections, startup_ms: $startup,
          median: { rps: (map(.rps) | med), p50_ms: (map(.p50_ms) | med), p99_ms: (map(.p99_ms) | med),
                    errors: (map(.errors) | med) },
          errors_total: (map(.errors) | add), requests_total: (map(.requests) | add), runs: . }')")
    done
    stop_api "$api_pid"
    trap - EXIT
  done
done

printf '%s\n' "${cases[@]}" | jq -s --arg mode "$mode" --argjson runs "$runs" --argjson seconds "$seconds" \
  --argjson warmup "$warmup" --argjson before "$load_before" --argjson after "$(load_json)" \
  --arg models "demo = models/demo/model.txt (100 trees, 31 leaves); 300-trees = $(basename "${models[300-trees]}")" \
  '{ publish_mode: $mode, runs_per_case: $runs, seconds_per_run: $seconds, warmup_seconds: $warmup, models: $models,
     load_before: $before, load_after: $after, cases: . }'
