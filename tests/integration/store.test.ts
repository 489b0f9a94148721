import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Answer, Campaign } from '../../src/facilitation/types.js';
import { createCampaignLists } from '../../src/store/campaign-lists.js';
import { keys } from '../../src/store/keys.js';
import { createRedisStore } from '../../src/store/redis-store.js';
import { type CampaignStore, LockTimeoutError, VersionConflictError } from '../../src/store/types.js';
import { newCampaign } from '../fixtures/campaigns.js';
import { freshRedis, redisUrlFor } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

/** The campaign store against the real Redis (database 1). */
const DB = 1;
const connections: Redis[] = [];

async function connect(): Promise<Redis> {
  const redis = new Redis(redisUrlFor(DB), { maxRetriesPerRequest: null });
  connections.push(redis);
  return redis;
}

function answer(id: string, text = `text ${id}`): Answer {
  return {
    id,
    blockId: 'def.resource',
    author: { id: 'ben', name: 'Ben' },
    text,
    source: 'thread',
    createdAt: '2026-12-01T09:00:00.000Z',
    updatedAt: '2026-12-01T09:00:00.000Z',
    history: [],
  };
}

const withAnswer = (c: Campaign, a: Answer): Campaign => ({ ...c, answers: { ...c.answers, [a.id]: a } });

/** Writes `next` over the stored campaign as a transition would, expecting `next.version` to be current. */
async function save(store: CampaignStore, next: Campaign): Promise<Campaign> {
  const loaded = await store.load(next.id, Object.keys(next.answers));
  if (!loaded) throw new Error(`no campaign ${next.id}`);
  return store.commit({ ...loaded, campaign: { ...loaded.campaign, version: next.version } }, next, {
    posts: [],
  });
}

beforeEach(async () => {
  (await freshRedis(DB)).disconnect();
});

afterAll(() => {
  for (const c of connections) c.disconnect();
});

describe('the Redis campaign store', () => {
  it('creates, reads back and saves with an increasing version', async () => {
    const store = createRedisStore(await connect());
    const created = await store.create(withAnswer(newCampaign(), answer('m1')));
    expect(created.version).toBe(1);
    const read = await store.get(created.id);
    expect(read).toEqual(created);
    const saved = await save(store, { ...created, status: 'running' });
    expect(saved.version).toBe(2);
    expect((await store.get(created.id))?.status).toBe('running');
    expect(await store.activeId(created.channel)).toBe(created.id);
    expect(await store.listIds()).toEqual([created.id]);
    await expect(store.create(newCampaign())).rejects.toThrow(/already exists/);
  });

  it('keeps the campaign document packed, and reads one an older version wrote as JSON', async () => {
    const redis = await connect();
    const store = createRedisStore(redis);
    const created = await store.create(newCampaign());
    const { answers: _answers, version: _version, ...doc } = created;
    const stored = (await redis.hget(keys.campaign(created.id), 'doc')) ?? '';
    expect(stored.startsWith('z1:')).toBe(true);
    expect(stored.length).toBeLessThan(JSON.stringify(doc).length);
    await redis.hset(keys.campaign(created.id), 'doc', JSON.stringify({ ...doc, name: 'Written as JSON' }));
    const old = await store.get(created.id);
    expect(old?.name).toBe('Written as JSON');
    const saved = await save(store, { ...(old as Campaign), status: 'running' });
    expect(await store.get(created.id)).toEqual(saved);
    expect((await redis.hget(keys.campaign(created.id), 'doc'))?.startsWith('z1:')).toBe(true);
  });

  it('runs its scripts again after Redis forgot them (a restart flushes the script cache)', async () => {
    const redis = await connect();
    const store = createRedisStore(redis);
    const created = await store.create(newCampaign());
    await redis.script('FLUSH');
    expect((await save(store, { ...created, status: 'running' })).version).toBe(2);
  });

  it('refuses a stale save and changes nothing', async () => {
    const store = createRedisStore(await connect());
    const created = await store.create(newCampaign());
    await save(store, { ...created, status: 'running' });
    await expect(save(store, { ...created, status: 'paused' })).rejects.toBeInstanceOf(VersionConflictError);
    expect((await store.get(created.id))?.status).toBe('running');
  });

  it('never drops an answer nor shortens its history', async () => {
    const store = createRedisStore(await connect());
    let c = await store.create(withAnswer(newCampaign(), answer('m1')));
    const edited = { ...answer('m1', 'v2'), history: [{ text: 'text m1', at: '2026-12-01T09:00:00.000Z' }] };
    c = await save(store, withAnswer(c, edited));
    expect((await store.get(c.id))?.answers.m1?.history).toHaveLength(1);
    // A transition that read no answer writes none: the stored ones stay.
    c = await save(store, { ...c, status: 'running', answers: {} });
    expect((await store.get(c.id))?.answers.m1).toEqual(edited);
    // A second process cannot rewrite an answer without keeping its history: Redis itself refuses.
    const other = createRedisStore(await connect());
    await expect(save(other, withAnswer(c, answer('m1', 'rewritten')))).rejects.toThrow(/history/);
    expect((await store.get(c.id))?.answers.m1).toEqual(edited);
  });

  it('serialises 20 concurrent writers on separate connections: all 200 answers kept', async () => {
    const first = createRedisStore(await connect());
    const { id } = await first.create(newCampaign());
    const writers = await Promise.all(
      Array.from({ length: 20 }, async () => createRedisStore(await connect(), { lockWaitMs: 30_000 })),
    );
    await Promise.all(
      writers.map(async (store, w) => {
        for (let i = 0; i < 10; i++) {
          await store.withLock(id, async () => {
            const c = await store.get(id);
            if (!c) throw new Error('gone');
            await save(store, withAnswer(c, answer(`w${w}-${i}`)));
          });
        }
      }),
    );
    const final = await first.get(id);
    expect(Object.keys(final?.answers ?? {})).toHaveLength(200);
    expect(final?.version).toBe(201);
  });

  it('finds everything again after a restart on a new connection', async () => {
    const redis = await connect();
    const store = createRedisStore(redis);
    const c = await store.create(withAnswer(newCampaign(), answer('m1')));
    await store.linkThread(c.channel, 'p1', { campaignId: c.id, blockId: 'def.resource' });
    await createCampaignLists(redis).recordPost(c.id, 'k1', 'p1');
    const templateId = await store.putTemplate({
      version: 1,
      name: { fr: 'n', en: 'n' },
      example: { name: 'x', description: { fr: 'd', en: 'd' } },
      credit: { fr: 'c', en: 'c' },
      fiches: [],
      synthesis: [],
      ostrom: [],
    });
    await redis.quit();
    const restarted = createRedisStore(await connect());
    expect(await restarted.get(c.id)).toEqual(c);
    expect(await restarted.findThread(c.channel, 'p1')).toEqual({
      campaignId: c.id,
      blockId: 'def.resource',
    });
    expect(await restarted.activeId(c.channel)).toBe(c.id);
    expect(await createCampaignLists(await connect()).findPost(c.id, 'k1')).toBe('p1');
    expect((await restarted.getTemplate(templateId))?.credit.en).toBe('c');
  });

  it('keeps post records in one hash per campaign, and reads those an older version kept a key each', async () => {
    const redis = await connect();
    const lists = createCampaignLists(redis);
    const c = newCampaign();
    expect(await lists.markIntent(c.id, `${c.id}-q-def.resource`, '2026-12-01T09:00:00.000Z')).toBeNull();
    expect(await lists.markIntent(c.id, `${c.id}-q-def.resource`, '2026-12-01T09:05:00.000Z')).toBe(
      '2026-12-01T09:00:00.000Z',
    );
    await lists.recordPost(c.id, `${c.id}-q-def.resource`, 'p1');
    expect(await lists.findPost(c.id, `${c.id}-q-def.resource`)).toBe('p1');
    expect(await redis.keys(`canevas:{${c.id}}:*`)).toEqual([keys.postRecords(c.id)]);
    // Written before the records hash: found, and a first try is not taken for one.
    await redis.set(keys.post(c.id, `${c.id}-progress`), 'p2', 'EX', 3600);
    await redis.set(keys.intent(c.id, `${c.id}-intro`), '2026-11-30T09:00:00.000Z', 'EX', 3600);
    expect(await lists.findPost(c.id, `${c.id}-progress`)).toBe('p2');
    expect(await lists.markIntent(c.id, `${c.id}-intro`, '2026-12-01T10:00:00.000Z')).toBe(
      '2026-11-30T09:00:00.000Z',
    );
    expect(await lists.findPost(c.id, `${c.id}-intro`)).toBeNull();
  });

  it('writes only the answer that changed in a campaign of 500 long answers, reading only that one', async () => {
    const redis = await connect();
    const store = createRedisStore(redis);
    let c = newCampaign();
    for (let i = 0; i < 500; i++) c = withAnswer(c, answer(`m${i}`, 'é'.repeat(5000)));
    c = await store.create(c);
    // Plant a marker in another answer's stored JSON: a full rewrite would erase it.
    const key = keys.answers(c.id);
    const marked = JSON.stringify({ ...answer('m1', 'é'.repeat(5000)), marker: true });
    await redis.hset(key, 'm1', marked);
    const loaded = await store.load(c.id, ['m0']);
    if (!loaded) throw new Error('gone');
    expect(Object.keys(loaded.campaign.answers)).toEqual(['m0']);
    const m0 = {
      ...answer('m0', 'short'),
      history: [{ text: 'é'.repeat(5000), at: '2026-12-01T09:00:00.000Z' }],
    };
    c = await store.commit(loaded, withAnswer(loaded.campaign, m0), { posts: [] });
    expect(await redis.hget(key, 'm1')).toBe(marked);
    expect(JSON.parse((await redis.hget(key, 'm0')) ?? '{}').text).toBe('short');
    expect(await redis.hlen(key)).toBe(500);
  });

  it('times out on a held lock and releases a lock when the work throws', async () => {
    const redis = await connect();
    const holder = createRedisStore(redis);
    const waiter = createRedisStore(await connect(), { lockWaitMs: 200 });
    let release: () => void = () => undefined;
    const held = holder.withLock('x', () => new Promise<void>((r) => (release = r)));
    await waitFor('the holder to take the lock', async () => (await redis.exists('canevas:lock:x')) === 1);
    await expect(waiter.withLock('x', async () => 1)).rejects.toBeInstanceOf(LockTimeoutError);
    release();
    await held;
    await expect(holder.withLock('y', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await waiter.withLock('y', async () => 'free')).toBe('free');
  });

  it('clears the active campaign of a channel only for that campaign', async () => {
    const store = createRedisStore(await connect());
    const c = await store.create(newCampaign());
    await store.clearActive(c.channel, 'someone-else');
    expect(await store.activeId(c.channel)).toBe(c.id);
    await store.clearActive(c.channel, c.id);
    expect(await store.activeId(c.channel)).toBeNull();
    expect(await store.latestId(c.channel)).toBe(c.id);
  });
});
