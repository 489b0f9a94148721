import { describe, expect, it } from 'vitest';
import {
  activeAnswers,
  createCampaign,
  isAdminEvent,
  openQuestion,
  progressOf,
  transition,
} from '../../src/facilitation/machine.js';
import { reminderTime, roundsOf } from '../../src/facilitation/rounds.js';
import {
  type Actor,
  type Campaign,
  type CampaignEvent,
  type CampaignStatus,
  type Effect,
  MAX_ANSWER_LENGTH,
  type PostRecord,
  type QuestionStatus,
  type TransitionResult,
} from '../../src/facilitation/types.js';
import { ada, ben, newCampaign, T0 } from '../fixtures/campaigns.js';

const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const iso = (minutes: number) => later(minutes).toISOString();

function apply(campaign: Campaign, event: CampaignEvent, now = T0): Campaign {
  const result = transition(campaign, event, now);
  if (!result.ok) throw new Error(`refused: ${result.error}`);
  return result.campaign;
}

function accepted(result: TransitionResult): { campaign: Campaign; effects: Effect[] } {
  if (!result.ok) throw new Error(`refused: ${result.error}`);
  return result;
}

const started = () => apply(newCampaign(), { type: 'start', actor: ada });
const answer = (id: string, blockId = 'def.resource', text = `answer ${id}`): CampaignEvent => ({
  type: 'answer-added',
  answer: { id, blockId, author: { id: 'ben', name: 'Ben' }, text, source: 'thread' },
});

/**
 * A campaign in a given status with given question statuses, for states the events rarely reach.
 * Without stored rounds, as campaigns saved before rounds existed: its rounds follow its questions.
 */
function shaped(status: CampaignStatus, questions: QuestionStatus[]): Campaign {
  const { rounds: _rounds, ...c } = newCampaign(questions.map((_, i) => `b${i}`));
  return {
    ...c,
    status,
    startedAt: status === 'scheduled' ? undefined : T0.toISOString(),
    questions: c.questions.map((q, i) => ({ ...q, status: questions[i] as QuestionStatus })),
  };
}

const completed = () => apply(started(), { type: 'stop', actor: ada });
const cancelled = () => apply(newCampaign(), { type: 'stop', actor: ada });
const paused = () => apply(started(), { type: 'pause', actor: ada });

describe('createCampaign', () => {
  it('makes a scheduled campaign with every question pending and no answer', () => {
    const c = newCampaign();
    expect(c).toMatchObject({ status: 'scheduled', version: 0, answers: {}, createdAt: T0.toISOString() });
    expect(c.questions).toEqual([
      { blockId: 'def.resource', status: 'pending' },
      { blockId: 'def.purpose', status: 'pending' },
      { blockId: 'def.values', status: 'pending' },
    ]);
    expect(c.createdBy).toEqual({ id: 'ada', name: 'Ada' });
  });

  it('asks a block listed twice only once', () => {
    expect(newCampaign(['a', 'b', 'a']).questions.map((q) => q.blockId)).toEqual(['a', 'b']);
  });

  it('does not share objects with its input', () => {
    const channel = { platform: 'slack' as const, workspace: 'T1', channel: 'C1' };
    const c = createCampaign({
      id: 'x',
      channel,
      lang: 'fr',
      tz: 'UTC',
      cadence: 'daily',
      digestCron: '0 9 * * 1',
      templateId: 't',
      blockIds: ['a'],
      createdBy: ada,
      key: 'k',
      now: T0,
    });
    channel.channel = 'C2';
    expect(c.channel.channel).toBe('C1');
  });
});

describe('admins', () => {
  const adminEvents = (actor: Actor): CampaignEvent[] => [
    { type: 'start', actor },
    { type: 'next', actor },
    { type: 'skip', actor },
    { type: 'pause', actor },
    { type: 'resume', actor },
    { type: 'schedule', actor, cadence: 'daily' },
    { type: 'summary', actor },
    { type: 'digest', actor },
    { type: 'export', actor, format: 'md' },
    { type: 'stop', actor },
  ];

  it.each(adminEvents(ben))('refuses $type from a member', (event) => {
    for (const c of [newCampaign(), started(), paused()]) {
      expect(transition(c, event, T0)).toEqual({ ok: false, error: 'not-admin', vars: undefined });
    }
  });

  it('tells admin events from the others', () => {
    expect(adminEvents(ada).every(isAdminEvent)).toBe(true);
    expect(isAdminEvent({ type: 'tick' })).toBe(false);
    expect(isAdminEvent(answer('m1'))).toBe(false);
  });
});

describe('start', () => {
  it('opens the first question: intro, question, reminder, schedule, progress, reply', () => {
    const { campaign, effects } = accepted(transition(newCampaign(), { type: 'start', actor: ada }, T0));
    expect(effects).toEqual([
      { type: 'post-intro' },
      { type: 'post-question', blockId: 'def.resource' },
      { type: 'schedule-reminder', roundId: 'def.resource' },
      { type: 'set-schedule' },
      { type: 'update-progress' },
      { type: 'reply', key: 'reply-started', vars: { workshop: 0 } },
    ]);
    expect(campaign).toMatchObject({ status: 'running', startedAt: T0.toISOString() });
    expect(openQuestion(campaign)).toEqual({
      blockId: 'def.resource',
      status: 'open',
      openedAt: T0.toISOString(),
    });
  });

  it('refuses a second start and a start after the end', () => {
    expect(transition(started(), { type: 'start', actor: ada }, T0)).toMatchObject({
      error: 'already-running',
    });
    expect(transition(paused(), { type: 'start', actor: ada }, T0)).toMatchObject({
      error: 'already-running',
    });
    expect(transition(completed(), { type: 'start', actor: ada }, T0)).toMatchObject({
      error: 'campaign-ended',
    });
    expect(transition(cancelled(), { type: 'start', actor: ada }, T0)).toMatchObject({
      error: 'campaign-ended',
    });
  });
});

describe('next', () => {
  it('closes the open question and opens the following one', () => {
    const { campaign, effects } = accepted(transition(started(), { type: 'next', actor: ada }, later(1)));
    expect(campaign.questions.map((q) => q.status)).toEqual(['closed', 'open', 'pending']);
    expect(campaign.questions[0]?.closedAt).toBe(iso(1));
    expect(campaign.questions[1]?.openedAt).toBe(iso(1));
    expect(effects).toEqual([
      { type: 'close-question', blockId: 'def.resource', skipped: false },
      { type: 'post-question', blockId: 'def.purpose' },
      { type: 'schedule-reminder', roundId: 'def.purpose' },
      { type: 'update-progress' },
      { type: 'reply', key: 'reply-next', vars: { workshop: 0 } },
    ]);
  });

  it('works while paused and keeps the campaign paused', () => {
    const { campaign } = accepted(transition(paused(), { type: 'next', actor: ada }, later(1)));
    expect(campaign.status).toBe('paused');
    expect(openQuestion(campaign)?.blockId).toBe('def.purpose');
  });

  it('after the last question completes the campaign', () => {
    const last = shaped('running', ['closed', 'closed', 'open']);
    const { campaign, effects } = accepted(transition(last, { type: 'next', actor: ada }, later(1)));
    expect(campaign).toMatchObject({ status: 'completed', endedAt: iso(1) });
    expect(effects).toEqual([
      { type: 'close-question', blockId: 'b2', skipped: false },
      { type: 'compile-canvas', final: true },
      { type: 'remove-schedule' },
      { type: 'update-progress' },
      { type: 'notice', key: 'notice-completed' },
      { type: 'reply', key: 'reply-next', vars: { workshop: 0 } },
    ]);
  });

  it('opens the next pending question when none is open', () => {
    const { effects } = accepted(
      transition(shaped('running', ['closed', 'pending']), { type: 'next', actor: ada }, T0),
    );
    expect(effects[0]).toEqual({ type: 'post-question', blockId: 'b1' });
  });

  it('refuses when nothing is left, before the start and after the end', () => {
    const nothing = shaped('running', ['closed', 'skipped']);
    expect(transition(nothing, { type: 'next', actor: ada }, T0)).toMatchObject({
      error: 'no-more-questions',
    });
    expect(transition(newCampaign(), { type: 'next', actor: ada }, T0)).toMatchObject({
      error: 'not-running',
    });
    expect(transition(completed(), { type: 'next', actor: ada }, T0)).toMatchObject({
      error: 'campaign-ended',
    });
  });
});

describe('skip', () => {
  it('marks the question skipped, tells the channel and moves on', () => {
    const { campaign, effects } = accepted(transition(started(), { type: 'skip', actor: ada }, later(1)));
    expect(campaign.questions.map((q) => q.status)).toEqual(['skipped', 'open', 'pending']);
    expect(campaign.questions[0]?.closedAt).toBe(iso(1));
    expect(effects).toEqual([
      { type: 'close-question', blockId: 'def.resource', skipped: true },
      { type: 'notice', key: 'notice-skipped', vars: { blockId: 'def.resource' } },
      { type: 'post-question', blockId: 'def.purpose' },
      { type: 'schedule-reminder', roundId: 'def.purpose' },
      { type: 'update-progress' },
      { type: 'reply', key: 'reply-skipped', vars: { workshop: 0 } },
    ]);
  });

  it('skipping the last question completes the campaign', () => {
    const { campaign } = accepted(
      transition(shaped('paused', ['closed', 'open']), { type: 'skip', actor: ada }, T0),
    );
    expect(campaign.status).toBe('completed');
    expect(campaign.questions[1]?.status).toBe('skipped');
  });

  it('needs an open question and an active campaign', () => {
    const none = shaped('running', ['closed', 'pending']);
    expect(transition(none, { type: 'skip', actor: ada }, T0)).toMatchObject({ error: 'no-open-question' });
    expect(transition(newCampaign(), { type: 'skip', actor: ada }, T0)).toMatchObject({
      error: 'not-running',
    });
    expect(transition(cancelled(), { type: 'skip', actor: ada }, T0)).toMatchObject({
      error: 'campaign-ended',
    });
  });
});

describe('pause and resume', () => {
  it('pauses a running campaign and ignores ticks meanwhile', () => {
    const { campaign, effects } = accepted(transition(started(), { type: 'pause', actor: ada }, T0));
    expect(campaign.status).toBe('paused');
    expect(effects).toEqual([
      { type: 'notice', key: 'notice-paused' },
      { type: 'reply', key: 'reply-paused' },
    ]);
    expect(transition(campaign, { type: 'tick' }, later(1))).toEqual({ ok: true, campaign, effects: [] });
  });

  it('resumes and sets the schedule again', () => {
    const { campaign, effects } = accepted(transition(paused(), { type: 'resume', actor: ada }, T0));
    expect(campaign.status).toBe('running');
    expect(effects).toEqual([
      { type: 'set-schedule' },
      { type: 'schedule-reminder', roundId: 'def.resource' },
      { type: 'notice', key: 'notice-resumed' },
      { type: 'reply', key: 'reply-resumed' },
    ]);
  });

  it('refuses what does not apply', () => {
    expect(transition(paused(), { type: 'pause', actor: ada }, T0)).toMatchObject({
      error: 'already-paused',
    });
    expect(transition(newCampaign(), { type: 'pause', actor: ada }, T0)).toMatchObject({
      error: 'not-running',
    });
    expect(transition(completed(), { type: 'pause', actor: ada }, T0)).toMatchObject({
      error: 'campaign-ended',
    });
    expect(transition(started(), { type: 'resume', actor: ada }, T0)).toMatchObject({ error: 'not-paused' });
    expect(transition(completed(), { type: 'resume', actor: ada }, T0)).toMatchObject({
      error: 'campaign-ended',
    });
    expect(transition(cancelled(), { type: 'resume', actor: ada }, T0)).toMatchObject({
      error: 'campaign-ended',
    });
  });
});

describe('schedule', () => {
  it('changes the cadence and time zone and says so', () => {
    const event: CampaignEvent = { type: 'schedule', actor: ada, cadence: 'Daily', tz: 'utc' };
    const { campaign, effects } = accepted(transition(started(), event, T0));
    expect(campaign).toMatchObject({ cadence: 'daily', tz: 'UTC' });
    const vars = { cadence: 'daily', tz: 'UTC', quiet: '', holidays: '', reminder: 24 };
    expect(effects).toEqual([
      { type: 'set-schedule' },
      { type: 'schedule-reminder', roundId: 'def.resource' },
      { type: 'notice', key: 'notice-schedule', vars },
      { type: 'reply', key: 'reply-schedule', vars },
    ]);
  });

  it('keeps the zone when none is given, and waits for the start to set the schedule', () => {
    const event: CampaignEvent = { type: 'schedule', actor: ada, cadence: '0 9 * * 1-5' };
    const { campaign, effects } = accepted(transition(newCampaign(), event, T0));
    expect(campaign).toMatchObject({ cadence: '0 9 * * 1-5', tz: 'Europe/Paris', status: 'scheduled' });
    expect(effects.map((e) => e.type)).toEqual(['notice', 'reply']);
  });

  it('refuses bad cadences and zones, and ended campaigns', () => {
    const c = started();
    expect(transition(c, { type: 'schedule', actor: ada, cadence: '* * *' }, T0)).toEqual({
      ok: false,
      error: 'invalid-cadence',
      vars: { value: '* * *' },
    });
    expect(transition(c, { type: 'schedule', actor: ada, cadence: 'daily', tz: 'Mars/Base' }, T0)).toEqual({
      ok: false,
      error: 'invalid-timezone',
      vars: { value: 'Mars/Base' },
    });
    expect(transition(completed(), { type: 'schedule', actor: ada, cadence: 'daily' }, T0)).toMatchObject({
      error: 'campaign-ended',
    });
  });
});

describe('summary, digest and export', () => {
  it('compiles a provisional canvas in any state but cancelled', () => {
    for (const c of [newCampaign(), started(), paused(), completed()]) {
      expect(accepted(transition(c, { type: 'summary', actor: ada }, T0)).effects).toEqual([
        { type: 'compile-canvas', final: false },
        { type: 'reply', key: 'reply-summary' },
      ]);
    }
    expect(transition(cancelled(), { type: 'summary', actor: ada }, T0)).toMatchObject({
      error: 'campaign-ended',
    });
  });

  it('digest reports the answers since the previous digest', () => {
    const first = accepted(transition(started(), { type: 'digest', actor: ada }, later(10)));
    expect(first.effects).toEqual([
      { type: 'post-digest', since: T0.toISOString() },
      { type: 'reply', key: 'reply-digest' },
    ]);
    expect(first.campaign.lastDigestAt).toBe(iso(10));
    const second = accepted(transition(first.campaign, { type: 'digest-due' }, later(20)));
    expect(second.effects).toEqual([{ type: 'post-digest', since: iso(10) }]);
    expect(second.campaign.lastDigestAt).toBe(iso(20));
  });

  it('digest needs a started campaign that was not cancelled', () => {
    expect(transition(newCampaign(), { type: 'digest', actor: ada }, T0)).toMatchObject({
      error: 'not-running',
    });
    expect(transition(cancelled(), { type: 'digest', actor: ada }, T0)).toMatchObject({
      error: 'campaign-ended',
    });
    expect(transition(completed(), { type: 'digest', actor: ada }, T0).ok).toBe(true);
  });

  it('a scheduled digest made again, or one asked since its run, does nothing', () => {
    const run: CampaignEvent = { type: 'digest-due', runAt: iso(10) };
    const first = accepted(transition(started(), run, later(11)));
    expect(first.effects).toEqual([{ type: 'post-digest', since: T0.toISOString() }]);
    expect(transition(first.campaign, run, later(12))).toEqual({
      ok: true,
      campaign: first.campaign,
      effects: [],
    });
    const asked = apply(started(), { type: 'digest', actor: ada }, later(20));
    expect(accepted(transition(asked, run, later(21))).effects).toEqual([]);
    const nextWeek: CampaignEvent = { type: 'digest-due', runAt: iso(7 * 24 * 60) };
    expect(accepted(transition(first.campaign, nextWeek, later(7 * 24 * 60))).effects).toEqual([
      { type: 'post-digest', since: iso(11) },
    ]);
  });

  it('the scheduled digest runs only while running or paused', () => {
    expect(accepted(transition(paused(), { type: 'digest-due' }, T0)).effects).toHaveLength(1);
    for (const c of [newCampaign(), completed(), cancelled()]) {
      expect(transition(c, { type: 'digest-due' }, T0)).toEqual({ ok: true, campaign: c, effects: [] });
    }
  });

  it('exports in any state, naming who asked', () => {
    for (const c of [newCampaign(), started(), completed(), cancelled()]) {
      const { campaign, effects } = accepted(
        transition(c, { type: 'export', actor: ada, format: 'csv' }, T0),
      );
      expect(campaign).toBe(c);
      expect(effects).toEqual([
        { type: 'export', format: 'csv', requestedBy: { id: 'ada', name: 'Ada' } },
        { type: 'reply', key: 'reply-export', vars: { format: 'csv' } },
      ]);
    }
  });
});

describe('stop', () => {
  it('completes a running campaign with the final canvas', () => {
    const { campaign, effects } = accepted(transition(started(), { type: 'stop', actor: ada }, later(5)));
    expect(campaign).toMatchObject({ status: 'completed', endedAt: iso(5) });
    expect(openQuestion(campaign)).toBeUndefined();
    expect(campaign.questions[0]).toMatchObject({ status: 'closed', closedAt: iso(5) });
    expect(effects).toEqual([
      { type: 'close-question', blockId: 'def.resource', skipped: false },
      { type: 'compile-canvas', final: true },
      { type: 'remove-schedule' },
      { type: 'update-progress' },
      { type: 'notice', key: 'notice-stopped' },
      { type: 'reply', key: 'reply-stopped' },
    ]);
  });

  it('completes a paused campaign too', () => {
    expect(apply(paused(), { type: 'stop', actor: ada }).status).toBe('completed');
  });

  it('cancels a campaign never started', () => {
    const { campaign, effects } = accepted(transition(newCampaign(), { type: 'stop', actor: ada }, T0));
    expect(campaign.status).toBe('cancelled');
    expect(effects).toEqual([{ type: 'remove-schedule' }, { type: 'reply', key: 'reply-stopped' }]);
  });

  it('refuses to stop twice', () => {
    expect(transition(completed(), { type: 'stop', actor: ada }, T0)).toMatchObject({
      error: 'campaign-ended',
    });
    expect(transition(cancelled(), { type: 'stop', actor: ada }, T0)).toMatchObject({
      error: 'campaign-ended',
    });
  });
});

describe('tick', () => {
  it('moves to the next question on each run of the cadence', () => {
    const { campaign, effects } = accepted(transition(started(), { type: 'tick' }, later(1)));
    expect(campaign.lastTickAt).toBe(iso(1));
    expect(effects).toEqual([
      { type: 'close-question', blockId: 'def.resource', skipped: false },
      { type: 'post-question', blockId: 'def.purpose' },
      { type: 'schedule-reminder', roundId: 'def.purpose' },
      { type: 'update-progress' },
    ]);
  });

  it('completes the campaign after the last question', () => {
    let c = started();
    c = apply(c, { type: 'tick' }, later(1));
    c = apply(c, { type: 'tick' }, later(2));
    const { campaign, effects } = accepted(transition(c, { type: 'tick' }, later(3)));
    expect(campaign.status).toBe('completed');
    expect(effects).toEqual([
      { type: 'close-question', blockId: 'def.values', skipped: false },
      { type: 'compile-canvas', final: true },
      { type: 'remove-schedule' },
      { type: 'update-progress' },
      { type: 'notice', key: 'notice-completed' },
    ]);
  });

  it('does nothing unless running', () => {
    for (const c of [newCampaign(), paused(), completed(), cancelled()]) {
      expect(transition(c, { type: 'tick' }, T0)).toEqual({ ok: true, campaign: c, effects: [] });
    }
  });

  it('does nothing for a run already applied (made again after its worker died)', () => {
    // Tuesday 10:00 in Paris: a run of the twice-weekly cadence, applied a minute late.
    const run: CampaignEvent = { type: 'tick', runAt: iso(0) };
    const once = accepted(transition(started(), run, later(1)));
    expect(once.effects).toContainEqual({ type: 'post-question', blockId: 'def.purpose' });
    expect(once.campaign.lastTickAt).toBe(iso(0));
    expect(transition(once.campaign, run, later(2))).toEqual({
      ok: true,
      campaign: once.campaign,
      effects: [],
    });
    // Thursday's run moves on.
    const thursday: CampaignEvent = { type: 'tick', runAt: '2026-12-03T09:00:00.000Z' };
    const next = accepted(transition(once.campaign, thursday, new Date('2026-12-03T09:00:05Z')));
    expect(next.effects).toContainEqual({ type: 'post-question', blockId: 'def.values' });
  });
});

describe('nudges', () => {
  const due: CampaignEvent = { type: 'reminder-due', roundId: 'def.resource' };
  /** When the open round's nudge is due (24 h before its deadline, or half-way through). */
  const nudgeTime = (c: Campaign) => {
    const round = roundsOf(c).find((r) => r.status === 'open');
    return reminderTime(round?.openedAt, round?.closesAt ?? '', 24);
  };

  it('nudges once, in the channel, while the round is open with a question under two answers', () => {
    const c = apply(started(), answer('m1'));
    const at = nudgeTime(c);
    const { campaign, effects } = accepted(transition(c, due, at));
    expect(effects).toEqual([{ type: 'post-reminder', roundId: 'def.resource' }]);
    expect(roundsOf(campaign)[0]?.remindedAt).toBe(at.toISOString());
    expect(accepted(transition(campaign, due, new Date(at.getTime() + 60_000))).effects).toEqual([]);
  });

  it('does nothing when it comes early for a deadline that has moved, or names an old deadline', () => {
    const c = started();
    const at = nudgeTime(c);
    expect(accepted(transition(c, due, new Date(at.getTime() - 3600_000))).effects).toEqual([]);
    const stale: CampaignEvent = { ...due, closesAt: '2020-01-01T09:00:00.000Z' };
    expect(accepted(transition(c, stale, at)).effects).toEqual([]);
  });

  it('does not nudge a round whose questions have two answers, but removed answers do not count', () => {
    let c = apply(apply(started(), answer('m1')), answer('m2'));
    expect(accepted(transition(c, due, nudgeTime(c))).effects).toEqual([]);
    c = apply(c, { type: 'answer-removed', answerId: 'm2' });
    expect(accepted(transition(c, due, nudgeTime(c))).effects).toHaveLength(1);
  });

  it('nudges a round with enough answers when a member who opted in has not answered', () => {
    let c = apply(apply(started(), answer('m1')), answer('m2'));
    c = apply(c, { type: 'remind-me', person: { id: 'U9', name: 'Zoé' }, on: true });
    expect(accepted(transition(c, due, nudgeTime(c))).effects).toHaveLength(1);
    const off = apply(c, { type: 'remind-me', person: { id: 'U9', name: 'Zoé' }, on: false });
    expect(off.remindMe).toBeUndefined();
    expect(accepted(transition(off, due, nudgeTime(off))).effects).toEqual([]);
  });

  it('does not nudge a closed round, an unknown one, a paused campaign, or with reminders off', () => {
    const moved = apply(started(), { type: 'next', actor: ada });
    expect(transition(moved, due, nudgeTime(started()))).toEqual({ ok: true, campaign: moved, effects: [] });
    const unknown: CampaignEvent = { type: 'reminder-due', roundId: 'nope' };
    expect(accepted(transition(started(), unknown, nudgeTime(started()))).effects).toEqual([]);
    expect(accepted(transition(paused(), due, nudgeTime(started()))).effects).toEqual([]);
    const off = apply(started(), { type: 'schedule', actor: ada, reminderHours: 0 });
    expect(accepted(transition(off, due, nudgeTime(off))).effects).toEqual([]);
  });

  it('reads a job queued before rounds, which names a block', () => {
    const legacy: CampaignEvent = { type: 'reminder-due', blockId: 'def.resource' };
    const c = started();
    expect(accepted(transition(c, legacy, nudgeTime(c))).effects).toHaveLength(1);
  });
});

describe('answers', () => {
  it('records an answer once, however often it is delivered', () => {
    let c = apply(started(), answer('m1'));
    expect(c.answers.m1).toMatchObject({
      createdAt: T0.toISOString(),
      updatedAt: T0.toISOString(),
      history: [],
    });
    expect(transition(c, answer('m1', 'def.resource', 'other text'), later(1))).toEqual({
      ok: true,
      campaign: c,
      effects: [],
    });
    c = apply(c, answer('m2'));
    expect(activeAnswers(c)).toHaveLength(2);
    expect(progressOf(c)).toEqual({ asked: 1, answered: 1, total: 3 });
  });

  it('asks for a progress update on every change', () => {
    expect(accepted(transition(started(), answer('m1'), T0)).effects).toEqual([{ type: 'update-progress' }]);
  });

  it('refuses answers to questions not yet asked or unknown', () => {
    const c = started();
    expect(transition(c, answer('m1', 'def.values'), T0)).toMatchObject({ error: 'unknown-question' });
    expect(transition(c, answer('m1', 'nope'), T0)).toMatchObject({ error: 'unknown-question' });
  });

  it('refuses empty and over-long answers, measured on the trimmed text in characters', () => {
    const c = started();
    expect(transition(c, answer('m1', 'def.resource', ' \n\t '), T0)).toMatchObject({
      error: 'empty-answer',
    });
    expect(transition(c, answer('m1', 'def.resource', 'x'.repeat(MAX_ANSWER_LENGTH + 1)), T0)).toEqual({
      ok: false,
      error: 'answer-too-long',
      vars: { max: MAX_ANSWER_LENGTH, length: MAX_ANSWER_LENGTH + 1 },
    });
    expect(transition(c, answer('m1', 'def.resource', `  ${'x'.repeat(MAX_ANSWER_LENGTH)}\n`), T0).ok).toBe(
      true,
    );
    expect(transition(c, answer('m1', 'def.resource', '🌱'.repeat(MAX_ANSWER_LENGTH)), T0).ok).toBe(true);
  });

  it('keeps the text exactly as written', () => {
    const c = apply(started(), answer('m1', 'def.resource', '  spaced  \n'));
    expect(c.answers.m1?.text).toBe('  spaced  \n');
  });

  it('accepts late answers to closed questions and after completion, never after a cancel', () => {
    let c = apply(started(), { type: 'next', actor: ada });
    c = apply(c, answer('late1'));
    c = apply(c, { type: 'stop', actor: ada });
    c = apply(c, answer('late2', 'def.purpose'));
    expect(Object.keys(c.answers).sort()).toEqual(['late1', 'late2']);
    const cancelledWithQuestion: Campaign = { ...shaped('cancelled', ['closed']) };
    expect(transition(cancelledWithQuestion, answer('m1', 'b0'), T0)).toMatchObject({
      error: 'campaign-ended',
    });
  });

  it('keeps every earlier text when an answer is edited', () => {
    let c = apply(started(), answer('m1', 'def.resource', 'v1'));
    const edit = accepted(transition(c, { type: 'answer-edited', answerId: 'm1', text: 'v2' }, later(1)));
    expect(edit.effects).toEqual([{ type: 'update-progress' }]);
    c = apply(edit.campaign, { type: 'answer-edited', answerId: 'm1', text: 'v3' }, later(2));
    expect(c.answers.m1).toMatchObject({
      text: 'v3',
      createdAt: T0.toISOString(),
      updatedAt: iso(2),
      history: [
        { text: 'v1', at: T0.toISOString() },
        { text: 'v2', at: iso(1) },
      ],
    });
  });

  it('ignores edits that change nothing or touch a removed answer, and validates the new text', () => {
    let c = apply(started(), answer('m1', 'def.resource', 'v1'));
    expect(transition(c, { type: 'answer-edited', answerId: 'm1', text: 'v1' }, T0)).toEqual({
      ok: true,
      campaign: c,
      effects: [],
    });
    expect(transition(c, { type: 'answer-edited', answerId: 'm1', text: '  ' }, T0)).toMatchObject({
      error: 'empty-answer',
    });
    expect(
      transition(c, { type: 'answer-edited', answerId: 'm1', text: 'y'.repeat(MAX_ANSWER_LENGTH + 5) }, T0),
    ).toMatchObject({ error: 'answer-too-long' });
    c = apply(c, { type: 'answer-removed', answerId: 'm1' });
    expect(transition(c, { type: 'answer-edited', answerId: 'm1', text: 'v2' }, T0)).toEqual({
      ok: true,
      campaign: c,
      effects: [],
    });
  });

  it('a removed answer stops counting but is kept, and removing twice changes nothing', () => {
    let c = apply(started(), answer('m1'));
    const removed = accepted(transition(c, { type: 'answer-removed', answerId: 'm1' }, later(1)));
    expect(removed.effects).toEqual([{ type: 'update-progress' }]);
    c = removed.campaign;
    expect(c.answers.m1).toMatchObject({ removedAt: iso(1), text: 'answer m1' });
    expect(activeAnswers(c)).toHaveLength(0);
    expect(progressOf(c).answered).toBe(0);
    expect(transition(c, { type: 'answer-removed', answerId: 'm1' }, later(2))).toEqual({
      ok: true,
      campaign: c,
      effects: [],
    });
  });

  it('holds an edit or a removal that arrives before its answer, and applies it when the answer comes', () => {
    let c = started();
    const early = accepted(
      transition(c, { type: 'answer-edited', answerId: 'm1', text: 'second thought' }, later(1)),
    );
    expect(early.effects).toEqual([]);
    expect(early.campaign.answers).toEqual({});
    c = early.campaign;
    c = apply(c, answer('m1', 'def.resource', 'first thought'), later(2));
    expect(c.answers.m1).toMatchObject({
      text: 'second thought',
      history: [{ text: 'first thought', at: iso(2) }],
    });
    expect(c.held).toBeUndefined();
    c = accepted(transition(c, { type: 'answer-removed', answerId: 'm2' }, later(3))).campaign;
    c = apply(c, answer('m2', 'def.resource', 'gone before it came'), later(4));
    expect(c.answers.m2).toMatchObject({ text: 'gone before it came', removedAt: iso(3) });
    expect(activeAnswers(c).map((a) => a.id)).toEqual(['m1']);
  });

  it('keeps at most 200 answers’ early changes waiting, dropping the oldest', () => {
    let c = started();
    for (let i = 0; i < 250; i++) c = apply(c, { type: 'answer-removed', answerId: `never-${i}` });
    const waiting = Object.keys(c.held ?? {});
    expect(waiting).toHaveLength(200);
    expect(waiting[0]).toBe('never-50');
    expect(waiting.at(-1)).toBe('never-249');
  });

  it('lists active answers oldest first, per block', () => {
    let c = apply(started(), answer('z', 'def.resource'), later(1));
    c = apply(c, answer('a', 'def.resource'), later(2));
    c = apply(c, { type: 'next', actor: ada }, later(3));
    c = apply(c, answer('m', 'def.purpose'), later(4));
    expect(activeAnswers(c).map((a) => a.id)).toEqual(['z', 'a', 'm']);
    expect(activeAnswers(c, 'def.purpose').map((a) => a.id)).toEqual(['m']);
    expect(progressOf(c)).toEqual({ asked: 2, answered: 2, total: 3 });
  });
});

describe('post-recorded', () => {
  it('remembers where the question, progress and intro were posted', () => {
    let c = apply(started(), {
      type: 'post-recorded',
      target: { kind: 'question', blockId: 'def.resource' },
      ref: 'p1',
    });
    c = apply(c, { type: 'post-recorded', target: { kind: 'progress' }, ref: 'p2' });
    const { campaign, effects } = accepted(
      transition(c, { type: 'post-recorded', target: { kind: 'intro' }, ref: 'p3' }, T0),
    );
    expect(effects).toEqual([]);
    expect(campaign.questions[0]?.postRef).toBe('p1');
    expect(campaign).toMatchObject({ progressPostRef: 'p2', introPostRef: 'p3' });
  });

  it('refuses a ref for a block the campaign does not have', () => {
    const event: CampaignEvent = {
      type: 'post-recorded',
      target: { kind: 'question', blockId: 'x' },
      ref: 'p',
    };
    expect(transition(started(), event, T0)).toMatchObject({ error: 'unknown-question' });
  });
});

describe('posts-recorded', () => {
  it('remembers every post of an outbox pass at once, as one post-recorded each would', () => {
    const posts: PostRecord[] = [
      { target: { kind: 'intro' }, ref: 'p1' },
      { target: { kind: 'question', blockId: 'def.resource' }, ref: 'p2' },
      { target: { kind: 'progress' }, ref: 'p3' },
    ];
    const { campaign, effects } = accepted(transition(started(), { type: 'posts-recorded', posts }, T0));
    const oneByOne = posts.reduce((c, post) => apply(c, { type: 'post-recorded', ...post }), started());
    expect(effects).toEqual([]);
    expect(campaign).toEqual(oneByOne);
    expect(campaign).toMatchObject({ introPostRef: 'p1', progressPostRef: 'p3' });
  });

  it('keeps the records it can when one names a block the campaign does not have', () => {
    const posts: PostRecord[] = [
      { target: { kind: 'question', blockId: 'x' }, ref: 'p1' },
      { target: { kind: 'progress' }, ref: 'p2' },
    ];
    const { campaign } = accepted(transition(started(), { type: 'posts-recorded', posts }, T0));
    expect(campaign.progressPostRef).toBe('p2');
    expect(campaign.questions.some((q) => q.postRef === 'p1')).toBe(false);
  });
});
