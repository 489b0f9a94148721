import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Answer, Campaign } from '../../src/facilitation/types.js';
import { createCampaignLists } from '../../src/store/campaign-lists.js';
import { createRedisStore } from '../../src/store/redis-store.js';
import { type CampaignStore, VersionConflictError } from '../../src/store/types.js';
import { freshRedis, redisUrlFor } from '../helpers/redis.js';

/** The store's guards against losing answers, across processes (database 2; store.test.ts has 1). */
const DB = 2;
const connections: Redis[] = [];

function connect(): Redis {
  const redis = new Redis(redisUrlFor(DB), { maxRetriesPerRequest: null });
  connections.push(redis);
  return redis;
}

/** A second process: its own connection and store, so none of the first one's memory. */
const otherProcess = () => createRedisStore(connect());

const channel = { platform: 'slack', workspace: 'T1', channel: 'C1' } as const;

function campaignOf(id = 'g1', answers: Answer[] = []): Campaign {
  return {
    id,
    version: 0,
    channel,
    lang: 'fr',
    tz: 'Europe/Paris',
    cadence: 'weekly',
    digestCron: '0 9 * * 1',
    templateId: 'tpl',
    status: 'scheduled',
    createdBy: { id: 'U1', name: 'Ada' },
    createdAt: '2026-12-01T09:00:00.000Z',
    questions: [{ blockId: 'def.resource', status: 'pending' }],
    answers: Object.fromEntries(answers.map((a) => [a.id, a])),
    key: 'k',
  };
}

function answerOf(id: string, text = `texte ${id}`): Answer {
  return {
    id,
    blockId: 'def.resource',
    author: { id: 'U2', name: 'Ben' },
    text,
    source: 'thread',
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
    history: [],
  };
}

/** What the state machine does on an edit: the old text goes to the history. */
function edit(a: Answer, text: string, at: string): Answer {
  return { ...a, text, updatedAt: at, history: [...a.history, { text: a.text, at: a.updatedAt }] };
}

const put = (c: Campaign, a: Answer): Campaign => ({ ...c, answers: { ...c.answers, [a.id]: a } });

/** Writes `next` over the stored campaign as a transition would, expecting `next.version` to be current. */
async function save(store: CampaignStore, next: Campaign): Promise<Campaign> {
  const loaded = await store.load(next.id, Object.keys(next.answers));
  if (!loaded) throw new Error(`no campaign ${next.id}`);
  return store.commit({ ...loaded, campaign: { ...loaded.campaign, version: next.version } }, next, {
    posts: [],
  });
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(async () => {
  (await freshRedis(DB)).disconnect();
});

afterAll(() => {
  for (const c of connections) c.disconnect();
});

describe('the store keeps every answer', () => {
  it('keeps, whatever another process saves, every stored answer', async () => {
    const store = createRedisStore(connect());
    const c = await store.create(campaignOf('g1', [answerOf('m1')]));
    const swapped: Campaign = { ...c, answers: { m2: answerOf('m2') } };
    await save(otherProcess(), swapped);
    const stored = await otherProcess().get(c.id);
    expect(stored?.version).toBe(2);
    expect(Object.keys(stored?.answers ?? {})).toEqual(['m1', 'm2']);
  });

  it('refuses a text rewritten without a trace, or a past revision rewritten', async () => {
    const store = createRedisStore(connect());
    let c = await store.create(campaignOf('g1', [answerOf('m1', 'v1')]));
    c = await save(store, put(c, edit(answerOf('m1', 'v1'), 'v2', '2026-12-02T10:00:00.000Z')));
    const current = c.answers.m1 as Answer;
    const other = otherProcess();
    await expect(save(other, put(c, { ...current, text: 'v3' }))).rejects.toThrow(/history of answer m1/);
    const forged = {
      ...edit(current, 'v3', 'x'),
      history: [{ text: 'forged', at: 'x' }, ...current.history],
    };
    await expect(save(other, put(c, forged))).rejects.toThrow(/history of answer m1/);
    expect((await other.get(c.id))?.answers.m1).toEqual(current);
  });

  it('keeps the whole edit history across saves, processes and a reconnect', async () => {
    const redis = connect();
    let c = await createRedisStore(redis).create(campaignOf('g1', [answerOf('m1', 'un')]));
    let a = c.answers.m1 as Answer;
    for (const [i, text] of ['deux', 'trois 🚲', 'quatre'].entries()) {
      a = edit(a, text, `2026-12-0${i + 2}T10:00:00.000Z`);
      const writer = otherProcess();
      const fresh = await writer.get(c.id);
      if (!fresh) throw new Error('campaign gone');
      c = await save(writer, put(fresh, a));
    }
    await redis.quit();
    const read = await otherProcess().get(c.id);
    expect(read?.version).toBe(4);
    expect(read?.answers.m1?.text).toBe('quatre');
    expect(read?.answers.m1?.history.map((h) => h.text)).toEqual(['un', 'deux', 'trois 🚲']);
  });

  it('saves an answer that holds a lone surrogate and can still edit it', async () => {
    const store = createRedisStore(connect());
    let c = await store.create(campaignOf('g1', [answerOf('m1', 'cassé \ud800')]));
    c = await save(
      otherProcess(),
      put(c, edit(c.answers.m1 as Answer, 'réparé', '2026-12-02T10:00:00.000Z')),
    );
    expect((await store.get(c.id))?.answers.m1?.history[0]?.text).toBe('cassé \ud800');
  });

  it('lets a stale copy saved without the lock fail while locked writers go on', async () => {
    const store = createRedisStore(connect());
    const { id } = await store.create(campaignOf());
    const stale = await otherProcess().get(id);
    if (!stale) throw new Error('campaign gone');
    const locked = otherProcess();
    await locked.withLock(id, async () => {
      const c = await locked.get(id);
      if (c) await save(locked, put(c, answerOf('m1')));
    });
    await expect(save(otherProcess(), put(stale, answerOf('m2')))).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    const stored = await store.get(id);
    expect(Object.keys(stored?.answers ?? {})).toEqual(['m1']);
    expect(stored?.version).toBe(2);
  });
});

describe('reading campaigns', () => {
  it('returns answers in the order they were given, whatever the hash order', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `m${String(i).padStart(3, '0')}`);
    const answers = ids.map((id, i) => ({
      ...answerOf(id, `${id} `.repeat(30)),
      createdAt: new Date(Date.UTC(2026, 11, 1, 10, 0, i)).toISOString(),
    }));
    const c = await createRedisStore(connect()).create(campaignOf('g1', [...answers].reverse()));
    expect(Object.keys((await otherProcess().get(c.id))?.answers ?? {})).toEqual(ids);
  });
});

describe('creating campaigns', () => {
  it('refuses an existing id without touching the other channel or the first campaign', async () => {
    const store = createRedisStore(connect());
    const first = await store.create(campaignOf('g1', [answerOf('m1')]));
    const elsewhere = { ...channel, channel: 'C2' };
    await expect(otherProcess().create({ ...campaignOf('g1'), channel: elsewhere })).rejects.toThrow(
      /already exists/,
    );
    expect(await store.activeId(elsewhere)).toBeNull();
    expect(await store.latestId(elsewhere)).toBeNull();
    expect(await store.get('g1')).toEqual(first);
  });

  it('makes a new campaign both the active and the latest one of its channel', async () => {
    const store = createRedisStore(connect());
    const first = await store.create(campaignOf('g1'));
    await store.clearActive(channel, first.id);
    await store.create(campaignOf('g2'));
    expect(await store.activeId(channel)).toBe('g2');
    expect(await store.latestId(channel)).toBe('g2');
    expect((await store.listIds()).sort()).toEqual(['g1', 'g2']);
  });
});

describe('locks and the key layout', () => {
  it('keeps a lock held by work that outlives its TTL', async () => {
    const holder = createRedisStore(connect(), { lockTtlMs: 150 });
    const waiter = createRedisStore(connect(), { lockWaitMs: 10_000 });
    let inside = false;
    const held = holder.withLock('g1', async () => {
      inside = true;
      await sleep(600);
      inside = false;
    });
    await sleep(20);
    // Without renewal the lock would expire at 150 ms and the waiter would get in while work runs.
    const sawInside = await waiter.withLock('g1', async () => inside);
    await held;
    expect(sawInside).toBe(false);
  });

  it('never releases a lock it no longer holds', async () => {
    const redis = connect();
    const store = createRedisStore(connect());
    await store.withLock('g1', async () => {
      // As if our lock had expired and another process had taken it meanwhile.
      await redis.set('canevas:lock:g1', 'someone-else');
    });
    expect(await redis.get('canevas:lock:g1')).toBe('someone-else');
    await expect(
      createRedisStore(connect(), { lockWaitMs: 100 }).withLock('g1', async () => 1),
    ).rejects.toThrow(/locked/);
    await redis.del('canevas:lock:g1');
    expect(await store.withLock('g1', async () => 'mine')).toBe('mine');
    expect(await redis.exists('canevas:lock:g1')).toBe(0);
  });

  it('writes under the documented keys, one hash field per answer, posts kept 30 days', async () => {
    const redis = connect();
    const store = createRedisStore(redis);
    await store.create(campaignOf('g1', [answerOf('m1'), answerOf('m2')]));
    await store.linkThread(channel, '1712.0001', { campaignId: 'g1', blockId: 'def.resource' });
    await createCampaignLists(redis).recordPost('g1', 'g1-q-def.resource', '1712.0001');
    // One hash tag per campaign: every key of g1 lands in one Redis Cluster slot.
    expect((await redis.hkeys('canevas:{g1}:answers')).sort()).toEqual(['m1', 'm2']);
    expect(await redis.hget('canevas:{g1}:campaign', 'version')).toBe('1');
    expect(await redis.get('canevas:channel:slack:T1:C1:active')).toBe('g1');
    expect(await redis.get('canevas:channel:slack:T1:C1:latest')).toBe('g1');
    expect(await redis.sismember('canevas:campaigns', 'g1')).toBe(1);
    expect(JSON.parse((await redis.get('canevas:thread:slack:T1:C1:1712.0001')) ?? 'null')).toEqual({
      campaignId: 'g1',
      blockId: 'def.resource',
    });
    expect(await redis.hget('canevas:{g1}:post-records', 'post:q-def.resource')).toBe('1712.0001');
    const ttl = await redis.ttl('canevas:{g1}:post-records');
    expect(ttl).toBeGreaterThan(29 * 24 * 3600);
    expect(ttl).toBeLessThanOrEqual(30 * 24 * 3600);
  });
});
