import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshRedis, redisUrlFor } from '../helpers/redis.js';
import { TEST_DATABASES } from '../helpers/redis-context.js';
import { plantSentinel, removeSentinel, sentinelState, serverRunId } from '../helpers/user-redis.js';

/**
 * The tests run on a Redis of their own and never on the one REDIS_URL names (a user's data).
 * The global setup also checks, after the last test file, that its sentinel there is intact.
 */
const DB = 17;

let redis: Redis;

beforeAll(async () => {
  redis = await freshRedis(DB);
});

afterAll(async () => {
  await redis.quit();
});

describe("the tests' own Redis", () => {
  it('is another server than the one REDIS_URL names', async () => {
    const ours = await serverRunId(redisUrlFor(DB));
    expect(ours).toMatch(/^\w{40}$/);
    const user = inject('userRedis');
    expect(ours).not.toBe(user.runId);
    expect(new URL(redisUrlFor(DB)).host).not.toBe(new URL(user.url).host);
  });

  it('is what the helpers connect to, whatever REDIS_URL says inside the tests', () => {
    const before = process.env.REDIS_URL;
    process.env.REDIS_URL = 'redis://user-data.invalid:6379/3';
    try {
      const url = new URL(redisUrlFor(5));
      const ours = new URL(inject('testRedisUrl') ?? 'redis://missing');
      expect([url.host, url.pathname]).toEqual([ours.host, '/5']);
    } finally {
      if (before === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = before;
    }
  });

  it("leaves the setup's sentinel in REDIS_URL's database alone while the tests run", async () => {
    const user = inject('userRedis');
    if (user.sentinel) {
      expect(await sentinelState(user.sentinel)).toBe('intact');
    } else {
      // None planted: only right when REDIS_URL was unset or nothing answered there.
      expect(user.explicit && user.runId !== null).toBe(false);
    }
  });

  it('rejects database numbers the server does not have', () => {
    expect(() => redisUrlFor(TEST_DATABASES)).toThrow(`use 0-${TEST_DATABASES - 1}`);
    expect(() => redisUrlFor(-1)).toThrow(`use 0-${TEST_DATABASES - 1}`);
  });
});

describe('the sentinel check', () => {
  it('sees a flushed database, an overwritten sentinel, and removes only its own value', async () => {
    const url = redisUrlFor(DB);
    const flushed = await plantSentinel(url);
    expect(await sentinelState(flushed)).toBe('intact');
    await redis.flushdb();
    expect(await sentinelState(flushed)).toBe('missing');

    const overwritten = await plantSentinel(url);
    await redis.set(overwritten.key, 'something else');
    expect(await sentinelState(overwritten)).toBe('changed');
    await removeSentinel(overwritten);
    expect(await redis.get(overwritten.key)).toBe('something else');

    const kept = await plantSentinel(url);
    expect(await redis.ttl(kept.key)).toBeGreaterThan(0);
    await removeSentinel(kept);
    expect(await redis.exists(kept.key)).toBe(0);
  });
});
