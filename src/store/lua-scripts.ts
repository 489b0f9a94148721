import { READ_NEXT } from './inbox-scripts.js';

/**
 * How long an applied entry's result is kept for whoever waits on it: a caller waits 8 s at most
 * (engine.ts), so a minute is ample, and an idle campaign keeps none.
 */
const RESULT_TTL_S = 60;

/**
 * Lua helpers for the answer counts kept with a campaign (the `counts` and `people` hashes, see
 * keys.ts), so `status` reads them instead of every answer. `counted(json)` is the answer when it
 * counts, nil when it does not (none, or removed), false when its JSON cannot be read (then the counts
 * are dropped, and rebuilt from the answers the next time they are asked for).
 */
const COUNTING = `
local function counted(json)
  if not json then return nil end
  local ok, a = pcall(cjson.decode, json)
  if not ok or type(a) ~= 'table' or type(a.blockId) ~= 'string' or type(a.author) ~= 'table'
    or type(a.author.id) ~= 'string' then return false end
  if a.removedAt ~= nil and a.removedAt ~= cjson.null and a.removedAt ~= '' then return nil end
  return a
end
local function bump(key, field, by)
  if redis.call('HINCRBY', key, field, by) <= 0 then redis.call('HDEL', key, field) end
end
local function tally(countsKey, peopleKey, a, by)
  bump(countsKey, a.blockId, by)
  bump(peopleKey, a.author.id, by)
end
`;

/**
 * Creates a campaign unless its id exists: its document, first answers and their counts, in one step.
 * The set of ids and the channel's pointers are written after, by the caller: they live in other hash
 * slots, and a script may only touch one on a Redis Cluster.
 * KEYS: campaign hash, answers hash, counts hash, people hash. ARGV: doc JSON, then (answer id, answer
 * JSON) pairs.
 */
export const CREATE_CAMPAIGN = `${COUNTING}
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('EXISTS') end
redis.call('HSET', KEYS[1], 'doc', ARGV[1], 'version', 1)
local readable = true
for i = 2, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  local a = counted(ARGV[i + 1])
  if a == false then readable = false elseif a then tally(KEYS[3], KEYS[4], a, 1) end
end
if readable then redis.call('HSET', KEYS[1], 'counted', 1) else redis.call('DEL', KEYS[3], KEYS[4]) end
return 1
`;

/**
 * Keeps the answer counts of a campaign stored before they were kept, or whose counts were dropped:
 * written only if the campaign is still at the version they were counted at (every change of an answer
 * changes the version), so they are never counts of other answers.
 * KEYS: campaign hash, counts hash, people hash. ARGV: [1] version, [2] n, then n (block id, count)
 * pairs, then (author id, count) pairs.
 */
export const FILL_COUNTS = `
if tonumber(redis.call('HGET', KEYS[1], 'version')) ~= tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[2], KEYS[3])
local n = tonumber(ARGV[2])
for i = 3, 2 + 2 * n, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
for i = 3 + 2 * n, #ARGV, 2 do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
redis.call('HSET', KEYS[1], 'counted', 1)
return 1
`;

/**
 * `headIs(list, id)`: whether an inbox's first entry is the one with this id. An entry stored before
 * entries were made well-formed may hold a lone UTF-16 surrogate cjson cannot read: it is still known
 * by the id it starts with (entryJson writes the id first), so it can be applied or set aside.
 */
const HEAD_IS = `
local function headIs(list, id)
  local head = redis.call('LINDEX', list, 0)
  if not head then return false end
  local ok, entry = pcall(cjson.decode, head)
  if ok then return type(entry) == 'table' and entry.id == id end
  local start = '{"id":"' .. id .. '"'
  return string.sub(head, 1, #start) == start
end
`;

/**
 * Applies one transition atomically: the campaign's changed parts, its posts and effects, and the inbox
 * entry it consumed, with that entry's result for whoever waits on it. A crash leaves either nothing
 * or all of it.
 * The answer counts follow the changed answers (when the campaign has them: see COUNTING).
 * KEYS: campaign hash, answers hash, inbox list, results hash, effects list, posts list, counts hash,
 * people hash, lock.
 * ARGV: [1] expected version, [2] doc JSON ('' when unchanged), [3] inbox entry id ('' for none),
 * [4] result JSON, [5] effects entry JSON ('' for none), [6] n, [7] m, [8] the applier's lock token
 * ('' for none), [9] the stored length of the document it keeps, then n (answer id, answer JSON)
 * pairs of changed answers, then m ids of answers to delete, then post items (JSON), in order.
 * Answers are deleted only when named (a member took them back: `forget-me`), never by omission. A
 * changed answer's edit history must be the stored one plus new entries, and its text may not change
 * without a new entry. Returns the campaign's version after; with a lock token, {version, what comes
 * next (READ_NEXT)}, and a third element 1 when the lock was let go: nothing left in the inbox and
 * nothing to relay, so the applier has nothing more to do (a writer after this takes the lock).
 */
export const APPLY_TRANSITION = `${COUNTING}${HEAD_IS}${READ_NEXT}
local stored = redis.call('HGET', KEYS[1], 'version')
if not stored then return redis.error_reply('NOCAMPAIGN') end
if tonumber(stored) ~= tonumber(ARGV[1]) then return redis.error_reply('VERSION ' .. stored) end
if ARGV[3] ~= '' and not headIs(KEYS[3], ARGV[3]) then return redis.error_reply('NOTHEAD') end
local n, m = tonumber(ARGV[6]), tonumber(ARGV[7])
local first, last = 10, 9 + 2 * n
local purgeLast = last + m
local olds = {}
for i = first, last, 2 do
  local old = redis.call('HGET', KEYS[2], ARGV[i])
  olds[i] = old
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
local changed = ARGV[2] ~= '' or n > 0 or m > 0 or ARGV[5] ~= '' or #ARGV > purgeLast
for i = first, last, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
-- Answers a member took back (forget-me): deleted, their counts taken off with them.
local purged = {}
for i = last + 1, purgeLast do
  purged[i] = redis.call('HGET', KEYS[2], ARGV[i])
  redis.call('HDEL', KEYS[2], ARGV[i])
end
if (n > 0 or m > 0) and redis.call('HEXISTS', KEYS[1], 'counted') == 1 then
  local unreadable = false
  for i = first, last, 2 do
    local before, after = counted(olds[i]), counted(ARGV[i + 1])
    if before == false or after == false then unreadable = true break end
    -- An edit or a reaction leaves the counts as they are.
    if not (before and after and before.blockId == after.blockId and before.author.id == after.author.id) then
      if before then tally(KEYS[7], KEYS[8], before, -1) end
      if after then tally(KEYS[7], KEYS[8], after, 1) end
    end
  end
  for i = last + 1, purgeLast do
    if unreadable then break end
    local before = counted(purged[i])
    if before == false then unreadable = true elseif before then tally(KEYS[7], KEYS[8], before, -1) end
  end
  if unreadable then
    redis.call('HDEL', KEYS[1], 'counted')
    redis.call('DEL', KEYS[7], KEYS[8])
  end
end
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'doc', ARGV[2]) end
local version = tonumber(stored)
if changed then
  version = version + 1
  redis.call('HSET', KEYS[1], 'version', version)
end
for i = purgeLast + 1, #ARGV do redis.call('RPUSH', KEYS[6], ARGV[i]) end
if ARGV[5] ~= '' then redis.call('RPUSH', KEYS[5], ARGV[5]) end
if ARGV[3] ~= '' then
  redis.call('LPOP', KEYS[3])
  redis.call('HSET', KEYS[4], ARGV[3], ARGV[4])
  redis.call('EXPIRE', KEYS[4], ${RESULT_TTL_S})
end
if ARGV[8] == '' then return version end
local after = readNext(KEYS[1], KEYS[2], KEYS[3], KEYS[5], tostring(version), ARGV[9])
if after[1] == 0 and not after[2] and redis.call('GET', KEYS[9]) == ARGV[8] then
  redis.call('DEL', KEYS[9])
  return { version, after, 1 }
end
return { version, after }
`;

/**
 * Takes the inbox's head entry out when it cannot be applied, keeping it with the error.
 * KEYS: inbox list, dead list, results hash. ARGV: entry id, dead record JSON, result JSON.
 */
export const BURY_ENTRY = `${HEAD_IS}if not headIs(KEYS[1], ARGV[1]) then return 0 end
redis.call('LPOP', KEYS[1])
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
redis.call('EXPIRE', KEYS[3], ${RESULT_TTL_S})
return 1
`;

/**
 * Takes the inbox's head entry out when its campaign is gone (purged after its retention): nothing
 * can ever apply it, and a dead record would bring back a key of a campaign that no longer exists.
 * KEYS: inbox list, results hash. ARGV: entry id, result JSON.
 */
export const DISCARD_ENTRY = `${HEAD_IS}if not headIs(KEYS[1], ARGV[1]) then return 0 end
redis.call('LPOP', KEYS[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ${RESULT_TTL_S})
return 1
`;

/** Removes the head of a list only when it is still the given value (a relayed or posted item). */
export const POP_IF_HEAD = `
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then redis.call('LPOP', KEYS[1]) return 1 end
return 0
`;

/**
 * Ends a pass of the outbox over a campaign's posts: writes the ref of the last post made (whose record
 * waited for this step) and takes the posts made off the head of the list, with their tries, while
 * they are still there in that order.
 * KEYS: posts list, tries hash, records hash. ARGV: [1] the records' TTL (s), [2] the last post's
 * record field ('' for none), [3] its ref, [4] n, then n items (JSON) and their n dedupe keys.
 * Returns how many were taken off.
 */
export const FINISH_POSTS = `
if ARGV[2] ~= '' then
  redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
  redis.call('EXPIRE', KEYS[3], ARGV[1])
end
local n = tonumber(ARGV[4])
local done = 0
for i = 1, n do
  if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[4 + i] then break end
  redis.call('LPOP', KEYS[1])
  redis.call('HDEL', KEYS[2], ARGV[4 + n + i])
  done = done + 1
end
return done
`;

/**
 * Moves a post given up on from the head of the posts list to the failed list, with the error.
 * KEYS: posts list, failed list, tries hash. ARGV: item JSON, failure record JSON, dedupe key.
 */
export const GIVE_UP_POST = `
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return 0 end
redis.call('LPOP', KEYS[1])
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('HDEL', KEYS[3], ARGV[3])
return 1
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

/**
 * Records a post's first try in the campaign's records hash, unless one is recorded; returns the
 * earlier try's time, or nil for a first try (looking too at the key an older version kept it under).
 * With it, the ref of the post made just before (written now rather than in a round trip of its own).
 * KEYS: records hash, the older version's intent key. ARGV: field, time, TTL (seconds) of the hash,
 * then optionally the previous post's record field and ref.
 */
export const MARK_INTENT = `
if ARGV[4] then redis.call('HSET', KEYS[1], ARGV[4], ARGV[5]) end
local fresh = redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
if fresh == 1 then return redis.call('GET', KEYS[2]) end
return redis.call('HGET', KEYS[1], ARGV[1])
`;

/**
 * What a command reads of a campaign, in one step: its document and version, whether its counts are
 * kept, the counts per block, how many people answered, and its failed posts (how many, the last).
 * The document comes back as nil when it is the one the caller keeps (same version and stored length,
 * as READ_NEXT checks it).
 * KEYS: campaign hash, counts hash, people hash, failed posts list. ARGV: the version of the document
 * the caller keeps ('' for none), its stored length. Returns nil for no campaign.
 */
export const READ_COUNTED = `
local stored = redis.call('HMGET', KEYS[1], 'doc', 'version', 'counted')
if not stored[1] or not stored[2] then return nil end
local doc = stored[1]
if stored[2] == ARGV[1] and #doc == tonumber(ARGV[2]) then doc = false end
return {
  doc, stored[2], stored[3] and 1 or 0,
  redis.call('HGETALL', KEYS[2]), redis.call('HLEN', KEYS[3]),
  redis.call('LLEN', KEYS[4]), redis.call('LINDEX', KEYS[4], -1)
}
`;
