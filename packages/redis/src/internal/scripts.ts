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

// Spend: a sorted set (score atMs, member id) and a hash (id -> amount, '' for unknown), changed
// together by one script. A known id keeps its atMs and gets the new amount. Entries at or before
// atMs - windowMs are trimmed (in chunks, under Lua's unpack limit); both keys expire windowMs
// after the last record. KEYS: sorted set, hash; ARGV: id, amount, atMs, windowMs.
export const spendRecordScript = luaScript(`if redis.call('ZSCORE', KEYS[1], ARGV[1]) == false then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
local cutoff = tonumber(ARGV[3]) - tonumber(ARGV[4])
while true do
  local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', cutoff, 'LIMIT', 0, 500)
  if #old == 0 then break end
  redis.call('ZREM', KEYS[1], unpack(old))
  redis.call('HDEL', KEYS[2], unpack(old))
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 1`);

// KEYS: sorted set, hash; ARGV: cutoff (exclusive). Answers id, atMs, amount triples, oldest first.
export const spendEntriesScript =
  luaScript(`local rows = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'WITHSCORES')
local answer = {}
for i = 1, #rows, 2 do
  local amount = redis.call('HGET', KEYS[2], rows[i])
  answer[#answer + 1] = rows[i]
  answer[#answer + 1] = rows[i + 1]
  answer[#answer + 1] = amount or ''
end
return answer`);

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
