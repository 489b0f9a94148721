import { type Job, type JobsOptions, type JobType, Queue } from 'bullmq';
import type { Logger } from '../logger.js';
import { isCluster, type RedisClient } from '../redis-connections.js';
import { keys } from '../store/keys.js';
import { waitLock } from '../store/locks.js';
import type { Queues } from './queues.js';

/** The prefix BullMQ gives queues by default, which Canevas 0.1 used. */
export const LEGACY_QUEUE_PREFIX = 'bull';

/** Keys one of which a BullMQ queue that ever held something has (obliterate removes them all). */
const QUEUE_KEYS = ['id', 'meta', 'events', 'wait', 'delayed', 'active', 'paused', 'prioritized', 'repeat'];

/** Jobs still to run; finished ones stay behind (posts are made once by their own records anyway). */
const LIVE: JobType[] = ['waiting', 'delayed', 'prioritized', 'active', 'waiting-children'];

async function hasLegacyQueue(redis: RedisClient, name: string): Promise<boolean> {
  const found = await Promise.all(QUEUE_KEYS.map((k) => redis.exists(`${LEGACY_QUEUE_PREFIX}:${name}:${k}`)));
  return found.some((n) => n === 1);
}

/**
 * Moves the queues of Canevas 0.1 (BullMQ's default `bull:` prefix) under the hash-tagged prefix: job
 * schedulers (cadence ticks, digests) are upserted again, jobs still to run are added again with their
 * ids and due times (a scheduler's run overdue after the downtime too), then the old queue is
 * removed. Idempotent and safe to run from several processes
 * at once (schedulers are upserted by id, jobs deduplicated by id, and a lock keeps it to one at a
 * time). Returns how many schedulers and jobs were moved.
 */
export async function moveLegacyQueues(redis: RedisClient, queues: Queues, logger: Logger): Promise<number> {
  let moved = 0;
  for (const queue of queues.all) {
    if (!(await hasLegacyQueue(redis, queue.name))) continue;
    if (isCluster(redis)) {
      // Its keys were spread over slots when copied in: BullMQ's scripts cannot read them there.
      logger.warn(
        { queue: queue.name },
        'a queue of Canevas 0.1 is on this cluster: start this version once on the single Redis it came from, then copy',
      );
      continue;
    }
    const lock = await waitLock(redis, keys.lock(`migrate-queue-${queue.name}`), {
      ttlMs: 60_000,
      waitMs: 120_000,
    });
    try {
      if (!(await hasLegacyQueue(redis, queue.name))) continue;
      const old = new Queue(queue.name, { connection: redis, prefix: LEGACY_QUEUE_PREFIX });
      old.on('error', (err) => logger.warn({ err, queue: queue.name }, 'old queue error'));
      try {
        moved += await copyQueue(old, queue);
        await old.obliterate({ force: true });
      } finally {
        await old.close();
      }
    } finally {
      await lock.release();
    }
  }
  if (moved > 0) logger.info({ moved }, 'queues moved to the hash-tagged prefix');
  return moved;
}

async function copyQueue(from: Queue, to: Queue): Promise<number> {
  let moved = 0;
  const patterns = new Set<string>();
  for (const s of await from.getJobSchedulers(0, -1)) {
    const repeat = s.pattern ? { pattern: s.pattern, ...(s.tz ? { tz: s.tz } : {}) } : { every: s.every };
    if (s.pattern) patterns.add(s.key);
    await to.upsertJobScheduler(s.key, repeat, {
      name: s.name,
      data: s.template?.data,
      opts: s.template?.opts,
    });
    moved += 1;
  }
  const jobs = (await from.getJobs(LIVE, 0, -1, true)) as (Job | undefined)[];
  for (const job of jobs) {
    if (!job?.id) continue;
    // Its first timestamp and delay: due when it was due (BullMQ counts a delay from the timestamp).
    const { repeat: _repeat, ...opts } = job.opts as JobsOptions & { repeat?: unknown };
    const copy = { ...opts, jobId: job.id, timestamp: job.timestamp };
    if (job.repeatJobKey) {
      // A scheduler's next run comes back with the scheduler, except a cron run overdue after the
      // downtime (the scheduler starts at the next one): that one runs once, as it would have, as a
      // job of its own (custom ids have no `:`), with the run it stands for (`prevMillis`).
      const overdue = job.timestamp + (job.opts.delay ?? 0) <= Date.now();
      if (!overdue || !patterns.has(job.repeatJobKey)) continue;
      copy.jobId = `moved-${job.id.replace(/:/g, '-')}`;
    }
    await to.add(job.name, job.data, copy);
    moved += 1;
  }
  return moved;
}
