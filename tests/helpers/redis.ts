import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { TEST_DATABASES } from './redis-context.js';

/**
 * The tests' own Redis (started by tests/global-setup.ts, or TEST_REDIS_URL), never REDIS_URL's.
 * Each test file owns one database number, so files can run in parallel against that one server.
 * Numbers in use: 0 canvas page in Chromium, 1-2 store, 3 schedules, 4 playground in Chromium, 5 failed posts, 6 busy engine,
 * 7-8 playground, 9-10 e2e, 11 web,
 * 12, 13 and 15 Slack, 14 Discord, 16 `canevas reset`, 17 the tests' own Redis,
 * 18 playground post dedupe, 19 Slack post dedupe, 20 a burst of Slack answers, 21 unreadable campaign,
 * 22 key migration, 23 playground buttons and forms, 25 the playground's nudge,
 * 26 the workshop calendar on the real queues, 27 the workshop format in the playground,
 * 28 shared statements and support in the playground, 29 the page's core buttons, reactions and permalinks
 * in Chromium, 30 shared statements and support on Slack, 31 the same on Discord, 42 `canevas export`,
 * 43 Slack installs (uninstall, Home tab, tokens at rest), 44 Discord servers joined and left,
 * 45 people's data in Redis (retention, purge), 46 people's data in the playground (forget-me,
 * anonymous campaigns),
 * 47 the page's finish (code, toasts, delete, time zone) in Chromium, 48 Slack and Discord in one process,
 * 49 the outbox in passes (one save a pass, posts from the counts)
 * 56 the inbox applied by two processes in turn (documents kept per process)
 * (32-41 are the scaling work's: 34 status from the counts kept with a campaign, 35 help in the
 * channel's language, 36 the sweeper's claims, 37 schedules carried over from BullMQ job schedulers,
 * 38 the move of a 0.1 install to the cluster-ready key layout, 40 two `serve` and two `work` processes
 * behind one URL, 41 Discord's shards; the Redis Cluster test starts a cluster of its own),
 * 57 platforms refusing the bot at start (wrong tokens, an intent left off, no Redis).
 */
export function redisUrlFor(db: number): string {
  if (!Number.isInteger(db) || db < 0 || db >= TEST_DATABASES) {
    throw new Error(`test database ${db}: use 0-${TEST_DATABASES - 1}`);
  }
  const url = inject('testRedisUrl');
  if (!url) {
    throw new Error(
      'this test needs Redis: install redis-server, or set TEST_REDIS_URL to a Redis the tests may flush',
    );
  }
  const base = new URL(url);
  base.pathname = `/${db}`;
  return base.toString();
}

/** Empties the database and returns a connection to it; close it in afterAll. */
export async function freshRedis(db: number): Promise<Redis> {
  const redis = new Redis(redisUrlFor(db), { maxRetriesPerRequest: null });
  await redis.flushdb();
  return redis;
}
