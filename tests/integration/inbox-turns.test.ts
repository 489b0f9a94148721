import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import type { ChannelRef } from '../../src/facilitation/types.js';
import { PROGRESS_WINDOW_MS, relayAddsJobs, relayEffects } from '../../src/jobs/relay.js';
import { packDoc, unpackDoc } from '../../src/store/doc-codec.js';
import { keys } from '../../src/store/keys.js';
import { createScheduleStore } from '../../src/store/schedule-store.js';
import type { CampaignStore } from '../../src/store/types.js';
import { createTestEngine, type TestEngine } from '../helpers/engine.js';
import { freshRedis } from '../helpers/redis.js';

/**
 * The inbox applied in few round trips (database 56): two processes applying one campaign's events in
 * turn, each keeping the campaign's document between its own transitions, never use it once the other
 * (or a hand) changed it; an answer leaves no lock, no inbox entry and no relay entry behind.
 */
const DB = 56;
const channel: ChannelRef = { platform: 'playground', workspace: 'local', channel: 'turns' };
const ada = { id: 'ada', name: 'Ada', isAdmin: true };
const NOW = new Date('2026-12-08T08:00:01Z');
let clock = NOW;
let redis: Awaited<ReturnType<typeof freshRedis>>;
let otherRedis: Awaited<ReturnType<typeof freshRedis>>;
let a: TestEngine;
let b: TestEngine;
/** Relays asked of process A, counted. */
let relays = 0;
let id: string;

/** A process of its own: its own connection, store and kept documents; its relays counted by `onRelay`. */
function processOn(connection: typeof redis, onRelay = () => undefined): TestEngine {
  const schedule = createScheduleStore(connection);
  const built: TestEngine = createTestEngine(connection, {
    clock: () => clock,
    relayAddsJobs,
    relay: (campaignId) => {
      onRelay();
      const { store, lists, queues } = built;
      return relayEffects({ store, lists, queues, schedule }, campaignId);
    },
  });
  return built;
}

const answer = (engine: Engine, messageRef: string) =>
  engine.answer({
    channel,
    threadRef: 'q1',
    messageRef,
    author: { id: 'ben', name: 'Ben' },
    text: `Answer ${messageRef}.`,
    source: 'thread',
  });

const stored = async (store: CampaignStore) => {
  const campaign = await store.get(id);
  if (!campaign) throw new Error('no campaign');
  return campaign;
};

beforeAll(async () => {
  redis = await freshRedis(DB);
  otherRedis = await freshRedis(DB);
  a = processOn(redis, () => {
    relays += 1;
  });
  b = processOn(otherRedis);
  expect((await a.engine.command({ channel, actor: ada, text: 'start lang:en' })).ok).toBe(true);
  id = (await a.store.activeId(channel)) ?? '';
  const open = (await stored(a.store)).questions.find((q) => q.status !== 'pending');
  await a.store.linkThread(channel, 'q1', { campaignId: id, blockId: open?.blockId ?? '' });
  // The progress post made: from then on an answer asks for an edit of it, once per window.
  await a.engine.submit(id, { type: 'post-recorded', target: { kind: 'progress' }, ref: 'progress' });
});

afterAll(async () => {
  await a.queues.close();
  await b.queues.close();
  redis.disconnect();
  otherRedis.disconnect();
});

describe('the inbox, applied by two processes in turn', () => {
  it('reads again a document the other process changed, and keeps every answer', async () => {
    const command = (engine: Engine, text: string) => engine.command({ channel, actor: ada, text });
    // An event an answer's way (its campaign read with it) that writes the document: from a stale one,
    // it would write back what the other process changed.
    const recordIntro = (engine: Engine, ref: string) =>
      engine.submit(id, { type: 'post-recorded', target: { kind: 'intro' }, ref });
    expect((await answer(a.engine, 'm1'))?.ok).toBe(true);
    // A keeps the document as it saved it with m1 (running), B as it saved its pause.
    expect((await command(b.engine, 'pause')).ok).toBe(true);
    await recordIntro(a.engine, 'intro-1');
    expect(await stored(a.store)).toMatchObject({ status: 'paused', introPostRef: 'intro-1' });
    expect((await answer(a.engine, 'm2'))?.ok).toBe(true);
    expect((await command(a.engine, 'resume')).ok).toBe(true);
    await recordIntro(b.engine, 'intro-2');
    expect(await stored(b.store)).toMatchObject({ status: 'running', introPostRef: 'intro-2' });
    expect((await answer(b.engine, 'm3'))?.ok).toBe(true);
    expect(Object.keys((await stored(b.store)).answers)).toEqual(['m1', 'm2', 'm3']);
  });

  it('reads a document written by hand under the same version, not the one it kept', async () => {
    expect((await answer(a.engine, 'm4'))?.ok).toBe(true);
    const packed = (await redis.hget(keys.campaign(id), 'doc')) ?? '';
    const version = await redis.hget(keys.campaign(id), 'version');
    const doc = JSON.parse(unpackDoc(packed));
    await redis.hset(keys.campaign(id), 'doc', packDoc(JSON.stringify({ ...doc, name: 'Renamed by hand' })));
    // The document written again from the one read: the name written by hand is kept.
    await a.engine.submit(id, { type: 'post-recorded', target: { kind: 'intro' }, ref: 'intro-3' });
    const after = await stored(a.store);
    expect(after).toMatchObject({ name: 'Renamed by hand', introPostRef: 'intro-3' });
    expect(after.version).toBe(Number(version) + 1);
  });
});

describe('an answer', () => {
  it('leaves no lock, no entry and no relay behind, and asks for the progress edit once a window', async () => {
    // A window no answer came in yet.
    clock = new Date(NOW.getTime() + 10 * PROGRESS_WINDOW_MS);
    const window = Math.floor(clock.getTime() / PROGRESS_WINDOW_MS);
    relays = 0;
    for (const ref of ['m5', 'm6', 'm7']) expect((await answer(a.engine, ref))?.ok).toBe(true);
    expect(relays).toBe(1);
    expect(await a.queues.outbox.getJob(`${id}-progress-${window}`)).toBeDefined();
    expect(await redis.exists(keys.campaignLock(id), keys.inbox(id), keys.effects(id))).toBe(0);
    expect(await redis.sismember(keys.pending(), id)).toBe(1);
    // The next window's first answer asks for that window's edit.
    clock = new Date(clock.getTime() + PROGRESS_WINDOW_MS);
    expect((await answer(a.engine, 'm8'))?.ok).toBe(true);
    expect(relays).toBe(2);
    expect(await a.queues.outbox.getJob(`${id}-progress-${window + 1}`)).toBeDefined();
    expect(Object.keys((await stored(a.store)).answers)).toHaveLength(8);
  });

  it('counts once when delivered twice, by either process', async () => {
    expect((await answer(a.engine, 'm9'))?.ok).toBe(true);
    expect((await answer(b.engine, 'm9'))?.ok).toBe(true);
    expect((await answer(a.engine, 'm9'))?.ok).toBe(true);
    const answers = Object.keys((await stored(a.store)).answers);
    expect(answers.filter((ref) => ref === 'm9')).toHaveLength(1);
    expect(answers).toHaveLength(9);
  });
});
