import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis-connections.js';
import { evalScript } from '../store/eval-script.js';
import { keys } from '../store/keys.js';
import { RELEASE_LOCK } from '../store/lua-scripts.js';
import { enqueueFlush } from './relay.js';
import type { WorkerDeps } from './worker-deps.js';

/** How often work a crash interrupted is looked for (an event not applied, effects not relayed, posts not made). */
export const RECOVERY_EVERY_MS = 10_000;

/**
 * Finishes what a crash interrupted, for the campaigns marked pending: applies their inbox, relays
 * their effects, and asks for a flush of their posts. Campaigns with nothing left are unmarked.
 */
export async function recoverPending(deps: WorkerDeps): Promise<void> {
  const bucket = Math.floor(Date.now() / RECOVERY_EVERY_MS);
  for (const campaignId of await deps.lists.pendingIds()) {
    try {
      await deps.events.settle(campaignId);
      if ((await deps.lists.postsLength(campaignId)) > 0)
        await enqueueFlush(deps.queues, campaignId, `sweep${bucket}`);
      else await deps.lists.settle(campaignId);
    } catch (err) {
      // One campaign in trouble must not keep the others waiting.
      deps.logger.warn({ err, campaign: campaignId }, 'recovery of a campaign failed');
    }
  }
}

/**
 * Runs the recovery at start and every RECOVERY_EVERY_MS, in one process of the deployment at a time:
 * the one that takes the round's short lock (left to expire, so the next round may go elsewhere; let
 * go when the process closes, so a stopped deployment leaves nothing behind). Real time, whatever
 * clock the engine is given: this is housekeeping, not a campaign's schedule.
 */
export function startRecovery(redis: RedisClient, deps: WorkerDeps): { close(): Promise<void> } {
  const lock = keys.lock('recovery');
  const token = randomBytes(9).toString('hex');
  let running: Promise<void> | undefined;
  const round = () => {
    if (running) return;
    running = (async () => {
      try {
        const taken = await redis.set(lock, token, 'PX', RECOVERY_EVERY_MS - 1000, 'NX');
        if (taken === 'OK') await recoverPending(deps);
      } catch (err) {
        deps.logger.warn({ err }, 'recovery round failed');
      } finally {
        running = undefined;
      }
    })();
  };
  round();
  const timer = setInterval(round, RECOVERY_EVERY_MS);
  return {
    async close() {
      clearInterval(timer);
      // A round stuck on a Redis that is away is left behind: the next process takes the work over.
      const grace = new Promise((r) => setTimeout(r, RECOVERY_EVERY_MS).unref());
      await Promise.race([running, grace]);
      await Promise.race([evalScript(redis, RELEASE_LOCK, 1, lock, token).catch(() => undefined), grace]);
    },
  };
}
