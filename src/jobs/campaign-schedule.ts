import { reminderHoursOf } from '../facilitation/machine.js';
import { closingRun, openRound, reminderTime } from '../facilitation/rounds.js';
import type { Campaign } from '../facilitation/types.js';
import { cronOf } from '../schedule/cadence.js';
import type { Queues } from './queues.js';

/** Scheduler ids are per campaign, so a campaign's cadence can be replaced or removed alone. */
const tickSchedulerId = (campaignId: string) => `tick-${campaignId}`;
const digestSchedulerId = (campaignId: string) => `digest-${campaignId}`;
/** One nudge job per round and deadline: a moved deadline gets a job of its own (the old one does nothing). */
export const reminderJobId = (campaignId: string, roundId: string, closesAt: string) =>
  `reminder-${campaignId}-${roundId.replace(/\W/g, '_')}-${Date.parse(closesAt)}`;

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

/** The next run of the cadence off quiet days and holidays: when the open round closes and the next opens. */
export function nextPostAt(campaign: Campaign, now: Date): Date | undefined {
  if (campaign.status !== 'running') return undefined;
  return closingRun(campaign, now);
}

/**
 * The open round's nudge, a delayed job timed before its deadline; nothing when nudges are off or the
 * round is not the one open any more. The machine checks again when it comes.
 */
export async function scheduleReminder(
  queues: Queues,
  campaign: Campaign,
  roundId: string,
  now: Date,
): Promise<void> {
  const round = openRound(campaign);
  const hours = reminderHoursOf(campaign);
  if (campaign.status !== 'running' || round?.id !== roundId || !round.closesAt || hours === 0) return;
  const at = reminderTime(round.openedAt, round.closesAt, hours);
  await queues.schedule.add(
    'reminder',
    { campaignId: campaign.id, roundId, closesAt: round.closesAt, at: at.toISOString() },
    {
      jobId: reminderJobId(campaign.id, roundId, round.closesAt),
      delay: Math.max(0, at.getTime() - now.getTime()),
    },
  );
}
