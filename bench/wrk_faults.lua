-- wrk over a mix of paths (WRK_PATHS, comma-separated), each thread starting at its own
-- place in the mix, counting every response by wall-clock second and status, and the
-- 503s that carry Retry-After, for bench/faults.py to read. At the end it prints:
--   faults-count <unix second> <status> <n>
--   faults-retry-after <unix second> <n>       (503 answers with a Retry-After header)
--   faults-errors <connect> <read> <write> <timeout>
--   faults-latency-us <p50> <p95> <p99>
local paths = {}
for path in string.gmatch(os.getenv("WRK_PATHS") or "/", "[^,]+") do
  table.insert(paths, path)
end

local threads = {}
local created = 0

function setup(thread)
  thread:set("offset", created)
  created = created + 1
  table.insert(threads, thread)
end

-- Per thread (each has its own Lua state); read back by done() through thread:get.
counts = {}
retry_after = {}
local prepared = {}
local next_index = nil

function request()
  if next_index == nil then
    next_index = (offset or 0) % #paths + 1
    for index, path in ipairs(paths) do
      prepared[index] = wrk.format("GET", path)
    end
  end
  local made = prepared[next_index]
  next_index = next_index % #paths + 1
  return made
end

function response(status, headers, body)
  local second = os.time()
  local key = second .. " " .. status
  counts[key] = (counts[key] or 0) + 1
  if status == 503 and (headers["Retry-After"] or headers["retry-after"]) then
    retry_after[second] = (retry_after[second] or 0) + 1
  end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("counts")) do
      io.write(string.format("faults-count %s %d\n", key, n))
    end
    for second, n in pairs(thread:get("retry_after")) do
      io.write(string.format("faults-retry-after %d %d\n", second, n))
    end
  end
  local errors = summary.errors
  io.write(string.format("faults-errors %d %d %d %d\n",
    errors.connect, errors.read, errors.write, errors.timeout))
  io.write(string.format("faults-latency-us %d %d %d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
