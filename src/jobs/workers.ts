import { type Processor, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE } from './job-types.js';
import { createOutboxProcessor } from './outbox-worker.js';
import { createScheduleProcessor } from './schedule-worker.js';
import { scheduleSweeper } from './sweeper.js';
import type { WorkerDeps } from './worker-deps.js';

export interface Workers {
  all: Worker[];
  close(): Promise<void>;
}

/** Every worker must share one stalled-check interval (BullMQ throttles the check queue-wide). */
const STALLED_INTERVAL_MS = 30_000;

/**
 * Starts the workers on `connection` (which must have `maxRetriesPerRequest: null`). Several outbox
 * jobs run at once: each campaign's posts keep their order through its post lock, whatever the
 * number of processes.
 */
export async function startWorkers(connection: Redis, deps: WorkerDeps): Promise<Workers> {
  const make = (name: string, processor: Processor, concurrency: number) => {
    const worker = new Worker(name, processor, {
      connection,
      concurrency,
      stalledInterval: STALLED_INTERVAL_MS,
    });
    worker.on('error', (err) => deps.logger.error({ err, queue: name }, 'worker error'));
    worker.on('failed', (job, err) =>
      deps.logger.warn({ err, queue: name, job: job?.id, attempts: job?.attemptsMade }, 'job failed'),
    );
    return worker;
  };
  const all = [
    make(QUEUE.schedule, createScheduleProcessor(deps) as Processor, 4),
    make(QUEUE.outbox, createOutboxProcessor(deps, connection) as Processor, 8),
  ];
  await scheduleSweeper(deps.queues);
  return {
    all,
    async close() {
      await Promise.all(all.map((w) => w.close()));
    },
  };
}
