-- wrk script for bench/gateway.sh. The one argument is a file of bearer tokens, one a line (one
-- per simulated user); every request is a GET of the URL's path with the next token, so direct,
-- nginx and gateway runs send byte-for-byte the same requests. Requests are built once, up front,
-- so wrk spends its CPU on sockets, not on Lua. done() prints one machine-readable line.
local requests = {}
local count = 0
local next_request = 1

function init(args)
  for token in io.lines(args[1]) do
    if #token > 0 then
      requests[#requests + 1] = wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. token }, nil)
    end
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
