import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasRedisServer, redisAnswers, startLocalRedis } from '../../adapters/redis-launcher.js';
import { freePort } from '../helpers/own-redis.js';

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
});
