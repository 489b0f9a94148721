import type { PostFailures } from '../render/compose-text.js';
import type { OutboxJobData } from './job-types.js';
import type { Queues } from './queues.js';

/** How many of the campaign's posts failed for good (retries spent), with the newest error. */
export async function failedPosts(queues: Queues, campaignId: string): Promise<PostFailures> {
  // Failed jobs are kept a month; the newest 200 are enough to tell admins something is wrong.
  const failed = await queues.outbox.getFailed(0, 199);
  const mine = failed
    .filter((job) => (job.data as OutboxJobData | undefined)?.campaignId === campaignId)
    .sort((a, b) => (b.finishedOn ?? 0) - (a.finishedOn ?? 0));
  return { count: mine.length, lastError: (mine[0]?.failedReason ?? '').slice(0, 200) };
}
