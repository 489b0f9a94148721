import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, transition } from '../../src/facilitation/machine.js';
import { openRound, reminderTime } from '../../src/facilitation/rounds.js';
import type { Campaign } from '../../src/facilitation/types.js';
import { LEGACY_SCHEDULE_QUEUE } from '../../src/jobs/legacy-schedules.js';
import { cronOf } from '../../src/schedule/cadence.js';
import { createRedisStore } from '../../src/store/redis-store.js';
import { createScheduleStore } from '../../src/store/schedule-store.js';
import { ada, campaignInit } from '../fixtures/campaigns.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';

/**
 * A Redis written by an older Canevas, whose schedules were BullMQ job schedulers and delayed jobs:
 * starting moves them to the sorted set, once (database 37).
 */
const DB = 37;
let redis: Redis;

beforeAll(async () => {
  redis = await freshRedis(DB);
});

afterAll(async () => {
  redis.disconnect();
});

async function savedCampaign(id: string, now: Date, stop = false): Promise<Campaign> {
  const start = transition(createCampaign(campaignInit({ id, now })), { type: 'start', actor: ada }, now);
  if (!start.ok) throw new Error(start.error);
  let campaign = start.campaign;
  if (stop) {
    const stopped = transition(campaign, { type: 'stop', actor: ada }, now);
    if (!stopped.ok) throw new Error(stopped.error);
    campaign = stopped.campaign;
  }
  return createRedisStore(redis).create(campaign);
}

/** What the older version left: a tick and a digest scheduler per campaign, a delayed nudge, the sweep. */
async function plantLegacy(campaigns: Campaign[]): Promise<Map<string, number | undefined>> {
  const queue = new Queue(LEGACY_SCHEDULE_QUEUE, { connection: redis });
  try {
    for (const c of campaigns) {
      const data = { campaignId: c.id };
      await queue.upsertJobScheduler(
        `tick-${c.id}`,
        { pattern: cronOf(c.cadence), tz: c.tz },
        { name: 'tick', data },
      );
      await queue.upsertJobScheduler(
        `digest-${c.id}`,
        { pattern: c.digestCron, tz: c.tz },
        { name: 'digest', data },
      );
      const round = openRound(c);
      if (round?.closesAt) {
        const at = reminderTime(round.openedAt, round.closesAt, 24);
        await queue.add(
          'reminder',
          { campaignId: c.id, roundId: round.id, closesAt: round.closesAt, at: at.toISOString() },
          { jobId: `reminder-${c.id}-${round.id}`, delay: Math.max(0, at.getTime() - Date.now()) },
        );
      }
    }
    await queue.upsertJobScheduler('sweep', { every: 10_000 }, { name: 'sweep', data: {} });
    return new Map((await queue.getJobSchedulers(0, -1)).map((s) => [s.key, s.next]));
  } finally {
    await queue.close();
  }
}

const legacyKeys = () => redis.keys(`bull:${LEGACY_SCHEDULE_QUEUE}:*`);

async function startOnce(): Promise<void> {
  const runtime = await startTestRuntime(DB, {}, { serve: false, work: false });
  await runtime.close();
}

describe('schedules saved as BullMQ job schedulers', () => {
  it('move to the sorted set at their times on start, the old queue is deleted, and a second start changes nothing', async () => {
    const now = new Date();
    const running = await savedCampaign('legacy-running', now);
    const stopped = await savedCampaign('legacy-stopped', now, true);
    const next = await plantLegacy([running, stopped]);
    expect(next.get(`tick-${running.id}`)).toBeGreaterThan(now.getTime());
    expect((await legacyKeys()).length).toBeGreaterThan(0);

    await startOnce();
    const schedule = createScheduleStore(redis);
    const round = openRound(running);
    const runs = (await schedule.of(running.id)).map((r) => ({
      kind: r.kind,
      at: r.dueAt.getTime(),
      args: r.args,
    }));
    expect(runs).toEqual(
      expect.arrayContaining([
        { kind: 'tick', at: next.get(`tick-${running.id}`), args: undefined },
        { kind: 'digest', at: next.get(`digest-${running.id}`), args: undefined },
        {
          kind: 'reminder',
          at: reminderTime(round?.openedAt, round?.closesAt ?? '', 24).getTime(),
          args: { roundId: round?.id, closesAt: round?.closesAt },
        },
      ]),
    );
    expect(runs).toHaveLength(3);
    expect(await schedule.of(stopped.id)).toEqual([]);
    expect(await legacyKeys()).toEqual([]);

    const before = await redis.zrange('canevas:{schedule}:due', '0', '-1', 'WITHSCORES');
    await startOnce();
    expect(await redis.zrange('canevas:{schedule}:due', '0', '-1', 'WITHSCORES')).toEqual(before);
    expect(await legacyKeys()).toEqual([]);
  });

  it('keeps a run the sorted set already has when old schedulers are found again', async () => {
    const campaign = await savedCampaign('legacy-again', new Date());
    const schedule = createScheduleStore(redis);
    const kept = new Date('2031-01-07T09:00:00Z');
    await schedule.set('tick', campaign.id, kept);
    const next = await plantLegacy([campaign]);
    await startOnce();
    const runs = await schedule.of(campaign.id);
    expect(runs.find((r) => r.kind === 'tick')?.dueAt).toEqual(kept);
    expect(runs.find((r) => r.kind === 'digest')?.dueAt.getTime()).toBe(next.get(`digest-${campaign.id}`));
    expect(await legacyKeys()).toEqual([]);
  });
});
