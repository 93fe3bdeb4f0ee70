import { luaScript } from './commands.js';

// Registry: one Redis set per time bucket (bucketMs wide) holds the ids added during it, and
// expires ttlMs after the bucket ends, so every id lives at least ttlMs (at most ttlMs +
// bucketMs). A set member costs about 96 bytes against about 148 for a key per id with its own
// TTL (see the README). Buckets are computed from the Redis server's clock, the one clock all
// instances share. KEYS[1] is the bucket key prefix; ARGV: id, bucketMs, ttlMs.
const serverNowMs = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

export const registryAddScript = luaScript(`${serverNowMs}
local bucketMs = tonumber(ARGV[2])
local bucket = math.floor(now / bucketMs)
local key = KEYS[1] .. bucket
redis.call('SADD', key, ARGV[1])
redis.call('PEXPIREAT', key, (bucket + 1) * bucketMs + tonumber(ARGV[3]))
return 1`);

export const registryHasScript = luaScript(`${serverNowMs}
local bucketMs = tonumber(ARGV[2])
local newest = math.floor(now / bucketMs)
local oldest = math.floor((now - tonumber(ARGV[3])) / bucketMs)
for bucket = newest, oldest, -1 do
  if redis.call('SISMEMBER', KEYS[1] .. bucket, ARGV[1]) == 1 then return 1 end
end
return 0`);

// Spend: one hash per time bucket of a key and window (bucketMs wide, aligned on the epoch),
// holding the bucket's sums (`s:usd`, `s:unknown`) and each id counted in it (`i:<id>` -> amount,
// '' for unknown), so that a second record of an id replaces its amount. Times come from the
// Redis server's clock (TIME), the one clock all instances share: the atMs an instance passes is
// not used. Every call touches at most 61 buckets (the window's, newest first), whatever the
// number of ids in them. KEYS[1] is the key's bucket prefix; the bucket index (a decimal
// integer) ends each bucket's name. A bucket expires windowMs after it ends.
const bucketName = `local function bucketName(index) return KEYS[1] .. string.format('%.0f', index) end`;

// ARGV: id, amount ('' for unknown), windowMs, bucketMs.
export const spendRecordScript = luaScript(`${serverNowMs}
${bucketName}
local windowMs = tonumber(ARGV[3])
local bucketMs = tonumber(ARGV[4])
local newest = math.floor(now / bucketMs)
local oldest = math.floor((now - windowMs) / bucketMs)
local field = 'i:' .. ARGV[1]
local home = newest
local previous = false
for index = newest, oldest, -1 do
  local held = redis.pcall('HGET', bucketName(index), field)
  if type(held) == 'string' then
    home = index
    previous = held
    break
  end
end
local key = bucketName(home)
-- a key of another type under our name (not written by this package) is replaced
local kind = redis.call('TYPE', key)['ok']
if kind ~= 'hash' and kind ~= 'none' then redis.call('DEL', key) end
if previous ~= false then
  if previous == '' then
    redis.call('HINCRBY', key, 's:unknown', -1)
  else
    redis.call('HINCRBYFLOAT', key, 's:usd', string.format('%.17g', -tonumber(previous)))
  end
end
if ARGV[2] == '' then
  redis.call('HINCRBY', key, 's:unknown', 1)
else
  redis.call('HINCRBYFLOAT', key, 's:usd', ARGV[2])
end
redis.call('HSET', key, field, ARGV[2])
redis.call('PEXPIREAT', key, (home + 1) * bucketMs + windowMs)
return 1`);

// ARGV: windowMs, bucketMs. Answers the server's time (ms), then for each non-empty bucket
// overlapping the window, oldest first: its index, USD sum and unknown count (strings).
export const spendBucketsScript = luaScript(`${serverNowMs}
${bucketName}
local windowMs = tonumber(ARGV[1])
local bucketMs = tonumber(ARGV[2])
local newest = math.floor(now / bucketMs)
local oldest = math.floor((now - windowMs) / bucketMs)
local answer = { now }
for index = oldest, newest do
  local sums = redis.pcall('HMGET', bucketName(index), 's:usd', 's:unknown')
  if type(sums) == 'table' and sums.err == nil and (sums[1] or sums[2]) then
    answer[#answer + 1] = string.format('%.0f', index)
    answer[#answer + 1] = sums[1] or '0'
    answer[#answer + 1] = sums[2] or '0'
  end
end
return answer`);

// Cache read with a size bound: a value over ARGV[1] bytes is never sent back (nor parsed), and
// a key of another type is not an error. Answers the value, nil for none, or { reason, size }.
export const cacheGetScript = luaScript(`local kind = redis.call('TYPE', KEYS[1])['ok']
if kind == 'none' then return false end
if kind ~= 'string' then return { 'wrongtype', 0 } end
local size = redis.call('STRLEN', KEYS[1])
if size > tonumber(ARGV[1]) then return { 'too_large', size } end
return redis.call('GET', KEYS[1])`);

// Lookup claims: KEYS[1] is the id's claim key, ARGV[1] this store's token. Claiming succeeds
// when the key is free (SET NX PX ARGV[2]) or already holds this token (it is renewed); a
// release deletes the key only while it holds this token, never another instance's claim.
export const claimScript = luaScript(`local held = redis.call('GET', KEYS[1])
if held == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if held == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`);

export const releaseScript = luaScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`);
