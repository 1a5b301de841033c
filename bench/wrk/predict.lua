-- wrk script for the service benchmark: POST the body in BENCH_BODY (a file: the tutorial's 10-row request)
-- and print one JSON line of figures at the end. Errors = wrk's socket errors (connect, read, write,
-- timeout) + responses with status >= 400 (wrk's "non-2xx or 3xx"; /predict never redirects).
local f = assert(io.open(assert(os.getenv("BENCH_BODY"), "BENCH_BODY is not set"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,' ..
    '"errors":%d,"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},"status_errors":%d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout + e.status, e.connect, e.read, e.write, e.timeout, e.status))
end
