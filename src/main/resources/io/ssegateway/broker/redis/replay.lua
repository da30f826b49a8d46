-- sse-gateway replay script: one consistent snapshot of several topics' histories, so that an
-- event is either in the snapshot or published after it (and then delivered live).
--
-- KEYS[1] sse:seq, KEYS[2] sse:epoch, KEYS[3] sse:seq-by-time, KEYS[4..] sse:history:<topic>
-- ARGV[1] age bound in milliseconds
-- ARGV[2] page budget in bytes of frames per topic; 0 reads everything
-- ARGV[3..] for each history key, the seq to read after
-- Returns {epoch or '', head seq, per topic: {trimmedUpTo, horizon, seq1, frame1, time1, seq2, ...}}
-- trimmedUpTo is the highest seq this topic no longer holds (deleted, trimmed or expired).
-- horizon is 0 if the topic's entries after the requested seq are all returned; otherwise the
-- seq of the last one returned (the budget stopped the read; the caller pages on from there).
local epoch = redis.call('GET', KEYS[2]) or ''
local head = tonumber(redis.call('GET', KEYS[1]) or '0')
local time = redis.call('TIME')
local cutoff = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) - tonumber(ARGV[1])
local budget = tonumber(ARGV[2])
-- A history key that does not exist may have expired: everything it held was published before
-- the age cutoff, so its seqs are at most the first seq marked after the cutoff (or the head).
local expiredUpTo = head
-- Seqs published before the cutoff are below that first mark (it was published after them).
local publishedBeforeCutoff = head
local mark = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. cutoff, '+inf', 'LIMIT', 0, 1)
if #mark > 0 then
  expiredUpTo = tonumber(mark[1])
  publishedBeforeCutoff = expiredUpTo - 1
end
local out = {epoch, head}
for i = 4, #KEYS do
  local after = tonumber(ARGV[i - 1])
  local trimmed = expiredUpTo
  local horizon = 0
  local topic = {0, 0}
  if redis.call('EXISTS', KEYS[i]) == 1 then
    trimmed = 0
    local info = redis.call('XINFO', 'STREAM', KEYS[i])
    local first = nil
    for j = 1, #info, 2 do
      if info[j] == 'max-deleted-entry-id' then
        trimmed = tonumber(string.match(info[j + 1], '^(%d+)-')) or 0
      elseif info[j] == 'first-entry' and info[j + 1] then
        first = tonumber(string.match(info[j + 1][1], '^(%d+)-'))
      end
    end
    -- The key may be younger than the topic: an earlier key expired whole (taking its
    -- max-deleted-entry-id with it) and a later publish made this one. Seqs before this key's
    -- first entry that were published before the cutoff may have been the topic's.
    if first and math.min(publishedBeforeCutoff, first - 1) > trimmed then
      trimmed = math.min(publishedBeforeCutoff, first - 1)
    end
    local bytes = 0
    local from = '(' .. after .. '-0'
    local done = false
    while not done do
      local entries
      if budget > 0 then
        entries = redis.call('XRANGE', KEYS[i], from, '+', 'COUNT', 16)
      else
        entries = redis.call('XRANGE', KEYS[i], from, '+')
      end
      if #entries == 0 then
        break
      end
      for _, entry in ipairs(entries) do
        local seq = tonumber(string.match(entry[1], '^(%d+)-'))
        local fields = entry[2]
        from = '(' .. entry[1]
        if tonumber(fields[4]) < cutoff then
          if seq > trimmed then
            trimmed = seq
          end
        else
          table.insert(topic, seq)
          table.insert(topic, fields[2])
          table.insert(topic, tonumber(fields[4]))
          bytes = bytes + #fields[2]
          if budget > 0 and bytes >= budget then
            -- Stop here; whether more follows is known by one cheap look.
            if #redis.call('XRANGE', KEYS[i], from, '+', 'COUNT', 1) > 0 then
              horizon = seq
            end
            done = true
            break
          end
        end
      end
      if budget == 0 then
        break
      end
    end
  end
  topic[1] = trimmed
  topic[2] = horizon
  table.insert(out, topic)
end
return out
