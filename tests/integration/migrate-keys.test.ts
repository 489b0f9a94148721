import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createCampaignLists } from '../../src/store/campaign-lists.js';
import { migrateKeys } from '../../src/store/migrate-keys.js';
import { createRedisStore } from '../../src/store/redis-store.js';
import { newCampaign } from '../fixtures/campaigns.js';
import { freshRedis } from '../helpers/redis.js';

/** Campaigns stored by Canevas 0.1 are found again after the upgrade (database 22). */
let redis: Awaited<ReturnType<typeof freshRedis>>;

beforeAll(async () => {
  redis = await freshRedis(22);
});

afterAll(() => {
  redis.disconnect();
});

describe('moving 0.1 campaigns to the hash-tagged layout', () => {
  it('keeps the campaign, every answer and the records of posts made; twice is harmless', async () => {
    const { answers: _none, version: _v, ...doc } = newCampaign();
    const id = doc.id;
    const answer = {
      id: 'm1',
      blockId: 'def.resource',
      author: { id: 'ben', name: 'Ben' },
      text: 'Une carte ouverte.',
      source: 'thread',
      createdAt: '2026-12-01T09:00:00.000Z',
      updatedAt: '2026-12-01T09:00:00.000Z',
      history: [],
    };
    await redis.sadd('canevas:campaigns', id);
    await redis.hset(`canevas:campaign:${id}`, 'doc', JSON.stringify(doc), 'version', 7);
    await redis.hset(`canevas:campaign:${id}:answers`, 'm1', JSON.stringify(answer));
    await redis.set(`canevas:post:${id}-progress`, '1712.0009', 'EX', 3600);
    await redis.set('canevas:post:other-campaign-intro', 'x');

    expect(await migrateKeys(redis, createLogger('silent'))).toBe(1);
    const campaign = await createRedisStore(redis).get(id);
    expect(campaign?.version).toBe(7);
    expect(campaign?.answers.m1).toEqual(answer);
    expect(await createCampaignLists(redis).findPost(id, `${id}-progress`)).toBe('1712.0009');
    expect(await redis.exists(`canevas:campaign:${id}`, `canevas:campaign:${id}:answers`)).toBe(0);
    expect(await redis.get('canevas:post:other-campaign-intro')).toBe('x');

    expect(await migrateKeys(redis, createLogger('silent'))).toBe(0);
    expect((await createRedisStore(redis).get(id))?.answers.m1).toEqual(answer);
  });
});
