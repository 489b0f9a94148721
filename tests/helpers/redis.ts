import { Redis } from 'ioredis';

/**
 * Each test file owns one Redis database number, so files can run in parallel against one server.
 * Numbers in use: 0 canvas page in Chromium, 1-2 store, 3 schedules, 4 playground in Chromium, 5 failed posts, 6 busy engine,
 * 7-8 playground, 9-10 e2e, 11 web,
 * 12, 13 and 15 Slack, 14 Discord (13 also by `npm run bench`, never alongside the tests).
 * Files that come after these start a redis-server of their own (own-redis.ts).
 */
export function redisUrlFor(db: number): string {
  const base = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  base.pathname = `/${db}`;
  return base.toString();
}

/** Empties the database and returns a connection to it; close it in afterAll. */
export async function freshRedis(db: number): Promise<Redis> {
  const redis = new Redis(redisUrlFor(db), { maxRetriesPerRequest: null });
  await redis.flushdb();
  return redis;
}
