import { createHash } from 'node:crypto';
import { DiscordAPIError, REST, Routes } from 'discord.js';
import {
  answerFormWords,
  type ChannelRef,
  type ChatPlatform,
  type DiscordConfig,
  type Logger,
  type OutboundPost,
  type PostAttempt,
  remindWords,
} from '../../src/index.js';
import { type ActionRow, buttonRows, type OwnButton, RANK } from './buttons.js';
import { discordFormat } from './format.js';
import { createDiscordAgent } from './http-agent.js';
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
export const REMIND_BUTTON_ID = 'canevas_remind';
const NO_MENTIONS: AllowedMentions = { parse: [] };
/** Discord refuses a message whose allowed_mentions lists more than 100 users. */
const MAX_ALLOWED_USERS = 100;
const SNOWFLAKE = /^\d{15,21}$/;
/** Discord's code when a thread already exists for the message (a retried post). */
const THREAD_ALREADY_CREATED = 160004;
/** Discord's code for a channel that is not there: a message without a thread, posted into. */
const UNKNOWN_CHANNEL = 10003;
const ONE_WEEK_MINUTES = 10080;
const BLURPLE = 0x5865f2;

interface Embed {
  title?: string;
  description: string;
  color?: number;
  footer?: { text: string };
}

interface AllowedMentions {
  parse: string[];
  users?: string[];
}

interface MessageBody {
  content?: string;
  attachments?: { id: number; filename: string; description: string }[];
  embeds?: Embed[];
  components?: ActionRow[];
  allowed_mentions: AllowedMentions;
  nonce?: string;
  enforce_nonce?: boolean;
}

/**
 * A REST client for the bot; `api` points at a proxy or a fake (DISCORD_API_URL). It sends through an
 * agent of its own, whatever else runs in the process (see http-agent.ts).
 */
export function createRest(config: Pick<DiscordConfig, 'token' | 'apiUrl'>): REST {
  return new REST({
    version: '10',
    agent: createDiscordAgent(),
    ...(config.apiUrl ? { api: config.apiUrl } : {}),
  }).setToken(config.token);
}

/** Discord nonces are at most 25 characters: a digest of the post's stable key. */
export function nonceOf(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 25);
}

/**
 * Discord as a chat platform, over REST only (no gateway), so `canevas work` posts without
 * connecting. Stateless: every id it needs travels in the channel ref and the post.
 */
export function createDiscordPlatform(rest: REST, logger?: Logger): ChatPlatform {
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
  const layout: Layout = (own, post) => {
    const { rows, dropped } = buttonRows(own, post.buttons);
    if (dropped.length > 0)
      logger?.warn({ kind: post.kind, dropped }, 'discord: more buttons than a message holds, some left out');
    return rows;
  };
  const postOnce = async (channel: ChannelRef, post: OutboundPost, attempt?: PostAttempt) => {
    // Within the nonce's life, sending again returns the message an earlier try made; past it,
    // what the bot wrote since that try is read first, and what is found is not sent again.
    const seen =
      attempt && nonceForgotten(attempt)
        ? await botMessagesSince(rest, post.threadRef ?? channel.channel, await botId(), attempt)
        : undefined;
    return postMessage(rest, channel, post, layout, seen);
  };
  return {
    name: 'discord',
    format: discordFormat,
    async post(channel, post, attempt) {
      try {
        return await postOnce(channel, post, attempt);
      } catch (err) {
        // A reply to a post that has no thread yet (a stance's reason under a round post): open it, once.
        if (!post.threadRef || !(err instanceof DiscordAPIError && err.code === UNKNOWN_CHANNEL)) throw err;
        await startThread(rest, channel.channel, post.threadRef, await threadNameOf(rest, channel, post));
        return postOnce(channel, post, attempt);
      }
    },
    async update(channel, ref, post) {
      const target = post.threadRef ?? channel.channel;
      const body = embedBody(post, layout) ?? plainUpdate(post, layout);
      await rest.patch(Routes.channelMessage(target, ref), {
        body: { ...body, allowed_mentions: allowedMentionsOf(post) },
      });
    },
    permalink: (channel, { messageRef, threadRef }) =>
      `https://discord.com/channels/${channel.workspace}/${threadRef ?? channel.channel}/${messageRef}`,
  };
}

/** Draws the adapter's own buttons and the post's core buttons as a message's rows. */
type Layout = (own: OwnButton[], post: OutboundPost) => ActionRow[];

/** A plain post's edit: its first piece, and its buttons when it has some. */
function plainUpdate(post: OutboundPost, layout: Layout): LaidOut {
  const content = splitText(post.text, MESSAGE_LIMIT)[0];
  return post.buttons ? { content, components: layout([], post) } : { content };
}

/**
 * The name of a thread opened on a post that had none: its heading (the line of its shared versions
 * on a round post, else its first line), without markup.
 */
async function threadNameOf(rest: REST, channel: ChannelRef, post: OutboundPost): Promise<string> {
  const host = (await rest.get(Routes.channelMessage(channel.channel, post.threadRef ?? ''))) as SeenMessage;
  const text = [host.content, ...host.embeds.map((e) => e.description ?? '')].join('\n');
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const heading = lines.find((l) => l.startsWith('🤝')) ?? lines[0] ?? '';
  return heading.replace(/[*_~`|\\]/g, '').trim();
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
  layout: Layout,
  seen?: SeenMessage[],
): Promise<{ ref: string }> {
  // A thread's id is its starter message's id: replies go into the thread as a channel.
  const target = post.threadRef ?? channel.channel;
  const mentions = allowedMentionsOf(post);
  const laidOut = embedBody(post, layout);
  if (laidOut) {
    const first =
      seen?.find((m) => sameEmbed(m, laidOut.embeds?.[0]))?.id ??
      (await send(rest, target, { ...laidOut, allowed_mentions: mentions }, post.dedupeKey));
    if (post.question) await startThread(rest, target, first, post.question.blockTitle);
    return { ref: first };
  }
  const pieces = splitText(post.text, MESSAGE_LIMIT);
  let ref: string | undefined;
  let after = 0n;
  for (const [i, content] of pieces.entries()) {
    const last = i === pieces.length - 1;
    // The buttons come after the whole text, under its last piece.
    const components = last && post.buttons ? layout([], post) : undefined;
    const body: MessageBody = { content, allowed_mentions: mentions, ...(components ? { components } : {}) };
    const key = i === 0 ? post.dedupeKey : `${post.dedupeKey}#${i}`;
    const file = last ? post.file : undefined;
    const made = seen?.find((m) => BigInt(m.id) > after && sameMessage(m, content, file, post.kind));
    const id = made?.id ?? (await sendWithFile(rest, target, body, key, file, post.kind));
    after = BigInt(id);
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

/**
 * Nobody is notified, except the members a nudge names (those who asked for it), and only when their
 * ids are Discord's own: never @everyone, @here or a role.
 */
function allowedMentionsOf(post: OutboundPost): AllowedMentions {
  const users = [...new Set(post.mentions ?? [])].filter((id) => SNOWFLAKE.test(id));
  return users.length > 0 ? { parse: [], users: users.slice(0, MAX_ALLOWED_USERS) } : NO_MENTIONS;
}

type LaidOut = Omit<MessageBody, 'allowed_mentions'>;

/**
 * Question, round and consent posts are one embed with their buttons (the adapter's own, then the
 * core's); other posts are plain messages.
 */
function embedBody(post: OutboundPost, layout: Layout): LaidOut | undefined {
  if (post.kind === 'question' && post.question) return questionBody(post, post.question, layout);
  if (post.kind === 'round' && post.round) return roundBody(post, post.round, layout);
  // Edited at every stance: one message (6,000 characters of embeds) keeps the text and the buttons together.
  if (post.kind === 'consent') return { embeds: embedsOf(post.text, {}), components: layout([], post) };
  return undefined;
}

function questionBody(post: OutboundPost, q: NonNullable<OutboundPost['question']>, layout: Layout): LaidOut {
  const head = {
    title: clip(q.blockTitle || q.ficheTitle, EMBED_TITLE_LIMIT),
    footer: { text: `${q.position}/${q.total}` },
  };
  const answer: OwnButton = {
    label: answerFormWords(q.lang).button,
    emoji: '✍️',
    // The form it opens speaks the campaign's language without looking the campaign up.
    customId: `${ANSWER_BUTTON_ID}:${q.lang}`,
    style: 'primary',
    rank: RANK.essential,
  };
  return { embeds: embedsOf(post.text, head), components: layout([answer], post) };
}

/** A round's opening post: its text (whose first line is its title), Remind me, and the core's buttons. */
function roundBody(post: OutboundPost, round: NonNullable<OutboundPost['round']>, layout: Layout): LaidOut {
  const remind: OwnButton = {
    label: remindWords(round.lang).button,
    emoji: '🔔',
    // Like the Answer button's, the id names the campaign's language (the core's reply speaks it).
    customId: `${REMIND_BUTTON_ID}:${round.lang}`,
    style: 'secondary',
    rank: RANK.remind,
  };
  return { embeds: embedsOf(post.text, {}), components: layout([remind], post) };
}

/** The text in an embed; a longer one continues in a second (6,000 characters in all embeds of a message). */
function embedsOf(text: string, head: Pick<Embed, 'title' | 'footer'>): Embed[] {
  const [description = '', ...more] = splitText(text, EMBED_DESCRIPTION_LIMIT);
  const embeds: Embed[] = [{ ...head, description, color: BLURPLE }];
  if (more[0]) embeds.push({ description: clip(more[0], 6000 - 300 - description.length) });
  return embeds;
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
  const files = file ? [{ name: file.name, data: file.data, contentType: file.contentType }] : undefined;
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
