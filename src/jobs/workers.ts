import { type Processor, Worker } from 'bullmq';
import type { RedisClient } from '../redis-connections.js';
import { QUEUE, QUEUE_PREFIX } from './job-types.js';
import { createOutboxProcessor } from './outbox-worker.js';
import { startRecovery } from './recovery.js';
import { startRetention } from './retention.js';
import { startSweeper } from './sweeper.js';
import type { WorkerDeps } from './worker-deps.js';

export interface Workers {
  all: Worker[];
  /** Makes the scheduled runs due now (the sweeper does it by itself; tests with a set clock call it). */
  sweepOnce(): Promise<number>;
  close(): Promise<void>;
}

/** How long a closing worker may finish its jobs before they are left to another worker. */
const CLOSE_GRACE_MS = 10_000;

/**
 * A worker's jobs in progress, so closing can wait for them itself: BullMQ's graceful close can wait
 * forever after a Redis outage when a worker runs several jobs at once (it also waits for its
 * blocking fetches), so the worker is then closed with `force`.
 */
function tracked(processor: Processor): { processor: Processor; idle(graceMs: number): Promise<void> } {
  const running = new Set<Promise<unknown>>();
  return {
    processor: (job, token, signal) => {
      const run = processor(job, token, signal);
      running.add(run);
      void run.then(
        () => running.delete(run),
        () => running.delete(run),
      );
      return run;
    },
    async idle(graceMs) {
      const deadline = Date.now() + graceMs;
      while (running.size > 0 && Date.now() < deadline) {
        await Promise.race([Promise.allSettled([...running]), new Promise((r) => setTimeout(r, 100))]);
      }
    },
  };
}

/**
 * Campaigns one process posts for at once. A flush spends most of its time waiting (on the platform,
 * on Redis, on a channel's pace), so many run side by side at little cost; each keeps its campaign's
 * order through the campaign's post lock.
 */
export const OUTBOX_CONCURRENCY = 64;

/** Every worker must share one stalled-check interval (BullMQ throttles the check queue-wide). */
const STALLED_INTERVAL_MS = 30_000;

/**
 * Starts the workers on `connection` (which must have `maxRetriesPerRequest: null`): the outbox
 * worker, the sweeper that makes the scheduled runs, and the recovery of interrupted work. Several
 * outbox jobs run at once: each campaign's posts keep their order through its post lock, whatever the
 * number of processes.
 */
export async function startWorkers(connection: RedisClient, deps: WorkerDeps): Promise<Workers> {
  const idles: ((graceMs: number) => Promise<void>)[] = [];
  const make = (name: string, job: Processor, concurrency: number) => {
    const { processor, idle } = tracked(job);
    idles.push(idle);
    const worker = new Worker(name, processor, {
      connection,
      prefix: QUEUE_PREFIX,
      concurrency,
      stalledInterval: STALLED_INTERVAL_MS,
    });
    worker.on('error', (err) => deps.logger.error({ err, queue: name }, 'worker error'));
    worker.on('failed', (job, err) =>
      deps.logger.warn({ err, queue: name, job: job?.id, attempts: job?.attemptsMade }, 'job failed'),
    );
    return worker;
  };
  const all = [make(QUEUE.outbox, createOutboxProcessor(deps, connection) as Processor, OUTBOX_CONCURRENCY)];
  const sweeper = startSweeper(deps);
  const recovery = startRecovery(connection, deps);
  const { retentionDays } = deps;
  const retention =
    retentionDays === undefined
      ? undefined
      : startRetention(
          { redis: connection, store: deps.store, schedule: deps.schedule, logger: deps.logger },
          retentionDays,
        );
  return {
    all,
    sweepOnce: () => sweeper.sweepOnce(),
    async close() {
      // Runs claimed and not made by then are made by another process once their lease runs out.
      await sweeper.close();
      await recovery.close();
      await retention?.close();
      // Jobs still running past the grace are left to another worker (stalled jobs are taken again,
      // and each post is made once by its own records).
      await Promise.all(idles.map((idle) => idle(CLOSE_GRACE_MS)));
      await Promise.all(all.map((w) => w.close(true)));
    },
  };
}
