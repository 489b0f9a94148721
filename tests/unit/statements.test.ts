import { describe, expect, it } from 'vitest';
import { transition } from '../../src/facilitation/machine.js';
import { parseCommand } from '../../src/facilitation/parse-command.js';
import { currentStances, statementStatus } from '../../src/facilitation/statements.js';
import type { Campaign, CampaignEvent, Stance } from '../../src/facilitation/types.js';
import { ada, newCampaign, T0 } from '../fixtures/campaigns.js';

const ben = { id: 'ben', name: 'Ben' };
const chloe = { id: 'chloe', name: 'Chloé' };
const BLOCK = 'def.resource';
const hours = (h: number) => new Date(T0.getTime() + h * 3600_000);

function step(c: Campaign, event: CampaignEvent, at = T0): Campaign {
  const result = transition(c, event, at);
  if (!result.ok) throw new Error(result.error);
  return result.campaign;
}

const started = () => step(newCampaign(), { type: 'start', actor: ada });
const write = (text: string, actor = ada): CampaignEvent => ({
  type: 'statement',
  actor,
  blockId: BLOCK,
  text,
});
const stance = (person: typeof ben, s: Stance, version = 1, reason?: string): CampaignEvent => ({
  type: 'stance',
  person,
  blockId: BLOCK,
  version,
  stance: s,
  ...(reason ? { reason } : {}),
});
const statusOf = (c: Campaign, at = T0) => statementStatus(c, c.statements?.[BLOCK], at);

describe('a shared statement', () => {
  it('is written by an admin, posted once for consent, then the post is edited', () => {
    const first = transition(started(), write('  We share a map of bike-friendly places.  '), T0);
    expect(first.ok && first.effects.map((e) => e.type)).toEqual(['post-consent', 'reply']);
    if (!first.ok) return;
    expect(first.campaign.statements?.[BLOCK]?.versions[0]).toMatchObject({
      text: 'We share a map of bike-friendly places.',
      by: { id: 'ada', name: 'Ada' },
      closesAt: hours(72).toISOString(),
      stances: [],
    });
    expect(statusOf(first.campaign)).toBe('consent-open');
    const again = transition(first.campaign, stance(ben, 'consent'), T0);
    expect(again.ok && again.effects.map((e) => e.type)).toEqual(['update-consent', 'reply']);
  });

  it('refuses a member who is not an admin, an empty text and an unknown block', () => {
    const c = started();
    expect(transition(c, write('text', { ...ben, isAdmin: false }), T0)).toMatchObject({
      error: 'not-admin',
    });
    expect(transition(c, write('   '), T0)).toMatchObject({ error: 'empty-statement' });
    expect(transition(c, { ...write('x'), blockId: 'nope' } as CampaignEvent, T0)).toMatchObject({
      error: 'unknown-block',
    });
  });

  it('is agreed once the quorum took part and no objection stands; one stance per member', () => {
    let c = step(started(), write('Our map'));
    c = step(c, stance(ben, 'consent'));
    expect(statusOf(c)).toBe('consent-open');
    c = step(c, stance(ben, 'concern', 1, 'Name the licence'));
    c = step(c, stance(chloe, 'consent'));
    expect(statusOf(c)).toBe('agreed');
    const version = c.statements?.[BLOCK]?.versions[0];
    expect(version?.stances).toHaveLength(3);
    expect(currentStances(version ?? never()).map((s) => [s.author.id, s.stance])).toEqual([
      ['ben', 'concern'],
      ['chloe', 'consent'],
    ]);
  });

  it('stays objected until the objection is withdrawn or the text revised, which resets the stances', () => {
    let c = step(started(), write('Our map'));
    expect(transition(c, stance(chloe, 'objection'), T0)).toMatchObject({ error: 'reason-required' });
    const objected = transition(c, stance(chloe, 'objection', 1, 'It forgets the data licence'), T0);
    expect(objected.ok && objected.effects.map((e) => e.type)).toEqual([
      'update-consent',
      'post-stance',
      'reply',
    ]);
    c = step(c, stance(chloe, 'objection', 1, 'It forgets the data licence'));
    c = step(c, stance(ben, 'consent'));
    expect(statusOf(c)).toBe('objected');
    const withdrawn = step(c, stance(chloe, 'consent'));
    expect(statusOf(withdrawn)).toBe('agreed');
    c = step(c, write('Our map, its data under ODbL'));
    expect(c.statements?.[BLOCK]?.versions).toHaveLength(2);
    expect(statusOf(c)).toBe('consent-open');
    expect(transition(c, stance(ben, 'consent', 1), T0)).toMatchObject({ error: 'statement-revised' });
    c = step(c, stance(ben, 'consent', 2));
    c = step(c, stance(chloe, 'consent', 2));
    expect(statusOf(c)).toBe('agreed');
    // Everything is kept: both versions, every stance with its reason.
    expect(c.statements?.[BLOCK]?.versions[0]?.stances.map((s) => s.reason ?? '')).toContain(
      'It forgets the data licence',
    );
  });

  it('refuses a stance once its consent round has closed, or after stop; without the quorum it is a draft', () => {
    const c = step(started(), write('Our map'));
    expect(transition(c, stance(ben, 'consent'), hours(73))).toMatchObject({ error: 'consent-closed' });
    expect(statusOf(step(c, stance(ben, 'consent')), hours(73))).toBe('draft');
    const stopped = step(c, { type: 'stop', actor: ada });
    expect(transition(stopped, stance(ben, 'consent'), T0)).toMatchObject({ error: 'campaign-ended' });
    expect(transition(started(), stance(ben, 'consent'), T0)).toMatchObject({ error: 'no-statement' });
  });
});

function never(): never {
  throw new Error('missing');
}

describe('consent settings', () => {
  it('reads consent: in days or hours and quorum:, at start or with schedule, and refuses nonsense', () => {
    expect(parseCommand('start consent:2d quorum:3')).toMatchObject({ consentHours: 48, quorum: 3 });
    expect(parseCommand('schedule consent:36h')).toMatchObject({ name: 'schedule', consentHours: 36 });
    for (const bad of ['consent:0d', 'consent:soon', 'consent:40d', 'quorum:0', 'quorum:many'])
      expect(parseCommand(`schedule ${bad}`), bad).toMatchObject({ error: 'bad-argument' });
  });

  it('opens a consent round for as long as the campaign says, and needs its quorum', () => {
    let c = step(started(), { type: 'schedule', actor: ada, consentHours: 24, quorum: 3 });
    c = step(c, write('Our map'));
    expect(c.statements?.[BLOCK]?.versions[0]?.closesAt).toBe(hours(24).toISOString());
    c = step(step(c, stance(ben, 'consent')), stance(chloe, 'consent'));
    expect(statusOf(c)).toBe('consent-open');
    c = step(c, stance({ id: 'dan', name: 'Dan' }, 'consent'));
    expect(statusOf(c)).toBe('agreed');
  });
});

describe('where a round’s statements are shown', () => {
  it('in the next round’s post once it is out (one post, not two), else in a consent post of their own', () => {
    const moved = step(started(), { type: 'next', actor: ada });
    const hosted = transition(moved, write('Our map'), T0);
    expect(hosted.ok && hosted.effects.map((e) => e.type)).toEqual(['update-consent', 'reply']);
    expect(hosted.ok && hosted.campaign.consentRounds).toBeUndefined();
    // Written while its round is still open: a consent post of its own, kept for later versions too.
    const own = step(started(), write('Our map'));
    expect(own.consentRounds).toEqual([BLOCK]);
    const revised = transition(step(own, { type: 'next', actor: ada }), write('Our map, v2'), T0);
    expect(revised.ok && revised.effects.map((e) => e.type)).toEqual(['update-consent', 'reply']);
    expect(revised.ok && revised.campaign.consentRounds).toEqual([BLOCK]);
  });
});
