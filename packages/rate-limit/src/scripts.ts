/**
 * Lua twins of gcra.ts, run atomically by Redis: read the TAT, decide, write, in one step, so
 * concurrent requests (on any number of gateway or service instances) cannot both take the last
 * slot. Time comes from the Redis server (one clock for all instances) unless a test passes it.
 *
 * KEYS[1] the key; ARGV: period ms, limit, cost, now ms (optional, tests only).
 */
const CLOCK = `
local now
if ARGV[4] and ARGV[4] ~= '' then
  now = tonumber(ARGV[4])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end
local period = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local interval = period / limit
local stored = tonumber(redis.call('GET', KEYS[1]))
`;

/** Returns {allowed 0|1, remaining, retryAfterMs, resetAfterMs} (numbers as strings: Redis truncates Lua numbers). */
export const CONSUME_SCRIPT = `${CLOCK}
local tat = now
if stored and stored > now then tat = stored end
local new_tat = tat + interval * cost
local allow_at = new_tat - period
if now < allow_at then
  local remaining = math.max(0, math.floor((period - (tat - now)) / interval + 1e-6))
  return {0, remaining, tostring(allow_at - now), tostring(tat - now)}
end
local remaining = math.max(0, math.floor((period - (new_tat - now)) / interval + 1e-6))
redis.call('SET', KEYS[1], string.format('%.3f', new_tat), 'PX', math.max(1, math.ceil(new_tat - now)))
return {1, remaining, '0', tostring(new_tat - now)}
`;

export const REFUND_SCRIPT = `${CLOCK}
if not stored then return 0 end
local tat = stored - interval * cost
if tat <= now then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.max(1, math.ceil(tat - now)))
end
return 1
`;
