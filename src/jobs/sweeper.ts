import type { Queues } from './queues.js';
import { enqueueFlush } from './relay.js';
import type { WorkerDeps } from './worker-deps.js';

/** How often the sweeper looks for work a crash interrupted (an event not applied, effects not relayed, posts not made). */
export const SWEEP_EVERY_MS = 10_000;

/** One scheduler for the whole deployment: each run is taken by one worker. */
export async function scheduleSweeper(queues: Queues): Promise<void> {
  await queues.schedule.upsertJobScheduler('sweep', { every: SWEEP_EVERY_MS }, { name: 'sweep', data: {} });
}

/**
 * Finishes what a crash interrupted, for the campaigns marked pending: applies their inbox, relays
 * their effects, and asks for a flush of their posts. Campaigns with nothing left are unmarked.
 */
export async function sweep(deps: WorkerDeps): Promise<void> {
  const bucket = Math.floor(Date.now() / SWEEP_EVERY_MS);
  for (const campaignId of await deps.lists.pendingIds()) {
    try {
      await deps.events.settle(campaignId);
      if ((await deps.lists.postsLength(campaignId)) > 0)
        await enqueueFlush(deps.queues, campaignId, `sweep${bucket}`);
      else await deps.lists.settle(campaignId);
    } catch (err) {
      // One campaign in trouble must not keep the others waiting.
      deps.logger.warn({ err, campaign: campaignId }, 'sweep of a campaign failed');
    }
  }
}
