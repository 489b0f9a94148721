/**
 * Lua for applying a campaign's inbox in few round trips: the step that writes an event also takes the
 * campaign's lock and reads what applying the inbox needs first, and the step that saves a transition
 * (APPLY_TRANSITION) reads what comes next and lets go of the lock when nothing does.
 */

/**
 * `readNext(campaign, answers, inbox, effects, keptVersion, keptLength)`: how many effects wait to be
 * relayed, the inbox's first entry, and the campaign with the answers that entry names. The document
 * travels only when it is not the one the caller keeps (same version and same stored length); answers
 * only for events that name theirs, found as inbox.ts's `answersFor` finds them (the caller checks the
 * ids, so this is a guess it never has to trust).
 * Returns {effects} (inbox empty), {effects, head} (the campaign not read: the caller loads it), or
 * {effects, head, version, doc or false (the caller's), answer ids, their JSON or false each}.
 */
export const READ_NEXT = `
local function answerIdsOf(head)
  local ok, entry = pcall(cjson.decode, head)
  if not ok or type(entry) ~= 'table' or type(entry.event) ~= 'table' then return nil end
  local event = entry.event
  local kind = event.type
  if kind == 'answer-added' then
    if type(event.answer) == 'table' and type(event.answer.id) == 'string' then return { event.answer.id } end
  elseif kind == 'answer-edited' or kind == 'answer-removed' or kind == 'reaction' then
    if type(event.answerId) == 'string' then return { event.answerId } end
  elseif kind == 'post-recorded' then
    return {}
  end
  return nil
end
local function readNext(campaignKey, answersKey, inboxKey, effectsKey, keptVersion, keptLength)
  local effects = redis.call('LLEN', effectsKey)
  local head = redis.call('LINDEX', inboxKey, 0)
  if not head then return { effects } end
  local version = redis.call('HGET', campaignKey, 'version')
  local ids = version and answerIdsOf(head)
  if not ids then return { effects, head } end
  local doc = false
  if version ~= keptVersion or redis.call('HSTRLEN', campaignKey, 'doc') ~= tonumber(keptLength) then
    doc = redis.call('HGET', campaignKey, 'doc')
    if not doc then return { effects, head } end
  end
  local values = {}
  if #ids > 0 then values = redis.call('HMGET', answersKey, unpack(ids)) end
  return { effects, head, version, doc, ids, values }
end
`;

/**
 * Writes events to a campaign's inbox, then takes its lock (or finds it held with this token already)
 * and reads what applying the inbox needs first (READ_NEXT), in one step. Returns false, the entries
 * written all the same, when another holder has the lock: it applies them.
 * KEYS: inbox list, lock, effects list, campaign hash, answers hash, and with entries on one Redis
 * (never on a cluster, where it lives in another slot) the set of pending campaigns, marked in the
 * same step as the entries are written (see inbox-write.ts for why the mark matters).
 * ARGV: [1] lock token, [2] its TTL (ms), [3] the version of the document the caller keeps ('' for
 * none), [4] its stored length, [5] the campaign id, then the entries (JSON), in order.
 */
export const TAKE_INBOX = `${READ_NEXT}
if KEYS[6] and #ARGV > 5 then redis.call('SADD', KEYS[6], ARGV[5]) end
for i = 6, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  if not redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then return false end
end
return readNext(KEYS[4], KEYS[5], KEYS[1], KEYS[3], ARGV[3], ARGV[4])
`;
