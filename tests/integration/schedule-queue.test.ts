import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transition } from '../../src/facilitation/machine.js';
import { openRound, reminderTime } from '../../src/facilitation/rounds.js';
import type { Campaign, CampaignEvent } from '../../src/facilitation/types.js';
import {
  removeCampaignSchedule,
  scheduleReminder,
  setCampaignSchedule,
} from '../../src/jobs/campaign-schedule.js';
import { type SweeperDeps, sweep } from '../../src/jobs/sweeper.js';
import { createLogger } from '../../src/logger.js';
import { nextRun } from '../../src/schedule/cadence.js';
import { createRedisStore } from '../../src/store/redis-store.js';
import { createScheduleStore, type ScheduleStore } from '../../src/store/schedule-store.js';
import { ada, newCampaign } from '../fixtures/campaigns.js';
import { freshRedis } from '../helpers/redis.js';

/** The campaign schedules as runs in the sorted set, on a real Redis (database 3). */
let redis: Awaited<ReturnType<typeof freshRedis>>;
let schedule: ScheduleStore;

beforeAll(async () => {
  redis = await freshRedis(3);
  schedule = createScheduleStore(redis);
});

afterAll(async () => {
  redis.disconnect();
});

const runOf = async (kind: string, campaignId: string) =>
  (await schedule.of(campaignId)).filter((run) => run.kind === kind);

function started(campaign: Campaign, now: Date): Campaign {
  const start = transition(campaign, { type: 'start', actor: ada }, now);
  if (!start.ok) throw new Error(start.error);
  return start.campaign;
}

describe('campaign schedules', () => {
  it.each(['Europe/Paris', 'America/Montreal'])('plans the next tick at 10:00 local in %s', async (tz) => {
    const campaign = { ...newCampaign(undefined, `tz-${tz.replace('/', '_')}`), tz, cadence: 'daily' };
    const before = new Date();
    await setCampaignSchedule(schedule, campaign, before);
    const [tick] = await runOf('tick', campaign.id);
    expect(tick).toBeDefined();
    const due = tick?.dueAt ?? new Date(0);
    expect(due.toISOString()).toBe(nextRun('daily', tz, before).toISOString());
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      hour: '2-digit',
      minute: '2-digit',
    }).format(due);
    expect(local).toBe('10:00');
    const [digest] = await runOf('digest', campaign.id);
    const digestDue = digest?.dueAt ?? new Date(0);
    expect(
      new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: 'long', hour: '2-digit' }).format(digestDue),
    ).toBe('Monday, 09');
  });

  it('replaces the schedule when the cadence changes, and removes it when the campaign ends', async () => {
    const campaign = { ...newCampaign(undefined, 'resched'), cadence: 'weekly' };
    await setCampaignSchedule(schedule, campaign, new Date());
    await setCampaignSchedule(schedule, { ...campaign, cadence: '0 7 * * *' }, new Date());
    const ticks = await runOf('tick', campaign.id);
    expect(ticks).toHaveLength(1);
    const due = ticks[0]?.dueAt ?? new Date(0);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit' }).format(due)).toBe(
      '07',
    );
    await removeCampaignSchedule(schedule, campaign.id);
    expect(await runOf('tick', campaign.id)).toHaveLength(0);
    expect(await runOf('digest', campaign.id)).toHaveLength(0);
  });

  it('keeps a single pending tick however many runs were missed while no worker ran', async () => {
    // A cadence of every minute, and ten minutes with no worker: ten runs pass.
    const t0 = new Date('2026-12-01T09:00:30Z');
    const campaign = started({ ...newCampaign(undefined, 'downtime'), cadence: '* * * * *' }, t0);
    await createRedisStore(redis).create(campaign);
    await setCampaignSchedule(schedule, campaign, t0);
    const back = new Date(t0.getTime() + 10 * 60_000);
    expect(await runOf('tick', campaign.id)).toHaveLength(1);
    const submitted: CampaignEvent[] = [];
    const deps: SweeperDeps = {
      schedule,
      store: createRedisStore(redis),
      events: {
        submit: async (id, event) => {
          if (id === campaign.id) submitted.push(event);
        },
        settle: async () => undefined,
      },
      logger: createLogger('silent'),
      clock: () => back,
    };
    await sweep(deps);
    // One tick, for the first run missed (the machine decides what a late run does), never a burst.
    expect(submitted).toEqual([{ type: 'tick', runAt: '2026-12-01T09:01:00.000Z' }]);
    const [tick] = await runOf('tick', campaign.id);
    expect(tick?.dueAt.toISOString()).toBe('2026-12-01T09:11:00.000Z');
    await sweep(deps);
    expect(submitted).toHaveLength(1);
  });

  it('plans one nudge before the open round closes, replaced when its deadline moves', async () => {
    const now = new Date('2026-12-01T09:00:00Z');
    const campaign = started(newCampaign(undefined, 'remind'), now);
    const round = openRound(campaign);
    await scheduleReminder(schedule, campaign, round?.id ?? '');
    await scheduleReminder(schedule, campaign, round?.id ?? '');
    const reminders = await runOf('reminder', campaign.id);
    expect(reminders).toHaveLength(1);
    const closesAt = round?.closesAt ?? '';
    expect(reminders[0]?.dueAt.toISOString()).toBe(reminderTime(round?.openedAt, closesAt, 24).toISOString());
    expect(reminders[0]?.args).toEqual({ roundId: round?.id, closesAt });
    const moved = transition(campaign, { type: 'schedule', actor: ada, cadence: 'weekly' }, now);
    if (!moved.ok) throw new Error(moved.error);
    const movedTo = openRound(moved.campaign)?.closesAt;
    expect(movedTo).not.toBe(closesAt);
    await scheduleReminder(schedule, moved.campaign, round?.id ?? '');
    const replaced = await runOf('reminder', campaign.id);
    expect(replaced).toHaveLength(1);
    expect(replaced[0]?.args).toEqual({ roundId: round?.id, closesAt: movedTo });
    const off = { ...moved.campaign, reminderHours: 0, id: 'remind-off' };
    await scheduleReminder(schedule, off, round?.id ?? '');
    expect(await runOf('reminder', off.id)).toHaveLength(0);
  });
});
