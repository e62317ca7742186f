-- wrk script for node-load.sh: replays pre-signed inbox POSTs, each once, one file per wrk thread
-- (PREFIX-0.txt, PREFIX-1.txt, ... written by `chatonsfed-loadtest requests`), and counts the answers that
-- are not 2xx. Usage: wrk -t2 -c32 -d10s -s signed-posts.lua URL -- PREFIX
-- A thread that has sent all of its requests stops and sets "exhausted": the run is then too short to count.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local path = args[1] .. "-" .. id .. ".txt"
  local file = assert(io.open(path, "rb"))
  local data = file:read("*a")
  file:close()
  requests = {}
  local position = 1
  while true do
    local first, last = string.find(data, "\n#--\n", position, true)
    if not first then break end
    requests[#requests + 1] = string.sub(data, position, first - 1)
    position = last + 1
  end
  index = 0
  non2xx = 0
  exhausted = 0
  first_bad = ""
end

function request()
  index = index + 1
  if index > #requests then
    exhausted = 1
    wrk.thread:stop()
    index = #requests
  end
  return requests[index]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_bad == "" then first_bad = status .. " " .. string.sub(body or "", 1, 200) end
  end
end

function done(summary, latency, requests)
  local bad, exhausted_threads = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
    exhausted_threads = exhausted_threads + thread:get("exhausted")
    local first = thread:get("first_bad")
    if first ~= "" then io.write("first non-2xx answer: " .. first .. "\n") end
  end
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d rps=%.1f non2xx=%d socket_errors=%d exhausted_threads=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.requests / (summary.duration / 1e6), bad,
    errors.connect + errors.read + errors.write + errors.timeout, exhausted_threads,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000))
end
