#!/usr/bin/env bash
# /predict under wrk, the tutorial's Flask app and ours side by side: every round starts each server of
# BENCH_SERVERS in turn (alternating, so the machine's load falls on all alike), records the time from start to
# the first successful /predict, checks its answer is the Flask app's, warms it up, runs wrk at each of
# BENCH_CONNECTIONS, then reads the memory of its processes after that load, and stops it.
# Servers: `flask` (bench/reference under gunicorn -w 4) or MODE:WORKERS (ours published as MODE, run with
# WORKERS, e.g. aot:4, ready-to-run:auto). Medians over BENCH_RUNS rounds. Prints one JSON object.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
runs="${BENCH_RUNS:-3}" seconds="${BENCH_SECONDS:-10}" warmup="${BENCH_WARMUP:-3}" port="${BENCH_PORT:-18871}"
servers="${BENCH_SERVERS:-flask aot:1 aot:2 aot:4 aot:auto ready-to-run:4}" connections_list="${BENCH_CONNECTIONS:-1 8 32}"
model="$(bench_model categorical)"

start_server() {
  case "$1" in
    flask) start_flask "$model" "$port" ;;
    *:*) start_api "$(published_binary "${1%%:*}")" "$model" "$port" "${1#*:}" ;;
    *) die "unknown server '$1' (flask or MODE:WORKERS)" ;;
  esac
}

answer() { curl -sf --max-time 10 -H 'Content-Type: application/json' --data-binary "@$demo_body" "http://127.0.0.1:$port/predict"; }

load_before="$(load_json)"
samples=() reference_answer=""
for round in $(seq "$runs"); do
  for server in $servers; do
    start=$(now_ms)
    start_server "$server"
    trap 'stop_api $api_pid' EXIT
    startup_ms="$(wait_for_predict "$port" "$demo_body" "$start")" \
      || die "$server: no /predict answer within 60 s: $(tail -3 "$work/api-$port.err")"
    # Check first: every server answers the tutorial's body exactly as the first one (the Flask app) did.
    got="$(answer | tr -d ' \n')"
    reference_answer="${reference_answer:-$got}"
    [ "$got" = "$reference_answer" ] || die "$server answers $got where the first server answered $reference_answer"
    run_wrk 32 "$warmup" "$demo_body" "$port" >/dev/null
    processes=$(process_tree "$api_pid" | wc -l)
    for connections in $connections_list; do
      result="$(run_wrk "$connections" "$seconds" "$demo_body" "$port")"
      log "round $round $server c=$connections: $result"
      samples+=("$(jq -c --arg server "$server" --argjson connections "$connections" '{ kind: "wrk", server: $server, connections: $connections } + .' <<<"$result")")
    done
    samples+=("$(jq -cn --arg server "$server" --argjson startup "$startup_ms" --argjson processes "$processes" \
      --argjson pss "$(tree_memory_mib "$api_pid" Pss)" --argjson rss "$(tree_memory_mib "$api_pid" VmRSS)" \
      --argjson hwm "$(tree_memory_mib "$api_pid" VmHWM)" \
      '{ kind: "start", server: $server, startup_ms: $startup, processes: $processes, pss_mib: $pss, rss_mib: $rss, peak_rss_mib: $hwm }')")
    log "round $round $server: ${samples[-1]}"
    stop_api "$api_pid"
    trap - EXIT
  done
done

printf '%s\n' "${samples[@]}" | jq -s --argjson runs "$runs" --argjson seconds "$seconds" --argjson warmup "$warmup" \
  --arg servers "$servers" --arg model "$(basename "$model")" --arg answer "$reference_answer" --argjson nproc "$(nproc)" \
  --argjson before "$load_before" --argjson after "$(load_json)" "$jq_median"'
  . as $samples
  | { runs: $runs, seconds_per_run: $seconds, warmup_seconds: $warmup, model: $model, cpus: $nproc, answer: $answer,
      load_before: $before, load_after: $after,
      servers: [$servers | split(" ")[] | select(. != "") | . as $s
        | ($samples | map(select(.server == $s))) as $mine
        | ($mine | map(select(.kind == "start"))) as $starts
        | { server: $s, processes: ($starts | map(.processes) | med),
            startup_ms: ($starts | map(.startup_ms) | med), pss_mib: ($starts | map(.pss_mib) | med),
            rss_mib: ($starts | map(.rss_mib) | med), peak_rss_mib: ($starts | map(.peak_rss_mib) | med),
            startup_runs: ($starts | map(.startup_ms)),
            load: [$mine | map(select(.kind == "wrk")) | group_by(.connections)[]
              | { connections: .[0].connections, rps: (map(.rps) | med), p50_ms: (map(.p50_ms) | med),
                  p99_ms: (map(.p99_ms) | med), errors: (map(.errors) | add), requests: (map(.requests) | add),
                  rps_runs: map(.rps) }] }],
      samples: $samples }'
