#!/usr/bin/env bash
# Redeploy under load, measured by the deploy end-to-end tests themselves (not duplicated here):
# DeployEndToEndTests.Redeploy_UnderNewConnectionAndKeepAliveClients_... and Redeploy_OfAReleaseSlowToBecomeReady_...
# post /predict to pp-vm1 (127.0.0.1:8081) with three strict clients (a new connection per request, one
# keep-alive connection, long 10,000-row requests) for the whole of each `./build.sh --target=DeployToVms
# --force=true`, and write every run's figures to artifacts/redeploy-under-load/{redeploy,redeploy-slow-ready}.json.
# Their fixture first pushes and deploys a throwaway copy of the repository. BENCH_REDEPLOY_RUNS redeploys per
# test (default 3; CI's test run does 1). BENCH_REDEPLOY_REUSE=1 runs nothing and takes the figures of the tests'
# last run (the files and their time are recorded). Holds the sandbox lock. Prints one JSON object.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
figures="$root/artifacts/redeploy-under-load"
filter="FullyQualifiedName~DeployEndToEndTests.Redeploy_"

status=0
if [ "${BENCH_REDEPLOY_REUSE:-0}" = 1 ]; then
  [ -f "$figures/redeploy.json" ] || die "BENCH_REDEPLOY_REUSE=1 but there is no $figures/redeploy.json (the test has not run here)"
  how="$(jq -n --arg at "$(date -u -r "$figures/redeploy.json" +%FT%TZ)" '{ reused_from: "artifacts/redeploy-under-load/", written_at: $at }')"
else
  wait_for_idle_sandbox
  hold_sandbox_lock
  rm -rf "$figures"
  log "redeploy: PP_REDEPLOY_RUNS=${BENCH_REDEPLOY_RUNS:-3} dotnet test tests/PurchasePredict.Pipeline.Tests --filter \"$filter\" (log $work/redeploy.log)"
  PP_REDEPLOY_RUNS="${BENCH_REDEPLOY_RUNS:-3}" dotnet test "$root/tests/PurchasePredict.Pipeline.Tests" --filter "$filter" >"$work/redeploy.log" 2>&1 || status=$?
  how='{}'
fi
if [ ! -f "$figures/redeploy.json" ]; then
  jq -n --argjson exit "$status" --arg tail "$(tail -20 "$work/redeploy.log")" \
    '{ measured: false, reason: "the test wrote no figures", exit_code: $exit, log_tail: $tail }'
  exit 0
fi
slow='null'
[ -f "$figures/redeploy-slow-ready.json" ] && slow="$(cat "$figures/redeploy-slow-ready.json")"
jq -n --argjson runs "$(cat "$figures/redeploy.json")" --argjson slow "$slow" --argjson how "$how" \
  --argjson exit "$status" --argjson load "$(load_json)" '
  { measured: true, test_exit_code: $exit,
    method: "tests/PurchasePredict.Pipeline.Tests DeployEndToEndTests.Redeploy_* (pp-vm1, 127.0.0.1:8081, `DeployToVms --force=true` under three strict clients that never retry)",
    runs: $runs, slow_ready_runs: $slow, load_after: $load } + $how'
