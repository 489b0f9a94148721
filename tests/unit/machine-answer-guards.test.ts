import { describe, expect, it } from 'vitest';
import { transition } from '../../src/facilitation/machine.js';
import type { Campaign, CampaignEvent, Person } from '../../src/facilitation/types.js';
import { ada, newCampaign, T0 } from '../fixtures/campaigns.js';

/** What the machine refuses before anything is stored: invisible answers and edits by someone else. */
const benAsAuthor: Person = { id: 'ben', name: 'Ben' };

function running(): Campaign {
  const result = transition(newCampaign(), { type: 'start', actor: ada }, T0);
  if (!result.ok) throw new Error(result.error);
  return result.campaign;
}

const added = (text: string, id = 'm1'): CampaignEvent => ({
  type: 'answer-added',
  answer: { id, blockId: 'def.resource', author: benAsAuthor, text, source: 'thread' },
});

function withAnswer(text = 'A map of repair points'): Campaign {
  const result = transition(running(), added(text), T0);
  if (!result.ok) throw new Error(result.error);
  return result.campaign;
}

const INVISIBLE_TEXTS: [string, string][] = [
  ['zero-width space, non-joiner and joiner', '\u200B\u200C\u200D'],
  ['word joiner and byte-order mark', '\u2060\uFEFF'],
  ['control characters', '\u0000\u0007\u001B\u007F'],
  ['white space of every width', ' \t\n\u00A0\u2003\u3000'],
  ['direction marks and a soft hyphen', '\u200E\u200F\u00AD'],
  ['a Hangul filler and a blank braille pattern', '\u3164\u2800'],
  ['a mix', ' \u200B\n\uFEFF\u0007 '],
];

describe('an answer that shows nothing', () => {
  it.each(INVISIBLE_TEXTS)('is refused when added: %s', (_name, text) => {
    expect(transition(running(), added(text), T0)).toMatchObject({ ok: false, error: 'empty-answer' });
  });

  it.each(INVISIBLE_TEXTS)('is refused as an edit: %s', (_name, text) => {
    const event: CampaignEvent = { type: 'answer-edited', answerId: 'm1', text, author: benAsAuthor };
    expect(transition(withAnswer(), event, T0)).toMatchObject({ ok: false, error: 'empty-answer' });
  });

  it('accepts visible text among invisible characters and stores it exactly as written', () => {
    const text = '\u200B yes \uFEFF\n';
    const result = transition(running(), added(text), T0);
    expect(result.ok).toBe(true);
    expect(result.ok && result.campaign.answers.m1?.text).toBe(text);
    // Marks and emoji built with joiners are visible.
    for (const visible of ['\u0301', '👨\u200D👩\u200D👧', '🌱']) {
      expect(transition(running(), added(visible, 'm2'), T0).ok).toBe(true);
    }
  });
});

describe('an edit said to come from someone other than the author', () => {
  it('changes nothing and has no effect', () => {
    const c = withAnswer('The original');
    const forged: CampaignEvent = {
      type: 'answer-edited',
      answerId: 'm1',
      text: 'Hijacked',
      author: { id: 'eve', name: 'Eve' },
    };
    expect(transition(c, forged, T0)).toEqual({ ok: true, campaign: c, effects: [] });
  });

  it('is applied when the author edits, or when the platform names no one', () => {
    const c = withAnswer('The original');
    for (const author of [benAsAuthor, undefined]) {
      const event: CampaignEvent = {
        type: 'answer-edited',
        answerId: 'm1',
        text: 'Rewritten',
        ...(author ? { author } : {}),
      };
      const result = transition(c, event, T0);
      expect(result.ok && result.campaign.answers.m1?.text).toBe('Rewritten');
      expect(result.ok && result.effects).toEqual([{ type: 'update-progress' }]);
    }
  });
});
