/**
 * The anchor for the answer rates: what BullMQ alone does on the same Redis with jobs whose processor
 * does nothing. `through` (jobs added 50 at a time while a worker of concurrency 50 works them, until
 * the last is done) is the one an answer compares with: written, then applied.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { throughput } from './measure.js';

const IN_FLIGHT = 50;
const QUEUE = 'bench-noop';

export interface NoopRates {
  /** Jobs/s added, 50 calls in flight, no worker. */
  added: number;
  /** Jobs/s worked from a full queue by one worker, concurrency 1 and 50. */
  worked1: number;
  worked50: number;
  /** Jobs/s added and worked at once, until the last is done. */
  through: number;
}

export async function benchBullmqNoop(redisUrl: string, jobs: number): Promise<NoopRates> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  // Completed jobs are removed, so the queue's own bookkeeping stays the same size throughout.
  const queue = new Queue(QUEUE, { connection, defaultJobOptions: { removeOnComplete: true } });
  const add = (i: number) => queue.add('noop', { i });
  try {
    await queue.obliterate({ force: true });
    const added = await throughput('added', jobs, IN_FLIGHT, add);
    const worked1 = await work(workerConnection, 1, jobs, async () => undefined);
    await queue.addBulk(Array.from({ length: jobs }, (_, i) => ({ name: 'noop', data: { i } })));
    const worked50 = await work(workerConnection, IN_FLIGHT, jobs, async () => undefined);
    const through = await work(workerConnection, IN_FLIGHT, jobs, () =>
      throughput('added', jobs, IN_FLIGHT, add),
    );
    await queue.obliterate({ force: true });
    return { added: added.perSecond ?? 0, worked1, worked50, through };
  } finally {
    await queue.close();
    connection.disconnect();
    workerConnection.disconnect();
  }
}

/** Starts a no-op worker, then `feed`; the rate from then until `jobs` jobs are done. */
async function work(connection: Redis, concurrency: number, jobs: number, feed: () => Promise<unknown>) {
  let finished = 0;
  let resolveAll: () => void = () => undefined;
  const all = new Promise<void>((resolve) => {
    resolveAll = resolve;
  });
  const start = process.hrtime.bigint();
  const worker = new Worker(QUEUE, async () => undefined, { connection, concurrency });
  worker.on('error', () => undefined);
  worker.on('completed', () => {
    if (++finished === jobs) resolveAll();
  });
  await feed();
  await all;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await worker.close();
  return Math.round((jobs / ms) * 1000);
}
