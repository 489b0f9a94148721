import { existsSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  freePort,
  hasRedisServer,
  redisAnswers,
  startLocalRedis,
  startThrowawayRedis,
} from '../../adapters/redis-launcher.js';

/** The playground's own Redis: started when none answers, with AOF under its data folder, stopped on exit. */
describe('the local Redis launcher', () => {
  it('finds redis-server on this machine', () => {
    expect(hasRedisServer()).toBe(true);
  });

  it('starts a redis-server with AOF on and stops it', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const dir = mkdtempSync(join(tmpdir(), 'canevas-redis-'));
    expect(await redisAnswers(url)).toBe(false);
    const local = await startLocalRedis(url, dir);
    try {
      expect(await redisAnswers(url)).toBe(true);
      expect(existsSync(join(dir, 'appendonlydir'))).toBe(true);
    } finally {
      await local.stop();
    }
    expect(await redisAnswers(url)).toBe(false);
  });

  it('starts a throwaway redis-server on a free port that writes nothing and leaves nothing behind', async () => {
    const throwaway = await startThrowawayRedis({ databases: 20 });
    const redis = new Redis(`${throwaway.url}/19`, { maxRetriesPerRequest: 0 });
    let dir = '';
    try {
      expect(await redis.set('k', 'v')).toBe('OK');
      const [, appendonly] = (await redis.config('GET', 'appendonly')) as [string, string];
      const [, save] = (await redis.config('GET', 'save')) as [string, string];
      expect({ appendonly, save }).toEqual({ appendonly: 'no', save: '' });
      dir = ((await redis.config('GET', 'dir')) as [string, string])[1];
      expect(dir.startsWith(realpathSync(tmpdir()))).toBe(true);
    } finally {
      redis.disconnect();
      await throwaway.stop();
    }
    expect(await redisAnswers(throwaway.url)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });
});
