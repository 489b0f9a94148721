import { webApi } from '@slack/bolt';
import type {
  ChannelRef,
  ChatPlatform,
  Logger,
  OutboundPost,
  PostAttempt,
  RedisClient,
} from '../../src/index.js';
import { layoutPost } from './blocks.js';
import { createWebClient, finalIfRevoked, type TokenSource, type WebClient } from './client.js';
import { slackFormat } from './format.js';
import { fileIn, lookUpSince, POST_EVENT_TYPE, partsIn, type SeenMessage } from './lookup.js';
import { pace } from './pacer.js';

export interface SlackOutboundDeps {
  redis: RedisClient;
  logger: Logger;
  tokenFor: TokenSource;
  apiUrl?: string;
  /** Minimum time between two posts in one channel (default 1 s). */
  paceMs?: number;
  /** Minimum time between two lookups of an uncertain post in one workspace (default 60 s). */
  lookupPaceMs?: number;
}

/** Workspaces whose Web API client is kept (one per token). */
const CLIENTS_KEPT = 1_000;

/** How long a post's dedupe key remembers the message it made. */
const DEDUPE_TTL_S = 14 * 24 * 3600;

const postedKey = (key: string) => `canevas:slack:posted:${key}`;
/** Each step of a post once made (a part of its text, its picture, its file): what a retry skips. */
const stepsKey = (key: string) => `${postedKey(key)}:steps`;

/**
 * Slack as the core's outbound port. Stateless: tokens come from `tokenFor`, the record of what was
 * posted (dedupe) and the pacing live in Redis.
 */
export function createSlackPlatform(deps: SlackOutboundDeps): ChatPlatform {
  const clients = new Map<string, WebClient>();
  // One client per token, kept: making one costs more than the call it makes.
  const clientFor = async (team: string): Promise<WebClient> => {
    const token = await deps.tokenFor(team);
    let client = clients.get(token);
    if (!client) {
      client = createWebClient(token, deps.apiUrl);
      if (clients.size >= CLIENTS_KEPT) clients.delete(clients.keys().next().value as string);
      clients.set(token, client);
    }
    return client;
  };

  return {
    name: 'slack',
    format: slackFormat,
    async post(channel, post, attempt) {
      // Without an earlier try (the outbox says so), nothing of this post can be on record.
      const done = attempt ? await deps.redis.get(postedKey(post.dedupeKey)) : null;
      if (done) return { ref: done };
      const run = await startRun(await clientFor(channel.workspace), deps, channel, post, attempt);
      const ref = await (post.file && post.kind === 'export' ? upload(run) : sendWithPicture(run)).catch(
        (err: unknown) => {
          throw finalIfRevoked(err);
        },
      );
      // The whole post on record: a retry reads this first, so the last step needs no record of its own.
      await deps.redis.set(postedKey(post.dedupeKey), ref, 'EX', DEDUPE_TTL_S);
      return { ref };
    },
    async update(channel, ref, post) {
      const client = await clientFor(channel.workspace);
      const [first] = layoutPost(post);
      await client.chat
        .update({
          channel: channel.channel,
          ts: ref,
          text: first?.text ?? post.text,
          blocks: first?.blocks ?? [],
        })
        .catch((err: unknown) => {
          throw finalIfRevoked(err);
        });
    },
    permalink: (channel, ref) => permalink(webBase(deps.apiUrl), channel.channel, ref),
  };
}

/** A message ts: seconds, a dot, microseconds. */
const TS = /^\d+\.\d+$/;

/**
 * The link `chat.getPermalink` would give, made without asking (an export links every answer): the
 * archives path with the ts undotted, and for a thread reply the thread and channel, as Slack writes
 * them. It is on Slack's own host rather than the workspace's (which only an API call tells), and
 * Slack sends a signed-in member on to their workspace. Undefined for a ref that is no ts (a file).
 */
export function permalink(
  base: string,
  channel: string,
  ref: { messageRef: string; threadRef?: string },
): string | undefined {
  if (!TS.test(ref.messageRef)) return undefined;
  const path = `${base}/archives/${encodeURIComponent(channel)}/p${ref.messageRef.replace('.', '')}`;
  const { threadRef } = ref;
  if (!threadRef || threadRef === ref.messageRef || !TS.test(threadRef)) return path;
  return `${path}?thread_ts=${threadRef}&cid=${encodeURIComponent(channel)}`;
}

/** Slack's web host: that of SLACK_API_URL (GovSlack's for GovSlack), https://slack.com by default. */
function webBase(apiUrl: string | undefined): string {
  if (!apiUrl) return 'https://slack.com';
  try {
    return new URL(apiUrl).origin;
  } catch {
    return 'https://slack.com';
  }
}

/** One try of one post: what earlier tries made, and whether this try still owes a lookup. */
interface Run {
  client: WebClient;
  deps: SlackOutboundDeps;
  channel: ChannelRef;
  post: OutboundPost;
  made: Map<string, string>;
  /** Steps made whose record is not written yet: written before the next step is tried. */
  unsaved: [string, string][];
  /** Set while the first step not on record may already be on Slack (an uncertain earlier try). */
  uncertain?: PostAttempt;
}

async function startRun(
  client: WebClient,
  deps: SlackOutboundDeps,
  channel: ChannelRef,
  post: OutboundPost,
  attempt: PostAttempt | undefined,
): Promise<Run> {
  const recorded = attempt ? await deps.redis.hgetall(stepsKey(post.dedupeKey)) : {};
  return {
    client,
    deps,
    channel,
    post,
    made: new Map(Object.entries(recorded)),
    unsaved: [],
    uncertain: attempt,
  };
}

/** Writes the records of the steps made so far, in one round trip. */
async function saveSteps(run: Run): Promise<void> {
  if (run.unsaved.length === 0) return;
  const key = stepsKey(run.post.dedupeKey);
  await run.deps.redis.multi().hset(key, Object.fromEntries(run.unsaved)).expire(key, DEDUPE_TTL_S).exec();
  run.unsaved = [];
}

/**
 * Steps run in order and each is recorded once made, so only the first step not on record can be
 * uncertain: every later one was never tried. That step, and only it, is looked up on Slack (one
 * paced call) before being made.
 */
async function step(
  run: Run,
  name: string,
  lookup: { threadTs?: string; pick(seen: SeenMessage[]): string | undefined },
  make: () => Promise<string>,
): Promise<string> {
  const known = run.made.get(name);
  if (known !== undefined) return known;
  const attempt = run.uncertain;
  run.uncertain = undefined;
  const found = attempt
    ? lookup.pick(await lookUpSince(run.client, run.deps, run.channel, attempt, lookup.threadTs))
    : undefined;
  if (found !== undefined) run.deps.logger.info({ step: name }, 'slack post found, not made again');
  // The steps before must be on record before this one is tried.
  if (found === undefined) await saveSteps(run);
  const value = found ?? (await make());
  run.made.set(name, value);
  run.unsaved.push([name, value]);
  return value;
}

/** The text of a post, split into messages; parts after the first continue in a thread. */
async function send(run: Run): Promise<string> {
  const { client, deps, channel, post } = run;
  let first: string | undefined;
  for (const [part, message] of layoutPost(post).entries()) {
    // Overflow continues in the thread of the first part (or of the thread it replies in).
    const threadTs = post.threadRef ?? first;
    const ts = await step(
      run,
      `part:${part}`,
      { threadTs, pick: (seen) => partsIn(seen, post.dedupeKey).get(part) },
      async () => {
        await pace(deps.redis, channel.channel, deps.paceMs);
        const res = await client.chat.postMessage({
          channel: channel.channel,
          text: message.text,
          blocks: message.blocks,
          thread_ts: threadTs,
          unfurl_links: false,
          unfurl_media: false,
          metadata: { event_type: POST_EVENT_TYPE, event_payload: { key: post.dedupeKey, part } },
        });
        if (!res.ts) throw new Error('chat.postMessage returned no ts');
        return res.ts;
      },
    );
    first ??= ts;
  }
  return first as string;
}

/**
 * A summary or digest reads as a normal message (Block Kit, split) with the canvas sheet uploaded
 * right after it. The text's ts is the post's ref; each is its own step, so a retry after a failed
 * upload sends the picture without sending the text twice.
 */
async function sendWithPicture(run: Run): Promise<string> {
  const { client, deps, channel, post } = run;
  const file = post.file;
  const ref = await send(run);
  if (!file) return ref;
  const picture = {
    channel_id: channel.channel,
    filename: file.name,
    title: file.name,
    file: file.data,
    ...(file.alt ? { alt_text: file.alt } : {}),
  };
  await step(
    run,
    'picture',
    { threadTs: post.threadRef, pick: (seen) => fileIn(seen, file.name, ref)?.ts },
    async () => {
      await pace(deps.redis, channel.channel, deps.paceMs);
      try {
        await client.files.uploadV2(post.threadRef ? { ...picture, thread_ts: post.threadRef } : picture);
        return 'made';
      } catch (err) {
        if (!refusedForGood(err)) throw err;
        // The text is out already; a picture Slack will never take must not hold up the channel's queue.
        deps.logger.warn(
          { err, channel: channel.channel },
          'slack refused the canvas picture; posted without it',
        );
        return 'refused';
      }
    },
  );
  return ref;
}

async function upload(run: Run): Promise<string> {
  const { client, deps, channel, post } = run;
  const file = post.file;
  if (!file) throw new Error('no file');
  const common = {
    channel_id: channel.channel,
    filename: file.name,
    file: file.data,
    initial_comment: post.text,
    ...(file.alt ? { alt_text: file.alt } : {}),
  };
  const lookup = {
    threadTs: post.threadRef,
    pick: (seen: SeenMessage[]) => {
      const found = fileIn(seen, file.name);
      return found && (found.id ?? `file-${post.dedupeKey}`);
    },
  };
  return step(run, 'file', lookup, async () => {
    await pace(deps.redis, channel.channel, deps.paceMs);
    const res = await client.files.uploadV2(
      post.threadRef ? { ...common, thread_ts: post.threadRef } : common,
    );
    // uploadV2 answers with the files it completed; the file id is the post's ref.
    const files = (res as { files?: { files?: { id?: string }[] }[] }).files;
    const id = files?.[0]?.files?.[0]?.id;
    if (!id) deps.logger.warn({ channel: channel.channel }, 'slack upload returned no file id');
    return id ?? `file-${post.dedupeKey}`;
  });
}

/** Slack's own hiccups, worth the job's retry; any other refusal (missing_scope, not_in_channel…) is final. */
const PASSING_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

function refusedForGood(err: unknown): boolean {
  const { code, data } = err as { code?: string; data?: { error?: string } };
  return code === webApi.ErrorCode.PlatformError && !PASSING_ERRORS.has(data?.error ?? '');
}
