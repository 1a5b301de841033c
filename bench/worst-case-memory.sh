#!/usr/bin/env bash
# Memory of the service under its worst-case requests (src/PurchasePredict.Api/README.md, "Memory per request"):
#   bench/worst-case-memory.sh [WORKERS] [CONCURRENT_PER_WORKER] [ROUNDS]      (default 4 4 3; PORT=18397 unless set)
# Publishes the API (Release, framework-dependent) into a temporary folder, starts it with WORKERS on PORT
# with the demo model, sends ROUNDS rounds of WORKERS x CONCURRENT_PER_WORKER concurrent worst-case bodies (the
# tutorial client's JSON string holding 10,000 row labels of the longest accepted, indexed; every one is a 400 after
# being parsed whole), and prints each process's resident memory (MB) idle, after each round, its peak (VmHWM), and
# 1, 3 and 10 s after the last answer. Exits 1 if any answer is not a 400 or a process died. The service reads its
# other settings from the environment, e.g. `MAX_LARGE_REQUESTS=4 bench/worst-case-memory.sh`.
set -euo pipefail
workers="${1:-4}" per_worker="${2:-4}" rounds="${3:-3}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${PORT:-18397}"
tmp="$(mktemp -d)"
master=0
trap 'kill "$master" 2>/dev/null || true; rm -rf "$tmp"' EXIT

dotnet publish "$root/src/PurchasePredict.Api" -c Release -o "$tmp/publish" -v quiet -nologo >"$tmp/publish.log" 2>&1 \
  || { cat "$tmp/publish.log" >&2; exit 1; }

# The body: {"product_id": {label: 1, ...}, "price": {the labels reversed: 2.5}, "extra": {9,000 of them: 0}} as a JSON string.
awk 'BEGIN {
  pad = sprintf("%251s", ""); gsub(/ /, "x", pad)
  for (i = 0; i < 10000; i++) label[i] = sprintf("%05d%s", i, pad)
  printf "\"{"
  printf "\\\"product_id\\\":{"; for (i = 0; i < 10000; i++) printf "%s\\\"%s\\\":1", (i ? "," : ""), label[i]; printf "},"
  printf "\\\"price\\\":{"; for (i = 9999; i >= 0; i--) printf "%s\\\"%s\\\":2.5", (i < 9999 ? "," : ""), label[i]; printf "},"
  printf "\\\"extra\\\":{"; for (i = 0; i < 9000; i++) printf "%s\\\"%s\\\":0", (i ? "," : ""), label[i]; printf "}"
  printf "}\""
}' >"$tmp/body.json"

WORKERS="$workers" PORT="$port" MODEL_URI="$root/models/demo/model.txt" dotnet "$tmp/publish/purchase_predict_api.dll" >"$tmp/service.log" 2>&1 &
master=$!
for _ in $(seq 300); do curl -sf "127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.2; done
sleep 2
pids="$master $(pgrep -P "$master" | tr '\n' ' ')"
memory() { for p in $pids; do awk -v p="$p" -v f="$1:" '$1 == f { printf "%s:%d ", p, $2 / 1024 }' "/proc/$p/status" 2>/dev/null || printf '%s:dead ' "$p"; done; }

echo "body $(stat -c %s "$tmp/body.json") bytes; WORKERS=$workers; $rounds rounds of $((workers * per_worker)) concurrent; pid:MB (master first)"
echo "idle:  $(memory VmRSS)"
failed=0
for round in $(seq "$rounds"); do
  clients=()
  for _ in $(seq $((workers * per_worker))); do
    curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' --data-binary "@$tmp/body.json" "127.0.0.1:$port/predict" >>"$tmp/statuses" &
    clients+=($!)
  done
  wait "${clients[@]}"
  echo "round $round: $(memory VmRSS)"
done
echo "peak:  $(memory VmHWM)"
elapsed=0
for at in 1 3 10; do sleep $((at - elapsed)); elapsed=$at; echo "+${at}s:   $(memory VmRSS)"; done
echo "answers: $(sort "$tmp/statuses" | uniq -c | tr -s ' ' | tr '\n' ' ')"
grep -qv '^400$' "$tmp/statuses" && failed=1
for p in $pids; do [ -d "/proc/$p" ] || failed=1; done
exit "$failed"
