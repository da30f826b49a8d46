-- sse-gateway publish script: the one way events enter Redis, from the gateway and from any
-- service in any language (redis-cli --eval, EVALSHA). Atomic: assigns the id, encodes the SSE
-- frame once, stores it in the topic's bounded history and publishes it live, so history and
-- live delivery can never disagree.
--
-- KEYS[1] sse:seq             the id counter
-- KEYS[2] sse:epoch           names this life of the counter (set here when missing)
-- KEYS[3] sse:history:<topic> stream of frames; entry id <seq>-0, fields f (frame) and t (ms)
-- KEYS[4] sse:live:<topic>    pub/sub channel
-- KEYS[5] sse:seq-by-time      sorted set: a few seqs by publish time (score ms), at most one a
--                              second, kept for two history ages: tells a replay which seqs an
--                              expired history key may have held
-- KEYS[6] sse:seq-mark         short-lived key that limits KEYS[5] to one entry a second
-- KEYS[7] sse:idempotency:<topic>:<key>  used only when ARGV[6] is not empty
-- ARGV[1] event type, '' for the default ("message")
-- ARGV[2] data (UTF-8; CR, LF and CRLF each start a new data: line)
-- ARGV[3] history bound: most events kept per topic
-- ARGV[4] history bound: age in milliseconds
-- ARGV[5] epoch to use if this Redis has none yet ([0-9a-z]{1,16})
-- ARGV[6] the publisher's idempotency key, or '': an event already published to this topic with
--         the same key (within the history age) is not published again; its id is returned
-- Returns {epoch, seq, publishedAtMillis, 1 if this is that earlier event else 0}; the event id
-- is epoch .. '-' .. seq.
if string.find(ARGV[1], '[^A-Za-z0-9._:%-]') then
  return redis.error_reply('ERR invalid event type')
end
if not string.match(ARGV[5], '^[0-9a-z]+$') or #ARGV[5] > 16 then
  return redis.error_reply('ERR epoch candidate must be 1-16 characters of [0-9a-z]')
end
local epoch = redis.call('GET', KEYS[2])
if not epoch then
  epoch = ARGV[5]
  redis.call('SET', KEYS[2], epoch)
end
if ARGV[6] ~= '' then
  local earlier = redis.call('GET', KEYS[7])
  if earlier then
    local s, t = string.match(earlier, '^(%d+) (%d+)$')
    return {epoch, tonumber(s), tonumber(t), 1}
  end
end
local seq = redis.call('INCR', KEYS[1])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local data = string.gsub(ARGV[2], '\r\n', '\n')
data = string.gsub(data, '\r', '\n')
local frame = 'id: ' .. epoch .. '-' .. seq .. '\n'
if ARGV[1] ~= '' then
  frame = frame .. 'event: ' .. ARGV[1] .. '\n'
end
frame = frame .. 'data: ' .. string.gsub(data, '\n', '\ndata: ') .. '\n\n'

redis.call('XADD', KEYS[3], seq .. '-0', 'f', frame, 't', now)
-- Both bounds delete from the front with XDEL, not MAXLEN trimming: XDEL records the highest id
-- it removed in the stream's max-deleted-entry-id, which is how a replay knows it has a gap.
local excess = redis.call('XLEN', KEYS[3]) - tonumber(ARGV[3])
if excess > 0 then
  for _, entry in ipairs(redis.call('XRANGE', KEYS[3], '-', '+', 'COUNT', excess)) do
    redis.call('XDEL', KEYS[3], entry[1])
  end
end
-- Age bound: expired entries, a few per publish.
local cutoff = now - tonumber(ARGV[4])
for _ = 1, 16 do
  local first = redis.call('XRANGE', KEYS[3], '-', '+', 'COUNT', 1)
  if #first == 0 or tonumber(first[1][2][4]) >= cutoff then
    break
  end
  redis.call('XDEL', KEYS[3], first[1][1])
end
-- The whole key expires once its newest entry is past the age bound, so one-off topics leave
-- nothing behind; counter and epoch never expire.
redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[4]))
if redis.call('SET', KEYS[6], seq, 'PX', 1000, 'NX') then
  redis.call('ZADD', KEYS[5], now, seq)
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - 2 * tonumber(ARGV[4]))
end
if ARGV[6] ~= '' then
  redis.call('SET', KEYS[7], seq .. ' ' .. now, 'PX', tonumber(ARGV[4]))
end
redis.call('PUBLISH', KEYS[4], epoch .. ' ' .. seq .. ' ' .. now .. '\n' .. frame)
return {epoch, seq, now, 0}
