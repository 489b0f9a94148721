import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transition } from '../../src/facilitation/machine.js';
import { openRound, reminderTime } from '../../src/facilitation/rounds.js';
import {
  reminderJobId,
  removeCampaignSchedule,
  scheduleReminder,
  setCampaignSchedule,
} from '../../src/jobs/campaign-schedule.js';
import { createQueues, type Queues } from '../../src/jobs/queues.js';
import { createLogger } from '../../src/logger.js';
import { nextRun } from '../../src/schedule/cadence.js';
import { ada, newCampaign } from '../fixtures/campaigns.js';
import { freshRedis } from '../helpers/redis.js';

/** The campaign schedules as BullMQ job schedulers on a real Redis (database 3). */
let redis: Awaited<ReturnType<typeof freshRedis>>;
let queues: Queues;

beforeAll(async () => {
  redis = await freshRedis(3);
  queues = createQueues(redis, createLogger('silent'));
});

afterAll(async () => {
  await queues.close();
  redis.disconnect();
});

async function pendingJobs(name: string, campaignId: string) {
  const jobs = await queues.schedule.getJobs(['waiting', 'delayed', 'prioritized', 'active']);
  return jobs.filter((j) => j.name === name && j.data.campaignId === campaignId);
}

describe('campaign schedules', () => {
  it.each(['Europe/Paris', 'America/Montreal'])('plans the next tick at 10:00 local in %s', async (tz) => {
    const campaign = { ...newCampaign(undefined, `tz-${tz.replace('/', '_')}`), tz, cadence: 'daily' };
    const before = new Date();
    await setCampaignSchedule(queues, campaign);
    const [tick] = await pendingJobs('tick', campaign.id);
    expect(tick).toBeDefined();
    const due = new Date((tick?.timestamp ?? 0) + (tick?.delay ?? 0));
    expect(due.toISOString()).toBe(nextRun('daily', tz, before).toISOString());
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      hour: '2-digit',
      minute: '2-digit',
    }).format(due);
    expect(local).toBe('10:00');
    const [digest] = await pendingJobs('digest', campaign.id);
    const digestDue = new Date((digest?.timestamp ?? 0) + (digest?.delay ?? 0));
    expect(
      new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: 'long', hour: '2-digit' }).format(digestDue),
    ).toBe('Monday, 09');
  });

  it('replaces the schedule when the cadence changes, and removes it when the campaign ends', async () => {
    const campaign = { ...newCampaign(undefined, 'resched'), cadence: 'weekly' };
    await setCampaignSchedule(queues, campaign);
    await setCampaignSchedule(queues, { ...campaign, cadence: '0 7 * * *' });
    const ticks = await pendingJobs('tick', campaign.id);
    expect(ticks).toHaveLength(1);
    const due = new Date((ticks[0]?.timestamp ?? 0) + (ticks[0]?.delay ?? 0));
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit' }).format(due)).toBe(
      '07',
    );
    await removeCampaignSchedule(queues, campaign.id);
    expect(await pendingJobs('tick', campaign.id)).toHaveLength(0);
    expect(await pendingJobs('digest', campaign.id)).toHaveLength(0);
  });

  it('keeps a single pending tick however many runs were missed while no worker ran', async () => {
    // A fast scheduler stands in for days of downtime: ten runs pass with no worker.
    await queues.schedule.upsertJobScheduler(
      'tick-downtime',
      { every: 50 },
      { name: 'tick', data: { campaignId: 'downtime' } },
    );
    await new Promise((r) => setTimeout(r, 600));
    expect(await pendingJobs('tick', 'downtime')).toHaveLength(1);
    await queues.schedule.removeJobScheduler('tick-downtime');
  });

  it('plans one nudge before the open round closes, and a new one when its deadline moves', async () => {
    const now = new Date('2026-12-01T09:00:00Z');
    const start = transition(newCampaign(undefined, 'remind'), { type: 'start', actor: ada }, now);
    if (!start.ok) throw new Error(start.error);
    const campaign = start.campaign;
    const round = openRound(campaign);
    await scheduleReminder(queues, campaign, round?.id ?? '', now);
    await scheduleReminder(queues, campaign, round?.id ?? '', now);
    const reminders = await pendingJobs('reminder', campaign.id);
    expect(reminders).toHaveLength(1);
    const closesAt = round?.closesAt ?? '';
    expect(reminders[0]?.id).toBe(reminderJobId(campaign.id, round?.id ?? '', closesAt));
    const expected = reminderTime(round?.openedAt, closesAt, 24).getTime() - now.getTime();
    expect(reminders[0]?.opts.delay).toBe(expected);
    expect(reminders[0]?.data).toEqual({
      campaignId: campaign.id,
      roundId: round?.id,
      closesAt,
      at: new Date(now.getTime() + expected).toISOString(),
    });
    const moved = transition(campaign, { type: 'schedule', actor: ada, cadence: 'weekly' }, now);
    if (!moved.ok) throw new Error(moved.error);
    await scheduleReminder(queues, moved.campaign, round?.id ?? '', now);
    expect(await pendingJobs('reminder', campaign.id)).toHaveLength(2);
    const off = { ...moved.campaign, reminderHours: 0, id: 'remind-off' };
    await scheduleReminder(queues, off, round?.id ?? '', now);
    expect(await pendingJobs('reminder', off.id)).toHaveLength(0);
  });
});
