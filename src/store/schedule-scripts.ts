/**
 * The sweeper's scripts over the schedule's keys (one hash tag, so one Redis Cluster slot). A run is
 * a member of `due` scored by when it is due; claiming moves it to `claimed`, scored by when its lease
 * runs out, as a token `<due ms>|<member>|<args>` that keeps the run it stands for. A token whose lease
 * ran out (its worker died) is claimed again, as it was.
 */

/**
 * Claims up to `limit` runs: leases run out first, then runs due by `now`, oldest first. Returns the
 * time of the next run or lease end (`''` when nothing is scheduled, or the batch is full), then the
 * tokens claimed.
 * KEYS: due zset, claimed zset, args hash. ARGV: now (ms), lease end (ms), limit.
 */
export const CLAIM_RUNS = `
local limit = tonumber(ARGV[3])
local out = {}
for _, token in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, limit)) do
  redis.call('ZADD', KEYS[2], ARGV[2], token)
  out[#out + 1] = token
end
if #out < limit then
  local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, limit - #out)
  for i = 1, #due, 2 do
    local member = due[i]
    local args = redis.call('HGET', KEYS[3], member)
    local token = due[i + 1] .. '|' .. member .. '|' .. (args or '')
    redis.call('ZREM', KEYS[1], member)
    if args then redis.call('HDEL', KEYS[3], member) end
    redis.call('ZADD', KEYS[2], ARGV[2], token)
    out[#out + 1] = token
  end
end
local nextAt = ''
if #out < limit then
  local d = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
  local c = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')[2]
  if d and c then nextAt = (tonumber(d) < tonumber(c)) and d or c else nextAt = d or c or '' end
end
table.insert(out, 1, nextAt)
return out
`;

/**
 * Ends a claim and, for a recurring run, schedules its next one, unless the run was scheduled anew
 * meanwhile (a changed cadence wins). Nothing happens when the claim is gone: the schedule was removed
 * meanwhile, or another worker took the run over and finishes it.
 * KEYS: due zset, claimed zset. ARGV: token, member, next due time (ms, or '' for none).
 */
export const COMPLETE_RUN = `
if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return 0 end
if ARGV[3] ~= '' then redis.call('ZADD', KEYS[1], 'NX', ARGV[3], ARGV[2]) end
return 1
`;

/**
 * Removes runs, with the claims in progress on them, so a run being made when its campaign ended is
 * not scheduled again. The claimed set holds only runs in progress: reading it whole stays cheap.
 * KEYS: due zset, claimed zset, args hash. ARGV: members.
 */
export const REMOVE_RUNS = `
redis.call('ZREM', KEYS[1], unpack(ARGV))
redis.call('HDEL', KEYS[3], unpack(ARGV))
local removed = 0
for _, token in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  for _, member in ipairs(ARGV) do
    if string.find(token, '|' .. member .. '|', 1, true) then
      redis.call('ZREM', KEYS[2], token)
      removed = removed + 1
      break
    end
  end
end
return removed
`;
