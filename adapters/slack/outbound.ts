import { webApi } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { ChannelRef, ChatPlatform, Logger, OutboundPost } from '../../src/index.js';
import { layoutPost } from './blocks.js';
import { createWebClient, type TokenSource, type WebClient } from './client.js';
import { slackFormat } from './format.js';
import { pace } from './pacer.js';

export interface SlackOutboundDeps {
  redis: Redis;
  logger: Logger;
  tokenFor: TokenSource;
  apiUrl?: string;
  /** Minimum time between two posts in one channel (default 1 s). */
  paceMs?: number;
}

/** How long a post's dedupe key remembers the message it made. */
const DEDUPE_TTL_S = 14 * 24 * 3600;

const dedupeKey = (key: string) => `canevas:slack:posted:${key}`;

/**
 * Slack as the core's outbound port. Stateless: tokens come from `tokenFor`, the record of what was
 * posted (dedupe) and the pacing live in Redis.
 */
export function createSlackPlatform(deps: SlackOutboundDeps): ChatPlatform {
  const clientFor = async (team: string): Promise<WebClient> =>
    createWebClient(await deps.tokenFor(team), deps.apiUrl);

  return {
    name: 'slack',
    format: slackFormat,
    async post(channel, post) {
      const done = await deps.redis.get(dedupeKey(post.dedupeKey));
      if (done) return { ref: done };
      const client = await clientFor(channel.workspace);
      const ref =
        post.file && post.kind === 'export'
          ? await upload(client, deps, channel, post)
          : await sendWithPicture(client, deps, channel, post);
      await deps.redis.set(dedupeKey(post.dedupeKey), ref, 'EX', DEDUPE_TTL_S);
      return { ref };
    },
    async update(channel, ref, post) {
      const client = await clientFor(channel.workspace);
      const [first] = layoutPost(post);
      await client.chat.update({
        channel: channel.channel,
        ts: ref,
        text: first?.text ?? post.text,
        blocks: first?.blocks ?? [],
      });
    },
  };
}

async function send(client: WebClient, deps: SlackOutboundDeps, channel: ChannelRef, post: OutboundPost) {
  const messages = layoutPost(post);
  let ref: string | undefined;
  for (const message of messages) {
    await pace(deps.redis, channel.channel, deps.paceMs);
    const res = await client.chat.postMessage({
      channel: channel.channel,
      text: message.text,
      blocks: message.blocks,
      // Overflow continues in the thread of the first part (or of the thread it replies in).
      thread_ts: post.threadRef ?? ref,
      unfurl_links: false,
      unfurl_media: false,
    });
    if (!res.ts) throw new Error('chat.postMessage returned no ts');
    ref ??= res.ts;
  }
  return ref as string;
}

/**
 * A summary or digest reads as a normal message (Block Kit, split) with the canvas sheet uploaded
 * right after it. The text's ts is the post's ref and is kept apart, so a retry after a failed
 * upload sends the picture without sending the text twice.
 */
async function sendWithPicture(
  client: WebClient,
  deps: SlackOutboundDeps,
  channel: ChannelRef,
  post: OutboundPost,
): Promise<string> {
  const file = post.file;
  if (!file) return send(client, deps, channel, post);
  const textKey = `${dedupeKey(post.dedupeKey)}:text`;
  let ref = await deps.redis.get(textKey);
  if (!ref) {
    ref = await send(client, deps, channel, post);
    await deps.redis.set(textKey, ref, 'EX', DEDUPE_TTL_S);
  }
  await pace(deps.redis, channel.channel, deps.paceMs);
  const picture = {
    channel_id: channel.channel,
    filename: file.name,
    title: file.name,
    file: Buffer.from(file.base64, 'base64'),
    ...(file.alt ? { alt_text: file.alt } : {}),
  };
  try {
    await client.files.uploadV2(post.threadRef ? { ...picture, thread_ts: post.threadRef } : picture);
  } catch (err) {
    if (!refusedForGood(err)) throw err;
    // The text is out already; a picture Slack will never take must not hold up the channel's queue.
    deps.logger.warn(
      { err, channel: channel.channel },
      'slack refused the canvas picture; posted without it',
    );
  }
  return ref;
}

async function upload(client: WebClient, deps: SlackOutboundDeps, channel: ChannelRef, post: OutboundPost) {
  const file = post.file;
  if (!file) throw new Error('no file');
  await pace(deps.redis, channel.channel, deps.paceMs);
  const common = {
    channel_id: channel.channel,
    filename: file.name,
    file: Buffer.from(file.base64, 'base64'),
    initial_comment: post.text,
    ...(file.alt ? { alt_text: file.alt } : {}),
  };
  const res = await client.files.uploadV2(post.threadRef ? { ...common, thread_ts: post.threadRef } : common);
  // uploadV2 answers with the files it completed; the file id is the post's ref.
  const files = (res as { files?: { files?: { id?: string }[] }[] }).files;
  const id = files?.[0]?.files?.[0]?.id;
  if (!id) deps.logger.warn({ channel: channel.channel }, 'slack upload returned no file id');
  return id ?? `file-${post.dedupeKey}`;
}

/** Slack's own hiccups, worth the job's retry; any other refusal (missing_scope, not_in_channel…) is final. */
const PASSING_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

function refusedForGood(err: unknown): boolean {
  const { code, data } = err as { code?: string; data?: { error?: string } };
  return code === webApi.ErrorCode.PlatformError && !PASSING_ERRORS.has(data?.error ?? '');
}
