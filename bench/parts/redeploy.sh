#!/usr/bin/env bash
# Redeploy under load, measured by the deploy helper's own end-to-end test (not duplicated here):
# DeployEndToEndTests.Redeploy_UnderConstantLoad_ReportsFailedRequestsAndTheLongestGap posts /predict to
# pp-vm1 (127.0.0.1:8081) in a loop, a new connection per request, while `./build.sh --target=DeployToVms`
# replaces the running version, and writes its figures to artifacts/redeploy-under-load.txt. Its fixture
# first pushes and deploys a throwaway copy of the repository. BENCH_REDEPLOY_RUNS runs (default 1: each
# is a full Push + Deploy of a few minutes); medians. BENCH_REDEPLOY_REUSE=1 runs nothing and takes the
# figures of the test's last run (the file and its time are recorded). Prints one JSON object.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
runs="${BENCH_REDEPLOY_RUNS:-1}"
figures_file="$root/artifacts/redeploy-under-load.txt"
filter="FullyQualifiedName~DeployEndToEndTests.Redeploy_UnderConstantLoad"

# "redeploy under load: 18786 requests, 47 failed, longest gap between answers 1684 ms, deploy took 35.9 s"
parse_figures() {
  sed -E 's/.*: ([0-9]+) requests, ([0-9]+) failed, longest gap between answers ([0-9]+) ms, deploy took ([0-9.]+) s.*/{"requests":\1,"failed":\2,"longest_gap_ms":\3,"deploy_seconds":\4}/' "$figures_file" \
    | jq -c "$@" || die "cannot parse $figures_file: $(cat "$figures_file")"
}

samples=()
if [ "${BENCH_REDEPLOY_REUSE:-0}" = 1 ]; then
  [ -f "$figures_file" ] || die "BENCH_REDEPLOY_REUSE=1 but there is no $figures_file (the test has not run here)"
  # shellcheck disable=SC2016 # a jq program: $at is jq's variable, not the shell's
  samples+=("$(parse_figures --arg at "$(date -u -r "$figures_file" +%FT%TZ)" '. + { reused_from: "artifacts/redeploy-under-load.txt", written_at: $at }')")
  runs=0
fi
for run in $(seq "$runs"); do
  wait_for_idle_sandbox
  rm -f "$figures_file"
  log "redeploy run $run: dotnet test tests/PurchasePredict.Pipeline.Tests --filter \"$filter\" (log $work/redeploy-$run.log)"
  status=0
  dotnet test "$root/tests/PurchasePredict.Pipeline.Tests" --filter "$filter" >"$work/redeploy-$run.log" 2>&1 || status=$?
  if [ ! -f "$figures_file" ]; then
    jq -n --argjson exit "$status" --arg tail "$(tail -20 "$work/redeploy-$run.log")" \
      '{ measured: false, reason: "the test wrote no figures", exit_code: $exit, log_tail: $tail }'
    exit 0
  fi
  # shellcheck disable=SC2016 # a jq program: $exit is jq's variable, not the shell's
  samples+=("$(parse_figures --argjson exit "$status" '. + { test_exit_code: $exit }')")
  log "redeploy run $run: ${samples[-1]}"
done

printf '%s\n' "${samples[@]}" | jq -s --argjson load "$(load_json)" "$jq_median"'
  { measured: true, method: "tests/PurchasePredict.Pipeline.Tests DeployEndToEndTests.Redeploy_UnderConstantLoad (pp-vm1, 127.0.0.1:8081, sequential client, new connection per request)",
    median: { failed: (map(.failed) | med), longest_gap_ms: (map(.longest_gap_ms) | med), requests: (map(.requests) | med),
              deploy_seconds: (map(.deploy_seconds) | med) },
    runs: ., load_after: $load }'
