#!/usr/bin/env bash
# BenchmarkDotNet: our evaluator against native LightGBM (bench/PurchasePredict.Bench, EvaluatorBenchmarks)
# on 1, 10 and 10,000 rows per call, for the 300-tree 60-leaf numeric and categorical-with-missing models.
# Prints one JSON object: per model and size, native and ours (median ns per call, allocated bytes), and
# how many times faster ours is (native median / our median). Extra arguments go to BenchmarkDotNet.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
artifacts="$work/bdn"
rm -rf "$artifacts"
load_before="$(load_json)"
log "evaluator: dotnet $bench_dll evaluator $artifacts $* (log $work/evaluator.log)"
dotnet "$bench_dll" evaluator "$artifacts" "$@" >"$work/evaluator.log" 2>&1 \
  || die "BenchmarkDotNet failed, see $work/evaluator.log"
report="$artifacts/results/PurchasePredict.Bench.EvaluatorBenchmarks-report-full.json"

jq --argjson before "$load_before" --argjson after "$(load_json)" \
  --arg table "$(cat "$artifacts/results/PurchasePredict.Bench.EvaluatorBenchmarks-report-github.md")" '
  def size: if test("OneRow") then "1 row" elif test("TenRows") then "10 rows" else "10,000 rows" end;
  def side: if startswith("Native") then "native" else "ours" end;
  { job: "in-process, 1 launch, 3 warm-up + 10 iterations of ~250 ms (bench/PurchasePredict.Bench/BenchConfig.cs)",
    host: (.HostEnvironmentInfo | { processor: .ProcessorName, cores: .PhysicalCoreCount, runtime: .RuntimeVersion }),
    load_before: $before, load_after: $after,
    results: ([.Benchmarks[] | { model: (.Parameters | sub("Model="; "")), size: (.Method | size), side: (.Method | side),
        median_ns: .Statistics.Median, mean_ns: .Statistics.Mean, p95_ns: .Statistics.Percentiles.P95,
        allocated_bytes: .Memory.BytesAllocatedPerOperation }]
      | group_by([.model, .size]) | map({ model: .[0].model, size: .[0].size,
          native: (map(select(.side == "native"))[0] | del(.model, .size, .side)),
          ours: (map(select(.side == "ours"))[0] | del(.model, .size, .side)) }
        | .times_faster = (.native.median_ns / .ours.median_ns))),
    benchmarkdotnet_table: $table }' "$report"
