-- wrk script for bench/transactions.sh: POST /api/v1/orders as the buyers of one tenant, with the
-- headers the gateway would set. Arguments: <data file> <mode> <run id>. The data file has lines
-- "tenant <id>", "buyer <id>" and "product <id>". Every order is for one or two distinct random
-- products, one or two of each, by a random buyer, under an Idempotency-Key of its own (the run
-- id keeps keys apart across runs). done() prints one machine-readable line, with the statuses.
local tenant
local buyers, products = {}, {}
local mode, run
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local kind, id = line:match("^(%S+) (%S+)$")
    if kind == "tenant" then tenant = id
    elseif kind == "buyer" then buyers[#buyers + 1] = id
    elseif kind == "product" then products[#products + 1] = id end
  end
  mode, run = args[2], args[3]
  thread_id = id or 0
  math.randomseed(os.time() + thread_id)
end

function request()
  counter = counter + 1
  local buyer = buyers[math.random(#buyers)]
  local first = math.random(#products)
  local items = string.format('{"productId":"%s","quantity":%d}', products[first], math.random(2))
  if math.random(2) == 2 and #products > 1 then
    local second = first % #products + 1
    items = items .. string.format(',{"productId":"%s","quantity":%d}', products[second], math.random(2))
  end
  local body = string.format('{"mode":"%s","items":[%s]}', mode, items)
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-Tenant-ID"] = tenant,
    ["X-User-ID"] = buyer,
    ["X-User-Roles"] = "user",
    ["Idempotency-Key"] = string.format("bench-%s-%d-%d", run, thread_id, counter),
  }
  return wrk.format("POST", "/api/v1/orders", headers, body)
end

-- counted in globals "status_<code>": done() can read numbers from the threads, not tables
function response(status, headers, body)
  local name = "status_" .. status
  _G[name] = (_G[name] or 0) + 1
  if status >= 300 and not printed then
    printed = true
    io.stderr:write("first non-2xx answer: " .. status .. " " .. body .. "\n")
  end
end

function done(summary, latency, requests)
  local by_status = {}
  for code = 100, 599 do
    local n = 0
    for _, thread in ipairs(threads) do n = n + (thread:get("status_" .. code) or 0) end
    if n > 0 then by_status[#by_status + 1] = code .. ":" .. n end
  end
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d "
      .. "connect_errors=%d read_errors=%d write_errors=%d status_errors=%d timeouts=%d statuses=%s\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout, table.concat(by_status, ",")))
end
