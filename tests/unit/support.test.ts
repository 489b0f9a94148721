import { describe, expect, it } from 'vitest';
import { transition } from '../../src/facilitation/machine.js';
import { bySupport, supportEmoji, supportOf } from '../../src/facilitation/support.js';
import type { Campaign, CampaignEvent } from '../../src/facilitation/types.js';
import { ada, newCampaign, T0 } from '../fixtures/campaigns.js';

const ben = { id: 'ben', name: 'Ben' };
const chloe = { id: 'chloe', name: 'Chloé' };

function step(c: Campaign, event: CampaignEvent): Campaign {
  const result = transition(c, event, T0);
  if (!result.ok) throw new Error(result.error);
  return result.campaign;
}

function withAnswers(): Campaign {
  let c = step(newCampaign(), { type: 'start', actor: ada });
  for (const [id, author] of [
    ['m1', ben],
    ['m2', chloe],
  ] as const)
    c = step(c, {
      type: 'answer-added',
      answer: { id, blockId: 'def.resource', author, text: `answer ${id}`, source: 'thread' },
    });
  return c;
}

function answerOf(c: Campaign, id: string) {
  const answer = c.answers[id];
  if (!answer) throw new Error(`no answer ${id}`);
  return answer;
}

const react = (answerId: string, person: typeof ben, emoji: string, added = true): CampaignEvent => ({
  type: 'reaction',
  answerId,
  person,
  emoji,
  added,
});

describe('support emoji', () => {
  it('reads Unicode with any skin tone and Slack’s names, and nothing else', () => {
    expect(supportEmoji('👍')).toBe('👍');
    expect(supportEmoji('👍🏽')).toBe('👍');
    expect(supportEmoji('+1::skin-tone-3')).toBe('👍');
    expect(supportEmoji(':thumbsup:')).toBe('👍');
    expect(supportEmoji('white_check_mark')).toBe('✅');
    expect(supportEmoji('heavy_plus_sign')).toBe('➕');
    expect(supportEmoji('-1')).toBe('👎');
    expect(supportEmoji('👎🏿')).toBe('👎');
    for (const other of ['❤️', 'tada', 'eyes', '', '👍👍']) expect(supportEmoji(other), other).toBeUndefined();
  });
});

describe('support on answers', () => {
  it('counts each member once, never the author, and removing a reaction removes it', () => {
    let c = withAnswers();
    c = step(c, react('m1', chloe, '👍'));
    c = step(c, react('m1', chloe, '✅'));
    c = step(c, react('m1', ben, '👍'));
    c = step(c, react('m1', ada, '👎'));
    expect(supportOf(answerOf(c, 'm1'))).toEqual({ agree: ['chloe'], disagree: ['ada'] });
    c = step(c, react('m1', chloe, '👍', false));
    expect(supportOf(answerOf(c, 'm1')).agree).toEqual(['chloe']);
    c = step(c, react('m1', chloe, 'white_check_mark', false));
    expect(supportOf(answerOf(c, 'm1')).agree).toEqual([]);
  });

  it('ignores other emoji, messages that are not answers, and a reaction given twice', () => {
    const c = withAnswers();
    expect(transition(c, react('m1', chloe, '🎉'), T0)).toEqual({ ok: true, campaign: c, effects: [] });
    expect(transition(c, react('nope', chloe, '👍'), T0)).toEqual({ ok: true, campaign: c, effects: [] });
    const once = step(c, react('m1', chloe, '👍'));
    expect(transition(once, react('m1', chloe, '👍'), T0)).toEqual({ ok: true, campaign: once, effects: [] });
  });

  it('orders answers by support: most agreed first, then least disagreed, then oldest', () => {
    let c = withAnswers();
    expect(bySupport(Object.values(c.answers)).map((a) => a.id)).toEqual(['m1', 'm2']);
    c = step(c, react('m2', ben, '👍'));
    expect(bySupport(Object.values(c.answers)).map((a) => a.id)).toEqual(['m2', 'm1']);
    c = step(c, react('m1', chloe, '👍'));
    c = step(c, react('m1', ada, '👎'));
    expect(bySupport(Object.values(c.answers)).map((a) => a.id)).toEqual(['m2', 'm1']);
  });
});
