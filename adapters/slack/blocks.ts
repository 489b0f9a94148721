import type { types } from '@slack/bolt';
import {
  answerFormWords,
  type OutboundPost,
  remindWords,
  splitText as splitTextTo,
} from '../../src/index.js';

/** Slack's limits: 3,000 characters a section, 50 blocks a message. */
export const SECTION_LIMIT = 3_000;
export const BLOCK_LIMIT = 50;
/** A few blocks of room under 50 for the button and a margin. */
const SECTIONS_PER_MESSAGE = 45;
/** Slack refuses messages with much more than about 13k characters of blocks in all. */
export const CHARS_PER_MESSAGE = 12_000;

export const ANSWER_ACTION_ID = 'canevas_answer';
export const REMIND_ACTION_ID = 'canevas_remind';

export type Block = types.KnownBlock;

/** Splits text to Slack's section limit by default. */
export function splitText(text: string, limit = SECTION_LIMIT): string[] {
  return splitTextTo(text, limit);
}

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: text || ' ' } });

/**
 * The messages of one post: the first goes to the channel (or thread), the others continue it in
 * the thread. Each carries `text` as its fallback and blocks within Slack's limits.
 */
export function layoutPost(post: OutboundPost): { text: string; blocks: Block[] }[] {
  const messages: { text: string; blocks: Block[] }[] = [];
  let part: string[] = [];
  let size = 0;
  const flush = () => {
    if (part.length) messages.push({ text: part.join('\n').slice(0, 3_900), blocks: part.map(section) });
    part = [];
    size = 0;
  };
  for (const piece of splitText(post.text)) {
    if (part.length >= SECTIONS_PER_MESSAGE || size + piece.length > CHARS_PER_MESSAGE) flush();
    part.push(piece);
    size += piece.length;
  }
  flush();
  const first = messages[0];
  if (first && post.kind === 'question' && post.question) first.blocks.push(answerButton(post.question));
  if (first && post.kind === 'round' && post.round) first.blocks.push(remindButton(post.round));
  return messages;
}

function answerButton(q: NonNullable<OutboundPost['question']>): Block {
  return {
    type: 'actions',
    block_id: `canevas_answer_${q.blockId}`.slice(0, 255),
    elements: [
      {
        type: 'button',
        action_id: ANSWER_ACTION_ID,
        text: { type: 'plain_text', text: `✍️ ${answerFormWords(q.lang).button}`, emoji: true },
        // The form it opens speaks the campaign's language without looking the campaign up.
        value: q.lang,
        style: 'primary',
      },
    ],
  };
}

/** A press runs `/canevas remind-me on` for the one who pressed. */
function remindButton(round: NonNullable<OutboundPost['round']>): Block {
  return {
    type: 'actions',
    block_id: `canevas_remind_${round.roundId}`.slice(0, 255),
    elements: [
      {
        type: 'button',
        action_id: REMIND_ACTION_ID,
        text: { type: 'plain_text', text: `🔔 ${remindWords(round.lang).button}`, emoji: true },
        value: round.lang,
      },
    ],
  };
}
