/**
 * What idle campaigns cost: Redis bytes and keys per campaign, and the CPU `canevas work` spends when
 * nothing is due, at 10,000 and 100,000 campaigns; extrapolated to 1,000,000.
 *
 * The campaigns are made as the product makes them: `/canevas start` through the engine (in child
 * processes, two at a time), their first posts made by two `canevas work` processes, until nothing is
 * left to do. They run on the playground, the one platform with no pace to wait for; its messages are
 * kept in Redis under the playground's prefix, standing for the chat platform's own servers, and are not
 * counted as the campaigns' cost.
 */
import { Redis } from 'ioredis';
import { PLAYGROUND_PREFIX } from '../adapters/playground/channel-store.js';
import { startThrowawayRedis } from '../adapters/redis-launcher.js';
import {
  type CampaignLists,
  type CampaignStore,
  createCampaignLists,
  createLogger,
  createQueues,
  createRedisStore,
  type Queues,
} from '../src/index.js';
import { type Figure, type FigureContext, type FigureResult, type Row, round, row } from './figure.js';
import { type Child, quiet, spawnCanevas } from './processes.js';
import { type KindUsage, type RedisUsage, redisUsage, usageByKind } from './redis-usage.js';
import { type CampaignBatch, channelOf, startCampaignsInChildren } from './start-campaigns.js';
import { until } from './until.js';

const GOAL_BYTES = 4 * 1024;
const MILLION = 1_000_000;
const GOAL_MILLION_BYTES = 4 * 1024 ** 3;
const WORKERS = 2;
const STARTERS = 2;
/** Starts in flight per starter process: more only queues up on two cores. */
const IN_FLIGHT = 8;
/**
 * After the last post, before it counts as idle: a sweep (every 10 s), a progress window (5 s), and the
 * results of applied events (kept a minute for whoever waits on them) go by.
 */
const SETTLE_MS = 65_000;
const PLATFORM_SIDE = `${PLAYGROUND_PREFIX}:`;

export const idleMemory: Figure = {
  name: 'idle',
  what: 'Redis bytes and keys per idle campaign, idle `work` CPU (at 10,000 and 100,000 campaigns unless --idle= says)',
  run,
};

interface IdlePoint {
  campaigns: number;
  bytesPerCampaign: number;
  keysPerCampaign: number;
  /** The chat platform's side (the playground's messages), left out of the figures above. */
  platformBytes: number;
  platformKeys: number;
  /** % of one core, each work process, over the idle window. */
  workCpuPercent: number[];
  redisCpuPercent: number;
  /** Seconds to start the campaigns and make their first posts. */
  buildSeconds: number;
  kinds: KindUsage[];
}

async function run(ctx: FigureContext): Promise<FigureResult> {
  const counts = [...ctx.idleCounts].sort((a, b) => a - b);
  const windowMs = ctx.quick ? 3_000 : 20_000;
  const server = await startThrowawayRedis();
  const redis = new Redis(server.url);
  // The bench's own plain connection: its checks must not time out when the machine is busy.
  const deployment = {
    store: createRedisStore(redis),
    lists: createCampaignLists(redis),
    queues: createQueues(redis, createLogger('silent')),
  };
  const env = { REDIS_URL: server.url, CANEVAS_LANG: 'en', LOG_LEVEL: 'error' };
  const workers: Child[] = Array.from({ length: WORKERS }, () => spawnCanevas('work', env));
  try {
    // Loaded (a program's loading takes CPU) and then quiet: what they made in Redis on their way up
    // (queues, the sweeper's schedule) is the empty deployment, the baseline; their own idle the anchor.
    for (const w of workers) {
      await until('a work process loaded', async () => ((w.cpuSeconds() ?? 1) >= 0.5 ? true : undefined));
      await quiet(w, 120_000);
    }
    await new Promise((r) => setTimeout(r, ctx.quick ? 1_000 : 5_000));
    const empty = await idleCpu(redis, workers, windowMs);
    const baseline = await redisUsage(redis);
    const batch: CampaignBatch = {
      platform: 'playground',
      workspace: 'bench',
      prefix: 'idle-',
      from: 0,
      to: 0,
    };
    const points: IdlePoint[] = [];
    for (const count of counts) {
      const began = Date.now();
      const top = { ...batch, from: batch.to, to: count };
      batch.to = count;
      ctx.say(`idle: starting campaigns ${top.from.toLocaleString('en')} to ${count.toLocaleString('en')}…`);
      await startCampaignsInChildren(server.url, top, STARTERS, IN_FLIGHT, (n) => {
        const rate = n / ((Date.now() - began) / 1000);
        const left = (top.to - top.from - n) / rate;
        ctx.say(
          `idle: ${(top.from + n).toLocaleString('en')} started, ${Math.round(rate)}/s, ~${Math.round(left)} s left`,
        );
      });
      ctx.say('idle: waiting for their first posts…');
      await allPostsMade(deployment, batch);
      await new Promise((r) => setTimeout(r, ctx.quick ? 1_000 : SETTLE_MS));
      const buildSeconds = Math.round((Date.now() - began) / 1000);
      ctx.say('idle: measuring…');
      const usage = await redisUsage(redis);
      const kinds = await usageByKind(redis);
      const platform = kinds.filter((k) => k.kind.startsWith(PLATFORM_SIDE));
      const platformBytes = platform.reduce((a, k) => a + k.bytes, 0);
      const platformKeys = platform.reduce((a, k) => a + k.keys, 0);
      const cpu = await idleCpu(redis, workers, windowMs);
      points.push({
        campaigns: count,
        bytesPerCampaign: Math.round((usage.usedMemory - baseline.usedMemory - platformBytes) / count),
        keysPerCampaign: round((usage.keys - baseline.keys - platformKeys) / count, 2),
        platformBytes,
        platformKeys,
        workCpuPercent: cpu.work,
        redisCpuPercent: cpu.redis,
        buildSeconds,
        kinds: kinds.slice(0, 25),
      });
    }
    return {
      rows: rowsOf(points, empty),
      details: { baseline, emptyCpu: empty, windowMs, points },
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await deployment.queues.close();
    redis.disconnect();
    await server.stop();
  }
}

function rowsOf(points: IdlePoint[], empty: { work: number[]; redis: number }): Row[] {
  const rows: Row[] = [];
  const mean = (xs: number[]) => round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length), 2);
  for (const p of points) {
    const n = p.campaigns.toLocaleString('en');
    rows.push(
      row({
        figure: 'idle',
        name: `Redis per idle campaign, at ${n} campaigns`,
        value: p.bytesPerCampaign / 1024,
        unit: 'KB',
        goal: { max: GOAL_BYTES / 1024 },
        note: `INFO used_memory delta / campaigns; largest kinds: ${p.kinds
          .filter((k) => !k.kind.startsWith(PLATFORM_SIDE))
          .slice(0, 3)
          .map((k) => `${k.kind} ${Math.round(k.bytes / p.campaigns)} B`)
          .join(', ')}`,
      }),
      row({
        figure: 'idle',
        name: `Redis keys per idle campaign, at ${n} campaigns`,
        value: p.keysPerCampaign,
        unit: 'keys',
      }),
      row({
        figure: 'idle',
        name: `idle \`work\` CPU at ${n} campaigns, per process`,
        value: mean(p.workCpuPercent),
        unit: '% of a core',
        anchor: { name: 'the same, no campaign', value: mean(empty.work) },
        note: `redis-server at ${p.redisCpuPercent}% (${empty.redis}% with no campaign); built in ${p.buildSeconds} s`,
      }),
    );
  }
  const largest = points.at(-1);
  if (largest) {
    const bytes = largest.bytesPerCampaign * MILLION;
    rows.push(
      row({
        figure: 'idle',
        name: `1,000,000 idle campaigns in Redis, from the figure at ${largest.campaigns.toLocaleString('en')}`,
        value: bytes / 1024 ** 3,
        unit: 'GB',
        goal: { max: GOAL_MILLION_BYTES / 1024 ** 3 },
        note: bytes <= GOAL_MILLION_BYTES ? 'fits in 4 GB' : 'does not fit in 4 GB',
      }),
    );
  }
  return rows;
}

/**
 * Waits until no outbox job is left to run and no campaign of the batch has a post to make or an
 * event to apply (the posts' records come back to the campaign as events).
 */
async function allPostsMade(
  d: { store: CampaignStore; lists: CampaignLists; queues: Queues },
  batch: CampaignBatch,
) {
  const ids: string[] = [];
  for (let i = batch.from; i < batch.to; i += 1_000) {
    const chunk = Array.from({ length: Math.min(1_000, batch.to - i) }, (_, k) => channelOf(batch, i + k));
    ids.push(...(await Promise.all(chunk.map(async (c) => (await d.store.activeId(c)) ?? ''))));
  }
  await until(
    'the first posts made',
    async () => {
      const jobs = await d.queues.outbox.getJobCounts('waiting', 'active', 'prioritized');
      if (Object.values(jobs).some((n) => n > 0)) return undefined;
      for (let i = 0; i < ids.length; i += 1_000) {
        const chunk = ids.slice(i, i + 1_000);
        const lengths = await Promise.all(
          chunk.flatMap((id) => [d.lists.postsLength(id), d.lists.inboxLength(id)]),
        );
        if (lengths.some((n) => n > 0)) return undefined;
      }
      // The recovery round (every 10 s, a campaign at a time) has looked at every campaign marked
      // pending on its way in: until then the deployment is still catching up, not idle.
      return (await d.lists.pendingIds()).length === 0 ? true : undefined;
    },
    3 * 3600_000,
  );
}

/** CPU the work processes and redis-server use over `windowMs` of doing nothing, in % of one core. */
async function idleCpu(redis: Redis, workers: Child[], windowMs: number) {
  const before = {
    work: workers.map((w) => w.cpuSeconds() ?? 0),
    redis: (await redisUsage(redis)).cpuSeconds,
  };
  await new Promise((r) => setTimeout(r, windowMs));
  const after: RedisUsage = await redisUsage(redis);
  const percent = (seconds: number) => round((seconds / (windowMs / 1000)) * 100, 2);
  return {
    work: workers.map((w, i) => percent((w.cpuSeconds() ?? 0) - (before.work[i] ?? 0))),
    redis: percent(after.cpuSeconds - before.redis),
  };
}
