import { describe, expect, it } from 'vitest';
import { isReactionEmoji } from '../../adapters/playground/reaction-emoji.js';

describe('a reaction in the playground', () => {
  it('is one emoji, skin tone, joiners, flag or keycap included', () => {
    for (const emoji of ['👍', '👎', '✅', '➕', '👍🏽', '❤️', '👩‍👩‍👧‍👦', '🇫🇷', '1️⃣', '🏳️‍🌈'])
      expect(isReactionEmoji(emoji), emoji).toBe(true);
  });

  it('is not text, two emoji, blank, or longer than a reaction', () => {
    for (const text of [
      '',
      'a',
      '+1',
      ':thumbsup:',
      '👍👍',
      '👍 ',
      ' 👍',
      '👍\n',
      '1',
      '%F0%9F%91%8D',
      '\u200d',
    ])
      expect(isReactionEmoji(text), JSON.stringify(text)).toBe(false);
    // One grapheme, but more combining marks than any emoji has.
    expect(isReactionEmoji(`👍${'\u0301'.repeat(20)}`)).toBe(false);
  });
});
