#!/usr/bin/env bash
# What the metrics cost on the hot path: /predict under wrk with METRICS=true and METRICS=false, the same published
# binary (BENCH_METRICS_MODE, default aot) with BENCH_METRICS_WORKERS workers (default 2), alternating in every round
# so the machine's load falls on both alike; BENCH_RUNS rounds, medians, and the server's CPU time per request.
# Issue 18 allows at most 3 % fewer requests/s with metrics on. Prints one JSON object.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
runs="${BENCH_RUNS:-3}" seconds="${BENCH_SECONDS:-10}" warmup="${BENCH_WARMUP:-3}" port="${BENCH_PORT:-18872}"
mode="${BENCH_METRICS_MODE:-aot}" workers="${BENCH_METRICS_WORKERS:-2}" connections="${BENCH_METRICS_CONNECTIONS:-32}"
model="$(bench_model categorical)"
binary="$(published_binary "$mode")"

# Whether a scrape counts /predict. Not `curl | grep -q`: under pipefail, grep leaving at the first match (near the
# top) made curl's write of the rest fail with SIGPIPE, and the check with it (a run of 2 Dec 2026 died so).
predict_counted() {
  local scrape
  scrape="$(curl -sf "http://127.0.0.1:$1/metrics")" || return 1
  grep -q '^purchase_predict_http_requests_total{route="/predict",status="200"}' <<<"$scrape"
}

load_before="$(load_json)"
samples=()
for round in $(seq "$runs"); do
  for metrics in true false; do
    start=$(now_ms)
    METRICS="$metrics" start_api "$binary" "$model" "$port" "$workers"
    trap 'stop_api $api_pid' EXIT
    wait_for_predict "$port" "$demo_body" "$start" >/dev/null \
      || die "METRICS=$metrics: no /predict answer within 60 s: $(tail -3 "$work/api-$port.err")"
    if [ "$metrics" = true ]; then
      # A request is counted once its answer is written: poll, the first /predict may still be finishing.
      for _ in $(seq 50); do
        predict_counted "$port" && break
        sleep 0.1
      done || true
      predict_counted "$port" || die "METRICS=true: /metrics does not count /predict"
    else
      [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/metrics")" = 404 ] || die "METRICS=false: /metrics answers"
    fi
    run_wrk 32 "$warmup" "$demo_body" "$port" >/dev/null
    # The service's CPU time per answered request: what each request costs the server, whatever wrk (on the
    # same cores) and the machine's other work take of the CPUs, which move requests/s far more from run to run.
    ticks_before="$(tree_cpu_ticks "$api_pid")"
    result="$(run_wrk "$connections" "$seconds" "$demo_body" "$port")"
    ticks_after="$(tree_cpu_ticks "$api_pid")"
    result="$(jq -c --argjson ticks "$((ticks_after - ticks_before))" --argjson hz "$(getconf CLK_TCK)" \
      '. + { cpu_us_per_request: ($ticks / $hz * 1e6 / .requests) }' <<<"$result")"
    log "round $round METRICS=$metrics c=$connections: $result"
    samples+=("$(jq -c --arg metrics "$metrics" '{ metrics: $metrics } + .' <<<"$result")")
    stop_api "$api_pid"
    trap - EXIT
  done
done

printf '%s\n' "${samples[@]}" | jq -s --argjson runs "$runs" --argjson seconds "$seconds" --argjson warmup "$warmup" \
  --arg mode "$mode" --argjson workers "$workers" --argjson connections "$connections" --arg model "$(basename "$model")" \
  --argjson nproc "$(nproc)" --argjson before "$load_before" --argjson after "$(load_json)" "$jq_median"'
  . as $samples
  | { runs: $runs, seconds_per_run: $seconds, warmup_seconds: $warmup, mode: $mode, workers: $workers,
      connections: $connections, model: $model, cpus: $nproc, load_before: $before, load_after: $after,
      variants: [["true", "false"][] as $m | $samples | map(select(.metrics == $m))
        | { metrics: $m, rps: (map(.rps) | med), p50_ms: (map(.p50_ms) | med), p99_ms: (map(.p99_ms) | med),
            cpu_us_per_request: (map(.cpu_us_per_request) | med),
            errors: (map(.errors) | add), requests: (map(.requests) | add), rps_runs: map(.rps) }] }
  | . + { rps_ratio: (.variants[0].rps / .variants[1].rps),
          cpu_ratio: (.variants[0].cpu_us_per_request / .variants[1].cpu_us_per_request) } + { samples: $samples }'
