import { describe, expect, it } from 'vitest';
import { activeAnswers, openQuestion, progressOf, transition } from '../../src/facilitation/machine.js';
import {
  type Campaign,
  type CampaignEvent,
  type Effect,
  MAX_ANSWER_LENGTH,
  type TransitionResult,
} from '../../src/facilitation/types.js';
import { ada, ben, newCampaign, T0 } from '../fixtures/campaigns.js';

const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function apply(campaign: Campaign, event: CampaignEvent, now = T0): Campaign {
  const result = transition(campaign, event, now);
  if (!result.ok) throw new Error(`refused: ${result.error}`);
  return result.campaign;
}

function effectsOf(result: TransitionResult): Effect['type'][] {
  return result.ok ? result.effects.map((e) => e.type) : [];
}

const started = () => apply(newCampaign(), { type: 'start', actor: ada });
const answer = (id: string, blockId = 'def.resource', text = `answer ${id}`): CampaignEvent => ({
  type: 'answer-added',
  answer: { id, blockId, author: { id: 'ben', name: 'Ben' }, text, source: 'thread' },
});

describe('start', () => {
  it('opens the first question and asks for intro, question, reminder, schedule, progress', () => {
    const result = transition(newCampaign(), { type: 'start', actor: ada }, T0);
    expect(effectsOf(result)).toEqual([
      'post-intro',
      'post-question',
      'schedule-reminder',
      'update-progress',
      'set-schedule',
      'reply',
    ]);
    if (!result.ok) throw new Error('refused');
    expect(result.campaign.status).toBe('running');
    expect(openQuestion(result.campaign)?.blockId).toBe('def.resource');
  });

  it('refuses members and a second start', () => {
    expect(transition(newCampaign(), { type: 'start', actor: ben }, T0)).toEqual({
      ok: false,
      error: 'not-admin',
    });
    expect(transition(started(), { type: 'start', actor: ada }, T0)).toMatchObject({
      error: 'already-running',
    });
  });
});

describe('moving through the questions', () => {
  it('next closes the open question and opens the following one', () => {
    const c = apply(started(), { type: 'next', actor: ada }, later(1));
    expect(c.questions.map((q) => q.status)).toEqual(['closed', 'open', 'pending']);
    expect(c.questions[0]?.closedAt).toBe(later(1).toISOString());
  });

  it('skip marks the question skipped and tells the channel', () => {
    const result = transition(started(), { type: 'skip', actor: ada }, later(1));
    expect(effectsOf(result)).toContain('notice');
    if (!result.ok) throw new Error('refused');
    expect(result.campaign.questions.map((q) => q.status)).toEqual(['skipped', 'open', 'pending']);
  });

  it('a tick after the last question completes the campaign with the final canvas', () => {
    let c = started();
    c = apply(c, { type: 'tick' }, later(1));
    c = apply(c, { type: 'tick' }, later(2));
    const result = transition(c, { type: 'tick' }, later(3));
    if (!result.ok) throw new Error('refused');
    expect(result.campaign.status).toBe('completed');
    expect(result.effects).toContainEqual({ type: 'compile-canvas', final: true });
    expect(result.effects).toContainEqual({ type: 'remove-schedule' });
    expect(transition(result.campaign, { type: 'next', actor: ada }, later(4))).toMatchObject({
      error: 'campaign-ended',
    });
  });

  it('ignores ticks while paused and resumes the schedule', () => {
    let c = apply(started(), { type: 'pause', actor: ada });
    const tick = transition(c, { type: 'tick' }, later(1));
    expect(tick).toEqual({ ok: true, campaign: c, effects: [] });
    expect(transition(c, { type: 'pause', actor: ada }, T0)).toMatchObject({ error: 'already-paused' });
    c = apply(c, { type: 'resume', actor: ada });
    expect(c.status).toBe('running');
    expect(transition(c, { type: 'resume', actor: ada }, T0)).toMatchObject({ error: 'not-paused' });
  });

  it('changes the cadence and time zone', () => {
    const result = transition(started(), { type: 'schedule', actor: ada, cadence: 'daily', tz: 'UTC' }, T0);
    if (!result.ok) throw new Error('refused');
    expect(result.campaign).toMatchObject({ cadence: 'daily', tz: 'UTC' });
    expect(effectsOf(result)).toEqual(['set-schedule', 'notice', 'reply']);
  });

  it('stop completes a running campaign and cancels one never started', () => {
    const stopped = transition(started(), { type: 'stop', actor: ada }, later(5));
    if (!stopped.ok) throw new Error('refused');
    expect(stopped.campaign.status).toBe('completed');
    expect(openQuestion(stopped.campaign)).toBeUndefined();
    expect(stopped.effects).toContainEqual({ type: 'compile-canvas', final: true });
    expect(apply(newCampaign(), { type: 'stop', actor: ada }).status).toBe('cancelled');
  });

  it('digest reports the answers since the previous digest', () => {
    let c = started();
    const first = transition(c, { type: 'digest', actor: ada }, later(10));
    expect(first.ok && first.effects[0]).toEqual({ type: 'post-digest', since: T0.toISOString() });
    c = apply(c, { type: 'digest', actor: ada }, later(10));
    const second = transition(c, { type: 'digest-due' }, later(20));
    expect(second.ok && second.effects[0]).toEqual({ type: 'post-digest', since: later(10).toISOString() });
  });
});

describe('answers', () => {
  it('records an answer once, however often it is delivered', () => {
    let c = apply(started(), answer('m1'));
    const again = transition(c, answer('m1'), later(1));
    expect(again).toEqual({ ok: true, campaign: c, effects: [] });
    c = apply(c, answer('m2'));
    expect(activeAnswers(c)).toHaveLength(2);
    expect(progressOf(c)).toEqual({ asked: 1, answered: 1, total: 3 });
  });

  it('refuses answers to questions not yet asked, empty ones and over-long ones', () => {
    const c = started();
    expect(transition(c, answer('m1', 'def.values'), T0)).toMatchObject({ error: 'unknown-question' });
    expect(transition(c, answer('m1', 'def.resource', ' \n\t '), T0)).toMatchObject({
      error: 'empty-answer',
    });
    expect(transition(c, answer('m1', 'def.resource', 'x'.repeat(50_000)), T0)).toEqual({
      ok: false,
      error: 'answer-too-long',
      vars: { max: MAX_ANSWER_LENGTH, length: 50_000 },
    });
  });

  it('keeps the text exactly as written', () => {
    const c = apply(started(), answer('m1', 'def.resource', '  spaced  \n'));
    expect(c.answers.m1?.text).toBe('  spaced  \n');
  });

  it('keeps every earlier text when an answer is edited', () => {
    let c = apply(started(), answer('m1', 'def.resource', 'v1'));
    c = apply(c, { type: 'answer-edited', answerId: 'm1', text: 'v2' }, later(1));
    c = apply(c, { type: 'answer-edited', answerId: 'm1', text: 'v3' }, later(2));
    expect(c.answers.m1).toMatchObject({
      text: 'v3',
      updatedAt: later(2).toISOString(),
      history: [
        { text: 'v1', at: T0.toISOString() },
        { text: 'v2', at: later(1).toISOString() },
      ],
    });
    expect(transition(c, { type: 'answer-edited', answerId: 'nope', text: 'x' }, T0)).toMatchObject({
      error: 'unknown-answer',
    });
  });

  it('a removed answer stops counting but is kept', () => {
    let c = apply(started(), answer('m1'));
    c = apply(c, { type: 'answer-removed', answerId: 'm1' }, later(1));
    expect(c.answers.m1?.removedAt).toBe(later(1).toISOString());
    expect(c.answers.m1?.text).toBe('answer m1');
    expect(activeAnswers(c)).toHaveLength(0);
  });

  it('accepts late answers to closed questions and after the campaign ended', () => {
    let c = apply(started(), { type: 'stop', actor: ada });
    c = apply(c, answer('late'));
    expect(c.answers.late).toBeDefined();
  });

  it('reminds once, only while the question is open with fewer than two answers', () => {
    let c = apply(started(), answer('m1'));
    const result = transition(c, { type: 'reminder-due', blockId: 'def.resource' }, later(1));
    expect(effectsOf(result)).toEqual(['post-reminder']);
    if (!result.ok) throw new Error('refused');
    expect(
      effectsOf(transition(result.campaign, { type: 'reminder-due', blockId: 'def.resource' }, later(2))),
    ).toEqual([]);
    c = apply(c, answer('m2'));
    expect(effectsOf(transition(c, { type: 'reminder-due', blockId: 'def.resource' }, later(1)))).toEqual([]);
  });

  it('remembers where the question was posted', () => {
    const c = apply(started(), {
      type: 'post-recorded',
      target: { kind: 'question', blockId: 'def.resource' },
      ref: 'p1',
    });
    expect(c.questions[0]?.postRef).toBe('p1');
  });
});

/** A small seeded generator, so a failing sequence can be replayed from its seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('invariants over random event sequences', () => {
  const blocks = ['def.resource', 'def.purpose', 'def.values', 'fct.circles', 'prj.horizons'];

  function randomEvent(rand: () => number, c: Campaign): CampaignEvent {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
    const actor = rand() < 0.85 ? ada : ben;
    const ids = Object.keys(c.answers);
    const anyId = () => (ids.length > 0 && rand() < 0.7 ? pick(ids) : `m${Math.floor(rand() * 40)}`);
    const texts = ['ok', '', '   ', 'x'.repeat(MAX_ANSWER_LENGTH + 1), 'new text', '@everyone hi'];
    switch (Math.floor(rand() * 17)) {
      case 0:
        return { type: 'start', actor };
      case 1:
        return { type: 'next', actor };
      case 2:
        return { type: 'skip', actor };
      case 3:
        return { type: 'pause', actor };
      case 4:
        return { type: 'resume', actor };
      case 5:
        return { type: 'schedule', actor, cadence: pick(['daily', 'weekly', '0 9 * * 1']) };
      case 6:
        return { type: 'stop', actor: rand() < 0.3 ? actor : ben };
      case 7:
        return { type: 'tick' };
      case 8:
        return { type: 'reminder-due', blockId: pick(blocks) };
      case 9:
        return { type: 'digest-due' };
      case 10:
      case 11:
      case 12:
        return {
          type: 'answer-added',
          answer: {
            id: anyId(),
            blockId: pick(blocks),
            author: { id: 'u', name: 'U' },
            text: pick(texts),
            source: 'thread',
          },
        };
      case 13:
      case 14:
        return { type: 'answer-edited', answerId: anyId(), text: pick(texts) };
      case 15:
        return { type: 'answer-removed', answerId: anyId() };
      default:
        return {
          type: 'post-recorded',
          target: { kind: 'question', blockId: pick(blocks) },
          ref: `p${rand()}`,
        };
    }
  }

  it('hold after every step of 300 sequences of 80 events', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rand = prng(seed);
      let c = newCampaign(blocks);
      const accepted = new Map<string, string>();
      const closedWithAnswers = new Set<string>();
      let ended = false;
      for (let step = 0; step < 80; step++) {
        const event = randomEvent(rand, c);
        const before = structuredClone(c);
        const countBefore = Object.keys(c.answers).length;
        const result = transition(c, event, later(step));
        const where = `seed ${seed} step ${step} ${event.type}`;
        expect(c, `${where}: input unchanged`).toEqual(before);
        if (!result.ok) {
          expect(result.error, where).toMatch(/^[a-z-]+$/);
          continue;
        }
        const next = result.campaign;
        expect(next.questions.filter((q) => q.status === 'open').length, where).toBeLessThanOrEqual(1);
        for (const [id, blockId] of accepted) {
          expect(next.answers[id]?.blockId, `${where}: answer ${id} kept`).toBe(blockId);
        }
        for (const a of Object.values(next.answers)) accepted.set(a.id, a.blockId);
        if (event.type === 'answer-added' && before.answers[event.answer.id]) {
          expect(Object.keys(next.answers).length, `${where}: duplicate ignored`).toBe(countBefore);
        }
        for (const q of next.questions) {
          if (q.status === 'closed' || q.status === 'skipped') {
            if (activeAnswers(next, q.blockId).length > 0) closedWithAnswers.add(q.blockId);
          }
        }
        for (const blockId of closedWithAnswers) {
          const everAnswered = Object.values(next.answers).some((a) => a.blockId === blockId);
          expect(everAnswered, `${where}: answers of closed ${blockId} stay`).toBe(true);
        }
        if (ended) expect(['completed', 'cancelled'], where).toContain(next.status);
        ended = next.status === 'completed' || next.status === 'cancelled';
        c = next;
      }
    }
  });
});
