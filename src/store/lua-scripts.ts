/**
 * Creates a campaign unless its id exists: document, answers, the set of ids and the channel's
 * active and latest campaign, all in one step (a crash half-way would leave an id no one can reuse).
 * KEYS: campaign hash, answers hash, ids set, channel active, channel latest.
 * ARGV: campaign id, doc JSON, then (answer id, answer JSON) pairs.
 */
export const CREATE_CAMPAIGN = `
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('EXISTS') end
redis.call('HSET', KEYS[1], 'doc', ARGV[2], 'version', 1)
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('SET', KEYS[4], ARGV[1])
redis.call('SET', KEYS[5], ARGV[1])
return 1
`;

/**
 * Saves a campaign if its stored version is the expected one, writing only the answers passed.
 * KEYS: campaign hash, answers hash.
 * ARGV: expected version, doc JSON, n, the n ids of every answer the campaign holds, then
 * (answer id, answer JSON) pairs of the answers that changed.
 * Refuses (error reply, nothing written) when a stored answer is missing from the n ids, or when a
 * changed answer's edit history is not the stored one plus new entries, or its text changed with no
 * new history entry. Returns the new version.
 */
export const SAVE_CAMPAIGN = `
local stored = redis.call('HGET', KEYS[1], 'version')
if not stored then return redis.error_reply('NOCAMPAIGN') end
if tonumber(stored) ~= tonumber(ARGV[1]) then return redis.error_reply('VERSION ' .. stored) end
local n = tonumber(ARGV[3])
local kept = {}
for i = 4, 3 + n do kept[ARGV[i]] = true end
for _, id in ipairs(redis.call('HKEYS', KEYS[2])) do
  if not kept[id] then return redis.error_reply('LOSTANSWER ' .. id) end
end
local first = 4 + n
for i = first, #ARGV, 2 do
  local old = redis.call('HGET', KEYS[2], ARGV[i])
  if old then
    -- An answer cjson cannot read (a lone UTF-16 surrogate) is saved unchecked rather than stuck.
    local okOld, previous = pcall(cjson.decode, old)
    local okNew, incoming = pcall(cjson.decode, ARGV[i + 1])
    if okOld and okNew then
      local before, after = previous.history or {}, incoming.history or {}
      if #after < #before then return redis.error_reply('HISTORY ' .. ARGV[i]) end
      for h = 1, #before do
        if before[h].text ~= after[h].text or before[h].at ~= after[h].at then
          return redis.error_reply('HISTORY ' .. ARGV[i])
        end
      end
      if previous.text ~= incoming.text and #after == #before then
        return redis.error_reply('HISTORY ' .. ARGV[i])
      end
    end
  end
end
for i = first, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
local version = tonumber(stored) + 1
redis.call('HSET', KEYS[1], 'doc', ARGV[2], 'version', version)
return version
`;

/** Deletes the lock only if it still holds our token. */
export const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** Extends the lock only if it still holds our token. */
export const RENEW_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** Clears the channel's active campaign only if it is still the given one. */
export const CLEAR_IF_EQUAL = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
