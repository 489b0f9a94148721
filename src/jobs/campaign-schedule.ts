import type { Campaign } from '../facilitation/types.js';
import { cronOf, nextRun, reminderAt } from '../schedule/cadence.js';
import type { Queues } from './queues.js';

/** Scheduler ids are per campaign, so a campaign's cadence can be replaced or removed alone. */
const tickSchedulerId = (campaignId: string) => `tick-${campaignId}`;
const digestSchedulerId = (campaignId: string) => `digest-${campaignId}`;
export const reminderJobId = (campaignId: string, blockId: string) =>
  `reminder-${campaignId}-${blockId.replace(/\W/g, '_')}`;

/**
 * Upserts the campaign's two job schedulers (cadence ticks and weekly digest) in its time zone.
 * A BullMQ scheduler keeps one pending job at a time, so after downtime one tick runs, never a burst.
 */
export async function setCampaignSchedule(queues: Queues, campaign: Campaign): Promise<void> {
  const data = { campaignId: campaign.id };
  await queues.schedule.upsertJobScheduler(
    tickSchedulerId(campaign.id),
    { pattern: cronOf(campaign.cadence), tz: campaign.tz },
    { name: 'tick', data },
  );
  await queues.schedule.upsertJobScheduler(
    digestSchedulerId(campaign.id),
    { pattern: campaign.digestCron, tz: campaign.tz },
    { name: 'digest', data },
  );
}

export async function removeCampaignSchedule(queues: Queues, campaignId: string): Promise<void> {
  await queues.schedule.removeJobScheduler(tickSchedulerId(campaignId));
  await queues.schedule.removeJobScheduler(digestSchedulerId(campaignId));
}

/** The next cadence run: when the open question closes and the next one is posted. */
export function nextPostAt(campaign: Campaign, now: Date): Date | undefined {
  if (campaign.status !== 'running') return undefined;
  return nextRun(campaign.cadence, campaign.tz, now);
}

/** A delayed reminder before the question closes; the machine drops it if the question has enough answers. */
export async function scheduleReminder(
  queues: Queues,
  campaign: Campaign,
  blockId: string,
  now: Date,
): Promise<void> {
  const closesAt = nextRun(campaign.cadence, campaign.tz, now);
  const at = reminderAt(now, closesAt);
  await queues.schedule.add(
    'reminder',
    { campaignId: campaign.id, blockId },
    { jobId: reminderJobId(campaign.id, blockId), delay: Math.max(0, at.getTime() - now.getTime()) },
  );
}
