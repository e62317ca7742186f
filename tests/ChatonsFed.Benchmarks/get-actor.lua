-- wrk script for node-load.sh and node-perf.sh: GET an actor as a fediverse server does, counting the answers
-- that are not the expected status: any 2xx by default; with an argument (wrk ... -- 304), exactly that status,
-- e.g. for conditional GETs sent with -H 'If-None-Match: "..."'.
wrk.headers["Accept"] = "application/activity+json"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  expected = tonumber(args[1])
end

function response(status, headers, body)
  if expected then
    if status ~= expected then non2xx = non2xx + 1 end
  elseif status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("non2xx") end
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d rps=%.1f non2xx=%d socket_errors=%d exhausted_threads=0 p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.requests / (summary.duration / 1e6), bad,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000))
end
