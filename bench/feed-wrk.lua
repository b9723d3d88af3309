-- wrk script for bench/feed.ts: a different signed-in viewer on every request (the same
-- deterministic sequence as the autocannon fallback), and a JSON summary on the last line.
local n = 0
local path = os.getenv("WRK_PATH") or "/newest"
local users = tonumber(os.getenv("WRK_USERS") or "100000")

request = function()
  n = (n + 7919) % users
  return wrk.format("GET", path .. "?viewer=" .. n)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"p50":%.3f,"p99":%.3f,"max":%.3f,"errors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout + e.status))
end
