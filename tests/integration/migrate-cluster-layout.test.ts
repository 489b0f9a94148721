import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readChannel } from '../../adapters/playground/channel-store.js';
import { movePlaygroundKeys } from '../../adapters/playground/migrate-keys.js';
import { PLAYGROUND_CHANNEL } from '../../adapters/playground/routes.js';
import { createCampaign, transition } from '../../src/facilitation/machine.js';
import { openRound, reminderTime } from '../../src/facilitation/rounds.js';
import type { Campaign } from '../../src/facilitation/types.js';
import { QUEUE } from '../../src/jobs/job-types.js';
import { LEGACY_SCHEDULE_QUEUE, migrateLegacySchedules } from '../../src/jobs/legacy-schedules.js';
import { LEGACY_QUEUE_PREFIX, moveLegacyQueues } from '../../src/jobs/migrate-queues.js';
import { createQueues } from '../../src/jobs/queues.js';
import { createLogger } from '../../src/logger.js';
import { createRedisStore } from '../../src/store/redis-store.js';
import { createScheduleStore } from '../../src/store/schedule-store.js';
import { ada, campaignInit } from '../fixtures/campaigns.js';
import { freshRedis, redisUrlFor } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';

/**
 * An install of Canevas 0.1 on one Redis keeps its schedules, queued jobs and playground channel once
 * the keys take hash tags (the BullMQ prefix `{canevas}`, the playground's `canevas:{playground}:`) and
 * its schedules move to the sorted set of scheduled runs, at start, once, whoever starts first
 * (database 38).
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

/** Campaign c1 as 0.1 saved it: running, its first round open, on the cadence its schedulers have. */
async function seedCampaign(): Promise<Campaign> {
  const init = campaignInit({ id: 'c1', cadence: '0 9 * * 1', digestCron: '0 17 * * 5', now: new Date(T0) });
  const start = transition(createCampaign(init), { type: 'start', actor: ada }, new Date(T0));
  if (!start.ok) throw new Error(start.error);
  return createRedisStore(redis).create(start.campaign);
}

/** What 0.1 left: a campaign's two schedulers with overdue runs, a reminder, a flush, a playground thread. */
async function seedVersion01(): Promise<void> {
  const connection = redis;
  await seedCampaign();
  const schedule = new Queue(LEGACY_SCHEDULE_QUEUE, { connection, prefix: LEGACY_QUEUE_PREFIX });
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
  ...(await redis.keys(`{canevas}:${LEGACY_SCHEDULE_QUEUE}:*`)),
  ...(await redis.keys('canevas:playground:*')),
];

/** Campaign c1's scheduled runs in the sorted set: kind, due time, what it carries. */
async function runsOfC1() {
  return (await createScheduleStore(redis).of('c1')).map((r) => ({
    kind: r.kind,
    at: r.dueAt.getTime(),
    args: r.args,
  }));
}

/** The nudge of c1's open round, as the sorted set should have it. */
async function expectedReminder() {
  const round = openRound((await createRedisStore(redis).get('c1')) as Campaign);
  return {
    kind: 'reminder',
    at: reminderTime(round?.openedAt, round?.closesAt ?? '', 24).getTime(),
    args: { roundId: round?.id, closesAt: round?.closesAt },
  };
}

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
      // The schedules are in the sorted set, each run at its time: the runs overdue after the downtime
      // are made once, for the time they stood for; the nudge is the open round's.
      expect(await runsOfC1()).toEqual([
        { kind: 'tick', at: OVERDUE_TICK, args: undefined },
        { kind: 'digest', at: OVERDUE_DIGEST, args: undefined },
        await expectedReminder(),
      ]);
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
      expect(await runsOfC1()).toHaveLength(3);
      expect(await again.queues.outbox.getJobCountByTypes('delayed', 'waiting')).toBe(1);
      expect(await movePlaygroundKeys(redis, logger)).toBe(0);
      expect(await moveLegacyQueues(redis, again.queues, logger)).toBe(0);
      const deps = { store: again.store, schedule: again.schedule, logger, now: new Date() };
      expect(await migrateLegacySchedules(redis, deps)).toBe(0);
    } finally {
      await again.close();
    }
  });

  it('moves everything once when two processes start at the same time', async () => {
    const other = await freshConnection();
    const [mine, theirs] = [createQueues(redis, logger), createQueues(other, logger)];
    try {
      const deps = (connection: Redis) => ({
        store: createRedisStore(connection),
        schedule: createScheduleStore(connection),
        logger,
        now: new Date(),
      });
      const [queues, schedules] = await Promise.all([
        Promise.all([moveLegacyQueues(redis, mine, logger), moveLegacyQueues(other, theirs, logger)]),
        Promise.all([migrateLegacySchedules(redis, deps(redis)), migrateLegacySchedules(other, deps(other))]),
      ]);
      // The flush, and c1's schedules, each by one of the two.
      expect(queues.sort()).toEqual([0, 1]);
      expect(schedules.sort()).toEqual([0, 1]);
      const jobs = (await mine.outbox.getJobs(['delayed', 'waiting'])).filter((j) => !j.repeatJobKey);
      expect(jobs.map((j) => j.id)).toEqual(['c1-flush-v3']);
      expect(await runsOfC1()).toEqual([
        { kind: 'tick', at: OVERDUE_TICK, args: undefined },
        { kind: 'digest', at: OVERDUE_DIGEST, args: undefined },
        await expectedReminder(),
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
