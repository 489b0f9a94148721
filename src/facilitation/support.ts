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
  const who = (emoji: readonly string[]) => {
    const ids = new Set<string>();
    for (const e of emoji) for (const id of answer.reactions?.[e] ?? []) ids.add(id);
    ids.delete(answer.author.id);
    return [...ids];
  };
  return { agree: who(AGREE), disagree: who(DISAGREE) };
}

/** Answers in the order people see them everywhere: most agreed first, then least disagreed, then oldest. */
export function bySupport<A extends Pick<Answer, 'reactions' | 'author' | 'createdAt' | 'id'>>(
  answers: A[],
): A[] {
  const scored = answers.map((a) => ({ a, s: supportOf(a) }));
  scored.sort(
    (x, y) =>
      y.s.agree.length - x.s.agree.length ||
      x.s.disagree.length - y.s.disagree.length ||
      x.a.createdAt.localeCompare(y.a.createdAt) ||
      x.a.id.localeCompare(y.a.id),
  );
  return scored.map(({ a }) => a);
}
