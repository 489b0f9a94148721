import { Queue } from 'bullmq';
import { openRound } from '../facilitation/rounds.js';
import type { Logger } from '../logger.js';
import { isCluster, type RedisClient } from '../redis-connections.js';
import { keys } from '../store/keys.js';
import { waitLock } from '../store/locks.js';
import type { ScheduleStore } from '../store/schedule-store.js';
import type { CampaignStore } from '../store/types.js';
import { nextRunOf, reminderOf } from './campaign-schedule.js';
import { QUEUE_PREFIX } from './job-types.js';
import { LEGACY_QUEUE_PREFIX } from './migrate-queues.js';

/** Where older versions kept their schedules: BullMQ job schedulers and delayed jobs on this queue. */
export const LEGACY_SCHEDULE_QUEUE = 'canevas-schedule';
/** BullMQ's default prefix (Canevas 0.1), then the hash-tagged one of the versions that followed. */
const PREFIXES = [LEGACY_QUEUE_PREFIX, QUEUE_PREFIX];
/** Keys one of which a BullMQ queue that ever held something has. */
const QUEUE_KEYS = ['id', 'meta', 'events', 'wait', 'delayed', 'active', 'paused', 'prioritized', 'repeat'];
const PAGE = 1000;

export interface LegacyDeps {
  store: CampaignStore;
  schedule: ScheduleStore;
  logger: Logger;
  now: Date;
}

async function hasQueue(redis: RedisClient, prefix: string): Promise<boolean> {
  // One key at a time: under `bull:` they are in different slots of a cluster.
  const found = await Promise.all(
    QUEUE_KEYS.map((k) => redis.exists(`${prefix}:${LEGACY_SCHEDULE_QUEUE}:${k}`)),
  );
  return found.some((n) => n === 1);
}

/**
 * Carries the schedules of campaigns saved by an older Canevas (a job scheduler per campaign for its
 * ticks and one for its digest, a delayed job per nudge) over to the sorted set, then deletes the old
 * queue. Each run keeps its time, so a run that fell due while no worker ran is made once, as before;
 * a run the campaign already has in the sorted set is left as it is. Idempotent, and done once when
 * several processes start together (a lock). Stop every process of the older version first: a running
 * one would plan its jobs again. Returns how many campaigns' schedules were carried over.
 */
export async function migrateLegacySchedules(redis: RedisClient, deps: LegacyDeps): Promise<number> {
  let moved = 0;
  for (const prefix of PREFIXES) {
    if (!(await hasQueue(redis, prefix))) continue;
    if (prefix === LEGACY_QUEUE_PREFIX && isCluster(redis)) {
      // Its keys were spread over slots when copied in: BullMQ's scripts cannot read them there.
      deps.logger.warn(
        { queue: LEGACY_SCHEDULE_QUEUE },
        'schedules of Canevas 0.1 are on this cluster: start this version once on the single Redis they came from, then copy',
      );
      continue;
    }
    const lock = await waitLock(redis, keys.lock('migrate-schedules'), { ttlMs: 60_000, waitMs: 120_000 });
    try {
      if (await hasQueue(redis, prefix)) moved += await carryQueue(redis, prefix, deps);
    } finally {
      await lock.release();
    }
  }
  if (moved > 0)
    deps.logger.info({ campaigns: moved }, 'schedules moved from BullMQ job schedulers to the sorted set');
  return moved;
}

async function carryQueue(redis: RedisClient, prefix: string, deps: LegacyDeps): Promise<number> {
  const queue = new Queue(LEGACY_SCHEDULE_QUEUE, { connection: redis, prefix });
  queue.on('error', (err) => deps.logger.warn({ err }, 'legacy schedule queue error'));
  try {
    const campaigns = new Map<string, { tick?: number; digest?: number }>();
    // Read a page at a time: an install with many campaigns has two schedulers each.
    for (let start = 0; ; start += PAGE) {
      const page = await queue.getJobSchedulers(start, start + PAGE - 1, true);
      for (const scheduler of page) {
        const match = /^(tick|digest)-(.+)$/.exec(scheduler.key);
        const kind = match?.[1] as 'tick' | 'digest' | undefined;
        const id = match?.[2];
        if (kind && id) campaigns.set(id, { ...campaigns.get(id), [kind]: scheduler.next });
      }
      if (page.length < PAGE) break;
    }
    for (let start = 0; ; start += PAGE) {
      const page = await queue.getJobs(['delayed', 'waiting', 'prioritized'], start, start + PAGE - 1, true);
      for (const job of page) {
        const id = (job?.data as { campaignId?: unknown } | undefined)?.campaignId;
        if (job?.name === 'reminder' && typeof id === 'string') campaigns.set(id, campaigns.get(id) ?? {});
      }
      if (page.length < PAGE) break;
    }
    let moved = 0;
    for (const [id, next] of campaigns) {
      if (await carryOver(deps, id, next)) moved += 1;
    }
    // Only once every run is in the sorted set: a crash before this leaves both, and the next start
    // finishes the work.
    await queue.obliterate({ force: true });
    return moved;
  } finally {
    await queue.close();
  }
}

/** One campaign's runs: its ticks and digests at their old times, its open round's nudge anew. */
async function carryOver(
  deps: LegacyDeps,
  campaignId: string,
  next: { tick?: number; digest?: number },
): Promise<boolean> {
  const campaign = (await deps.store.load(campaignId, []).catch(() => null))?.campaign;
  if (!campaign || (campaign.status !== 'running' && campaign.status !== 'paused')) return false;
  for (const kind of ['tick', 'digest'] as const) {
    const at = next[kind] ? new Date(next[kind]) : nextRunOf(campaign, kind, deps.now);
    await deps.schedule.add(kind, campaign.id, at);
  }
  const round = openRound(campaign);
  const reminder = round && !round.remindedAt ? reminderOf(campaign, round.id) : undefined;
  if (reminder) await deps.schedule.add('reminder', campaign.id, reminder.at, reminder.args);
  return true;
}
