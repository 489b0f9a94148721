import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { activeAnswers, transition } from '../../src/facilitation/machine.js';
import { roundsOf } from '../../src/facilitation/rounds.js';
import {
  type Answer,
  type Campaign,
  type CampaignEvent,
  MAX_ANSWER_LENGTH,
  type QuestionStatus,
  type RoundStatus,
} from '../../src/facilitation/types.js';
import { ada, ben, newCampaign, newWorkshop, T0 } from '../fixtures/campaigns.js';

/** mulberry32: a small seeded generator, so a failing sequence can be replayed from its seed. */
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

const blocks = ['def.resource', 'def.purpose', 'def.values', 'fct.circles', 'prj.horizons'];
/** The same blocks in workshop rounds: two together, then three. */
const workshop = () =>
  newWorkshop([
    { id: 'first', blockIds: blocks.slice(0, 2) },
    { id: 'second', blockIds: blocks.slice(2) },
  ]);
const texts = ['ok', '', '   ', 'x'.repeat(MAX_ANSWER_LENGTH + 1), 'new text', '@everyone hi', ' ok '];

function randomEvent(rand: () => number, c: Campaign): CampaignEvent {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const actor = rand() < 0.85 ? ada : ben;
  const ids = Object.keys(c.answers);
  const asked = c.questions.filter((q) => q.status !== 'pending').map((q) => q.blockId);
  const anyId = () => (ids.length > 0 && rand() < 0.7 ? pick(ids) : `m${Math.floor(rand() * 40)}`);
  switch (Math.floor(rand() * 23)) {
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
      return {
        type: 'schedule',
        actor,
        cadence: pick(['daily', 'weekly', '0 9 * * 1', '* *', 'hourly']),
        tz: pick([undefined, 'UTC', 'America/Montreal', 'Nowhere/Land']),
      };
    case 6:
      // Rare, so that sequences live long enough to reach the later questions.
      return { type: 'stop', actor: rand() < 0.3 ? actor : ben };
    case 7:
    case 8:
      return { type: 'tick' };
    case 9:
      return { type: 'reminder-due', blockId: pick(blocks) };
    case 10:
      return { type: 'digest-due' };
    case 11:
      return pick<CampaignEvent>([
        { type: 'summary', actor },
        { type: 'digest', actor },
        { type: 'export', actor, format: 'png' },
      ]);
    case 12:
    case 13:
    case 14:
    case 15:
      return {
        type: 'answer-added',
        answer: {
          id: anyId(),
          blockId: asked.length > 0 && rand() < 0.7 ? pick(asked) : pick([...blocks, 'unknown.block']),
          author: { id: 'u', name: 'U' },
          text: pick(texts),
          source: 'thread',
        },
      };
    case 16:
    case 17:
      return { type: 'answer-edited', answerId: anyId(), text: pick(texts) };
    case 18:
      return { type: 'answer-removed', answerId: anyId() };
    case 19:
      return { type: 'post-recorded', target: { kind: 'progress' }, ref: `p${step(rand)}` };
    case 20:
      return {
        type: 'posts-recorded',
        posts: [
          { target: { kind: 'question', blockId: pick([...blocks, 'nope']) }, ref: `p${step(rand)}` },
          { target: { kind: 'progress' }, ref: `p${step(rand)}` },
        ],
      };
    default:
      return {
        type: 'post-recorded',
        target: { kind: 'question', blockId: pick([...blocks, 'nope']) },
        ref: `p${step(rand)}`,
      };
  }
}

const step = (rand: () => number) => Math.floor(rand() * 1000);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Which question statuses may follow which: a closed or skipped question never reopens. */
const MAY_FOLLOW: Record<QuestionStatus, QuestionStatus[]> = {
  pending: ['pending', 'open'],
  open: ['open', 'closed', 'skipped'],
  closed: ['closed'],
  skipped: ['skipped'],
};

const ROUND_MAY_FOLLOW: Record<RoundStatus, RoundStatus[]> = {
  pending: ['pending', 'open'],
  open: ['open', 'closed'],
  closed: ['closed'],
};

function fail(message: string): never {
  throw new Error(message);
}

/** Checks one accepted step against the previous state; throws with the reason on the first breach. */
function checkStep(before: Campaign, next: Campaign, event: CampaignEvent, seen: Map<string, Answer>): void {
  const rounds = roundsOf(next);
  const open = rounds.filter((r) => r.status === 'open');
  if (open.length > 1) fail('two open rounds');
  for (const q of next.questions.filter((x) => x.status === 'open'))
    if (!open[0]?.blockIds.includes(q.blockId)) fail(`${q.blockId} open outside the open round`);
  if (
    !isDeepStrictEqual(
      rounds.flatMap((r) => r.blockIds),
      next.questions.map((q) => q.blockId),
    )
  )
    fail('rounds and questions disagree');
  rounds.forEach((r, i) => {
    const was = roundsOf(before)[i];
    if (!was || was.id !== r.id || !isDeepStrictEqual(was.blockIds, r.blockIds)) fail('rounds changed');
    if (!ROUND_MAY_FOLLOW[was.status].includes(r.status))
      fail(`round ${r.id} went ${was.status} -> ${r.status}`);
    if (r.status === 'open' && next.status === 'running' && !r.closesAt)
      fail(`round ${r.id} has no deadline`);
  });
  next.questions.forEach((q, i) => {
    const was = before.questions[i];
    if (!was || was.blockId !== q.blockId) fail('questions reordered');
    if (!MAY_FOLLOW[was.status].includes(q.status)) fail(`${q.blockId} went ${was.status} -> ${q.status}`);
  });
  for (const [id, old] of seen) {
    const now = next.answers[id];
    if (!now) fail(`answer ${id} lost`);
    if (now.id !== id || now.blockId !== old.blockId || now.createdAt !== old.createdAt)
      fail(`answer ${id} rewritten`);
    if (!isDeepStrictEqual(now.history.slice(0, old.history.length), old.history))
      fail(`history of ${id} rewritten`);
    if (old.removedAt && now.removedAt !== old.removedAt) fail(`removal of ${id} undone`);
    if (now.text !== old.text && now.history.length !== old.history.length + 1)
      fail(`edit of ${id} left no trace`);
  }
  if (event.type === 'answer-added' && before.answers[event.answer.id]) {
    if (!isDeepStrictEqual(next.answers, before.answers)) fail('a duplicate delivery changed the answers');
  }
  for (const [key, a] of Object.entries(next.answers)) if (key !== a.id) fail(`answer ${a.id} under ${key}`);
  for (const q of before.questions) {
    if (q.status !== 'closed' && q.status !== 'skipped') continue;
    const kept = activeAnswers(next, q.blockId).length >= activeAnswers(before, q.blockId).length;
    if (!kept && event.type !== 'answer-removed') fail(`answers of closed ${q.blockId} dropped`);
  }
  const ended = (c: Campaign) => c.status === 'completed' || c.status === 'cancelled';
  if (ended(before) && next.status !== before.status) fail(`${before.status} became ${next.status}`);
}

describe.each([
  ['drip', () => newCampaign(blocks)],
  ['workshop', workshop],
])('invariants over random event sequences (%s)', (_format, fresh) => {
  it('hold after every step of 300 sequences of 60 events', () => {
    let refusals = 0;
    let acceptedAnswers = 0;
    let completions = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const rand = prng(seed);
      let c = deepFreeze(fresh());
      const seen = new Map<string, Answer>();
      for (let i = 0; i < 60; i++) {
        const event = randomEvent(rand, c);
        const snapshot = structuredClone(c);
        const where = `seed ${seed} step ${i} ${JSON.stringify(event).slice(0, 120)}`;
        let result: ReturnType<typeof transition>;
        try {
          // The input is frozen: any mutation throws here, and transition must never throw.
          result = transition(c, event, new Date(T0.getTime() + i * 3_600_000));
        } catch (err) {
          throw new Error(`${where}: threw ${String(err)}`);
        }
        if (!isDeepStrictEqual(c, snapshot)) throw new Error(`${where}: input changed`);
        if (!result.ok) {
          refusals++;
          expect(result.error, where).toMatch(/^[a-z]+(-[a-z]+)*$/);
          continue;
        }
        try {
          checkStep(c, result.campaign, event, seen);
        } catch (err) {
          throw new Error(`${where}: ${(err as Error).message}`);
        }
        if (result.campaign.status === 'completed' && c.status !== 'completed') completions++;
        c = deepFreeze(result.campaign);
        for (const a of Object.values(c.answers)) {
          if (!seen.has(a.id)) acceptedAnswers++;
          seen.set(a.id, a);
        }
      }
    }
    // The generator must reach the interesting paths, or the invariants prove little.
    expect(refusals).toBeGreaterThan(1000);
    expect(acceptedAnswers).toBeGreaterThan(350);
    expect(completions).toBeGreaterThan(50);
  });
});
