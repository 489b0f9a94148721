import { createHash } from 'node:crypto';
import { DiscordAPIError, REST, Routes } from 'discord.js';
import {
  answerFormWords,
  type ChannelRef,
  type ChatPlatform,
  type DiscordConfig,
  type OutboundPost,
} from '../../src/index.js';
import { discordFormat } from './format.js';
import {
  clip,
  EMBED_DESCRIPTION_LIMIT,
  EMBED_TITLE_LIMIT,
  MESSAGE_LIMIT,
  splitText,
  THREAD_NAME_LIMIT,
} from './split.js';

export const ANSWER_BUTTON_ID = 'canevas_answer';
const NO_MENTIONS = { parse: [] as string[] };
/** Discord's code when a thread already exists for the message (a retried post). */
const THREAD_ALREADY_CREATED = 160004;
const ONE_WEEK_MINUTES = 10080;
const BLURPLE = 0x5865f2;

interface MessageBody {
  content?: string;
  attachments?: { id: number; filename: string; description: string }[];
  embeds?: unknown[];
  components?: unknown[];
  allowed_mentions: { parse: string[] };
  nonce?: string;
  enforce_nonce?: boolean;
}

/** A REST client for the bot; `api` points at a proxy or a fake (DISCORD_API_URL). */
export function createRest(config: Pick<DiscordConfig, 'token' | 'apiUrl'>): REST {
  return new REST({ version: '10', ...(config.apiUrl ? { api: config.apiUrl } : {}) }).setToken(config.token);
}

/** Discord nonces are at most 25 characters: a digest of the post's stable key. */
export function nonceOf(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 25);
}

/**
 * Discord as a chat platform, over REST only (no gateway), so `canevas work` posts without
 * connecting. Stateless: every id it needs travels in the channel ref and the post.
 */
export function createDiscordPlatform(rest: REST): ChatPlatform {
  return {
    name: 'discord',
    format: discordFormat,
    post: (channel, post) => postMessage(rest, channel, post),
    async update(channel, ref, post) {
      const target = post.threadRef ?? channel.channel;
      const body = post.question ? questionBody(post) : { content: splitText(post.text, MESSAGE_LIMIT)[0] };
      await rest.patch(Routes.channelMessage(target, ref), {
        body: { ...body, allowed_mentions: NO_MENTIONS },
      });
    },
  };
}

async function postMessage(rest: REST, channel: ChannelRef, post: OutboundPost): Promise<{ ref: string }> {
  // A thread's id is its starter message's id: replies go into the thread as a channel.
  const target = post.threadRef ?? channel.channel;
  if (post.question) {
    const first = await send(
      rest,
      target,
      { ...questionBody(post), allowed_mentions: NO_MENTIONS },
      post.dedupeKey,
    );
    await startThread(rest, target, first, post.question.blockTitle);
    return { ref: first };
  }
  const pieces = splitText(post.text, MESSAGE_LIMIT);
  let ref: string | undefined;
  for (const [i, content] of pieces.entries()) {
    const body: MessageBody = { content, allowed_mentions: NO_MENTIONS };
    const key = i === 0 ? post.dedupeKey : `${post.dedupeKey}#${i}`;
    const file = i === pieces.length - 1 ? post.file : undefined;
    const id = await sendWithFile(rest, target, body, key, file, post.kind);
    ref ??= id;
  }
  return { ref: ref as string };
}

function questionBody(post: OutboundPost): Omit<MessageBody, 'allowed_mentions'> {
  const q = post.question;
  if (!q) return { content: post.text };
  const [description = '', ...more] = splitText(post.text, EMBED_DESCRIPTION_LIMIT);
  const embeds: unknown[] = [
    {
      title: clip(q.blockTitle || q.ficheTitle, EMBED_TITLE_LIMIT),
      description,
      color: BLURPLE,
      footer: { text: `${q.position}/${q.total}` },
    },
  ];
  // 6,000 characters in all embeds of a message: one more piece at most (questions are short).
  if (more[0]) embeds.push({ description: clip(more[0], 6000 - 300 - description.length) });
  return {
    embeds,
    components: [
      {
        type: 1,
        components: [
          {
            type: 2,
            style: 1,
            label: answerFormWords(q.lang).button,
            emoji: { name: '✍️' },
            // The form it opens speaks the campaign's language without looking the campaign up.
            custom_id: `${ANSWER_BUTTON_ID}:${q.lang}`,
          },
        ],
      },
    ],
  };
}

/**
 * A summary's or digest's picture is a bonus: when Discord will not take it (no Attach Files
 * permission, too large), the last piece goes without it rather than the post failing for good.
 * An export is nothing without its file, so its refusal stands.
 */
async function sendWithFile(
  rest: REST,
  channelId: string,
  body: MessageBody,
  key: string,
  file: OutboundPost['file'],
  kind: OutboundPost['kind'],
): Promise<string> {
  try {
    return await send(rest, channelId, body, key, file);
  } catch (err) {
    const refused = err instanceof DiscordAPIError && err.status >= 400 && err.status < 500;
    if (!file || kind === 'export' || !refused) throw err;
    return send(rest, channelId, body, key);
  }
}

async function send(
  rest: REST,
  channelId: string,
  body: MessageBody,
  key: string,
  file?: OutboundPost['file'],
): Promise<string> {
  const full = {
    ...body,
    nonce: nonceOf(key),
    enforce_nonce: true,
    // Attachment 0 is the first file @discordjs/rest sends; its description is the image's alt text.
    ...(file?.alt ? { attachments: [{ id: 0, filename: file.name, description: file.alt }] } : {}),
  };
  const files = file
    ? [{ name: file.name, data: Buffer.from(file.base64, 'base64'), contentType: file.contentType }]
    : undefined;
  const message = (await rest.post(Routes.channelMessages(channelId), { body: full, files })) as {
    id: string;
  };
  return message.id;
}

async function startThread(rest: REST, channelId: string, messageId: string, title: string): Promise<void> {
  try {
    await rest.post(Routes.threads(channelId, messageId), {
      body: { name: clip(title || 'Canevas', THREAD_NAME_LIMIT), auto_archive_duration: ONE_WEEK_MINUTES },
    });
  } catch (err) {
    // A retried post: the message came back from its nonce and already has its thread.
    if (err instanceof DiscordAPIError && err.code === THREAD_ALREADY_CREATED) return;
    throw err;
  }
}
