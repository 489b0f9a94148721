import type { types } from '@slack/bolt';
import {
  type ActionButton,
  answerFormWords,
  clip,
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
/** The callback id of the forms the core asks for (see forms.ts). */
export const CORE_FORM_CALLBACK = 'canevas_core_form';

export type Block = types.KnownBlock;

/** Splits text to Slack's section limit by default. */
export function splitText(text: string, limit = SECTION_LIMIT): string[] {
  return splitTextTo(text, limit);
}

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: text || ' ' } });

/**
 * The messages of one post: the first goes to the channel (or thread), the others continue it in
 * the thread. Each carries `text` as its fallback and blocks within Slack's limits. The buttons (the
 * adapter's own, then the core's) close the first message, whose text leaves them room.
 */
export function layoutPost(post: OutboundPost): { text: string; blocks: Block[] }[] {
  const buttons = buttonBlocks(post);
  const buttonChars = buttons.reduce((n, b) => n + JSON.stringify(b).length, 0);
  const messages: { text: string; blocks: Block[] }[] = [];
  let part: string[] = [];
  let size = 0;
  const flush = () => {
    if (part.length) messages.push({ text: part.join('\n').slice(0, 3_900), blocks: part.map(section) });
    part = [];
    size = 0;
  };
  for (const piece of splitText(post.text)) {
    const first = messages.length === 0;
    const maxSections = first
      ? Math.min(SECTIONS_PER_MESSAGE, BLOCK_LIMIT - buttons.length)
      : SECTIONS_PER_MESSAGE;
    const maxChars = first ? CHARS_PER_MESSAGE - buttonChars : CHARS_PER_MESSAGE;
    if (part.length > 0 && (part.length >= maxSections || size + piece.length > maxChars)) flush();
    part.push(piece);
    size += piece.length;
  }
  flush();
  messages[0]?.blocks.push(...buttons);
  return messages;
}

/** The adapter's own button (Answer on a question, Remind me on a round), then the core's. */
function buttonBlocks(post: OutboundPost): Block[] {
  const own: Block[] = [];
  if (post.kind === 'question' && post.question) own.push(answerButton(post.question));
  if (post.kind === 'round' && post.round) own.push(remindButton(post.round));
  // At least one section stays: a message of buttons alone would have no text to show. Rows that would
  // not fit are packed 25 buttons a block, groups or not, rather than lost.
  const room = BLOCK_LIMIT - 1 - own.length;
  const rows = coreButtonBlocks(post.buttons ?? []);
  const core = rows.length <= room ? rows : coreButtonBlocks(post.buttons ?? [], false);
  return [...own, ...core].slice(0, BLOCK_LIMIT - 1);
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

/** Slack's limits for buttons: 25 elements an actions block, 75 characters a label. */
export const ACTIONS_PER_BLOCK = 25;
const LABEL_LIMIT = 75;

/**
 * A core button's id is its action id: ids start with `cv|` (no id of the adapter's own does), so one
 * listener takes them all (CORE_ACTION), and the id comes back with the press as it was drawn.
 */
export const CORE_ACTION = /^cv\|/;
export const isCoreAction = (actionId: string) => CORE_ACTION.test(actionId);

/**
 * The core's buttons as actions blocks: one per `group` (in the order groups first appear), split at
 * 25 buttons; with `grouped` false, all in as few blocks as hold them. Slack refuses a whole message
 * whose block holds one action id twice, so a repeated id is drawn once.
 */
export function coreButtonBlocks(buttons: readonly ActionButton[], grouped = true): Block[] {
  const groups = new Map<string, ActionButton[]>();
  const seen = new Set<string>();
  for (const button of buttons) {
    if (seen.has(button.id) || !isCoreAction(button.id)) continue;
    seen.add(button.id);
    const key = grouped ? (button.group ?? '') : '';
    groups.set(key, [...(groups.get(key) ?? []), button]);
  }
  const blocks: Block[] = [];
  for (const members of groups.values()) {
    for (let at = 0; at < members.length; at += ACTIONS_PER_BLOCK) {
      blocks.push({
        type: 'actions',
        // Unique in the message, as Slack wants; the group is there for whoever reads the payload.
        block_id: `canevas_core_${blocks.length}_${members[0]?.group ?? ''}`.slice(0, 255),
        elements: members.slice(at, at + ACTIONS_PER_BLOCK).map(coreButton),
      });
    }
  }
  return blocks;
}

function coreButton(button: ActionButton): types.Button {
  return {
    type: 'button',
    action_id: button.id,
    text: { type: 'plain_text', text: clip(button.label, LABEL_LIMIT), emoji: true },
    ...(button.style ? { style: button.style } : {}),
  };
}

export { clip };
