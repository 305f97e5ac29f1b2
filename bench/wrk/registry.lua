-- wrk script for bench/registry.sh. With arguments "<instances> <token>" every request is a
-- heartbeat, cycling through the benchmark's instances (i0..i<n-1>, in services fleet-0..fleet-99);
-- with none, a plain GET of the URL (the /ping reference). All requests are built once, up front,
-- so wrk spends its CPU on sockets, not on Lua. done() prints one machine-readable line.
local requests = {}
local count = 0
local next_request = 1

function init(args)
  local instances = tonumber(args[1] or "0")
  if instances > 0 then
    local headers = { ["Authorization"] = "Bearer " .. args[2], ["Content-Length"] = "0" }
    -- each wrk thread starts at its own offset so threads do not renew the same lease in step
    for i = 0, instances - 1 do
      local path = "/v1/services/fleet-" .. (i % 100) .. "/instances/i" .. i .. "/heartbeat"
      requests[#requests + 1] = wrk.format("PUT", path, headers, nil)
    end
  else
    requests[1] = wrk.format("GET", nil, nil, nil)
  end
  count = #requests
  next_request = math.random(count)
end

function request()
  local r = requests[next_request]
  next_request = next_request + 1
  if next_request > count then
    next_request = 1
  end
  return r
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d "
      .. "connect_errors=%d read_errors=%d write_errors=%d status_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
