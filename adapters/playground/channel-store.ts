import {
  type ActionButton,
  type ChannelRef,
  globLiteral,
  isCluster,
  type PostKind,
  type QuestionParts,
  type RedisClient,
  type RoundParts,
  scanKeys,
} from '../../src/index.js';

/**
 * The playground's channel, kept in Redis so any process can serve the page or post to it:
 * an ordered list of top-level message ids per channel, a list of reply ids per thread, a hash per
 * message, file contents under their own key, and a pub/sub channel announcing every change.
 */

/**
 * Every key of the playground shares one hash tag: its scripts and transactions touch a message, its
 * thread and the channel's list at once, which a Redis Cluster allows within one slot only.
 */
export const PLAYGROUND_PREFIX = 'canevas:{playground}';
const PREFIX = PLAYGROUND_PREFIX;

/**
 * The pub/sub channel of live updates. Pub/sub spans a whole Redis server while keys live in one
 * database, so the channel is named after the database: two installs on one server stay apart (a
 * cluster has database 0 only).
 */
export function eventsChannel(redis: RedisClient): string {
  return `canevas:playground:events:${isCluster(redis) ? 0 : (redis.options.db ?? 0)}`;
}

export interface ChannelAuthor {
  id: string;
  name: string;
  bot?: boolean;
}

export interface FileMeta {
  name: string;
  contentType: string;
  size: number;
  /** Same-origin path of the download route. */
  url: string;
  /** A picture's text alternative. */
  alt?: string;
}

export interface ChannelMessage {
  id: string;
  author: ChannelAuthor;
  /** A bot post's kind, or 'message' for what a member wrote. */
  kind: PostKind | 'message';
  text: string;
  threadRef?: string;
  question?: QuestionParts;
  /** A workshop round's post: it carries the Remind-me button. */
  round?: RoundParts;
  /** The ids of the people the post mentions (a nudge to those who asked): the page highlights them. */
  mentions?: string[];
  file?: FileMeta;
  /** The core's buttons the post shows now (statements, stances, actions), after the adapter's own. */
  coreButtons?: ActionButton[];
  /**
   * Every core button or form id the post has carried, in the order it first did. The playground's
   * id for one is `core.<post id>.<index>` here: it fits a URL, and stays the same while the post is
   * edited with other buttons (a press on an outdated one reaches the core, which says why it is late).
   */
  coreIds?: string[];
  /** Who reacted with which emoji, in the order the emoji were first used: `{ "👍": ["chloe"] }`. */
  reactions: Record<string, string[]>;
  createdAt: string;
  updatedAt?: string;
}

export interface ChannelPost extends ChannelMessage {
  replies: ChannelMessage[];
}

export type PlaygroundEvent =
  | { type: 'posted' | 'updated' | 'deleted'; channel: string; id: string; thread?: string }
  | { type: 'reset'; channel: string };

export interface NewMessage {
  id: string;
  author: ChannelAuthor;
  kind: ChannelMessage['kind'];
  text: string;
  threadRef?: string;
  question?: QuestionParts;
  round?: RoundParts;
  mentions?: string[];
  file?: FileMeta;
  coreButtons?: ActionButton[];
  /** When set, a second append with the same key returns the first message's id instead. */
  dedupeKey?: string;
}

export type AppendResult =
  | { status: 'created'; id: string }
  | { status: 'duplicate'; id: string }
  | { status: 'unknown-thread' };

/** Raised when a thread reference names no top-level message of the channel. */
export class UnknownThreadError extends Error {
  constructor(readonly threadRef: string) {
    super(`no message ${threadRef} to reply to in this channel`);
    this.name = 'UnknownThreadError';
  }
}

export function channelKey(channel: ChannelRef): string {
  return `${encodeURIComponent(channel.workspace)}/${encodeURIComponent(channel.channel)}`;
}

const postsKey = (channel: ChannelRef) => `${PREFIX}:posts:${channelKey(channel)}`;
const threadKey = (id: string) => `${PREFIX}:thread:${id}`;
const messageKey = (id: string) => `${PREFIX}:msg:${id}`;
const dedupeKeyOf = (key: string) => `${PREFIX}:dedupe:${key}`;
const fileKey = (id: string) => `${PREFIX}:file:${id}`;

/** A new id, unique across processes and increasing, so it also sorts messages. */
export async function nextMessageId(redis: RedisClient): Promise<string> {
  const n = await redis.incr(`${PREFIX}:seq`);
  return `pg${n}`;
}

// One script so the duplicate check, the thread check and both writes happen together: a retried
// outbox job or a reply racing a reset can never leave a message half written.
const APPEND_SCRIPT = `
if ARGV[1] == '1' then
  local prev = redis.call('get', KEYS[3])
  if prev then return {'duplicate', prev} end
end
if ARGV[2] == '1' then
  if redis.call('exists', KEYS[4]) == 0 then return {'unknown-thread', ''} end
  if redis.call('hexists', KEYS[4], 'threadRef') == 1 then return {'unknown-thread', ''} end
  if redis.call('hget', KEYS[4], 'channel') ~= ARGV[3] then return {'unknown-thread', ''} end
end
redis.call('hset', KEYS[1], unpack(ARGV, 5))
redis.call('rpush', KEYS[2], ARGV[4])
if ARGV[1] == '1' then redis.call('set', KEYS[3], ARGV[4]) end
return {'created', ARGV[4]}
`;

/** Stores a message at the end of the channel, or of its thread when `threadRef` is set. */
export async function appendMessage(
  redis: RedisClient,
  channel: ChannelRef,
  message: NewMessage,
  now: Date = new Date(),
): Promise<AppendResult> {
  const fields: string[] = [
    'id',
    message.id,
    'channel',
    channelKey(channel),
    'author',
    JSON.stringify(message.author),
    'kind',
    message.kind,
    'text',
    message.text,
    'createdAt',
    now.toISOString(),
  ];
  if (message.threadRef) fields.push('threadRef', message.threadRef);
  if (message.question) fields.push('question', JSON.stringify(message.question));
  if (message.round) fields.push('round', JSON.stringify(message.round));
  if (message.mentions?.length) fields.push('mentions', JSON.stringify(message.mentions));
  if (message.file) fields.push('file', JSON.stringify(message.file));
  if (message.coreButtons?.length) {
    fields.push('coreButtons', JSON.stringify(message.coreButtons));
    fields.push('coreIds', JSON.stringify([...new Set(message.coreButtons.map((b) => b.id))]));
  }
  // Kept with the message too, so what a post's key made can be read from the message itself.
  if (message.dedupeKey) fields.push('dedupeKey', message.dedupeKey);
  const thread = message.threadRef;
  const [status, id] = (await redis.eval(
    APPEND_SCRIPT,
    4,
    messageKey(message.id),
    thread ? threadKey(thread) : postsKey(channel),
    dedupeKeyOf(message.dedupeKey ?? 'none'),
    messageKey(thread ?? 'none'),
    message.dedupeKey ? '1' : '0',
    thread ? '1' : '0',
    channelKey(channel),
    message.id,
    ...fields,
  )) as [string, string];
  if (status === 'unknown-thread') return { status };
  if (status === 'duplicate') return { status, id };
  await publishEvent(redis, { type: 'posted', channel: channelKey(channel), id: message.id, thread });
  return { status: 'created', id };
}

/** One message with the channel it belongs to, or null. */
export async function getMessage(
  redis: RedisClient,
  id: string,
): Promise<(ChannelMessage & { channel: string }) | null> {
  const hash = await redis.hgetall(messageKey(id));
  const message = parseMessage(hash);
  return message && hash.channel ? { ...message, channel: hash.channel } : null;
}

// Adds the ids from ARGV[from] on to the message's `coreIds`, those not there yet, in order; returns
// each id's 1-based position. Shared by the scripts below, so a post's ids only ever grow.
const MERGE_IDS = `
local function mergeIds(key, from)
  local raw = redis.call('hget', key, 'coreIds')
  local ids = {}
  if raw then ids = cjson.decode(raw) end
  local at = {}
  for i, v in ipairs(ids) do at[v] = i end
  local added = false
  for i = from, #ARGV do
    if not at[ARGV[i]] then
      table.insert(ids, ARGV[i])
      at[ARGV[i]] = #ids
      added = true
    end
  end
  if added then redis.call('hset', key, 'coreIds', cjson.encode(ids)) end
  return at
end
`;

const UPDATE_SCRIPT = `${MERGE_IDS}
if redis.call('exists', KEYS[1]) == 0 then return 0 end
redis.call('hset', KEYS[1], 'text', ARGV[1], 'updatedAt', ARGV[2])
if ARGV[3] == '1' then
  if ARGV[4] == '' then redis.call('hdel', KEYS[1], 'coreButtons')
  else redis.call('hset', KEYS[1], 'coreButtons', ARGV[4]) end
  mergeIds(KEYS[1], 5)
end
return 1
`;

const REMEMBER_SCRIPT = `${MERGE_IDS}
if redis.call('exists', KEYS[1]) == 0 then return -1 end
return mergeIds(KEYS[1], 1)[ARGV[1]] - 1
`;

/** Replaces a message's text, keeping its buttons; false when there is no such message. */
export function updateMessageText(
  redis: RedisClient,
  id: string,
  text: string,
  now: Date = new Date(),
): Promise<boolean> {
  return updateMessage(redis, id, { text }, now);
}

/**
 * Replaces a message's text and, when `coreButtons` is given, the core buttons it shows (none for an
 * empty list); false when there is no such message.
 */
export async function updateMessage(
  redis: RedisClient,
  id: string,
  change: { text: string; coreButtons?: ActionButton[] },
  now: Date = new Date(),
): Promise<boolean> {
  const buttons = change.coreButtons;
  const done = await redis.eval(
    UPDATE_SCRIPT,
    1,
    messageKey(id),
    change.text,
    now.toISOString(),
    buttons ? '1' : '0',
    buttons?.length ? JSON.stringify(buttons) : '',
    ...(buttons ?? []).map((b) => b.id),
  );
  if (done !== 1) return false;
  const message = await getMessage(redis, id);
  if (message) {
    await publishEvent(redis, { type: 'updated', channel: message.channel, id, thread: message.threadRef });
  }
  return true;
}

/**
 * The index of a core id among those the message has carried, adding it when new (a form whose id is
 * not its button's); null when there is no such message.
 */
export async function rememberCoreId(redis: RedisClient, id: string, coreId: string): Promise<number | null> {
  const index = (await redis.eval(REMEMBER_SCRIPT, 1, messageKey(id), coreId)) as number;
  return index < 0 ? null : index;
}

/** More distinct emoji than this on one message is refused (Slack allows 23). */
export const MAX_REACTIONS = 20;

// Reactions are kept with the message as `[[emoji, [user ids]], …]`, so their order survives. One
// script, so two people reacting at once both count; an emoji nobody uses any more is dropped.
const REACT_SCRIPT = `
if redis.call('hget', KEYS[1], 'channel') ~= ARGV[1] then return {'unknown-message', ''} end
local raw = redis.call('hget', KEYS[1], 'reactions')
local list = {}
if raw then list = cjson.decode(raw) end
local emoji, user, add = ARGV[2], ARGV[3], ARGV[4] == '1'
local found = nil
for i, pair in ipairs(list) do if pair[1] == emoji then found = i end end
local changed = 0
if add then
  if not found then
    if #list >= tonumber(ARGV[5]) then return {'full', raw or ''} end
    table.insert(list, {emoji, {}})
    found = #list
  end
  local users = list[found][2]
  local has = false
  for _, u in ipairs(users) do if u == user then has = true end end
  if not has then
    table.insert(users, user)
    changed = 1
  end
elseif found then
  local users = list[found][2]
  for i = #users, 1, -1 do
    if users[i] == user then
      table.remove(users, i)
      changed = 1
    end
  end
  if #users == 0 then table.remove(list, found) end
end
if #list == 0 then
  redis.call('hdel', KEYS[1], 'reactions')
  return {'ok', '', changed}
end
local encoded = cjson.encode(list)
redis.call('hset', KEYS[1], 'reactions', encoded)
return {'ok', encoded, changed}
`;

export type ReactionResult =
  | { status: 'ok'; reactions: Record<string, string[]> }
  | { status: 'unknown-message' }
  | { status: 'full' };

/**
 * Puts a person's reaction on a message of the channel, or takes it off: done twice, the same as once.
 * Refused when the message is not in this channel, or already has `MAX_REACTIONS` other emoji.
 */
export async function setReaction(
  redis: RedisClient,
  channel: ChannelRef,
  id: string,
  reaction: { emoji: string; userId: string; added: boolean },
): Promise<ReactionResult> {
  const [status, encoded, changed] = (await redis.eval(
    REACT_SCRIPT,
    1,
    messageKey(id),
    channelKey(channel),
    reaction.emoji,
    reaction.userId,
    reaction.added ? '1' : '0',
    String(MAX_REACTIONS),
  )) as [string, string, number?];
  if (status === 'unknown-message') return { status };
  if (status === 'full') return { status };
  if (changed === 1) {
    const thread = (await redis.hget(messageKey(id), 'threadRef')) ?? undefined;
    await publishEvent(redis, { type: 'updated', channel: channelKey(channel), id, thread });
  }
  return { status: 'ok', reactions: parseReactions(encoded) };
}

/** Removes a message (and, for a top-level one, its thread); false when there is no such message. */
export async function deleteMessage(redis: RedisClient, channel: ChannelRef, id: string): Promise<boolean> {
  const message = await getMessage(redis, id);
  if (!message || message.channel !== channelKey(channel)) return false;
  const tx = redis.multi().del(messageKey(id), fileKey(id));
  if (message.threadRef) tx.lrem(threadKey(message.threadRef), 0, id);
  else {
    const replies = await redis.lrange(threadKey(id), 0, -1);
    for (const reply of replies) tx.del(messageKey(reply), fileKey(reply));
    tx.del(threadKey(id)).lrem(postsKey(channel), 0, id);
  }
  await tx.exec();
  await publishEvent(redis, { type: 'deleted', channel: message.channel, id, thread: message.threadRef });
  return true;
}

/** Every top-level message of the channel in order, each with its thread's replies in order. */
export async function readChannel(redis: RedisClient, channel: ChannelRef): Promise<ChannelPost[]> {
  const ids = await redis.lrange(postsKey(channel), 0, -1);
  if (ids.length === 0) return [];
  const first = redis.pipeline();
  for (const id of ids) first.hgetall(messageKey(id)).lrange(threadKey(id), 0, -1);
  const firstResults = resultsOf(await first.exec());
  const posts: { message: ChannelMessage; replyIds: string[] }[] = [];
  for (let i = 0; i < ids.length; i++) {
    const message = parseMessage(firstResults[2 * i] as Record<string, string>);
    if (message) posts.push({ message, replyIds: (firstResults[2 * i + 1] as string[]) ?? [] });
  }
  const second = redis.pipeline();
  for (const post of posts) for (const id of post.replyIds) second.hgetall(messageKey(id));
  const replyHashes = resultsOf(await second.exec()) as Record<string, string>[];
  let cursor = 0;
  return posts.map(({ message, replyIds }) => {
    const replies = replyIds
      .map(() => parseMessage(replyHashes[cursor++] ?? {}))
      .filter((reply): reply is ChannelMessage => reply !== null);
    return { ...message, replies };
  });
}

/** Every key the channel's messages occupy: for `canevas reset`, which deletes them all. */
export interface ChannelContents {
  messages: number;
  files: number;
  keys: string[];
}

export async function channelContents(redis: RedisClient, channel: ChannelRef): Promise<ChannelContents> {
  const posts = await redis.lrange(postsKey(channel), 0, -1);
  const threads = redis.pipeline();
  for (const id of posts) threads.lrange(threadKey(id), 0, -1);
  const ids = new Set([...posts, ...(resultsOf(await threads.exec()) as string[][]).flat()]);
  // A retried post finds its first copy through a dedupe record: one left behind would point at nothing.
  const dedupe: string[] = [];
  const records = await scanKeys(redis, `${globLiteral(PREFIX)}:dedupe:*`);
  if (records.length > 0) {
    const targets = await redis.mget(...records);
    dedupe.push(...records.filter((_, i) => ids.has(targets[i] ?? '')));
  }
  const candidates = [postsKey(channel), ...posts.map(threadKey), ...dedupe];
  const messages = [...ids].map(messageKey);
  const files = [...ids].map(fileKey);
  const exists = redis.pipeline();
  for (const key of [...candidates, ...messages, ...files]) exists.exists(key);
  const found = resultsOf(await exists.exec()) as number[];
  const present = (keys: string[], from: number) => keys.filter((_, i) => found[from + i] === 1);
  const keptMessages = present(messages, candidates.length);
  const keptFiles = present(files, candidates.length + messages.length);
  return {
    messages: keptMessages.length,
    files: keptFiles.length,
    keys: [...present(candidates, 0), ...keptMessages, ...keptFiles],
  };
}

/** Stores a file's bytes for the download route. */
export async function storeFile(
  redis: RedisClient,
  id: string,
  file: { name: string; contentType: string; data: Buffer },
): Promise<void> {
  await redis.hset(fileKey(id), { name: file.name, contentType: file.contentType, data: file.data });
}

export async function readFile(
  redis: RedisClient,
  id: string,
): Promise<{ name: string; contentType: string; data: Buffer } | null> {
  const [name, contentType, data] = await redis.hmgetBuffer(fileKey(id), 'name', 'contentType', 'data');
  if (!name || !data) return null;
  return {
    name: name.toString('utf8'),
    contentType: contentType?.toString('utf8') || 'application/octet-stream',
    data,
  };
}

export async function removeFile(redis: RedisClient, id: string): Promise<void> {
  await redis.del(fileKey(id));
}

export async function publishEvent(redis: RedisClient, event: PlaygroundEvent): Promise<void> {
  await redis.publish(eventsChannel(redis), JSON.stringify(event));
}

export function fileUrl(id: string, name: string): string {
  return `/playground/files/${encodeURIComponent(id)}/${encodeURIComponent(name)}`;
}

function resultsOf(results: [Error | null, unknown][] | null): unknown[] {
  return (results ?? []).map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}

function parseMessage(hash: Record<string, string>): ChannelMessage | null {
  if (!hash.id || hash.text === undefined || !hash.author || !hash.createdAt) return null;
  const message: ChannelMessage = {
    id: hash.id,
    author: JSON.parse(hash.author) as ChannelAuthor,
    kind: (hash.kind ?? 'message') as ChannelMessage['kind'],
    text: hash.text,
    reactions: parseReactions(hash.reactions),
    createdAt: hash.createdAt,
  };
  if (hash.threadRef) message.threadRef = hash.threadRef;
  if (hash.question) message.question = JSON.parse(hash.question) as QuestionParts;
  if (hash.round) message.round = JSON.parse(hash.round) as RoundParts;
  if (hash.mentions) message.mentions = JSON.parse(hash.mentions) as string[];
  if (hash.file) message.file = JSON.parse(hash.file) as FileMeta;
  if (hash.coreButtons) message.coreButtons = JSON.parse(hash.coreButtons) as ActionButton[];
  if (hash.coreIds) message.coreIds = JSON.parse(hash.coreIds) as string[];
  if (hash.updatedAt) message.updatedAt = hash.updatedAt;
  return message;
}

function parseReactions(raw: string | undefined): Record<string, string[]> {
  if (!raw) return {};
  return Object.fromEntries(JSON.parse(raw) as [string, string[]][]);
}
