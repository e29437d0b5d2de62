/**
 * The Lua scripts of the Redis store ({@link createRedisStore} in
 * `redis-store.ts`). Each runs atomically in Redis, so a check and the write
 * that depends on it cannot be split by another instance. Scripts take the
 * server's clock only through `PX`/`PEXPIRE`; the keys they are given are
 * described in `redis-store.ts`.
 *
 * @module
 */

/**
 * KEYS: seen key. ARGV: value (`-` without owner, `=owner` with one), ttl ms.
 * 1 when this is the first mark (or a mark by the same owner), 0 for a duplicate.
 */
export const markSeen = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if string.sub(ARGV[1], 1, 1) == '=' and redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
return 0`;

/**
 * KEYS: record hash, its index set, the set of index names.
 * ARGV: expected version, 'set' | 'del', JSON, ttl ms (0: none), the record's key, its index name, the record key prefix.
 * Writes `{ v: version + 1, d: JSON }` (or deletes) only if the version is still the expected one (0: absent).
 * Every write also drops up to two index members whose record expired, so an index never listed stays small.
 */
export const compareAndSet = `
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current ~= tonumber(ARGV[1]) then return 0 end
if ARGV[2] == 'del' then
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[2], ARGV[5])
  return 1
end
redis.call('HSET', KEYS[1], 'v', current + 1, 'd', ARGV[3])
if tonumber(ARGV[4]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) else redis.call('PERSIST', KEYS[1]) end
redis.call('SADD', KEYS[2], ARGV[5])
redis.call('SADD', KEYS[3], ARGV[6])
for _, member in ipairs(redis.call('SRANDMEMBER', KEYS[2], 2)) do
  if redis.call('EXISTS', ARGV[7] .. member) == 0 then redis.call('SREM', KEYS[2], member) end
end
return 1`;

/**
 * KEYS: an index set. ARGV: the record key prefix, the prefix the keys must start with.
 * Answers key, version, JSON, key, version, JSON, …; drops the members whose record expired.
 */
export const list = `
local found = {}
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if string.sub(member, 1, #ARGV[2]) == ARGV[2] then
    local record = redis.call('HMGET', ARGV[1] .. member, 'v', 'd')
    if record[1] then
      table.insert(found, member)
      table.insert(found, record[1])
      table.insert(found, record[2])
    else
      redis.call('SREM', KEYS[1], member)
    end
  end
end
return found`;

/**
 * KEYS: the agent's seq counter, its event stream, the idempotency key.
 * ARGV: event JSON, events kept, '1' when the idempotency key counts, the events channel, the agent id as JSON.
 * Answers the event's seq (the first one's, when the idempotency key was used before).
 */
export const appendEvent = `
if ARGV[3] == '1' then
  local earlier = redis.call('GET', KEYS[3])
  if earlier then return tonumber(earlier) end
end
local seq = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], seq .. '-0', 'e', ARGV[1])
if ARGV[3] == '1' then redis.call('SET', KEYS[3], seq, 'PX', 86400000) end
redis.call('PUBLISH', ARGV[4], '{"agentId":' .. ARGV[5] .. ',"seq":' .. seq .. ',"event":' .. ARGV[1] .. '}')
return seq`;

/**
 * KEYS: messages hash (id → JSON), order zset (id → place), status hash (id → status), unread zset (id → sentAt ms).
 * ARGV: id, JSON, status ('' none), 'in' for an inbound message or the sentAt score of an outbound one, messages kept.
 * A new id goes after the newest; a known id keeps its place. The oldest go when there are too many.
 */
export const putMessage = `
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
  redis.call('ZADD', KEYS[2], (tonumber(last[2]) or 0) + 1, ARGV[1])
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[3] == '' then redis.call('HDEL', KEYS[3], ARGV[1]) else redis.call('HSET', KEYS[3], ARGV[1], ARGV[3]) end
if ARGV[4] == 'in' or ARGV[3] == 'read' then redis.call('ZREM', KEYS[4], ARGV[1]) else redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1]) end
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if excess > 0 then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, excess - 1)) do
    redis.call('HDEL', KEYS[1], id)
    redis.call('HDEL', KEYS[3], id)
    redis.call('ZREM', KEYS[4], id)
  end
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1)
end
return 1`;

/**
 * KEYS: order zset, messages hash, status hash.
 * ARGV: 'from' | 'before' | 'all', the `from` or `before` id, limit (0: none).
 * Answers hasMore (1/0), then id, JSON, status ('' none) per message, oldest first.
 */
export const listMessages = `
local count = redis.call('ZCARD', KEYS[1])
local first, last = 0, count
if ARGV[1] == 'from' then
  first = redis.call('ZRANK', KEYS[1], ARGV[2]) or 0
else
  if ARGV[1] == 'before' then
    last = redis.call('ZRANK', KEYS[1], ARGV[2])
    if not last then return { 0 } end
  end
  local limit = tonumber(ARGV[3])
  if limit > 0 then first = math.max(0, last - limit) end
end
local result = { first > 0 and 1 or 0 }
if last > first then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[1], first, last - 1)) do
    table.insert(result, id)
    table.insert(result, redis.call('HGET', KEYS[2], id) or '')
    table.insert(result, redis.call('HGET', KEYS[3], id) or '')
  end
end
return result`;

/**
 * KEYS: status hash, unread zset (outbound messages not read yet, by sentAt ms).
 * ARGV: the new status, 'id' | 'before', the message id or the time (ms).
 * Statuses only move forward (sent → delivered → read); a read message leaves the unread set.
 */
export const applyStatus = `
local rank = { pending = 0, failed = 0, sent = 1, delivered = 2, read = 3 }
local ids
if ARGV[2] == 'id' then
  ids = redis.call('ZSCORE', KEYS[2], ARGV[3]) and { ARGV[3] } or {}
else
  ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[3])
end
local to = rank[ARGV[1]] or 0
for _, id in ipairs(ids) do
  local current = redis.call('HGET', KEYS[1], id) or 'pending'
  if to > (rank[current] or 0) then
    redis.call('HSET', KEYS[1], id, ARGV[1])
    if ARGV[1] == 'read' then redis.call('ZREM', KEYS[2], id) end
  end
end
return 1`;

/**
 * KEYS: the scheduled zset, its counter. ARGV: due time (ms), task.
 * Members are `<counter>:<task>`, so the same task can wait twice and ties keep their order.
 */
export const schedule = `
local n = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[1], ARGV[1], string.format('%015d', n) .. ':' .. ARGV[2])
return 1`;

/** KEYS: the scheduled zset. ARGV: now (ms). Takes and answers the members due, oldest first. */
export const due = `
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if #members > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1]) end
return members`;

/** KEYS: a lease or lock. ARGV: token, ttl ms. Takes it when free, or extends it when the token holds it: 1; else 0. */
export const acquire = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

/** KEYS: a lease or lock. ARGV: token, ttl ms. Extends it only while the token holds it: 1; else 0. */
export const renew = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

/** KEYS: a lease or lock. ARGV: token, a channel ('' none), a message. Deletes it only while the token holds it, then tells the channel. */
export const release = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  if ARGV[2] ~= '' then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
  return 1
end
return 0`;
