import { compareInstants } from './instant-order.js';
import type { Answer } from './types.js';

/** Agreement and disagreement on an answer: the ids of the members who said so, its author aside. */
export interface Support {
  agree: string[];
  disagree: string[];
}

/** The reactions that mean something, by their base emoji; every other reaction is left alone. */
const AGREE = ['👍', '✅', '➕'] as const;
const DISAGREE = ['👎'] as const;
export type SupportEmoji = (typeof AGREE)[number] | (typeof DISAGREE)[number];

/** Slack names its emoji; the same reactions by name (with or without colons). */
const SLACK_NAMES: Record<string, SupportEmoji> = {
  '+1': '👍',
  thumbsup: '👍',
  white_check_mark: '✅',
  heavy_check_mark: '✅',
  heavy_plus_sign: '➕',
  '-1': '👎',
  thumbsdown: '👎',
};

/** Skin tones and the emoji presentation selector change how an emoji looks, not what it says. */
const MODIFIERS = /[\u{1F3FB}-\u{1F3FF}\uFE0F]/gu;

/**
 * The support emoji a platform's reaction stands for: 👍 (any skin tone), `:+1::skin-tone-3:`, ✅, ➕
 * or 👎; undefined for any other reaction.
 */
export function supportEmoji(reaction: string): SupportEmoji | undefined {
  const name = reaction.replace(/^:|:$/g, '').split('::')[0] ?? '';
  const named = SLACK_NAMES[name];
  if (named) return named;
  const base = reaction.replace(MODIFIERS, '');
  return ([...AGREE, ...DISAGREE] as string[]).includes(base) ? (base as SupportEmoji) : undefined;
}

/** Who agrees and who disagrees with an answer; one person counts once, however many emoji they used. */
export function supportOf(answer: Pick<Answer, 'reactions' | 'author'>): Support {
  const reactions = answer.reactions;
  // Most answers have no reaction: no set to build (a canvas compiles thousands of them).
  if (!reactions) return { agree: [], disagree: [] };
  return {
    agree: reactedWith(reactions, AGREE, answer.author.id),
    disagree: reactedWith(reactions, DISAGREE, answer.author.id),
  };
}

/** The ids of who reacted with any of `emoji`, once each, the author aside. */
function reactedWith(
  reactions: Record<string, string[]>,
  emoji: readonly string[],
  authorId: string,
): string[] {
  const ids = new Set<string>();
  for (const e of emoji) for (const id of reactions[e] ?? []) ids.add(id);
  ids.delete(authorId);
  return [...ids];
}

/** Answers in the order people see them everywhere: most agreed first, then least disagreed, then oldest. */
export function bySupport<A extends Pick<Answer, 'reactions' | 'author' | 'createdAt' | 'id'>>(
  answers: A[],
): A[] {
  return withSupport(answers).map(({ answer }) => answer);
}

/** `bySupport`, each answer with its support, for callers that show it (worked out once per answer). */
export function withSupport<A extends Pick<Answer, 'reactions' | 'author' | 'createdAt' | 'id'>>(
  answers: A[],
): { answer: A; support: Support }[] {
  const scored = answers.map((answer) => ({ answer, support: supportOf(answer) }));
  scored.sort(bySupportThenAge);
  return scored;
}

function bySupportThenAge(
  x: { answer: Pick<Answer, 'createdAt' | 'id'>; support: Support },
  y: { answer: Pick<Answer, 'createdAt' | 'id'>; support: Support },
): number {
  return (
    y.support.agree.length - x.support.agree.length ||
    x.support.disagree.length - y.support.disagree.length ||
    compareInstants(x.answer.createdAt, y.answer.createdAt) ||
    x.answer.id.localeCompare(y.answer.id)
  );
}
