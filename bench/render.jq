# bench/results/<date>.json -> the Markdown figures (bench/results/<date>.md, and the table section of
# docs/benchmarks.md). Used by bench/render.sh. Missing parts say so instead of showing stale figures.
def r(n): . * pow(10; n) | round / pow(10; n);
def time_ns: if . == null then "–" elif . >= 1e6 then "\(. / 1e6 | r(2)) ms" elif . >= 1e3 then "\(. / 1e3 | r(2)) µs" else "\(. | r(0)) ns" end;
def bytes: if . == null then "–" elif . == 0 then "0 B" elif . >= 1e6 then "\(. / 1e6 | r(1)) MB" elif . >= 1e3 then "\(. / 1e3 | r(1)) kB" else "\(.) B" end;
def load: if . == null then "?" else "\(.load1) / \(.load5) / \(.load15) at \(.at)" end;
def row: "| " + (map(tostring) | join(" | ")) + " |";
def missing(name): "_\(name): not measured in this results file (`bench/run.sh \(name)`)._";
def errored: "_not measured: \(.error)_";
def attempt_note: if .later_attempt then "\n\n_A later attempt (\(.later_attempt.measured_at)) failed, so these are the figures of \(.measured_at): \(.later_attempt.error)_" else "" end;

def evaluator:
  if . == null then missing("evaluator") elif .error then errored else
  "Median time per call (BenchmarkDotNet, \(.job)); `faster` = native median / our median; allocations per call.\n" +
  "Load (1/5/15 min) before: \(.load_before | load); after: \(.load_after | load).\n\n" +
  "| model (300 trees, 60 leaves) | rows per call | native LightGBM | ours | ours × faster | native allocates | ours allocates |\n" +
  "| --- | --- | --- | --- | --- | --- | --- |\n" +
  ([.results | sort_by(.model, (.size | if . == "1 row" then 0 elif . == "10 rows" then 1 else 2 end))[]
    | [.model, .size, (.native.median_ns | time_ns), (.ours.median_ns | time_ns), "\(.times_faster | r(2))×",
       (.native.allocated_bytes | bytes), (.ours.allocated_bytes | bytes)] | row] | join("\n"))
  end;

def service:
  if . == null then missing("service") elif .error then errored else
  "Published `\(.publish_mode)` binary on the host, `POST /predict` with the tutorial's 10-row body; wrk on 127.0.0.1 " +
  "(same 2 cores); \(.runs_per_case) runs × \(.seconds_per_run) s per line after a \(.warmup_seconds) s warm-up, medians. " +
  "Errors = socket errors + status ≥ 400, summed over the runs. `processes` = processes serving (master + workers when WORKERS took effect). " +
  "Models: \(.models).\nLoad before: \(.load_before | load); after: \(.load_after | load).\n\n" +
  "| model | WORKERS | processes | connections | requests/s | p50 | p99 | errors / requests | start → first /predict |\n" +
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n" +
  ([.cases[] | [.model, .workers, .processes, .connections, (.median.rps | r(0)), "\(.median.p50_ms | r(2)) ms",
     "\(.median.p99_ms | r(2)) ms", "\(.errors_total) / \(.requests_total)", "\(.startup_ms) ms"] | row] | join("\n"))
  end;

def memory:
  if . == null then missing("memory") elif .error then errored else
  "WORKERS=\(.workers), `\(.publish_mode)` binary; after \(.load_seconds) s of wrk at 32 connections, summed over the process tree " +
  "(master + workers): peak (VmHWM) and current (VmRSS) resident memory; median of the runs. Load after: \(.load_after | load).\n\n" +
  "| model | processes | peak RSS, all processes | RSS after the load run |\n| --- | --- | --- | --- |\n" +
  ([.models[] | [.model, .processes, "\(.median_peak_rss_mib) MiB", "\(.median_rss_after_load_mib) MiB"] | row] | join("\n"))
  end;

def image:
  if . == null then missing("image") elif .error then errored elif .available | not then "_not measured: \(.reason)_" else
  .first_predict_ms as $start | ($start.runs | map(tostring) | join(", ")) as $runs |
  "`\(.reference)` (commit \(.revision[0:7]), from `\(.image_json)`), base `\(.base)`. Load: \(.load | load).\n\n" +
  "| figure | value |\n| --- | --- |\n" +
  "| image size (docker, uncompressed) | \(.size_bytes | bytes) |\n" +
  "| base image | \(.base_size_bytes | bytes) |\n" +
  "| own layers (image minus base) | \(.own_bytes | bytes) |\n" +
  "| own layers, compressed in the registry (what a VM pulls) | \(.registry_compressed_bytes.own | bytes) |\n" +
  "| docker run to first successful /predict (model \($start.model), WORKERS=\($start.workers), median of \($start.starts)) | \($start.median) ms (runs: \($runs); failed: \($start.failed)) |\n" +
  "| for scale: `docker run --rm` of the base image running `/bin/true` (median) | \(.docker_run_true_ms.median) ms |\n" +
  "\nOwn layers: " + ([.own_layers[] | "`\(.created_by)` \(.size | bytes)"] | join("; "))
  end;

def pipeline:
  if . == null then missing("pipeline") elif .error then errored else
  "`./build.sh --target=\(.target)` in a fresh `git clone` (commit \(.commit[0:7])), then again with nothing changed. " +
  "Per-task wall time from Cake's summary; `wall` = the whole command (Cake's script compilation included).\n\n" +
  (.runs as $runs | ($runs | map(.tasks | map(.task)) | add | unique) as $_ |
   "| task | \($runs | map("\(.run) (`\(.command)`, exit \(.exit_code))") | join(" | ")) |\n| --- |" + ($runs | map(" --- |") | join("")) + "\n" +
   ([$runs[0].tasks[].task] + ([$runs[1:][].tasks[].task] - [$runs[0].tasks[].task]) | map(. as $t |
     [$t] + ($runs | map(.tasks | map(select(.task == $t))[0] | if . == null then "–" elif .seconds == null then .status + (if .reason != "" then ": " + .reason else "" end)
       else "\(.seconds | r(2)) s" + (if .status != "Succeeded" and .status != "" then " " + .status else "" end) end)) | row) | join("\n")) +
   "\n| wall | " + ($runs | map("\(.wall_seconds | r(1)) s") | join(" | ")) + " |" +
   ($runs | map(select(.exit_code != 0) | "\n\n\(.run) failed:\n```\n\(.error_tail)\n```") | join("")))
  end;

def redeploy:
  if . == null then missing("redeploy") elif .error then errored elif .measured | not then "_not measured: \(.reason) (exit \(.exit_code))_" else
  (if .runs[0].reused_from then "Reused, not re-run here: the figures of that test's last run (\(.runs[0].reused_from), written \(.runs[0].written_at))."
   else "Median of \(.runs | length) run(s)." end) as $how |
  "\(.method). \($how) Load after: \(.load_after | load).\n\n" +
  "| failed requests | longest gap between answers | requests during the run | deploy took |\n| --- | --- | --- | --- |\n" +
  ([.median.failed, "\(.median.longest_gap_ms) ms", .median.requests, "\(.median.deploy_seconds) s"] | row)
  end;

# The tutorial's Flask app (gunicorn -w 4, 300-tree model, 10-row body, 32 connections), as issue 6 gives it.
def flask: { rps: 100, p99_ms: 400, startup_ms: 3000, memory_mib: 600 };
def cell(f): if . == null then "–" else f end;

def comparison:
  (.service.cases // [] | map(select(.model == "300-trees" and .connections == 32 and .workers == 4))[0]) as $s |
  (.memory.models // [] | map(select(.model == "300-trees"))[0]) as $m |
  ($s.median.rps // null) as $rps | ($s.median.p99_ms // null) as $p99 |
  (.image.first_predict_ms.median // null) as $start | ($m.median_peak_rss_mib // null) as $mem |
  # With 1 process the binary ignored WORKERS (the multi-worker host not wired in): say so next to the figure.
  (if ($s.processes // 0) == 1 then " (1 process: WORKERS=4 had no effect)" else "" end) as $s_note |
  ($rps | cell((r(0) | tostring) + $s_note)) as $rps_text | ($rps | cell((. / flask.rps | r(0) | tostring) + "× more")) as $rps_ratio |
  ($p99 | cell((r(2) | tostring) + " ms")) as $p99_text | ($p99 | cell((flask.p99_ms / . | r(0) | tostring) + "× lower")) as $p99_ratio |
  ($start | cell(tostring + " ms (docker run to first /predict, 300 trees)")) as $start_text |
  ($start | cell((flask.startup_ms / . | r(1) | tostring) + "× faster")) as $start_ratio |
  ($mem | cell(tostring + " MiB peak, " + ($m.processes | tostring) + " process(es)"
    + (if $m.processes == 1 then ": WORKERS=4 had no effect" else "" end))) as $mem_text |
  ($mem | cell((. / flask.memory_mib * 100 | r(0) | tostring) + " % of Flask's")) as $mem_ratio |
  "| figure | tutorial's Flask (given in issue 6, not measured here) | ours (measured) | ratio | aim |\n" +
  "| --- | --- | --- | --- | --- |\n" +
  "| requests/s (300 trees, 10 rows, 32 connections, WORKERS=4) | about \(flask.rps) | \($rps_text) | \($rps_ratio) | 100× more |\n" +
  "| p99 latency, same load | about \(flask.p99_ms) ms | \($p99_text) | \($p99_ratio) | 100× lower |\n" +
  "| launch to first answer | about 3 s | \($start_text) | \($start_ratio) | under 500 ms |\n" +
  "| resident memory, master + 4 workers | about \(flask.memory_mib) MiB | \($mem_text) | \($mem_ratio) | 25 % |";

"Results file: `bench/results/\(.date).json` (machine: \(.machine.cpu), \(.machine.cores) cores, \(.machine.memory), " +
"\(.machine.os), kernel \(.machine.kernel), .NET SDK \(.machine.dotnet), \(.machine.wrk)).\n\n" +
"### Against the tutorial's Flask app\n\n" + comparison +
"\n\n### Model evaluation: our evaluator vs native LightGBM 4.7.0\n\n" + (.evaluator | evaluator) + (.evaluator // {} | attempt_note) +
"\n\n### The service under load\n\n" + (.service | service) + (.service // {} | attempt_note) +
# Extra publish modes (bench/run.sh service memory --publish-mode aot) are kept under "service@aot" etc.
([to_entries[] | select(.key | startswith("service@")) | "\n\n#### Published as `\(.key[8:])`\n\n" + (.value | service)] | join("")) +
"\n\n### Memory\n\n" + (.memory | memory) + (.memory // {} | attempt_note) +
([to_entries[] | select(.key | startswith("memory@")) | "\n\n#### Published as `\(.key[7:])`\n\n" + (.value | memory)] | join("")) +
"\n\n### The image\n\n" + (.image | image) + (.image // {} | attempt_note) +
"\n\n### The pipeline\n\n" + (.pipeline | pipeline) + (.pipeline // {} | attempt_note) +
([to_entries[] | select(.key | startswith("pipeline@")) | "\n\n#### Target `\(.key[9:])` alone\n\n" + (.value | pipeline)] | join("")) +
"\n\n### Redeploy under load\n\n" + (.redeploy | redeploy) + (.redeploy // {} | attempt_note) + "\n"
