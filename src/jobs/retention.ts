import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { RedisClient } from '../redis-connections.js';
import { evalScript } from '../store/eval-script.js';
import { keys } from '../store/keys.js';
import { RELEASE_LOCK } from '../store/lua-scripts.js';
import { purgeCampaigns } from '../store/purge.js';
import type { ScheduleStore } from '../store/schedule-store.js';
import type { CampaignStore } from '../store/types.js';
import { removeCampaignSchedule } from './campaign-schedule.js';

/** How often the workers look for ended campaigns past their retention. */
export const RETENTION_EVERY_MS = 3600_000;
/** Campaigns purged in one pass at most; a longer backlog goes on at the next pass. */
const PURGE_BATCH = 50;
const DAY_MS = 24 * 3600_000;
/** How long closing waits for a pass under way. */
const CLOSE_GRACE_MS = 10_000;

export interface RetentionDeps {
  redis: RedisClient;
  store: CampaignStore;
  schedule: ScheduleStore;
  logger: Logger;
}

const isEnded = (status: string) => status === 'completed' || status === 'cancelled';

/**
 * Purges the campaigns that ended more than `days` days before `now`, found through the ended index
 * (one range read, however many campaigns there are). The index is a hint written before a campaign's
 * end is saved: each candidate is checked against the campaign itself, and one that has not ended (its
 * end was not saved) is looked at again a retention period later. Returns the ids purged.
 */
export async function purgeExpired(deps: RetentionDeps, days: number, now: Date): Promise<string[]> {
  const cutoff = now.getTime() - days * DAY_MS;
  const candidates = await deps.redis.zrangebyscore(keys.ended(), '-inf', cutoff, 'LIMIT', 0, PURGE_BATCH);
  const due: string[] = [];
  for (const id of candidates) {
    const loaded = await deps.store.load(id, []).catch(() => undefined);
    // Unreadable: nothing tells when it ended; left for an operator (`canevas purge`).
    if (loaded === undefined) {
      await deps.redis.zadd(keys.ended(), now.getTime(), id);
      continue;
    }
    const campaign = loaded?.campaign;
    const endedAt = campaign?.endedAt ? Date.parse(campaign.endedAt) : undefined;
    if (campaign && (!isEnded(campaign.status) || endedAt === undefined || endedAt > cutoff)) {
      await deps.redis.zadd(keys.ended(), isEnded(campaign.status) && endedAt ? endedAt : now.getTime(), id);
      continue;
    }
    // Ended long enough ago, or already gone (its leftovers go too).
    due.push(id);
  }
  for (const id of due) await removeCampaignSchedule(deps.schedule, id);
  const purged = await purgeCampaigns(deps.redis, deps.store, due);
  if (purged.length > 0) deps.logger.info({ purged: purged.length, days }, 'ended campaigns purged');
  return purged;
}

/**
 * Runs the retention pass at start and every RETENTION_EVERY_MS in one process of the deployment at a
 * time: the one that takes the pass's lock (left to expire, so the next pass may go elsewhere; let go
 * when the process closes, so a stopped deployment leaves nothing behind and a restart looks at once).
 * Real time: this is housekeeping, not a campaign's schedule.
 */
export function startRetention(deps: RetentionDeps, days: number): { close(): Promise<void> } {
  const lock = keys.lock('retention');
  const token = randomBytes(9).toString('hex');
  let running: Promise<void> | undefined;
  const pass = () => {
    if (running) return;
    running = (async () => {
      try {
        const taken = await deps.redis.set(lock, token, 'PX', RETENTION_EVERY_MS - 60_000, 'NX');
        if (taken === 'OK') await purgeExpired(deps, days, new Date());
      } catch (err) {
        deps.logger.warn({ err }, 'retention pass failed');
      } finally {
        running = undefined;
      }
    })();
  };
  pass();
  const timer = setInterval(pass, RETENTION_EVERY_MS);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      // A pass stuck on a Redis that is away is left behind: the lock expires, another process goes on.
      const grace = new Promise((r) => setTimeout(r, CLOSE_GRACE_MS).unref());
      await Promise.race([running, grace]);
      await Promise.race([
        evalScript(deps.redis, RELEASE_LOCK, 1, lock, token).catch(() => undefined),
        grace,
      ]);
    },
  };
}
