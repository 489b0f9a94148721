import { reminderHoursOf } from '../facilitation/machine.js';
import { closingRun, openRound, reminderTime } from '../facilitation/rounds.js';
import type { Campaign } from '../facilitation/types.js';
import { cronOf, nextRun } from '../schedule/cadence.js';
import type { ReminderArgs, RunKind, ScheduleStore } from '../store/schedule-store.js';

/**
 * The next run of a recurring kind after `after`, in the campaign's zone (DST included). Every run of
 * the cadence is scheduled, quiet days too: the machine decides what a run on a day off does.
 */
export function nextRunOf(campaign: Campaign, kind: Exclude<RunKind, 'reminder'>, after: Date): Date {
  return nextRun(kind === 'tick' ? cronOf(campaign.cadence) : campaign.digestCron, campaign.tz, after);
}

/**
 * Schedules the campaign's cadence tick and weekly digest from `at` (the transition that set them), in
 * its time zone, replacing what it had: a changed cadence takes effect at once.
 */
export async function setCampaignSchedule(
  schedule: ScheduleStore,
  campaign: Campaign,
  at: Date,
): Promise<void> {
  await schedule.set('tick', campaign.id, nextRunOf(campaign, 'tick', at));
  await schedule.set('digest', campaign.id, nextRunOf(campaign, 'digest', at));
}

/** Removes every run of the campaign, including one being made now (it is not scheduled again). */
export async function removeCampaignSchedule(schedule: ScheduleStore, campaignId: string): Promise<void> {
  await schedule.remove(campaignId);
}

/** The next run of the cadence off quiet days and holidays: when the open round closes and the next opens. */
export function nextPostAt(campaign: Campaign, now: Date): Date | undefined {
  if (campaign.status !== 'running') return undefined;
  return closingRun(campaign, now);
}

/** When the open round's nudge is due and what it carries; undefined when nudges are off or it is not open. */
export function reminderOf(
  campaign: Campaign,
  roundId: string,
): { at: Date; args: ReminderArgs } | undefined {
  const round = openRound(campaign);
  const hours = reminderHoursOf(campaign);
  if (campaign.status !== 'running' || round?.id !== roundId || !round.closesAt || hours === 0)
    return undefined;
  const at = reminderTime(round.openedAt, round.closesAt, hours);
  return { at, args: { roundId, closesAt: round.closesAt } };
}

/**
 * Schedules the open round's nudge, timed before its deadline. One per campaign: a moved deadline
 * replaces it. The machine checks again when it comes (the round and deadline it carries must still
 * be the open ones).
 */
export async function scheduleReminder(
  schedule: ScheduleStore,
  campaign: Campaign,
  roundId: string,
): Promise<void> {
  const reminder = reminderOf(campaign, roundId);
  if (reminder) await schedule.set('reminder', campaign.id, reminder.at, reminder.args);
}
