import { describe, expect, it } from 'vitest';
import { createCampaign, transition } from '../../src/facilitation/machine.js';
import { openRound, roundsOf } from '../../src/facilitation/rounds.js';
import type { Campaign, CampaignEvent, Effect } from '../../src/facilitation/types.js';
import { ada, campaignInit, newCampaign, newWorkshop, T0 } from '../fixtures/campaigns.js';

const ROUNDS = [
  { id: 'share', blockIds: ['def.resource', 'def.purpose', 'def.values'] },
  { id: 'who', blockIds: ['def.stakeholders', 'def.community'] },
  { id: 'ops', blockIds: ['fct.circles', 'fct.decision', 'fct.roles'] },
];

function step(campaign: Campaign, event: CampaignEvent, now = T0): { campaign: Campaign; effects: Effect[] } {
  const result = transition(campaign, event, now);
  if (!result.ok) throw new Error(`refused: ${result.error}`);
  return result;
}

const statuses = (c: Campaign) => Object.fromEntries(c.questions.map((q) => [q.blockId, q.status]));
const roundStatuses = (c: Campaign) => roundsOf(c).map((r) => `${r.id}:${r.status}`);
const types = (effects: Effect[]) =>
  effects.map((e) =>
    e.type === 'post-question' || e.type === 'close-question'
      ? `${e.type}:${e.blockId}`
      : e.type === 'post-round' || e.type === 'schedule-reminder'
        ? `${e.type}:${e.roundId}`
        : e.type,
  );

describe('createCampaign with rounds', () => {
  it('keeps a workshop’s rounds, in order, all pending, and asks the questions in that order', () => {
    const c = newWorkshop(ROUNDS);
    expect(c.format).toBe('workshop');
    expect(c.rounds).toEqual(ROUNDS.map((r) => ({ ...r, status: 'pending' })));
    expect(c.questions.map((q) => q.blockId)).toEqual(ROUNDS.flatMap((r) => r.blockIds));
  });

  it('gives a drip one round per block, whatever rounds are passed', () => {
    const c = createCampaign({ ...newWorkshopInit(), format: 'drip' });
    expect(c.rounds?.map((r) => r.blockIds)).toEqual(ROUNDS.flatMap((r) => r.blockIds).map((b) => [b]));
  });

  it('puts a block named twice in its first round only, and a block no round names in one of its own', () => {
    const c = createCampaign({
      ...newWorkshopInit(),
      blockIds: ['a.x', 'a.y', 'a.z'],
      rounds: [
        { id: 'one', blockIds: ['a.x', 'a.y'] },
        { id: 'two', blockIds: ['a.y', 'nope.b'] },
      ],
    });
    expect(c.rounds?.map((r) => [r.id, r.blockIds])).toEqual([
      ['one', ['a.x', 'a.y']],
      ['a.z', ['a.z']],
    ]);
  });
});

const newWorkshopInit = () =>
  campaignInit({ id: 'w', blockIds: ROUNDS.flatMap((r) => r.blockIds), format: 'workshop', rounds: ROUNDS });

describe('a workshop campaign', () => {
  it('opens the first round’s questions together at start: round post, questions, reminders, progress', () => {
    const { campaign, effects } = step(newWorkshop(ROUNDS), { type: 'start', actor: ada });
    // The introduction opens the first round post: one post, not two.
    expect(types(effects)).toEqual([
      'post-round:share',
      'post-question:def.resource',
      'post-question:def.purpose',
      'post-question:def.values',
      'schedule-reminder:share',
      'set-schedule',
      'update-progress',
      'reply',
    ]);
    expect(roundStatuses(campaign)).toEqual(['share:open', 'who:pending', 'ops:pending']);
    expect(statuses(campaign)['def.values']).toBe('open');
    expect(statuses(campaign)['def.stakeholders']).toBe('pending');
    // T0 is Tuesday 1 December 10:00 in Paris: the round closes on Thursday's run.
    expect(openRound(campaign)).toMatchObject({
      openedAt: T0.toISOString(),
      closesAt: '2026-12-03T09:00:00.000Z',
    });
  });

  it('closes the open round and opens the next on a tick; late answers still count', () => {
    const started = step(newWorkshop(ROUNDS), { type: 'start', actor: ada }).campaign;
    const tick = new Date('2026-12-03T09:00:00Z');
    const { campaign, effects } = step(started, { type: 'tick' }, tick);
    expect(types(effects)).toEqual([
      'close-question:def.resource',
      'close-question:def.purpose',
      'close-question:def.values',
      'post-round:who',
      'post-question:def.stakeholders',
      'post-question:def.community',
      'schedule-reminder:who',
      'update-progress',
    ]);
    expect(roundStatuses(campaign)).toEqual(['share:closed', 'who:open', 'ops:pending']);
    expect(roundsOf(campaign)[0]?.closedAt).toBe(tick.toISOString());
    // Thursday 3 December to Tuesday 8 December, 10:00 in Paris.
    expect(openRound(campaign)?.closesAt).toBe('2026-12-08T09:00:00.000Z');
    const late = step(campaign, {
      type: 'answer-added',
      answer: { id: 'm1', blockId: 'def.purpose', author: ada, text: 'late but welcome', source: 'thread' },
    });
    expect(Object.keys(late.campaign.answers)).toEqual(['m1']);
  });

  it('`next` moves on now, with the next run as the new round’s deadline', () => {
    const started = step(newWorkshop(ROUNDS), { type: 'start', actor: ada }).campaign;
    const wednesday = new Date('2026-12-02T15:00:00Z');
    const { campaign } = step(started, { type: 'next', actor: ada }, wednesday);
    expect(roundStatuses(campaign)).toEqual(['share:closed', 'who:open', 'ops:pending']);
    expect(openRound(campaign)?.closesAt).toBe('2026-12-03T09:00:00.000Z');
  });

  it('`skip` skips every open question of the round with one notice, and opens the next round', () => {
    const started = step(newWorkshop(ROUNDS), { type: 'start', actor: ada }).campaign;
    const { campaign, effects } = step(started, { type: 'skip', actor: ada });
    expect(statuses(campaign)).toMatchObject({
      'def.resource': 'skipped',
      'def.purpose': 'skipped',
      'def.values': 'skipped',
      'def.stakeholders': 'open',
    });
    expect(effects.filter((e) => e.type === 'notice')).toEqual([
      { type: 'notice', key: 'notice-round-skipped', vars: { roundId: 'share' } },
    ]);
  });

  it('completes when the last round closes, and refuses `next` after that', () => {
    let c = step(newWorkshop(ROUNDS), { type: 'start', actor: ada }).campaign;
    c = step(c, { type: 'tick' }).campaign;
    c = step(c, { type: 'tick' }).campaign;
    expect(roundStatuses(c)).toEqual(['share:closed', 'who:closed', 'ops:open']);
    const last = step(c, { type: 'tick' });
    expect(last.campaign.status).toBe('completed');
    expect(roundStatuses(last.campaign)).toEqual(['share:closed', 'who:closed', 'ops:closed']);
    expect(last.campaign.questions.every((q) => q.status === 'closed')).toBe(true);
    expect(types(last.effects)).toContain('compile-canvas');
    const refused = transition(last.campaign, { type: 'next', actor: ada }, T0);
    expect(refused.ok).toBe(false);
  });

  it('moves the open round’s deadline with a new cadence and on resume', () => {
    const started = step(newWorkshop(ROUNDS), { type: 'start', actor: ada }).campaign;
    const daily = step(started, { type: 'schedule', actor: ada, cadence: 'daily' }).campaign;
    expect(openRound(daily)?.closesAt).toBe('2026-12-02T09:00:00.000Z');
    const paused = step(daily, { type: 'pause', actor: ada }).campaign;
    const resumed = step(paused, { type: 'resume', actor: ada }, new Date('2026-12-05T12:00:00Z')).campaign;
    expect(openRound(resumed)?.closesAt).toBe('2026-12-06T09:00:00.000Z');
  });

  it('sets deadlines in local time across the DST changes, both ways', () => {
    // Autumn: Thursday 22 October 2026 10:00 CEST; the clocks go back on Sunday 25th.
    const autumn = new Date('2026-10-22T08:00:00Z');
    const a = step(newWorkshop(ROUNDS), { type: 'start', actor: ada }, autumn).campaign;
    expect(openRound(a)?.closesAt).toBe('2026-10-27T09:00:00.000Z');
    // Spring: Thursday 26 March 2026 10:00 CET; the clocks go forward on Sunday 29th.
    const spring = new Date('2026-03-26T09:00:00Z');
    const s = step(newWorkshop(ROUNDS), { type: 'start', actor: ada }, spring).campaign;
    expect(openRound(s)?.closesAt).toBe('2026-03-31T08:00:00.000Z');
  });
});

describe('a drip campaign', () => {
  it('asks one block per round, as before rounds, without round posts', () => {
    const { campaign, effects } = step(newCampaign(), { type: 'start', actor: ada });
    expect(types(effects)).toEqual([
      'post-intro',
      'post-question:def.resource',
      'schedule-reminder:def.resource',
      'set-schedule',
      'update-progress',
      'reply',
    ]);
    expect(roundStatuses(campaign)).toEqual([
      'def.resource:open',
      'def.purpose:pending',
      'def.values:pending',
    ]);
    expect(openRound(campaign)?.closesAt).toBe('2026-12-03T09:00:00.000Z');
    const skipped = step(campaign, { type: 'skip', actor: ada });
    expect(skipped.effects.filter((e) => e.type === 'notice')).toEqual([
      { type: 'notice', key: 'notice-skipped', vars: { blockId: 'def.resource' } },
    ]);
  });

  it('runs a campaign stored before rounds existed as drip, and stores its rounds from then on', () => {
    const started = step(newCampaign(), { type: 'start', actor: ada }).campaign;
    const { format: _f, rounds: _r, ...old } = started;
    expect(roundsOf(old)).toEqual([
      { id: 'def.resource', blockIds: ['def.resource'], status: 'open', openedAt: T0.toISOString() },
      { id: 'def.purpose', blockIds: ['def.purpose'], status: 'pending' },
      { id: 'def.values', blockIds: ['def.values'], status: 'pending' },
    ]);
    const { campaign, effects } = step(old, { type: 'tick' });
    expect(types(effects)).not.toContain('post-round:def.purpose');
    expect(roundStatuses(campaign)).toEqual([
      'def.resource:closed',
      'def.purpose:open',
      'def.values:pending',
    ]);
    expect(statuses(campaign)).toMatchObject({ 'def.resource': 'closed', 'def.purpose': 'open' });
  });
});
