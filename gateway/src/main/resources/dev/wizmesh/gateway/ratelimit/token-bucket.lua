-- One rate-limit decision, atomically (Redis runs a script without interleaving other commands).
--
-- KEYS[1]  the bucket: a hash {tokens, ts} (tokens may be fractional; ts in microseconds)
-- ARGV[1]  capacity (tokens a full bucket holds)
-- ARGV[2]  refill rate, tokens per second
-- returns  {allowed (1 or 0), tokens left after this request (a decimal string)}
--
-- The clock is Redis's own TIME, in microseconds, so every gateway sharing this Redis refills the
-- bucket by the same clock however far apart their own clocks are, and a refill of 50 tokens a
-- second is smooth rather than 50 at each whole second. Same arithmetic as TokenBucket.take.

-- Before Redis 5, a script that writes after a non-deterministic command (TIME) must ask for
-- its effects to be replicated instead of the script; later versions always do that.
if redis.replicate_commands then redis.replicate_commands() end

local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])

local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  -- a bucket never seen, or expired because it had filled up: full
  tokens = capacity
  ts = now
end

local elapsed = math.max(0, now - ts)
tokens = math.min(capacity, tokens + elapsed * rate / 1000000)
ts = math.max(now, ts)

local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end

-- %.0f keeps all 16 digits of the microsecond time (Lua's tostring keeps only 14)
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', string.format('%.0f', ts))
-- once a bucket would have filled up its state is the same as none: let Redis forget it
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)

-- a Lua number would come back truncated to an integer: tokens go back as text
return {allowed, string.format('%.6f', tokens)}
