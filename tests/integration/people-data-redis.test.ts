import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import { createCampaign } from '../../src/facilitation/machine.js';
import type { Actor, ChannelRef } from '../../src/facilitation/types.js';
import { purgeExpired, type RetentionDeps } from '../../src/jobs/retention.js';
import { createLogger } from '../../src/logger.js';
import { indexCampaigns } from '../../src/store/index-campaigns.js';
import { keys } from '../../src/store/keys.js';
import { campaignInit } from '../fixtures/campaigns.js';
import { runCanevas } from '../helpers/cli.js';
import { freshRedis, redisUrlFor } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/**
 * People's data in Redis. CANEVAS_RETENTION_DAYS on a controlled clock: an ended campaign is purged, every key of it, once it
 * ended more than that many days ago, and not a day before; a running one never is; `canevas purge` does
 * it by hand; and the store deletes a member's answers only when a forget-me names them.
 */
const DB = 45;
const DAY = 24 * 3600_000;
const T0 = new Date('2027-03-01T09:00:00Z');

const ada: Actor = { id: 'ada', name: 'Ada', isAdmin: true };
const here: ChannelRef = { platform: 'playground', workspace: 'local', channel: 'retained' };
const there: ChannelRef = { platform: 'playground', workspace: 'local', channel: 'running' };

let now = T0;
let runtime: Runtime;
let redis: Redis;
let deps: RetentionDeps;
let ended = '';
let running = '';
let threads: string[] = [];

/** Every key under the campaign's hash tag. */
async function scoped(id: string): Promise<string[]> {
  const found: string[] = [];
  for await (const batch of redis.scanStream({ match: `canevas:{${id}}:*`, count: 500 }))
    found.push(...(batch as string[]));
  return found;
}

async function settled(id: string): Promise<void> {
  await waitFor('the campaign to settle', async () => {
    return (await runtime.lists.postsLength(id)) + (await runtime.lists.inboxLength(id)) === 0;
  });
}

beforeAll(async () => {
  redis = await freshRedis(DB);
  runtime = await startTestRuntime(DB, {}, { serve: true, work: true }, () => now);
  deps = { redis, store: runtime.store, schedule: runtime.schedule, logger: createLogger('silent') };
  const command = (channel: ChannelRef, text: string) =>
    runtime.engine.command({ channel, actor: ada, text });
  expect((await command(here, 'start lang:en')).ok).toBe(true);
  expect((await command(there, 'start lang:en')).ok).toBe(true);
  ended = (await runtime.store.activeId(here)) ?? '';
  running = (await runtime.store.activeId(there)) ?? '';
  await settled(ended);
  await waitFor('the questions posted', async () => {
    const c = await runtime.store.get(ended);
    return c?.questions.some((q) => q.postRef) ? c : undefined;
  });
  const campaign = await runtime.store.get(ended);
  const [question] = campaign?.questions.filter((q) => q.postRef) ?? [];
  await runtime.engine.answer({
    channel: here,
    threadRef: question?.postRef ?? '',
    messageRef: 'msg-1',
    author: { id: 'ben', name: 'Ben' },
    text: 'Our map.',
    source: 'thread',
  });
  now = new Date(T0.getTime() + DAY);
  expect((await command(here, 'stop')).ok).toBe(true);
  await settled(ended);
  threads = (campaign?.questions ?? []).flatMap((q) => (q.postRef ? [keys.thread(here, q.postRef)] : []));
});

afterAll(async () => {
  await runtime?.close();
  redis?.disconnect();
});

describe('the retention of ended campaigns', () => {
  it('notes when a campaign ended, in the index the sweep reads', async () => {
    expect(Number(await redis.zscore(keys.ended(), ended))).toBe(T0.getTime() + DAY);
    expect(await redis.zscore(keys.ended(), running)).toBeNull();
    expect(await redis.smembers(keys.channelCampaigns(here))).toEqual([ended]);
    expect(threads.length).toBeGreaterThan(0);
  });

  it('fills the indexes once for campaigns stored before they existed', async () => {
    await redis.del(keys.ended(), keys.channelCampaigns(here), keys.channelCampaigns(there), keys.indexed());
    expect(await indexCampaigns(redis, runtime.store, createLogger('silent'))).toBe(2);
    expect(Number(await redis.zscore(keys.ended(), ended))).toBe(T0.getTime() + DAY);
    expect(await redis.smembers(keys.channelCampaigns(there))).toEqual([running]);
    // Once: the mark says it was done.
    expect(await indexCampaigns(redis, runtime.store, createLogger('silent'))).toBe(0);
  });

  it('keeps it until the days have passed', async () => {
    const dayBefore = new Date(T0.getTime() + DAY + 30 * DAY - 60_000);
    expect(await purgeExpired(deps, 30, dayBefore)).toEqual([]);
    expect(await runtime.store.get(ended)).not.toBeNull();
  });

  it('leaves a running campaign alone, even with a stale mark, and looks at it again later', async () => {
    // A mark written before a save that never came: the campaign did not end.
    await redis.zadd(keys.ended(), T0.getTime() - 40 * DAY, running);
    const dayBefore = new Date(T0.getTime() + DAY + 30 * DAY - 60_000);
    expect(await purgeExpired(deps, 30, dayBefore)).toEqual([]);
    expect(await runtime.store.get(running)).not.toBeNull();
    expect(Number(await redis.zscore(keys.ended(), running))).toBe(dayBefore.getTime());
    await redis.zrem(keys.ended(), running);
  });

  it('then deletes every key it left: campaign, answers, lists, post records, thread links, pointers', async () => {
    expect((await scoped(ended)).length).toBeGreaterThan(3);
    const at = new Date(T0.getTime() + DAY + 30 * DAY + 60_000);
    expect(await purgeExpired(deps, 30, at)).toEqual([ended]);
    expect(await scoped(ended)).toEqual([]);
    for (const link of threads) expect(await redis.exists(link)).toBe(0);
    expect(await redis.get(keys.latest(here))).toBeNull();
    expect(await redis.sismember(keys.campaigns(), ended)).toBe(0);
    expect(await redis.sismember(keys.channelCampaigns(here), ended)).toBe(0);
    expect(await redis.zscore(keys.ended(), ended)).toBeNull();
    // The canvas page is gone with it.
    const campaign = await runtime.store.get(ended);
    expect(campaign).toBeNull();
    const page = await fetch(`http://127.0.0.1:${runtime.port}/canvas/${ended}?key=x`);
    expect(page.status).toBe(404);
    // Nothing else was touched.
    expect(await runtime.store.get(running)).not.toBeNull();
    expect(await redis.smembers(keys.channelCampaigns(there))).toEqual([running]);
    // A second pass (another process) finds nothing more to do.
    expect(await purgeExpired(deps, 30, at)).toEqual([]);
  });

  it('drops a late event for the purged campaign without bringing a key back', async () => {
    await runtime.engine.submit(ended, { type: 'reminder-due', roundId: 'r1' });
    // Only its result is left, for whoever waits on it, and it expires by itself.
    await waitFor('the inbox let go', async () => (await scoped(ended)).length === 1);
    expect(await scoped(ended)).toEqual([keys.results(ended)]);
    expect(await redis.ttl(keys.results(ended))).toBeGreaterThan(0);
    expect(await redis.exists(keys.dead(ended))).toBe(0);
  });
});

describe('CANEVAS_RETENTION_DAYS', () => {
  it('has the workers purge at start, then every hour, what ended longer ago', async () => {
    const old: ChannelRef = { ...here, channel: 'old' };
    now = new Date(Date.now() - 10 * DAY);
    const command = (text: string) => runtime.engine.command({ channel: old, actor: ada, text });
    expect((await command('start lang:en')).ok).toBe(true);
    const id = (await runtime.store.activeId(old)) ?? '';
    expect((await command('stop')).ok).toBe(true);
    await settled(id);
    const workers = await startTestRuntime(DB, { CANEVAS_RETENTION_DAYS: '7' }, { serve: false, work: true });
    try {
      await waitFor('the ended campaign purged', async () => (await runtime.store.get(id)) === null);
      expect(await scoped(id)).toEqual([]);
      expect(await runtime.store.get(running)).not.toBeNull();
    } finally {
      await workers.close();
    }
  });
});

/** The real command line, as an operator runs it. */
const canevas = (args: string[]) => runCanevas(args, import.meta.dirname, { REDIS_URL: redisUrlFor(DB) });

describe('canevas purge', () => {
  it('says what it would delete, deletes an ended campaign with --yes, and refuses a running one', async () => {
    const cli: ChannelRef = { ...here, channel: 'cli' };
    const command = (text: string) => runtime.engine.command({ channel: cli, actor: ada, text });
    expect((await command('start lang:en')).ok).toBe(true);
    const id = (await runtime.store.activeId(cli)) ?? '';
    await settled(id);
    const refused = await canevas(['purge', id, '--yes']);
    expect([refused.code, refused.stderr]).toEqual([
      1,
      expect.stringContaining('end it first with /canevas stop'),
    ]);
    expect((await command('stop')).ok).toBe(true);
    await settled(id);
    const dry = await canevas(['purge', id]);
    expect([dry.code, dry.stdout]).toEqual([
      1,
      expect.stringContaining(`Would delete campaign ${id} (completed, 0 answers)`),
    ]);
    expect(await runtime.store.get(id)).not.toBeNull();
    const done = await canevas(['purge', id, '--yes']);
    expect([done.code, done.stdout]).toEqual([0, expect.stringContaining(`Deleted campaign ${id}`)]);
    expect(await scoped(id)).toEqual([]);
  });
});

describe('deleting answers in the store', () => {
  it('deletes only the answers a transition names, never one merely left out', async () => {
    const store = runtime.store;
    const base = createCampaign(
      campaignInit({ id: 'store-purge', channel: { ...here, channel: 'store' }, now: T0 }),
    );
    const answer = (id: string) => ({
      id,
      blockId: 'def.resource',
      author: { id: 'ben', name: 'Ben' },
      text: `Answer ${id}`,
      source: 'thread' as const,
      createdAt: T0.toISOString(),
      updatedAt: T0.toISOString(),
      history: [],
    });
    await store.create(base);
    const loaded = await store.load(base.id, 'all');
    if (!loaded) throw new Error('not stored');
    await store.commit(
      loaded,
      { ...loaded.campaign, answers: { a1: answer('a1'), a2: answer('a2') } },
      { posts: [] },
    );
    const both = await store.load(base.id, 'all');
    if (!both) throw new Error('not stored');
    // Left out of the next state without being named: kept.
    const { a1: _kept, ...withoutA1 } = both.campaign.answers;
    await store.commit(both, { ...both.campaign, answers: withoutA1 }, { posts: [] });
    expect(await redis.hkeys(keys.answers(base.id))).toEqual(expect.arrayContaining(['a1', 'a2']));
    // Named, but still in the next state: kept too.
    const again = await store.load(base.id, 'all');
    if (!again) throw new Error('not stored');
    await store.commit(again, again.campaign, { posts: [], purge: ['a2'] });
    expect(await redis.hexists(keys.answers(base.id), 'a2')).toBe(1);
    // Named and gone: deleted, history and all.
    const last = await store.load(base.id, 'all');
    if (!last) throw new Error('not stored');
    const { a1: _a1, ...rest } = last.campaign.answers;
    await store.commit(last, { ...last.campaign, answers: rest }, { posts: [], purge: ['a1'] });
    expect(await redis.hkeys(keys.answers(base.id))).toEqual(['a2']);
  });
});
