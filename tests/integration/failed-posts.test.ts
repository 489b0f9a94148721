import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedPosts } from '../../src/jobs/failed-posts.js';
import { QUEUE } from '../../src/jobs/job-types.js';
import { createQueues, type Queues } from '../../src/jobs/queues.js';
import { createLogger } from '../../src/logger.js';
import { freshRedis } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

/** Posts the outbox gave up on are counted per campaign for `status` (database 5). */
let redis: Awaited<ReturnType<typeof freshRedis>>;
let queues: Queues;

beforeAll(async () => {
  redis = await freshRedis(5);
  queues = createQueues(redis, createLogger('silent'));
});

afterAll(async () => {
  await queues.close();
  redis.disconnect();
});

describe('failed posts', () => {
  it('counts a campaign’s posts whose retries are spent, with the newest error', async () => {
    const worker = new Worker(
      QUEUE.outbox,
      async (job) => {
        throw new Error(`channel_not_found for ${job.id}`);
      },
      { connection: redis.duplicate(), stalledInterval: 30_000 },
    );
    await queues.outbox.add('post', { campaignId: 'c1', items: [] }, { jobId: 'c1-v2-posts', attempts: 1 });
    await queues.outbox.add('post', { campaignId: 'c2', items: [] }, { jobId: 'c2-v2-posts', attempts: 1 });
    await waitFor('both jobs to fail', async () => (await queues.outbox.getFailedCount()) === 2);
    await worker.close();
    expect(await failedPosts(queues, 'c1')).toEqual({
      count: 1,
      lastError: 'channel_not_found for c1-v2-posts',
    });
    expect(await failedPosts(queues, 'c3')).toEqual({ count: 0, lastError: '' });
  });
});
