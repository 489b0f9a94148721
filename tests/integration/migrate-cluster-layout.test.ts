import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readChannel } from '../../adapters/playground/channel-store.js';
import { movePlaygroundKeys } from '../../adapters/playground/migrate-keys.js';
import { PLAYGROUND_CHANNEL } from '../../adapters/playground/routes.js';
import { QUEUE } from '../../src/jobs/job-types.js';
import { LEGACY_QUEUE_PREFIX, moveLegacyQueues } from '../../src/jobs/migrate-queues.js';
import { createQueues } from '../../src/jobs/queues.js';
import { createLogger } from '../../src/logger.js';
import { freshRedis, redisUrlFor } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';

/**
 * An install of Canevas 0.1 on one Redis keeps its schedules, queued jobs and playground channel once
 * the keys take hash tags (the BullMQ prefix `{canevas}`, the playground's `canevas:{playground}:`),
 * moved at start, once, whoever starts first (database 38).
 */
const DB = 38;
const logger = createLogger('silent');
let redis: Redis;

const HOUR = 3600_000;
const T0 = Date.parse('2030-03-04T08:00:00Z');
const MADE_AT = Date.parse('2020-01-06T07:00:00Z');
/** The first runs of the two schedulers: Monday 9:00 and Friday 17:00 in Paris. */
const OVERDUE_TICK = Date.parse('2020-01-06T08:00:00Z');
const OVERDUE_DIGEST = Date.parse('2020-01-10T16:00:00Z');

/** What 0.1 left: a campaign's two schedulers with overdue runs, a reminder, a flush, a playground thread. */
async function seedVersion01(): Promise<void> {
  const connection = redis;
  const schedule = new Queue(QUEUE.schedule, { connection, prefix: LEGACY_QUEUE_PREFIX });
  const outbox = new Queue(QUEUE.outbox, { connection, prefix: LEGACY_QUEUE_PREFIX });
  const data = { campaignId: 'c1' };
  // Made on a Monday morning long ago, so their first runs are overdue now: the processes were down.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(MADE_AT);
  try {
    await schedule.upsertJobScheduler(
      'tick-c1',
      { pattern: '0 9 * * 1', tz: 'Europe/Paris' },
      { name: 'tick', data },
    );
    await schedule.upsertJobScheduler(
      'digest-c1',
      { pattern: '0 17 * * 5', tz: 'Europe/Paris' },
      { name: 'digest', data },
    );
  } finally {
    vi.useRealTimers();
  }
  await schedule.add(
    'reminder',
    { campaignId: 'c1', roundId: 'r1', closesAt: '2099-01-01T12:00:00.000Z', at: '2099-01-01T09:00:00.000Z' },
    { jobId: 'reminder-c1-r1-4070952000000', timestamp: T0, delay: 200 * 365 * 24 * HOUR },
  );
  await outbox.add('flush', data, { jobId: 'c1-flush-v3', timestamp: T0, delay: 100 * 365 * 24 * HOUR });
  await Promise.all([schedule.close(), outbox.close()]);

  const old = 'canevas:playground:';
  await redis.set(`${old}seq`, 2);
  await redis.rpush(`${old}posts:local/general`, 'pg1');
  await redis.hset(`${old}msg:pg1`, {
    id: 'pg1',
    channel: 'local/general',
    author: JSON.stringify({ id: 'canevas', name: 'Canevas', bot: true }),
    kind: 'intro',
    text: 'Welcome to the canvas.',
    createdAt: '2030-03-04T08:00:00.000Z',
  });
  await redis.rpush(`${old}thread:pg1`, 'pg2');
  await redis.hset(`${old}msg:pg2`, {
    id: 'pg2',
    channel: 'local/general',
    author: JSON.stringify({ id: 'ben', name: 'Ben' }),
    kind: 'message',
    text: 'A reply kept across the upgrade.',
    threadRef: 'pg1',
    createdAt: '2030-03-04T08:01:00.000Z',
  });
  await redis.set(`${old}dedupe:c1-intro`, 'pg1');
}

const legacyKeys = async () => [
  ...(await redis.keys(`${LEGACY_QUEUE_PREFIX}:*`)),
  ...(await redis.keys('canevas:playground:*')),
];

beforeEach(async () => {
  redis?.disconnect();
  redis = await freshRedis(DB);
  await seedVersion01();
});

afterAll(() => {
  redis.disconnect();
});

describe('moving a 0.1 install to the cluster-ready layout', () => {
  it('keeps schedules, queued jobs and the playground channel when the new version starts', async () => {
    const runtime = await startTestRuntime(DB, {}, { serve: false, work: false });
    try {
      const schedulers = await runtime.queues.schedule.getJobSchedulers(0, -1);
      expect(
        schedulers.map((s) => ({
          key: s.key,
          name: s.name,
          pattern: s.pattern,
          tz: s.tz,
          data: s.template?.data,
        })),
      ).toEqual(
        expect.arrayContaining([
          {
            key: 'tick-c1',
            name: 'tick',
            pattern: '0 9 * * 1',
            tz: 'Europe/Paris',
            data: { campaignId: 'c1' },
          },
          {
            key: 'digest-c1',
            name: 'digest',
            pattern: '0 17 * * 5',
            tz: 'Europe/Paris',
            data: { campaignId: 'c1' },
          },
        ]),
      );
      const reminder = await runtime.queues.schedule.getJob('reminder-c1-r1-4070952000000');
      expect(reminder?.data.roundId).toBe('r1');
      expect((reminder?.timestamp ?? 0) + (reminder?.opts.delay ?? 0)).toBe(T0 + 200 * 365 * 24 * HOUR);
      expect(await reminder?.getState()).toBe('delayed');
      // The runs overdue after the downtime run once, for the time they stood for.
      const tick = await runtime.queues.schedule.getJob(`moved-repeat-tick-c1-${OVERDUE_TICK}`);
      expect(tick?.opts.prevMillis).toBe(OVERDUE_TICK);
      expect(tick?.data).toEqual({ campaignId: 'c1' });
      const digest = await runtime.queues.schedule.getJob(`moved-repeat-digest-c1-${OVERDUE_DIGEST}`);
      expect(digest?.name).toBe('digest');
      const flush = await runtime.queues.outbox.getJob('c1-flush-v3');
      expect(flush?.data).toEqual({ campaignId: 'c1' });
      expect(await flush?.getState()).toBe('delayed');

      const channel = await readChannel(redis, PLAYGROUND_CHANNEL);
      expect(channel.map((p) => [p.text, p.replies.map((r) => r.text)])).toEqual([
        ['Welcome to the canvas.', ['A reply kept across the upgrade.']],
      ]);
      expect(await redis.get('canevas:{playground}:seq')).toBe('2');
      expect(await redis.get('canevas:{playground}:dedupe:c1-intro')).toBe('pg1');
      expect(await legacyKeys()).toEqual([]);
    } finally {
      await runtime.close();
    }

    // A second start finds nothing to move and changes nothing.
    const again = await startTestRuntime(DB, {}, { serve: false, work: false });
    try {
      expect(await again.queues.schedule.getJobSchedulersCount()).toBe(2);
      expect(await again.queues.schedule.getJobCountByTypes('delayed', 'waiting')).toBe(5);
      expect(await movePlaygroundKeys(redis, logger)).toBe(0);
      expect(await moveLegacyQueues(redis, again.queues, logger)).toBe(0);
    } finally {
      await again.close();
    }
  });

  it('moves everything once when two processes start at the same time', async () => {
    const other = await freshConnection();
    const [mine, theirs] = [createQueues(redis, logger), createQueues(other, logger)];
    try {
      const moved = await Promise.all([
        moveLegacyQueues(redis, mine, logger),
        moveLegacyQueues(other, theirs, logger),
      ]);
      // Two schedulers and four jobs (their overdue runs, the reminder, the flush), by one of the two.
      expect(moved.sort()).toEqual([0, 6]);
      expect(await mine.schedule.getJobSchedulersCount()).toBe(2);
      const jobs = [
        ...(await mine.schedule.getJobs(['delayed', 'waiting'])),
        ...(await mine.outbox.getJobs(['delayed', 'waiting'])),
      ].filter((j) => !j.repeatJobKey);
      expect(jobs.map((j) => j.id).sort()).toEqual([
        'c1-flush-v3',
        `moved-repeat-digest-c1-${OVERDUE_DIGEST}`,
        `moved-repeat-tick-c1-${OVERDUE_TICK}`,
        'reminder-c1-r1-4070952000000',
      ]);
      const [a, b] = await Promise.all([
        movePlaygroundKeys(redis, logger),
        movePlaygroundKeys(other, logger),
      ]);
      expect(a + b).toBe(6);
      expect(await legacyKeys()).toEqual([]);
    } finally {
      await Promise.all([mine.close(), theirs.close()]);
      other.disconnect();
    }
  });
});

async function freshConnection(): Promise<Redis> {
  const { Redis } = await import('ioredis');
  return new Redis(redisUrlFor(DB), { maxRetriesPerRequest: null });
}
