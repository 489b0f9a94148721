/**
 * The anchor for the answer rates: what BullMQ alone does on the same Redis, adding jobs one call at
 * a time and working them with a processor that does nothing.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type Result, round, throughput } from './measure.js';

const JOBS = 5_000;
const IN_FLIGHT = 50;
const QUEUE = 'bench-noop';

export async function benchBullmqNoop(redisUrl: string): Promise<Result[]> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  // Completed jobs are removed, so the queue's own bookkeeping stays the same size throughout.
  const queue = new Queue(QUEUE, { connection, defaultJobOptions: { removeOnComplete: true } });
  const results: Result[] = [];
  try {
    await queue.obliterate({ force: true });
    results.push(
      await throughput(`bullmq: no-op jobs/s added (${IN_FLIGHT} in flight)`, JOBS, IN_FLIGHT, (i) =>
        queue.add('noop', { i }),
      ),
    );
    results.push(await work(workerConnection, 1));
    await queue.addBulk(Array.from({ length: JOBS }, (_, i) => ({ name: 'noop', data: { i } })));
    results.push(await work(workerConnection, IN_FLIGHT));
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
    connection.disconnect();
    workerConnection.disconnect();
  }
  return results;
}

/** Works the JOBS waiting in the queue with a no-op processor; its rate from start to the last one. */
async function work(connection: Redis, concurrency: number): Promise<Result> {
  let finished = 0;
  let resolveAll: () => void = () => undefined;
  const all = new Promise<void>((resolve) => {
    resolveAll = resolve;
  });
  const start = process.hrtime.bigint();
  const worker = new Worker(QUEUE, async () => undefined, { connection, concurrency });
  worker.on('error', () => undefined);
  worker.on('completed', () => {
    if (++finished === JOBS) resolveAll();
  });
  await all;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await worker.close();
  return {
    name: `bullmq: no-op jobs/s worked (1 worker, concurrency ${concurrency})`,
    iterations: JOBS,
    meanMs: round(ms / JOBS),
    perSecond: Math.round((JOBS / ms) * 1000),
  };
}
