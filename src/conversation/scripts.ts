/*
 * Lua scripts of the conversation store. Each changes a record and its index entries in one
 * atomic step. All keys share the pipeline's {hash tag}, so they work on Redis Cluster too.
 *
 * A record is a hash: `v` version (optimistic lock), `s` sealed Conversation, `m` summary JSON
 * (ids, codes, times), `k` JSON of its index keys ({ref, cur?, who?}).
 *
 * `<index>:open` counts the conversations that are not closed, per affiliate (for the metric):
 * each script moves a conversation's count when its status or affiliate changes.
 */

/** The affiliate a summary counts for, nil when closed or absent. */
const OPEN_OF = `
local function openOf(mj)
  if not mj then return nil end
  local m = cjson.decode(mj)
  if m.status == 'closed' then return nil end
  return m.affiliate
end
local function recount(openKey, before, after)
  if before == after then return end
  if before and redis.call('HINCRBY', openKey, before, -1) <= 0 then redis.call('HDEL', openKey, before) end
  if after then redis.call('HINCRBY', openKey, after, 1) end
end
`;

/**
 * KEYS: record, ref, index[, cur, who]
 * ARGV: id, sealed, summary, index keys JSON, expireAt (ms), pttl (ms)
 * Returns {0} stored; {1} the record exists (an earlier attempt); {2, id} the reader has a
 * current conversation; {3} the reference is taken.
 */
export const CREATE = `${OPEN_OF}
if redis.call('EXISTS', KEYS[1]) == 1 then return {1} end
if KEYS[4] then
  local cur = redis.call('GET', KEYS[4])
  if cur then return {2, cur} end
end
if redis.call('EXISTS', KEYS[2]) == 1 then return {3} end
redis.call('HSET', KEYS[1], 'v', '1', 's', ARGV[2], 'm', ARGV[3], 'k', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[6])
if KEYS[4] then
  redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[6])
  redis.call('SADD', KEYS[5], ARGV[1])
  if redis.call('PTTL', KEYS[5]) < tonumber(ARGV[6]) then redis.call('PEXPIRE', KEYS[5], ARGV[6]) end
end
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
recount(KEYS[3] .. ':open', nil, openOf(ARGV[3]))
return {0}
`;

/**
 * The conversation step's lookup and create in one round trip: the reader's current conversation
 * (under any key of the keyring) if there is one, else CREATE's store of a new record.
 * KEYS: record, ref, index, who, current-conversation pointers (current key first)
 * ARGV: id, sealed, summary, index keys JSON, expireAt (ms), pttl (ms), record key prefix
 * Returns {2, id, version, sealed} the reader's current conversation (version and sealed are
 * false when its record is gone); {1, version, sealed} the record exists (an earlier attempt);
 * {3} the reference is taken; {0} stored.
 */
export const CURRENT_OR_CREATE = `${OPEN_OF}
for i = 5, #KEYS do
  local cur = redis.call('GET', KEYS[i])
  if cur then
    local r = redis.call('HMGET', ARGV[7] .. cur, 'v', 's')
    return {2, cur, r[1], r[2]}
  end
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  local r = redis.call('HMGET', KEYS[1], 'v', 's')
  return {1, r[1], r[2]}
end
if redis.call('EXISTS', KEYS[2]) == 1 then return {3} end
redis.call('HSET', KEYS[1], 'v', '1', 's', ARGV[2], 'm', ARGV[3], 'k', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[6])
redis.call('SET', KEYS[5], ARGV[1], 'PX', ARGV[6])
redis.call('SADD', KEYS[4], ARGV[1])
if redis.call('PTTL', KEYS[4]) < tonumber(ARGV[6]) then redis.call('PEXPIRE', KEYS[4], ARGV[6]) end
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
recount(KEYS[3] .. ':open', nil, openOf(ARGV[3]))
return {0}
`;

/**
 * KEYS: record, index
 * ARGV: id, expected version, sealed, summary, expireAt, pttl, close ('1': free the reader's
 * current-conversation pointer)
 * Returns 1 saved, 0 version changed meanwhile, -1 record gone.
 */
export const UPDATE = `${OPEN_OF}
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return -1 end
if v ~= ARGV[2] then return 0 end
recount(KEYS[2] .. ':open', openOf(redis.call('HGET', KEYS[1], 'm')), openOf(ARGV[4]))
redis.call('HSET', KEYS[1], 'v', tostring(tonumber(v) + 1), 's', ARGV[3], 'm', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
local k = cjson.decode(redis.call('HGET', KEYS[1], 'k'))
if redis.call('GET', k.ref) == ARGV[1] then redis.call('PEXPIRE', k.ref, ARGV[6]) end
if k.cur and redis.call('GET', k.cur) == ARGV[1] then
  if ARGV[7] == '1' then redis.call('DEL', k.cur) else redis.call('PEXPIRE', k.cur, ARGV[6]) end
end
if k.who and redis.call('PTTL', k.who) < tonumber(ARGV[6]) then redis.call('PEXPIRE', k.who, ARGV[6]) end
for _, side in ipairs({KEYS[1] .. ':sends', KEYS[1] .. ':replies'}) do
  if redis.call('EXISTS', side) == 1 then redis.call('PEXPIRE', side, ARGV[6]) end
end
return 1
`;

/**
 * KEYS: record, index
 * ARGV: id
 * Removes the record, its side hashes (send ledger, claimed replies) and every index entry that
 * still points at it. Returns 1 when the record existed.
 */
export const DELETE = `${OPEN_OF}
local kj = redis.call('HGET', KEYS[1], 'k')
recount(KEYS[2] .. ':open', openOf(redis.call('HGET', KEYS[1], 'm')), nil)
if kj then
  local k = cjson.decode(kj)
  if redis.call('GET', k.ref) == ARGV[1] then redis.call('DEL', k.ref) end
  if k.cur and redis.call('GET', k.cur) == ARGV[1] then redis.call('DEL', k.cur) end
  if k.who then
    redis.call('SREM', k.who, ARGV[1])
    if redis.call('SCARD', k.who) == 0 then redis.call('DEL', k.who) end
  end
end
redis.call('DEL', KEYS[1], KEYS[1] .. ':sends', KEYS[1] .. ':replies')
redis.call('ZREM', KEYS[2], ARGV[1])
if kj then return 1 end
return 0
`;

/**
 * KEYS: record
 * ARGV: the sealed value read, the same record re-sealed under the current key
 * Replaces the sealed record only if it is still the one read (compare-and-set); the version is
 * kept, so an update in flight still applies. Returns 1 replaced, 0 changed or gone meanwhile.
 */
export const RESEAL = `
if redis.call('HGET', KEYS[1], 's') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 's', ARGV[2])
return 1
`;
