/**
 * Saves a campaign if its stored version is the expected one, writing only the answers that changed.
 * KEYS: campaign hash, answers hash. ARGV: expected version, doc JSON, total answer count, then
 * (answer id, answer JSON, history length) triples. Returns the new version, or an error reply.
 */
export const SAVE_CAMPAIGN = `
local stored = redis.call('HGET', KEYS[1], 'version')
if not stored then return redis.error_reply('NOCAMPAIGN') end
if tonumber(stored) ~= tonumber(ARGV[1]) then return redis.error_reply('VERSION ' .. stored) end
if redis.call('HLEN', KEYS[2]) > tonumber(ARGV[3]) then return redis.error_reply('LOSTANSWER') end
for i = 4, #ARGV, 3 do
  local old = redis.call('HGET', KEYS[2], ARGV[i])
  if old then
    local previous = cjson.decode(old)
    if #previous.history > tonumber(ARGV[i + 2]) then return redis.error_reply('HISTORY ' .. ARGV[i]) end
  end
end
for i = 4, #ARGV, 3 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
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
