# Shared helpers of bench/run.sh and bench/parts/*.sh (sourced, not run). Logs go to stderr; parts print
# their figures as one JSON object on stdout.
# shellcheck shell=bash
# shellcheck disable=SC2034 # variables set here are read by the parts that source this file
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$root/bench/work"
bench_dll="$root/bench/PurchasePredict.Bench/bin/Release/net10.0/PurchasePredict.Bench.dll"
demo_body="$root/models/demo/request.json"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
now_ms() { date +%s%3N; }

# Median for jq programs (mean of the two middle values for an even count; null for none):
# prepend "$jq_median" to the program and use `map(...) | med`.
jq_median='def med: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;'

# The load averages right now, as JSON: the machine is shared, so every figure says what else ran.
load_json() { awk '{ printf "{\"at\":\"%s\",\"load1\":%s,\"load5\":%s,\"load15\":%s}", strftime("%Y-%m-%dT%H:%M:%S%z"), $1, $2, $3 }' /proc/loadavg; }

bench_build() {
  log "building bench/PurchasePredict.Bench (Release)"
  dotnet build "$root/bench/PurchasePredict.Bench" -c Release -v quiet -nologo >"$work/bench-build.log" 2>&1 \
    || die "build failed, see $work/bench-build.log"
}

# Path of a benchmark model (trained once, cached in bench/models/): numeric | categorical.
bench_model() { dotnet "$bench_dll" model "$1"; }

# Publishes the API in the pipeline's way for MODE (aot | ready-to-run | self-contained | trimmed) into
# bench/work/publish-MODE and prints the binary's path. Same flags as build/commands/DotNet.cs, except that
# warnings stay errors (the API's project keeps Google's trim and AOT warnings as warnings itself). Like the
# pipeline's Publish step (build/steps/PublishStep.cs), symbols (.pdb, .dbg) are moved out, to publish-MODE-symbols:
# the folder is then exactly the image's own layer.
publish_api() {
  local mode="$1" out="$work/publish-$1" flags
  case "$mode" in
    aot) flags=(-p:PublishAot=true); command -v clang >/dev/null || flags+=(-p:CppCompilerAndLinker=clang-14) ;;
    ready-to-run) flags=(--self-contained -p:PublishReadyToRun=true) ;;
    self-contained) flags=(--self-contained) ;;
    trimmed) flags=(--self-contained -p:PublishTrimmed=true) ;;
    *) die "unknown publish mode '$mode' (aot, ready-to-run, self-contained, trimmed)" ;;
  esac
  log "publishing src/PurchasePredict.Api ($mode) into $out"
  rm -rf "$out" "$out-symbols"
  dotnet publish "$root/src/PurchasePredict.Api" -c Release -r linux-x64 -o "$out" "${flags[@]}" -nologo \
    >"$work/publish-$mode.log" 2>&1 || die "dotnet publish failed, see $work/publish-$mode.log"
  mkdir -p "$out-symbols"
  find "$out" -maxdepth 1 \( -name '*.pdb' -o -name '*.dbg' \) -exec mv -t "$out-symbols" {} +
  echo "$out/purchase_predict_api"
}

# The pipeline's publish mode (ops/environments/sandbox.json), so the figures are those of what ships.
pipeline_publish_mode() { jq -r '.publishMode' "$root/ops/environments/sandbox.json"; }

# POSTs the body once; true on a 2xx answer.
predict_ok() {
  curl -sf -o /dev/null --max-time 5 -H 'Content-Type: application/json' --data-binary "@$2" "http://127.0.0.1:$1/predict"
}

# Waits until /predict answers 2xx on PORT (polling every 10 ms); prints the milliseconds since START_MS.
wait_for_predict() {
  local port="$1" body="$2" start="$3" limit_ms="${4:-60000}"
  until predict_ok "$port" "$body"; do
    (( $(now_ms) - start < limit_ms )) || return 1
    sleep 0.01
  done
  echo $(( $(now_ms) - start ))
}

# Starts the published binary in the background (stdout, the request log, to /dev/null as a container's
# would be consumed; stderr to a file). Sets api_pid.
start_api() {
  local binary="$1" model="$2" port="$3" workers="$4"
  MODEL_URI="$model" PORT="$port" WORKERS="$workers" "$binary" >/dev/null 2>"$work/api-$port.err" &
  api_pid=$!
}

# The tutorial's Flask app (bench/reference/app.py) under `gunicorn -w 4`, Debian's python3 and packages,
# native LightGBM from the NuGet package. Sets api_pid. gunicorn's access log is off, like ours goes to /dev/null.
start_flask() {
  local model="$1" port="$2"
  (cd "$root/bench/reference" && MODEL_FILE="$model" LIB_LIGHTGBM="$(native_lightgbm)" \
    exec /usr/bin/gunicorn -w 4 -b "127.0.0.1:$port" app:app) >/dev/null 2>"$work/api-$port.err" &
  api_pid=$!
}

# lib_lightgbm.so of the LightGBM NuGet package (restored by bench_build, through tools/PurchasePredict.NativeLightGbm).
native_lightgbm() {
  local packages
  packages="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')"
  local library="$packages/lightgbm/4.7.0/runtimes/linux-x64/native/lib_lightgbm.so"
  [ -f "$library" ] || die "no $library: restore the solution first (dotnet restore)"
  echo "$library"
}

# Debian's packages the Flask reference needs; bench/run.sh installs them when root, as the sandbox does.
flask_packages=(python3-flask gunicorn python3-pandas)
flask_missing() { for p in "${flask_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done; }

# Sum over the process tree of PID of a /proc field, in MiB: Pss (smaps_rollup: shared pages counted once over
# the processes that share them, so the sum is the memory the tree really holds), or VmRSS / VmHWM (status).
tree_memory_mib() {
  local pid="$1" field="$2" file=status
  [ "$field" = Pss ] && file=smaps_rollup
  for p in $(process_tree "$pid"); do awk -v f="$field:" '$1 == f { print $2 }' "/proc/$p/$file" 2>/dev/null; done \
    | awk '{ s += $1 } END { printf "%.1f", s / 1024 }'
}

# CPU time (user + system, in clock ticks) the process tree of PID has used so far: /proc/PID/stat fields 14 and 15.
# The command name (field 2) may hold spaces, so the fields are counted after its closing parenthesis.
tree_cpu_ticks() {
  for p in $(process_tree "$1"); do sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null; done | awk '{ s += $12 + $13 } END { print s + 0 }'
}

# SIGTERM to the binary (a master drains and stops its workers) and wait; SIGKILL after 40 s. Then any of its
# processes still there (workers of a killed master) are killed, so no run leaks into the next.
stop_api() {
  local pid="$1" tree
  tree="$(process_tree "$pid")"
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 400); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "process $pid ignored SIGTERM for 40 s: killing it"; kill -KILL "$pid"; fi
  wait "$pid" 2>/dev/null || true
  for left in $tree; do kill -KILL "$left" 2>/dev/null && log "killed leftover process $left of $pid"; done
  return 0
}

# A process and all its descendants, one pid per line.
process_tree() {
  echo "$1"
  local child
  for child in $(pgrep -P "$1"); do process_tree "$child"; done
}

# wrk against /predict: CONNECTIONS, SECONDS, BODY, PORT; prints predict.lua's JSON line.
run_wrk() {
  local connections="$1" seconds="$2" body="$3" port="$4" threads=$(( $1 < 2 ? 1 : 2 ))
  BENCH_BODY="$body" wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 5s -s "$root/bench/wrk/predict.lua" \
    "http://127.0.0.1:$port/predict" | grep '^{'
}

# The sandbox is shared: a pipeline run or a pipeline end-to-end test of someone else would collide with ours
# (VMs recreated under a running deploy, deploy locks). Waits up to BENCH_SANDBOX_WAIT seconds (default 300)
# for none to be running; fails naming them otherwise.
wait_for_idle_sandbox() {
  local deadline=$(( $(date +%s) + ${BENCH_SANDBOX_WAIT:-300} )) busy
  while busy="$(pgrep -af 'Cake.dll build/build.cake|PurchasePredict.Pipeline.Tests' | cut -c1-160)"; [ -n "$busy" ]; do
    (( $(date +%s) < deadline )) || die "the sandbox is busy (other pipeline runs or tests still running):"$'\n'"$busy"
    log "waiting for other pipeline runs on the sandbox to end: $(wc -l <<<"$busy") process(es)"
    sleep 10
  done
}

# The published binary of MODE in bench/work (bench/run.sh publishes every mode its parts use; a part run alone
# publishes what is missing).
published_binary() {
  local binary="$work/publish-$1/purchase_predict_api"
  [ -x "$binary" ] || binary="$(publish_api "$1")"
  echo "$binary"
}

# The shared sandbox's lock (COMMON.md), held until the calling script exits: parts that use the Docker engine
# hold it, so no SandboxDown or deploy of another checkout removes their images or containers under them.
hold_sandbox_lock() {
  exec 9>/tmp/pp-sandbox.lock
  log "waiting for the sandbox lock /tmp/pp-sandbox.lock (up to ${BENCH_SANDBOX_WAIT:-600} s)"
  flock -w "${BENCH_SANDBOX_WAIT:-600}" 9 || die "the sandbox lock /tmp/pp-sandbox.lock stayed taken for ${BENCH_SANDBOX_WAIT:-600} s"
}
