-- Stops each wrk thread after WRK_MAX_REQUESTS requests (0 = no limit), so a run is
-- bounded in count as well as in time. The request itself is built once.
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
