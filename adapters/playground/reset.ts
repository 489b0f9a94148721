import {
  type CampaignStatus,
  type CampaignStore,
  type ChannelRef,
  globLiteral,
  type RedisClient,
  type ScheduleStore,
  scanKeys,
} from '../../src/index.js';
import { removeCampaignSchedule } from '../../src/jobs/campaign-schedule.js';
// The key layout itself: the store's interface has no way to forget a campaign, and reset must.
import { keys } from '../../src/store/keys.js';
import { channelContents, channelKey, publishEvent } from './channel-store.js';
import { PLAYGROUND_CHANNEL } from './routes.js';

/** What `canevas reset` deletes: the playground channel as if it had never been used. */
export interface ResetPlan {
  channel: ChannelRef;
  messages: number;
  files: number;
  campaigns: { id: string; status: CampaignStatus | 'unreadable'; answers: number }[];
  threadLinks: number;
  /** Every key to delete, each of which exists. */
  keys: string[];
}

const sameChannel = (a: ChannelRef, b: ChannelRef) =>
  a.platform === b.platform && a.workspace === b.workspace && a.channel === b.channel;

/** Reads what a reset would delete, deleting nothing. */
export async function planPlaygroundReset(
  redis: RedisClient,
  store: CampaignStore,
  channel: ChannelRef = PLAYGROUND_CHANNEL,
): Promise<ResetPlan> {
  const contents = await channelContents(redis, channel);
  const campaigns: ResetPlan['campaigns'] = [];
  const pointers = [await store.activeId(channel), await store.latestId(channel)];
  const ids = new Set([...(await store.listIds()), ...pointers.filter((id): id is string => id !== null)]);
  for (const id of ids) {
    const campaign = await store.get(id).catch(() => undefined);
    if (campaign === null) continue;
    // A pointer of this channel naming a campaign that cannot be read still belongs to it.
    if (campaign === undefined) {
      if (pointers.includes(id)) campaigns.push({ id, status: 'unreadable', answers: 0 });
      continue;
    }
    if (sameChannel(campaign.channel, channel)) {
      campaigns.push({ id, status: campaign.status, answers: Object.keys(campaign.answers).length });
    }
  }
  const threadLinks = await scanKeys(redis, globLiteral(keys.thread(channel, '')).concat('*'));
  const campaignKeys: string[] = [];
  for (const { id } of campaigns) {
    // Every key of a campaign shares its hash tag: the campaign, its answers, lists and post records.
    campaignKeys.push(...(await scanKeys(redis, `${globLiteral(keys.scope(id))}*`)));
  }
  const candidates = [...campaignKeys, keys.active(channel), keys.latest(channel)];
  const exists = await Promise.all(candidates.map((key) => redis.exists(key)));
  return {
    channel,
    messages: contents.messages,
    files: contents.files,
    campaigns,
    threadLinks: threadLinks.length,
    keys: [...contents.keys, ...threadLinks, ...candidates.filter((_, i) => exists[i] === 1)],
  };
}

/** Deletes what the plan names, stops its campaigns' schedules, and tells an open page to refresh. */
export async function applyPlaygroundReset(
  redis: RedisClient,
  schedule: ScheduleStore,
  plan: ResetPlan,
): Promise<void> {
  for (const { id } of plan.campaigns) await removeCampaignSchedule(schedule, id);
  // Key by key rather than in one transaction: on a cluster the keys live in many slots. A reset cut
  // short leaves less to delete, and running it again finishes it.
  await Promise.all(plan.keys.map((key) => redis.del(key)));
  if (plan.campaigns.length > 0) {
    await redis.srem(keys.campaigns(), ...plan.campaigns.map((c) => c.id));
    await redis.srem(keys.pending(), ...plan.campaigns.map((c) => c.id));
  }
  await publishEvent(redis, { type: 'reset', channel: channelKey(plan.channel) });
}

export const isEmptyPlan = (plan: ResetPlan) => plan.keys.length === 0 && plan.campaigns.length === 0;

/** The plan in words, one line each, as the command prints it. */
export function describeResetPlan(plan: ResetPlan): string[] {
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const lines = [
    `${plural(plan.messages, 'message')}, replies included, and ${plural(plan.files, 'posted file')}`,
    ...plan.campaigns.map(
      (c) =>
        `campaign ${c.id} (${c.status}, ${plural(c.answers, 'answer')}), with its schedules and post records`,
    ),
    `${plural(plan.threadLinks, 'thread link')} and the channel's active and latest campaign pointers`,
  ];
  return [...lines.map((line) => `  - ${line}`), `  = ${plural(plan.keys.length, 'Redis key')}`];
}
