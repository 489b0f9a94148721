import type { FakeDiscord } from '../tests/fakes/discord-server.js';
import type { FakeSlackApi } from '../tests/fakes/slack-api.js';
import { waitFor } from '../tests/helpers/wait.js';
import type { Cluster, FaultRedis } from './cluster.js';
import type { Ledger, Tracked } from './ledger.js';
import type { SlackDriver } from './slack-driver.js';
import { campaignOf, type StoreView } from './verify.js';

/** Everything a scenario may touch. */
export interface Ctx {
  cluster: Cluster;
  redis: FaultRedis;
  slack: SlackDriver;
  api: FakeSlackApi;
  discord: FakeDiscord;
  ledger: Ledger;
  view: StoreView;
  log(line: string): void;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let workspaces = 0;

/**
 * A Slack campaign in a channel of its own, in a workspace of its own (lookups of uncertain posts are
 * paced per workspace), started, its first question posted and known to the core.
 */
export async function slackCampaign(
  ctx: Ctx,
  name: string,
  cadence = 'weekly',
): Promise<{ t: Tracked; thread: string }> {
  const n = ++workspaces;
  const t = ctx.ledger.track(
    name,
    { platform: 'slack', workspace: `TF${n}`, channel: `CF${n}` },
    cadence !== 'weekly',
  );
  await ctx.slack.start(t, cadence);
  const thread = await questionRef(ctx, t, 0);
  return { t, thread };
}

/** The post ref of the campaign's question `index`, once the core has recorded it (answers go there). */
export function questionRef(ctx: Ctx, t: Tracked, index: number, timeoutMs = 90_000): Promise<string> {
  return waitFor(
    `question ${index} of ${t.name}`,
    async () => (await campaignOf(ctx.view, t))?.questions[index]?.postRef,
    timeoutMs,
  );
}

/** Runs `work` over `items`, `width` at a time. */
export async function inParallel<T>(
  items: T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}
