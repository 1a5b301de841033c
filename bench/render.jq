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

def server_name: if . == "flask" then "Flask, `gunicorn -w 4`" else "ours, \(split(":")[0]), WORKERS=\(split(":")[1])" end;
def pct: "\(. * 100 | r(0)) %";
def flask_of($servers): $servers | map(select(.server == "flask"))[0];
def at($c): .load | map(select(.connections == $c))[0];

def service:
  if . == null then missing("service") elif .error then errored else
  . as $run | (flask_of(.servers)) as $flask |
  "Every round starts each server in turn (alternating, so the machine's load falls on all alike), checks its answer to " +
  "the tutorial's 10-row body is the Flask app's (`\(.answer)`), warms it up \(.warmup_seconds) s, runs wrk \(.seconds_per_run) s " +
  "per connection count, reads its memory, stops it; \(.runs) rounds, medians. All on the host (\(.cpus) CPUs, wrk on the same cores), " +
  "model \(.model) (300 trees, 60 leaves). `× Flask`: our requests/s over Flask's at the same connections.\n" +
  "Load before: \(.load_before | load); after: \(.load_after | load).\n\n" +
  "| server | processes | connections | requests/s | p50 | p99 | errors / requests | × Flask |\n" +
  "| --- | --- | --- | --- | --- | --- | --- | --- |\n" +
  ([.servers[] as $s | $s.load[] | . as $l |
    [($s.server | server_name), $s.processes, .connections, (.rps | r(0)), "\(.p50_ms | r(2)) ms", "\(.p99_ms | r(2)) ms",
     "\(.errors) / \(.requests)",
     (if $s.server == "flask" or $flask == null then "" else "\(.rps / ($flask | at($l.connections)).rps | r(0))×" end)] | row] | join("\n")) +
  "\n\n#### More workers against one process (same run)\n\n" +
  "Requests/s of each WORKERS as a share of the same publish mode's WORKERS=1 (one process, no master) at the same connections; " +
  "issue 14 asks for at least 90 % at 2 and 4 workers.\n\n" +
  "| server | " + ([.servers[0].load[].connections | "\(.) connections"] | join(" | ")) + " |\n| --- |" + ([.servers[0].load[] | " --- |"] | join("")) + "\n" +
  ([.servers[] | select(.server != "flask") | . as $s | ($run.servers | map(select(.server == (($s.server | split(":")[0]) + ":1")))[0]) as $one |
    select($one != null) | [($s.server | server_name)] + [$s.load[] | . as $l | (.rps / ($one | at($l.connections)).rps | pct)] | row] | join("\n")) +
  "\n\n#### Start-up and memory (same starts)\n\n" +
  "Start → first successful `/predict` (polled every 10 ms, model loaded, on the host). Memory after the load, summed over the " +
  "server's processes: PSS (pages shared between processes, such as the binary's, counted once: what the processes hold together) " +
  "and RSS (shared pages counted in every process: what `ps` adds up), and the sum of peak RSS (VmHWM).\n\n" +
  "| server | processes | start → first /predict (runs) | PSS, all processes | RSS, all processes | peak RSS, summed | PSS vs Flask |\n" +
  "| --- | --- | --- | --- | --- | --- | --- |\n" +
  ([.servers[] | [(.server | server_name), .processes, "\(.startup_ms | r(0)) ms (\(.startup_runs | map(tostring) | join(", ")))",
     "\(.pss_mib | r(1)) MiB", "\(.rss_mib | r(1)) MiB", "\(.peak_rss_mib | r(1)) MiB",
     (if .server == "flask" or $flask == null then "" else (.pss_mib / $flask.pss_mib | pct) end)] | row] | join("\n"))
  end;

def metrics_cost:
  if . == null then missing("metrics") elif .error then errored else
  "`/predict` with the tutorial's 10-row body, the same \(.mode) binary with WORKERS=\(.workers) and `METRICS=true` or `false`, " +
  "alternating in every round (\(.runs) rounds, warm-up \(.warmup_seconds) s, wrk \(.seconds_per_run) s at \(.connections) connections, " +
  "medians; \(.cpus) CPUs, wrk on the same cores), model \(.model). Issue 18 allows at most 3 % fewer requests/s with metrics.\n" +
  "Load before: \(.load_before | load); after: \(.load_after | load).\n\n" +
  "| METRICS | requests/s (runs) | p50 | p99 | server CPU per request | errors / requests |\n| --- | --- | --- | --- | --- | --- |\n" +
  ([.variants[] | [.metrics, "\(.rps | r(0)) (\(.rps_runs | map(r(0) | tostring) | join(", ")))", "\(.p50_ms | r(2)) ms", "\(.p99_ms | r(2)) ms",
     (if .cpu_us_per_request then "\(.cpu_us_per_request | r(1)) µs" else "–" end), "\(.errors) / \(.requests)"] | row] | join("\n")) +
  "\n\nWith metrics: \(.rps_ratio | pct) of the requests/s without (" +
  (if .rps_ratio < 1 then "\((1 - .rps_ratio) * 100 | r(1)) % fewer" else "\((.rps_ratio - 1) * 100 | r(1)) % more: within this run's noise" end) + ")" +
  (if .cpu_ratio then "; the server's CPU time per request (user and system, all its processes, over each measured run) " +
     "with metrics is \(.cpu_ratio | pct) of that without" else "" end) + "."
  end;

def image:
  if . == null then missing("image") elif .error then errored else
  "Built as the pipeline builds it (`docker build -f ops/Dockerfile --build-arg BASE_IMAGE=\(.base)` of the published folder, " +
  "symbols moved out), per publish mode. Start: `docker run` (WORKERS=\(.workers), model \(.model) mounted) to the first successful " +
  "`/predict`, \(.starts) starts per mode, alternating, median. Memory: after \(.load_seconds) s of wrk at 32 connections on the last start, " +
  "summed over the container's processes. Load: \(.load | load).\n\n" +
  "| publish mode | image | own layers (image − base) | published folder | docker run → first /predict (runs) | PSS after load | RSS after load |\n" +
  "| --- | --- | --- | --- | --- | --- | --- |\n" +
  ([.images[] | [.mode, (.size_bytes | bytes), (.own_bytes | bytes), (.published_bytes | bytes),
     "\(.first_predict_ms.median) ms (\(.first_predict_ms.runs | map(tostring) | join(", ")); failed: \(.first_predict_ms.failed))",
     (.memory_after_load.pss_mib // null | if . == null then "–" else "\(.) MiB" end),
     (.memory_after_load.rss_mib // null | if . == null then "–" else "\(.) MiB" end)] | row] | join("\n")) +
  "\n\nBase image: \(.base_size_bytes | bytes). For scale, `docker run --rm` of the base image running `/bin/true`: \(.docker_run_true_ms.median) ms (median).\n\n" +
  ([.images[] | "Own layers of `\(.mode)`: " + ([.own_layers[] | "`\(.created_by)` \(.size | bytes)"] | join("; "))] | join("\n\n"))
  end;

def limit:
  if . == null then missing("limit") elif .error then errored else
  "The `\(.publish_mode)` image under `docker run --memory=LIMIT --memory-swap=LIMIT`, LIMIT = \(.formula) (deploy.memoryLimit, docs/deploy.md), " +
  "for \(.seconds) s: wrk at 32 connections with the tutorial's body, and at the same time one connection per worker posting the " +
  "largest body accepted (10,000 rows in 10 MiB, bench/make-large-body.py). Peak: the container's memory cgroup (page cache included). " +
  "Load before: \(.load_before | load); after: \(.load_after | load).\n\n" +
  "| WORKERS | limit | peak | OOM kills | workers exited | 10-row requests/s, p99, errors | 10 MiB requests, p99, errors |\n" +
  "| --- | --- | --- | --- | --- | --- | --- |\n" +
  ([.cases[] | [.workers, .limit, "\(.peak_mib) MiB", .oom_kills, .workers_exited,
     "\(.small.rps | r(0)), \(.small.p99_ms | r(1)) ms, \(.small.errors) / \(.small.requests)",
     "\(.large.requests), \(.large.p99_ms | r(0)) ms, \(.large.errors)"] | row] | join("\n"))
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
  def rows(name): map(. as $run | .clients[] | [name, $run.run, .client, .requests, .failed, "\(.longest_gap_ms) ms", "\($run.deploy_seconds) s"] | row) | join("\n");
  if . == null then missing("redeploy") elif .error then errored elif .measured | not then "_not measured: \(.reason) (exit \(.exit_code))_" else
  (if .reused_from then "Reused, not re-run here: the figures of the tests' last run (\(.reused_from), written \(.written_at))."
   else "Test exit code \(.test_exit_code)." end) as $how |
  "\(.method). \($how) Load after: \(.load_after | load).\n\n" +
  "| release | run | client | requests | failed | longest gap between answers | deploy took |\n| --- | --- | --- | --- | --- | --- | --- |\n" +
  (.runs | rows("usual")) + (if .slow_ready_runs then "\n" + (.slow_ready_runs | rows("slow to become ready (model 3 s late)")) else "" end)
  end;

# The headline: the image's configuration (native AOT, WORKERS=4) against the Flask app, from the same run.
def comparison:
  (.service.servers // []) as $servers | flask_of($servers) as $flask |
  ($servers | map(select(.server == "aot:4"))[0]) as $ours |
  (.image.images // [] | map(select(.mode == "aot"))[0]) as $image |
  if $flask == null or $ours == null then "_needs the service part with the servers flask and aot:4 (`bench/run.sh service`)._" else
  ($flask | at(32)) as $f | ($ours | at(32)) as $o |
  "From the service part's run (same rounds, alternating; load before \(.service.load_before | load), after \(.service.load_after | load)), " +
  "300-tree model, tutorial's 10-row body, 32 connections; the image's figures from the image part.\n\n" +
  "| figure | Flask, `gunicorn -w 4` (measured) | ours, native AOT, WORKERS=4 | ratio | target (issue 14) |\n| --- | --- | --- | --- | --- |\n" +
  "| requests/s | \($f.rps | r(0)) | \($o.rps | r(0)) | \($o.rps / $f.rps | r(0))× | ≥ 100× |\n" +
  "| p99 latency | \($f.p99_ms | r(1)) ms | \($o.p99_ms | r(2)) ms | \($f.p99_ms / $o.p99_ms | r(0))× lower | ≤ 5 ms |\n" +
  "| start → first /predict (host) | \($flask.startup_ms | r(0)) ms | \($ours.startup_ms | r(0)) ms | \($flask.startup_ms / $ours.startup_ms | r(1))× faster | |\n" +
  "| `docker run` → first /predict (image) | – | \($image.first_predict_ms.median // "–") ms | | ≤ 500 ms |\n" +
  "| memory after load, all processes (PSS) | \($flask.pss_mib | r(1)) MiB | \($ours.pss_mib | r(1)) MiB | \($ours.pss_mib / $flask.pss_mib | pct) | ≤ 150 MiB |\n" +
  "| memory after load, all processes (RSS summed) | \($flask.rss_mib | r(1)) MiB | \($ours.rss_mib | r(1)) MiB | \($ours.rss_mib / $flask.rss_mib | pct) | |\n" +
  "| the image's own layers | – | \($image.own_bytes // null | bytes) | | ≤ 30 MB |"
  end;

# The README's "How fast", one line per claim, each from this results file.
def claims:
  (.service.servers // []) as $servers | flask_of($servers) as $flask |
  ($servers | map(select(.server == "aot:4"))[0]) as $ours |
  (.image.images // [] | map(select(.mode == "aot"))[0]) as $image |
  [ (if $flask and $ours then "- Throughput: \(($ours | at(32)).rps / ($flask | at(32)).rps | r(0))× the Flask app's requests/s (native AOT, WORKERS=4, 32 connections, 300 trees, 10 rows); p99 \(($ours | at(32)).p99_ms | r(1)) ms against Flask's \(($flask | at(32)).p99_ms | r(0)) ms." else empty end),
    ($servers | map(select(.server == "aot:1"))[0]) as $one |
    (if $one then "- More workers: " + ([$servers[] | select(.server | test("^aot:(2|4|auto)$")) | "WORKERS=\(.server | split(":")[1]) \((at(32)).rps / ($one | at(32)).rps | pct)"] | join(", ")) + " of one process's requests/s at 32 connections." else empty end),
    (if $flask and $ours then "- Memory after load, all processes together (PSS): \($ours.pss_mib | r(1)) MiB for the master and 4 workers, Flask's 5 processes \($flask.pss_mib | r(1)) MiB (\($ours.pss_mib / $flask.pss_mib | pct))." else empty end),
    (if $flask and $ours then "- Start to first answer on the host: \($ours.startup_ms | r(0)) ms, Flask \($flask.startup_ms | r(0)) ms." else empty end),
    (if $image then "- The image: `docker run` to the first answer \($image.first_predict_ms.median) ms; own layers \($image.own_bytes | bytes) on the base image." else empty end),
    (if .evaluator and (.evaluator.error | not) then "- Evaluator: " + ([.evaluator.results[] | "\(.model) \(.size) \(.times_faster | r(1))×"] | join(", ")) + " native LightGBM's speed." else "- Evaluator against native LightGBM: from the evaluator part (not in this results file)." end)
  ] | join("\n");

"Results file: `bench/results/\(.date).json` (machine: \(.machine.cpu), \(.machine.cores) cores, \(.machine.memory), " +
"\(.machine.os), kernel \(.machine.kernel), .NET SDK \(.machine.dotnet), \(.machine.wrk)).\n\n" +
"### Against the tutorial's Flask app\n\n" + comparison +
"\n\n### What the README claims, one line each\n\n" + claims +
"\n\n### Model evaluation: our evaluator vs native LightGBM 4.7.0\n\n" + (.evaluator | evaluator) + (.evaluator // {} | attempt_note) +
"\n\n### The service under load, against the Flask app\n\n" + (.service | service) + (.service // {} | attempt_note) +
"\n\n### What the metrics cost\n\n" + (.metrics | metrics_cost) + (.metrics // {} | attempt_note) +
"\n\n### The image\n\n" + (.image | image) + (.image // {} | attempt_note) +
"\n\n### Under the memory limit\n\n" + (.limit | limit) + (.limit // {} | attempt_note) +
"\n\n### The pipeline\n\n" + (.pipeline | pipeline) + (.pipeline // {} | attempt_note) +
([to_entries[] | select(.key | startswith("pipeline@")) | "\n\n#### Target `\(.key[9:])` alone\n\n" + (.value | pipeline)] | join("")) +
"\n\n### Redeploy under load\n\n" + (.redeploy | redeploy) + (.redeploy // {} | attempt_note) + "\n"
