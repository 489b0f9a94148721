import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { openRound } from '../facilitation/rounds.js';
import type { Logger } from '../logger.js';
import type { ScheduleStore } from '../store/schedule-store.js';
import type { CampaignStore } from '../store/types.js';
import { nextRunOf, reminderOf } from './campaign-schedule.js';

/** Where Canevas 0.x kept its schedules: BullMQ job schedulers and delayed jobs on this queue. */
export const LEGACY_SCHEDULE_QUEUE = 'canevas-schedule';
const LEGACY_PREFIX = 'bull';
const PAGE = 1000;

export interface LegacyDeps {
  store: CampaignStore;
  schedule: ScheduleStore;
  logger: Logger;
  now: Date;
}

/**
 * Carries the schedules of campaigns saved by an older Canevas (a job scheduler per campaign for its
 * ticks and one for its digest, a delayed job per nudge) over to the sorted set, then deletes the old
 * queue. Each run keeps its time, so a run missed while no worker ran is made once, as before; a run
 * the campaign already has in the sorted set is left as it is, so starting twice changes nothing.
 * Stop every process of the older version first: a running one would plan its jobs again.
 */
export async function migrateLegacySchedules(redis: Redis, deps: LegacyDeps): Promise<number> {
  const base = `${LEGACY_PREFIX}:${LEGACY_SCHEDULE_QUEUE}`;
  // One key at a time: on Redis Cluster these keys are in different slots.
  const found = await Promise.all(
    ['repeat', 'delayed', 'meta', 'wait'].map((k) => redis.exists(`${base}:${k}`)),
  );
  if (!found.some((n) => n > 0)) return 0;
  const queue = new Queue(LEGACY_SCHEDULE_QUEUE, { connection: redis, prefix: LEGACY_PREFIX });
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
    deps.logger.info({ campaigns: moved }, 'schedules moved from BullMQ job schedulers to the sorted set');
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
