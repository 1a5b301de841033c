#!/usr/bin/env bash
# Every benchmark of the project, one command (docs/benchmarks.md):
#   bench/run.sh [PART...] [--runs N] [--seconds S] [--servers "SERVER..."] [--quick]
# PARTs: evaluator service image limit pipeline redeploy, or all (default: evaluator service image limit),
# run in that order.
# Each part's figures go into bench/results/<UTC date>.json (parts measured on the same day are merged, each
# with its own time and load), then bench/results/<date>.md and docs/benchmarks.md are regenerated from it.
#   --runs N          rounds of the service part: each starts every server once, in turn (default 3)
#   --seconds S       seconds per wrk run (default 10)
#   --servers "S..."  the service part's servers, alternated: flask (the tutorial's app under gunicorn -w 4) and
#                     MODE:WORKERS (default "flask aot:1 aot:2 aot:4 aot:auto ready-to-run:4")
#   --reuse-redeploy  take the redeploy figures of the deploy end-to-end test's last run instead of running it
#   --reuse-publish   take bench/work/publish-MODE as an earlier run left them (same tree), instead of publishing again
#   --quick           a smoke run: 1 run of 2 s, 2 image starts, evaluator on one row only (figures not for the docs)
# service needs Debian's python3-flask, gunicorn and python3-pandas (installed here when run as root).
# image and limit use the Docker engine and hold the shared sandbox's lock (/tmp/pp-sandbox.lock) meanwhile.
# pipeline and redeploy run ./build.sh --target=Deploy and the deploy end-to-end test on the shared sandbox:
# several minutes each, and they replace what runs on the sandbox VMs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Run in this order whatever the command line's: image measures what pipeline just pushed.
all_parts=(evaluator service image limit pipeline redeploy)
parts=() evaluator_args=() quick=false reuse_publish=false
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) export BENCH_RUNS="${2:?--runs needs a number}"; shift ;;
    --seconds) export BENCH_SECONDS="${2:?--seconds needs a number}"; shift ;;
    --servers) export BENCH_SERVERS="${2:?--servers needs a list}"; shift ;;
    --reuse-redeploy) export BENCH_REDEPLOY_REUSE=1 ;;
    --reuse-publish) reuse_publish=true ;;
    --quick) quick=true ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    all) parts+=("${all_parts[@]}") ;;
    *) [[ " ${all_parts[*]} " == *" $1 "* ]] || die "unknown part or flag '$1' (parts: ${all_parts[*]}; see --help)"
       parts+=("$1") ;;
  esac
  shift
done
[ ${#parts[@]} -gt 0 ] || parts=(evaluator service image limit)
mapfile -t parts < <(for p in "${all_parts[@]}"; do [[ " ${parts[*]} " == *" $p "* ]] && echo "$p"; done)
if $quick; then
  export BENCH_RUNS=1 BENCH_SECONDS=2 BENCH_WARMUP=1 BENCH_STARTS=2
  evaluator_args=(--filter '*OneRow*')
fi
mkdir -p "$work" "$root/bench/results"
for tool in dotnet wrk jq curl docker git python3 flock; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
if [[ " ${parts[*]} " == *" service "* ]] && missing="$(flask_missing)" && [ -n "$missing" ]; then
  [ "$(id -u)" = 0 ] || die "the Flask reference needs Debian's packages: apt-get install $(echo "$missing" | tr '\n' ' ')"
  log "installing the Flask reference's packages: $(echo "$missing" | tr '\n' ' ')"
  # shellcheck disable=SC2086 # one package name per word
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >"$work/apt.log" 2>&1 \
    || die "apt-get install failed, see $work/apt.log"
fi

date="$(date -u +%F)"
results="$root/bench/results/$date.json"
if $quick; then results="$work/quick.json"; rm -f "$results"; fi
[ -f "$results" ] || echo '{}' >"$results"

bench_build
machine="$(jq -n --arg cpu "$(lscpu | sed -n 's/^Model name: *//p' | head -1)" --argjson cores "$(nproc)" \
  --arg memory "$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)" --arg kernel "$(uname -r)" \
  --arg os "$(. /etc/os-release && echo "$PRETTY_NAME")" --arg dotnet "$(dotnet --version)" \
  --arg wrk "$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)" '{ cpu: $cpu, cores: $cores, memory: $memory, kernel: $kernel, os: $os, dotnet: $dotnet, wrk: $wrk }')"

# The pipeline part with BENCH_PIPELINE_TARGET=Push is kept apart, as "pipeline@Push".
result_key() {
  case "$1" in
    pipeline) [ "${BENCH_PIPELINE_TARGET:-Deploy}" = Deploy ] && echo "$1" || echo "$1@$BENCH_PIPELINE_TARGET" ;;
    *) echo "$1" ;;
  esac
}

# Every publish mode the chosen parts run, published once, fresh: the parts take bench/work/publish-MODE.
modes=()
[[ " ${parts[*]} " == *" service "* ]] && for server in ${BENCH_SERVERS:-aot:1 ready-to-run:4}; do [[ "$server" == *:* ]] && modes+=("${server%%:*}"); done
[[ " ${parts[*]} " == *" image "* ]] && for mode in ${BENCH_IMAGE_MODES:-aot ready-to-run}; do modes+=("$mode"); done
[[ " ${parts[*]} " == *" limit "* ]] && modes+=("${BENCH_LIMIT_MODE:-aot}")
for mode in $(printf '%s\n' "${modes[@]}" | sort -u); do
  if $reuse_publish && [ -x "$work/publish-$mode/purchase_predict_api" ]; then log "reusing $work/publish-$mode"; else publish_api "$mode" >/dev/null; fi
done

for part in "${parts[@]}"; do
  log "part $part: started (load $(cut -d' ' -f1-3 /proc/loadavg))"
  started="$(date -u +%FT%TZ)"
  args=()
  [ "$part" = evaluator ] && args=("${evaluator_args[@]}")
  # The part's log lines go to the terminal and to bench/work/<part>.log; a failure is recorded with its last error.
  if figures="$("$root/bench/parts/$part.sh" "${args[@]}" 2> >(tee "$work/$part.log" >&2))"; then
    figures="$(jq --arg at "$started" '. + { measured_at: $at }' <<<"$figures")"
  else
    sleep 0.2 # let tee finish writing the log
    error="$(grep -A5 'error:' "$work/$part.log" | tail -6 | tr '\n' ' ')"
    figures="$(jq -n --arg at "$started" --arg error "bench/parts/$part.sh failed: ${error:-see bench/work/$part.log}" '{ measured_at: $at, error: $error }')"
  fi
  # A failed attempt does not erase figures measured earlier that day: they stay, with the failure noted.
  jq --arg part "$(result_key "$part")" --arg date "$date" --argjson machine "$machine" --argjson figures "$figures" '
    . + { date: $date, machine: $machine }
    | if ($figures.error != null) and (.[$part] != null) and (.[$part].error == null)
      then .[$part].later_attempt = $figures else .[$part] = $figures end' "$results" >"$results.tmp" && mv "$results.tmp" "$results"
  log "part $part: done"
done

if $quick; then
  jq -r -f "$root/bench/render.jq" "$results"
  log "quick run: figures in $results (not written to bench/results or docs)"
else
  "$root/bench/render.sh" "$results"
fi
