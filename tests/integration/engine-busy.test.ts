import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import type { ChannelRef } from '../../src/facilitation/types.js';
import type { Queues } from '../../src/jobs/queues.js';
import type { CampaignLists } from '../../src/store/campaign-lists.js';
import { keys } from '../../src/store/keys.js';
import { waitLock } from '../../src/store/locks.js';
import type { CampaignStore } from '../../src/store/types.js';
import { createTestEngine } from '../helpers/engine.js';
import { freshRedis } from '../helpers/redis.js';

/** A busy campaign (its lock held by another process) on a real Redis (database 6). */
const channel: ChannelRef = { platform: 'playground', workspace: 'local', channel: 'busy' };
const ada = { id: 'ada', name: 'Ada', isAdmin: true };
let redis: Awaited<ReturnType<typeof freshRedis>>;
let queues: Queues;
let store: CampaignStore;
let lists: CampaignLists;
let engine: Engine;

beforeAll(async () => {
  redis = await freshRedis(6);
  // Short waits, so a held campaign is felt at once.
  ({ engine, store, lists, queues } = createTestEngine(redis, { waitMs: { command: 50, answer: 50 } }));
});

afterAll(async () => {
  await queues.close();
  redis.disconnect();
});

const answer = (id: string, text: string) =>
  engine.answer({
    channel,
    threadRef: 'q1',
    messageRef: id,
    author: { id: 'ben', name: 'Ben' },
    text,
    source: 'thread',
  });

describe('a busy campaign', () => {
  it('keeps every event that arrived while it was busy, and applies them in arrival order', async () => {
    expect((await engine.command({ channel, actor: ada, text: 'start' })).ok).toBe(true);
    const id = (await store.activeId(channel)) ?? '';
    await store.linkThread(channel, 'q1', { campaignId: id, blockId: 'def.resource' });

    // Another process holds the campaign: every caller is told its event is saved, none is dropped.
    const held = await waitLock(redis, keys.campaignLock(id));
    const paused = await engine.command({ channel, actor: ada, text: 'pause' });
    expect(paused).toEqual({ ok: true, text: expect.stringMatching(/saved and will be applied/) });
    expect((await answer('m1', 'First, while busy.'))?.ok).toBe(true);
    expect((await engine.command({ channel, actor: ada, text: 'resume' })).ok).toBe(true);
    expect((await answer('m2', 'Second, while busy.'))?.ok).toBe(true);
    expect(await lists.inboxLength(id)).toBe(4);
    expect((await store.get(id))?.status).toBe('running');
    expect((await store.get(id))?.answers).toEqual({});

    // Once free, the next one through applies the whole inbox in order: paused, then resumed.
    await held.release();
    await engine.settle(id);
    const after = await store.get(id);
    expect(await lists.inboxLength(id)).toBe(0);
    expect(Object.keys(after?.answers ?? {})).toEqual(['m1', 'm2']);
    expect(after?.status).toBe('running');
    const notices = (await redis.lrange(keys.posts(id), 0, -1)).map((p) => JSON.parse(p).key);
    expect(notices.filter(Boolean)).toEqual(['notice-paused', 'notice-resumed']);
  });

  it('sets aside an event that cannot be applied instead of blocking the campaign', async () => {
    const id = (await store.activeId(channel)) ?? '';
    // An answer stored corrupt (by hand, or by a bug long ago): its edit cannot be applied.
    await redis.hset(keys.answers(id), 'm3', '{not json');
    const edited = await engine.editAnswer({ channel, threadRef: 'q1', messageRef: 'm3', text: 'new' });
    expect(edited).toEqual({
      ok: false,
      error: 'internal',
      text: expect.stringMatching(/could not apply.*Nothing you wrote is lost/),
    });
    const dead = (await redis.lrange(keys.dead(id), 0, -1)).map((d) => JSON.parse(d));
    expect(dead).toHaveLength(1);
    expect(dead[0].entry.event).toEqual({ type: 'answer-edited', answerId: 'm3', text: 'new' });
    // Nor does text in the inbox that is not an entry at all.
    await redis.rpush(keys.inbox(id), 'not json', JSON.stringify({ id: 'x' }));
    // The campaign goes on: the next answer is stored.
    expect((await answer('m4', 'After the trouble.'))?.ok).toBe(true);
    const unreadable = (await redis.lrange(keys.dead(id), 1, -1)).map((d) => JSON.parse(d).raw);
    expect(unreadable).toEqual(['not json', JSON.stringify({ id: 'x' })]);
    expect(await lists.inboxLength(id)).toBe(0);
    expect((await store.load(id, ['m4']))?.campaign.answers.m4?.text).toBe('After the trouble.');
  });

  it('stores half an emoji (a lone surrogate) as U+FFFD and goes on with the events after it', async () => {
    const id = (await store.activeId(channel)) ?? '';
    // Held, so both wait in the inbox: the second must not be stuck behind the first.
    const held = await waitLock(redis, keys.campaignLock(id));
    expect((await answer('m5', 'Half an emoji \ud83d here.'))?.ok).toBe(true);
    expect((await answer('m6', 'Next one.'))?.ok).toBe(true);
    await held.release();
    await engine.settle(id);
    expect(await lists.inboxLength(id)).toBe(0);
    const { campaign } = (await store.load(id, ['m5', 'm6'])) ?? {};
    expect(campaign?.answers.m5?.text).toBe('Half an emoji \ufffd here.');
    expect(campaign?.answers.m6?.text).toBe('Next one.');
    expect(await redis.llen(keys.dead(id))).toBe(3);
  });

  it('applies an entry stored with a lone surrogate by an earlier version, then the rest', async () => {
    const id = (await store.activeId(channel)) ?? '';
    const event = (messageRef: string, text: string) => ({
      type: 'answer-added',
      answer: {
        id: messageRef,
        blockId: 'def.resource',
        author: { id: 'ben', name: 'Ben' },
        text,
        source: 'thread',
        createdAt: '2026-12-06T10:00:00.000Z',
        updatedAt: '2026-12-06T10:00:00.000Z',
        history: [],
      },
    });
    // Written as JSON.stringify writes it: the surrogate escaped as \ud83d, which Redis' cjson refuses.
    const raw = JSON.stringify({
      id: 'old1',
      at: new Date().toISOString(),
      event: event('m7', 'Cut \ud83d'),
    });
    expect(raw).toContain('\\ud83d');
    await redis.rpush(keys.inbox(id), raw);
    expect((await answer('m8', 'Behind it.'))?.ok).toBe(true);
    expect(await lists.inboxLength(id)).toBe(0);
    const { campaign } = (await store.load(id, ['m7', 'm8'])) ?? {};
    expect(campaign?.answers.m7?.text).toBe('Cut \ud83d');
    expect(campaign?.answers.m8?.text).toBe('Behind it.');
    expect(await redis.llen(keys.dead(id))).toBe(3);
  });
});
