-- sse-gateway replay script: one consistent snapshot of several topics' histories, so that an
-- event is either in the snapshot or published after it (and then delivered live).
--
-- KEYS[1] sse:seq, KEYS[2] sse:epoch, KEYS[3..] sse:history:<topic>
-- ARGV[1] age bound in milliseconds; ARGV[2..] for each history key, the seq to read after
-- Returns {epoch or '', head seq, per topic: {trimmedUpTo, seq1, frame1, time1, seq2, ...}}
-- trimmedUpTo is the highest seq this topic no longer holds (deleted, trimmed or expired).
local epoch = redis.call('GET', KEYS[2]) or ''
local head = tonumber(redis.call('GET', KEYS[1]) or '0')
local time = redis.call('TIME')
local cutoff = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) - tonumber(ARGV[1])
local out = {epoch, head}
for i = 3, #KEYS do
  local after = tonumber(ARGV[i - 1])
  local trimmed = 0
  local topic = {0}
  if redis.call('EXISTS', KEYS[i]) == 1 then
    local info = redis.call('XINFO', 'STREAM', KEYS[i])
    for j = 1, #info, 2 do
      if info[j] == 'max-deleted-entry-id' then
        trimmed = tonumber(string.match(info[j + 1], '^(%d+)-')) or 0
      end
    end
    for _, entry in ipairs(redis.call('XRANGE', KEYS[i], '(' .. after .. '-0', '+')) do
      local seq = tonumber(string.match(entry[1], '^(%d+)-'))
      local fields = entry[2]
      if tonumber(fields[4]) < cutoff then
        if seq > trimmed then
          trimmed = seq
        end
      else
        table.insert(topic, seq)
        table.insert(topic, fields[2])
        table.insert(topic, tonumber(fields[4]))
      end
    end
  end
  topic[1] = trimmed
  table.insert(out, topic)
end
return out
