import { type JobsOptions, Queue } from 'bullmq';
import type { Logger } from '../logger.js';
import type { RedisClient } from '../redis-connections.js';
import { QUEUE, QUEUE_PREFIX } from './job-types.js';

export interface Queues {
  outbox: Queue;
  all: Queue[];
  close(): Promise<void>;
}

/**
 * Completed jobs are kept a day so a relayed job id keeps deduplicating (BullMQ forgets an id once the
 * job is removed; the posts themselves are made once by their own records, whatever the queue holds);
 * failed ones a week, for post-mortems. A flush retries a post 8 times before giving it up, so its
 * job has room for more.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export function createQueues(connection: RedisClient, logger: Logger): Queues {
  const make = (name: string) => {
    const queue = new Queue(name, {
      connection,
      prefix: QUEUE_PREFIX,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    });
    queue.on('error', (err) => logger.error({ err, queue: name }, 'queue error'));
    return queue;
  };
  const outbox = make(QUEUE.outbox);
  const all = [outbox];
  return {
    outbox,
    all,
    async close() {
      await Promise.all(all.map((q) => q.close()));
    },
  };
}
