#!/usr/bin/env bash
# BenchmarkDotNet: our evaluator against native LightGBM (bench/PurchasePredict.Bench, EvaluatorBenchmarks)
# on 1, 10 and 10,000 rows per call, for the 300-tree 60-leaf numeric and categorical-with-missing models.
# Then the same comparison in alternating rounds (PurchasePredict.Bench rounds), once JIT-compiled and once
# as a native AOT binary (how the API ships): BenchmarkDotNet cannot run in a native AOT process.
# Prints one JSON object: per model and size, native and ours (median ns per call, allocated bytes), and
# how many times faster ours is (native median / our median); "rounds" holds the JIT and AOT round figures.
# Extra arguments go to BenchmarkDotNet; BENCH_ROUNDS (default 31) sets the rounds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
artifacts="$work/bdn"
aot_dir="$work/aot-bench"
rounds="${BENCH_ROUNDS:-31}"
rm -rf "$artifacts"
load_before="$(load_json)"
log "evaluator: dotnet $bench_dll evaluator $artifacts $* (log $work/evaluator.log)"
dotnet "$bench_dll" evaluator "$artifacts" "$@" >"$work/evaluator.log" 2>&1 \
  || die "BenchmarkDotNet failed, see $work/evaluator.log"
report="$artifacts/results/PurchasePredict.Bench.EvaluatorBenchmarks-report-full.json"

log "evaluator: $rounds rounds, JIT (dotnet $bench_dll rounds $rounds)"
dotnet "$bench_dll" rounds "$rounds" >"$work/rounds-jit.json" 2>>"$work/evaluator.log" \
  || die "rounds (JIT) failed, see $work/evaluator.log"
log "evaluator: publishing bench/PurchasePredict.Bench as native AOT into $aot_dir"
aot_flags=(-p:PublishAot=true)
command -v clang >/dev/null || aot_flags+=(-p:CppCompilerAndLinker=clang-14)
rm -rf "$aot_dir"
dotnet publish "$root/bench/PurchasePredict.Bench" -c Release -r linux-x64 -o "$aot_dir" "${aot_flags[@]}" -nologo \
  >"$work/bench-aot-publish.log" 2>&1 || die "native AOT publish failed, see $work/bench-aot-publish.log"
log "evaluator: $rounds rounds, native AOT ($aot_dir/PurchasePredict.Bench rounds $rounds)"
"$aot_dir/PurchasePredict.Bench" rounds "$rounds" >"$work/rounds-aot.json" 2>>"$work/evaluator.log" \
  || die "rounds (native AOT) failed, see $work/evaluator.log"

jq --argjson before "$load_before" --argjson after "$(load_json)" \
  --slurpfile jit "$work/rounds-jit.json" --slurpfile aot "$work/rounds-aot.json" \
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
    benchmarkdotnet_table: $table,
    rounds: { command: "PurchasePredict.Bench rounds \($jit[0].rounds) (JIT: dotnet bin/Release; AOT: dotnet publish -p:PublishAot=true)",
      jit: $jit[0], aot: $aot[0] } }' "$report"
