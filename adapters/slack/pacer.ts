import type { RedisClient } from '../../src/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * About one post a second per channel, across every process: whoever sets the key first posts,
 * the others wait until it expires. An interval of 0 turns pacing off (a test API, a bench).
 */
export async function pace(redis: RedisClient, channel: string, intervalMs = 1_000): Promise<void> {
  if (intervalMs <= 0) return;
  const key = `canevas:slack:pace:${channel}`;
  for (;;) {
    const ok = await redis.set(key, '1', 'PX', intervalMs, 'NX');
    if (ok === 'OK') return;
    const left = await redis.pttl(key);
    await sleep(Math.max(20, Math.min(left > 0 ? left : 50, intervalMs)));
  }
}
