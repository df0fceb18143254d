-- Stops each wrk thread after WRK_MAX_REQUESTS requests (0 = no limit), so a run is
-- bounded in count as well as in time. The request itself is built once.
-- At the end, prints the latency percentiles wrk's own summary leaves out (p95), in
-- microseconds, for bench/load.py to read.
local limit = tonumber(os.getenv("WRK_MAX_REQUESTS") or "0")
local sent = 0
local prepared = nil

request = function()
  if prepared == nil then
    prepared = wrk.format()
  end
  sent = sent + 1
  if limit > 0 and sent > limit then
    wrk.thread:stop()
  end
  return prepared
end

done = function(summary, latency, requests)
  io.write(string.format("bench-percentiles-us %d %d %d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
