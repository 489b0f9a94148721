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
import { botMessagesSince, nonceForgotten, type SeenMessage } from './lookup.js';
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

interface Embed {
  title?: string;
  description: string;
  color?: number;
  footer?: { text: string };
}

interface MessageBody {
  content?: string;
  attachments?: { id: number; filename: string; description: string }[];
  embeds?: Embed[];
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
  let me: Promise<string> | undefined;
  const botId = (): Promise<string> => {
    me ??= (rest.get(Routes.user()) as Promise<{ id: string }>).then(
      (user) => user.id,
      (err: unknown) => {
        me = undefined;
        throw err;
      },
    );
    return me;
  };
  return {
    name: 'discord',
    format: discordFormat,
    async post(channel, post, attempt) {
      // Within the nonce's life, sending again returns the message an earlier try made; past it,
      // what the bot wrote since that try is read first, and what is found is not sent again.
      const seen =
        attempt && nonceForgotten(attempt)
          ? await botMessagesSince(rest, post.threadRef ?? channel.channel, await botId(), attempt)
          : undefined;
      return postMessage(rest, channel, post, seen);
    },
    async update(channel, ref, post) {
      const target = post.threadRef ?? channel.channel;
      const body = post.question ? questionBody(post) : { content: splitText(post.text, MESSAGE_LIMIT)[0] };
      await rest.patch(Routes.channelMessage(target, ref), {
        body: { ...body, allowed_mentions: NO_MENTIONS },
      });
    },
  };
}

/**
 * Sends a post's messages in order. `seen` (the bot's messages since an uncertain try, when its nonce
 * may be forgotten) holds those already made: each piece found there, after the previous piece, is
 * taken as sent.
 */
async function postMessage(
  rest: REST,
  channel: ChannelRef,
  post: OutboundPost,
  seen?: SeenMessage[],
): Promise<{ ref: string }> {
  // A thread's id is its starter message's id: replies go into the thread as a channel.
  const target = post.threadRef ?? channel.channel;
  if (post.question) {
    const body = questionBody(post);
    const first =
      seen?.find((m) => sameEmbed(m, body.embeds?.[0]))?.id ??
      (await send(rest, target, { ...body, allowed_mentions: NO_MENTIONS }, post.dedupeKey));
    await startThread(rest, target, first, post.question.blockTitle);
    return { ref: first };
  }
  const pieces = splitText(post.text, MESSAGE_LIMIT);
  let ref: string | undefined;
  let last = 0n;
  for (const [i, content] of pieces.entries()) {
    const body: MessageBody = { content, allowed_mentions: NO_MENTIONS };
    const key = i === 0 ? post.dedupeKey : `${post.dedupeKey}#${i}`;
    const file = i === pieces.length - 1 ? post.file : undefined;
    const made = seen?.find((m) => BigInt(m.id) > last && sameMessage(m, content, file, post.kind));
    const id = made?.id ?? (await sendWithFile(rest, target, body, key, file, post.kind));
    last = BigInt(id);
    ref ??= id;
  }
  return { ref: ref as string };
}

/** Discord trims what it stores; an export is only itself with its file. */
function sameMessage(
  m: SeenMessage,
  content: string,
  file: OutboundPost['file'],
  kind: OutboundPost['kind'],
) {
  if (m.content.trim() !== content.trim()) return false;
  return !file || kind !== 'export' || m.attachments.some((a) => a.filename === file.name);
}

function sameEmbed(m: SeenMessage, embed: Embed | undefined): boolean {
  const [first] = m.embeds;
  return (
    embed !== undefined &&
    first?.title === embed.title &&
    first?.description === embed.description &&
    first?.footer?.text === embed.footer?.text
  );
}

function questionBody(post: OutboundPost): Omit<MessageBody, 'allowed_mentions'> {
  const q = post.question;
  if (!q) return { content: post.text };
  const [description = '', ...more] = splitText(post.text, EMBED_DESCRIPTION_LIMIT);
  const embeds: Embed[] = [
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
