import type { Redis } from 'ioredis';
import { Redis as Client } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCampaign, transition } from '../../src/facilitation/machine.js';
import type { Campaign, CampaignEvent } from '../../src/facilitation/types.js';
import { setCampaignSchedule } from '../../src/jobs/campaign-schedule.js';
import { RUN_LEASE_MS, startSweeper, sweep } from '../../src/jobs/sweeper.js';
import type { CampaignEvents } from '../../src/jobs/worker-deps.js';
import { createLogger } from '../../src/logger.js';
import { createRedisStore } from '../../src/store/redis-store.js';
import { createScheduleStore } from '../../src/store/schedule-store.js';
import { ada, campaignInit } from '../fixtures/campaigns.js';
import { freshRedis, redisUrlFor } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

/**
 * The sweeper's claims on a real Redis (database 36): each due run is made once, however many
 * processes sweep, and a run whose worker died holding it is made after its lease.
 */
const DB = 36;
const logger = createLogger('silent');
let redis: Redis;
const T0 = new Date('2026-12-01T08:00:00Z');

beforeAll(async () => {
  redis = await freshRedis(DB);
});

beforeEach(async () => {
  await redis.flushdb();
});

afterAll(async () => {
  redis.disconnect();
});

/** Running campaigns in the store, each with its tick and digest scheduled from T0. */
async function runningCampaigns(count: number): Promise<Campaign[]> {
  const store = createRedisStore(redis);
  const schedule = createScheduleStore(redis);
  const campaigns: Campaign[] = [];
  for (let i = 0; i < count; i++) {
    const created = createCampaign(campaignInit({ id: `race-${i}`, now: T0 }));
    const start = transition(created, { type: 'start', actor: ada }, T0);
    if (!start.ok) throw new Error(start.error);
    await store.create(start.campaign);
    await setCampaignSchedule(schedule, start.campaign, T0);
    campaigns.push(start.campaign);
  }
  return campaigns;
}

/** What a worker process's engine would be handed, recorded (the engine's own behaviour is tested elsewhere). */
function recorder(
  into: { campaignId: string; event: CampaignEvent; by: string }[],
  by: string,
): CampaignEvents {
  return {
    submit: async (campaignId, event) => {
      into.push({ campaignId, event, by });
    },
    settle: async () => undefined,
  };
}

describe('two sweepers on the same due runs', () => {
  it('make each run exactly once between them', async () => {
    const campaigns = await runningCampaigns(120);
    // Past every campaign's first tick (Tuesday 10:00 Paris) and first digest (Monday 09:00): 240 runs due.
    const clock = () => new Date('2026-12-08T09:30:00Z');
    const made: { campaignId: string; event: CampaignEvent; by: string }[] = [];
    const connections = [new Client(redisUrlFor(DB)), new Client(redisUrlFor(DB))];
    const sweepers = connections.map((connection, i) =>
      startSweeper({
        schedule: createScheduleStore(connection),
        store: createRedisStore(connection),
        events: recorder(made, `worker-${i}`),
        logger,
        clock,
      }),
    );
    try {
      await waitFor('every due run made', () => made.length >= 2 * campaigns.length);
      // Both loop on: nothing more is due until the next runs, which each run scheduled once.
      await Promise.all(sweepers.map((s) => s.sweepOnce()));
      const seen = made.map((m) => `${m.event.type} ${m.campaignId}`);
      expect(seen).toHaveLength(2 * campaigns.length);
      expect(new Set(seen).size).toBe(2 * campaigns.length);
      expect(new Set(made.map((m) => m.by)).size).toBe(2);
      for (const m of made.filter((e) => e.event.type === 'tick'))
        expect(m.event).toEqual({ type: 'tick', runAt: '2026-12-01T09:00:00.000Z' });
      const schedule = createScheduleStore(redis);
      expect(await schedule.counts()).toEqual({ scheduled: 2 * campaigns.length, inProgress: 0 });
      const runs = await schedule.of('race-7');
      expect(runs.map((r) => [r.kind, r.dueAt.toISOString()])).toEqual([
        ['tick', '2026-12-10T09:00:00.000Z'],
        ['digest', '2026-12-14T08:00:00.000Z'],
      ]);
    } finally {
      await Promise.all(sweepers.map((s) => s.close()));
      for (const c of connections) c.disconnect();
    }
  });
});

describe('a run whose worker died holding it', () => {
  it('is made again, as the run it stood for, once its lease runs out', async () => {
    const [campaign] = await runningCampaigns(1);
    const schedule = createScheduleStore(redis);
    const due = new Date('2026-12-01T09:00:00Z');
    // A worker claims the tick, then dies before making it: nothing ends its claim.
    const dead = await schedule.claim(due, RUN_LEASE_MS, 10);
    expect(dead.runs.map((r) => [r.kind, r.campaignId])).toEqual([['tick', campaign?.id]]);
    expect(await schedule.of(campaign?.id ?? '')).toEqual([expect.objectContaining({ kind: 'digest' })]);

    const made: { campaignId: string; event: CampaignEvent; by: string }[] = [];
    let now = new Date(due.getTime() + 1000);
    const deps = {
      schedule,
      store: createRedisStore(redis),
      events: recorder(made, 'survivor'),
      logger,
      clock: () => now,
    };
    // Still held: another worker leaves it alone.
    expect(await sweep(deps)).toEqual({ claimed: 0, nextAt: due.getTime() + RUN_LEASE_MS });
    expect(made).toEqual([]);
    now = new Date(due.getTime() + RUN_LEASE_MS);
    expect((await sweep(deps)).claimed).toBe(1);
    expect(made).toEqual([
      { campaignId: campaign?.id, event: { type: 'tick', runAt: due.toISOString() }, by: 'survivor' },
    ]);
    expect(await schedule.counts()).toEqual({ scheduled: 2, inProgress: 0 });
    const [tick] = (await schedule.of(campaign?.id ?? '')).filter((r) => r.kind === 'tick');
    expect(tick?.dueAt.toISOString()).toBe('2026-12-03T09:00:00.000Z');
  });

  it('is not scheduled again when its campaign’s schedule was removed meanwhile', async () => {
    const [campaign] = await runningCampaigns(1);
    const id = campaign?.id ?? '';
    const schedule = createScheduleStore(redis);
    const { runs } = await schedule.claim(new Date('2026-12-01T09:00:00Z'), RUN_LEASE_MS, 10);
    expect(await schedule.inProgress(id, 'tick')).toBe(true);
    await schedule.remove(id);
    expect(await schedule.inProgress(id, 'tick')).toBe(false);
    expect(await schedule.complete(runs[0]?.token ?? '', new Date('2026-12-03T09:00:00Z'))).toBe(false);
    expect(await schedule.of(id)).toEqual([]);
    expect(await schedule.counts()).toEqual({ scheduled: 0, inProgress: 0 });
  });
});
