import { type REST, Routes } from 'discord.js';
import type { PostAttempt } from '../../src/index.js';

/**
 * Discord returns the message already made for a nonce it saw "in the past few minutes"; past this,
 * a retry cannot count on it and reads the channel instead.
 */
export const NONCE_TRUSTED_MS = 2 * 60_000;
/** Clocks differ: a message made just after `uncertainSince` here may carry a slightly older id. */
const CLOCK_MARGIN_MS = 60_000;
const DISCORD_EPOCH = 1_420_070_400_000n;
const PAGE = 100;
/** Reading stops after this many pages: a channel that busy would not hide a post a minute old. */
const MAX_PAGES = 5;

/** A message as Discord lists it, with the fields a retry compares. The nonce is not among them. */
export interface SeenMessage {
  id: string;
  content: string;
  author: { id: string };
  embeds: { title?: string; description?: string; footer?: { text?: string } }[];
  attachments: { filename: string }[];
}

/** Whether an uncertain try is too old for Discord to still know its nonce. */
export function nonceForgotten(attempt: PostAttempt, now = Date.now()): boolean {
  const since = Date.parse(attempt.uncertainSince);
  return Number.isNaN(since) || now - since > NONCE_TRUSTED_MS;
}

/** The lowest snowflake of a moment: every message made after it has a greater id. */
export function snowflakeAt(ms: number): string {
  const offset = BigInt(Math.max(0, Math.floor(ms))) - DISCORD_EPOCH;
  return (offset > 0n ? offset << 22n : 0n).toString();
}

/**
 * What `authorId` wrote in a channel (or thread) since an uncertain try began, oldest first. Messages
 * carry no nonce once listed, so a retry recognises its own by what they say.
 */
export async function botMessagesSince(
  rest: REST,
  channelId: string,
  authorId: string,
  attempt: PostAttempt,
): Promise<SeenMessage[]> {
  let after = snowflakeAt(Date.parse(attempt.uncertainSince) - CLOCK_MARGIN_MS);
  const mine: SeenMessage[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ after, limit: String(PAGE) });
    const batch = (await rest.get(Routes.channelMessages(channelId), { query })) as SeenMessage[];
    mine.push(...batch.filter((m) => m.author.id === authorId));
    if (batch.length < PAGE) break;
    after = batch.reduce((max, m) => (BigInt(m.id) > BigInt(max) ? m.id : max), after);
  }
  return mine.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}
