#!/usr/bin/env bash
# Failed requests while the worker host replaces workers, measured with wrk (which, unlike HttpClient,
# never retries). Runs the test app with WORKERS=2 on 127.0.0.1 for 10 s at 32 connections while:
#   none    nothing happens (baseline)
#   hup     SIGHUP every 2 s (4 graceful reloads of both workers)
#   maxreq  MAX_REQUESTS=3000, MAX_REQUESTS_JITTER=500 (continuous recycling)
#   kill9   kill -9 of one worker after 3 s
# and MODE keepalive (wrk's default) or close (`Connection: close`: every request is a new connection).
# Usage: tests/PurchasePredict.Workers.TestApp/measure-failures.sh SCENARIO MODE   (after `dotnet build`)
# Prints wrk's summary: "Socket errors" and "Non-2xx" lines appear only when a request failed.
set -euo pipefail
scenario=$1 mode=$2
here=$(cd "$(dirname "$0")" && pwd)
app=${APP_DLL:-$here/bin/Debug/net10.0/PurchasePredict.Workers.TestApp.dll}
port=$((20000 + RANDOM % 10000))
log=$(mktemp) out=$(mktemp)
extra=()
[ "$scenario" = maxreq ] && extra=(MAX_REQUESTS=3000 MAX_REQUESTS_JITTER=500)
env WORKERS=2 PORT=$port "${extra[@]}" dotnet "$app" >"$log" 2>&1 &
master=$!
trap 'kill -TERM $master 2>/dev/null || true; rm -f "$log" "$out"' EXIT
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
header=()
[ "$mode" = close ] && header=(-H "Connection: close")
wrk -t2 -c32 -d10s --timeout 10s "${header[@]}" "http://127.0.0.1:$port/pid" >"$out" &
load=$!
case $scenario in
  hup) for _ in 1 2 3 4; do sleep 2; kill -HUP $master; done ;;
  kill9) sleep 3; kill -9 "$(grep -o '"Event":"worker_ready","Pid":[0-9]*' "$log" | head -1 | grep -o '[0-9]*$')" ;;
esac
wait $load
{ kill -TERM $master && wait $master; } || true
echo "== $scenario $mode: $(grep -cE '"Event":"worker_(reloaded|recycled)"' "$log" || true) graceful replacements, $(grep -c '"Event":"worker_started"' "$log") workers started"
grep -E "requests in|Socket errors|Non-2xx|Requests/sec" "$out"
