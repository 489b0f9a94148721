import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { QUEUE } from './job-types.js';

export interface Queues {
  schedule: Queue;
  compile: Queue;
  outbox: Queue;
  all: Queue[];
  close(): Promise<void>;
}

/**
 * Completed jobs are kept a week so a custom jobId keeps deduplicating (BullMQ forgets an id once the
 * job is removed); failed ones a month, for `status` and post-mortems.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export function createQueues(connection: Redis, logger: Logger): Queues {
  const make = (name: string) => {
    const queue = new Queue(name, { connection, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    queue.on('error', (err) => logger.error({ err, queue: name }, 'queue error'));
    return queue;
  };
  const schedule = make(QUEUE.schedule);
  const compile = make(QUEUE.compile);
  const outbox = make(QUEUE.outbox);
  const all = [schedule, compile, outbox];
  return {
    schedule,
    compile,
    outbox,
    all,
    async close() {
      await Promise.all(all.map((q) => q.close()));
    },
  };
}
