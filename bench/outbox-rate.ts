/**
 * Outbox posts/s for one and for two `canevas work` processes posting to a fake Slack Web API: the
 * first posts of many campaigns (each in its own channel) queued by `/canevas start`, then made by the
 * worker processes, the rate counted at the fake API from its first post to its last.
 */

import { Redis } from 'ioredis';
import { startThrowawayRedis } from '../adapters/redis-launcher.js';
import { type CampaignLists, createCampaignLists, readConfig } from '../src/index.js';
import { startEngineOnly } from './answerer.js';
import { type Figure, type FigureContext, type FigureResult, type Row, row } from './figure.js';
import { type Child, spawnCanevas } from './processes.js';
import { type FakeSlack, slackEnv, startFakeSlack, TEAM } from './slack-bench-setup.js';
import { type CampaignBatch, channelOf, startCampaigns } from './start-campaigns.js';
import { until } from './until.js';

const GOAL_PER_PROCESS = 1_000;
const GOAL_SCALING = 1.7;

export const outboxRate: Figure = {
  name: 'outbox',
  what: 'outbox posts/s, 1 and 2 `canevas work` processes, to a fake Slack API',
  run,
};

interface OutboxRun {
  processes: number;
  campaigns: number;
  /** Items the campaigns' outboxes held when the workers started. */
  items: number;
  /** chat.postMessage calls the fake received, and their rate from its first to its last. */
  messages: number;
  perSecond: number;
  /** CPU of the worker processes over the run, in % of one core each. */
  cpuPercent: number[];
  /** Every call the fake API received. */
  calls: Record<string, number>;
}

async function run(ctx: FigureContext): Promise<FigureResult> {
  const server = await startThrowawayRedis();
  const api = await startFakeSlack();
  const env = slackEnv(server.url, api);
  // Slack's pace (a post a second per channel) is not what is measured: the deployment is told to
  // leave it out, where it can be (read loosely: builds before SLACK_PACE_MS have no such setting).
  const pacingOff = (readConfig(env).slack as { paceMs?: number } | undefined)?.paceMs === 0;
  // Paced, a campaign's posts take a second each whatever the outbox does: fewer of them say as much.
  const campaigns = ctx.quick ? 20 : pacingOff ? 1_000 : 100;
  const runtime = await startEngineOnly(server.url);
  // The bench's own plain connection for its checks: they must not time out when the machine is busy.
  const redis = new Redis(server.url);
  const lists = createCampaignLists(redis);
  try {
    const runs: OutboxRun[] = [];
    for (const [index, processes] of [1, 2].entries()) {
      const batch: CampaignBatch = {
        platform: 'slack',
        workspace: TEAM,
        prefix: `C${processes}P`,
        from: index * campaigns,
        to: (index + 1) * campaigns,
      };
      ctx.say(`outbox: starting ${campaigns} campaigns (their first posts queued)…`);
      await startCampaigns(runtime, batch, 16);
      ctx.say(`outbox: ${processes} work process${processes > 1 ? 'es' : ''} posting…`);
      runs.push(await drain(ctx, runtime, lists, api, env, batch, processes));
    }
    const [one, two] = runs;
    const note = pacingOff
      ? undefined
      : 'this build cannot turn Slack pacing off (SLACK_PACE_MS): pacing limits it';
    // Paced, neither the rate nor the scaling is the outbox's: no verdict can pass.
    const judged = (r: Row): Row => (pacingOff ? r : { ...r, pass: false });
    return {
      rows: [
        judged(
          row({
            figure: 'outbox',
            name: 'outbox, 1 `work` process, posts/s to a fake Slack API',
            value: one?.perSecond ?? 0,
            unit: '/s',
            goal: { min: GOAL_PER_PROCESS },
            note: [`${one?.messages} posts, worker at ${one?.cpuPercent.join('/')}% of a core`, note]
              .filter(Boolean)
              .join('; '),
          }),
        ),
        judged(
          row({
            figure: 'outbox',
            name: 'outbox, 2 `work` processes, posts/s to a fake Slack API',
            value: two?.perSecond ?? 0,
            unit: '/s',
            anchor: { name: '1 process', value: one?.perSecond ?? 0 },
            goal: { minRatio: GOAL_SCALING },
            note: [`${two?.messages} posts, workers at ${two?.cpuPercent.join('/')}% of a core`, note]
              .filter(Boolean)
              .join('; '),
          }),
        ),
      ],
      details: { pacingOff, runs },
    };
  } finally {
    await runtime.close();
    redis.disconnect();
    await api.child.stop();
    await server.stop();
  }
}

/** Starts the workers, waits until every campaign of the batch has made its posts, stops them. */
async function drain(
  ctx: FigureContext,
  runtime: Awaited<ReturnType<typeof startEngineOnly>>,
  lists: CampaignLists,
  api: FakeSlack,
  env: Record<string, string>,
  batch: CampaignBatch,
  processes: number,
): Promise<OutboxRun> {
  const ids: string[] = [];
  for (let i = batch.from; i < batch.to; i++)
    ids.push((await runtime.store.activeId(channelOf(batch, i))) ?? '');
  const pending = async () =>
    (await Promise.all(ids.map((id) => lists.postsLength(id)))).reduce((a, b) => a + b, 0);
  const items = await pending();
  await api.reset();
  const workers: Child[] = Array.from({ length: processes }, () => spawnCanevas('work', env));
  try {
    // CPU is counted from the first post on: loading the program is not posting.
    let cpuAtFirst: (number | undefined)[] | undefined;
    await until(
      'the posts made',
      async () => {
        if (!cpuAtFirst && ((await api.stats()).calls['chat.postMessage'] ?? 0) > 0)
          cpuAtFirst = workers.map((w) => w.cpuSeconds());
        return (await pending()) === 0 ? true : undefined;
      },
      20 * 60_000,
    );
    const stats = await api.stats();
    const window = ((stats.last['chat.postMessage'] ?? 0) - (stats.first['chat.postMessage'] ?? 0)) / 1000;
    const cpuPercent = workers.map((w, i) => {
      const [end, start] = [w.cpuSeconds(), cpuAtFirst?.[i]];
      return end === undefined || start === undefined || window <= 0
        ? 0
        : Math.round(((end - start) / window) * 100);
    });
    const messages = stats.calls['chat.postMessage'] ?? 0;
    const seconds = window;
    ctx.say(`outbox: ${messages} posts in ${seconds.toFixed(1)} s`);
    return {
      processes,
      campaigns: ids.length,
      items,
      messages,
      perSecond: seconds > 0 ? Math.round((messages - 1) / seconds) : 0,
      cpuPercent,
      calls: stats.calls,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}
