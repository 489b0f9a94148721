import type { Logger } from '../logger.js';
import type { RedisClient } from '../redis-connections.js';
import { keys } from './keys.js';
import type { CampaignStore } from './types.js';

/**
 * Puts campaigns stored before the channel sets and the ended index existed into them: `forget-me`
 * reaches every campaign of a channel through its set, and the retention sweep finds ended campaigns
 * through the index. Once per Redis (a mark says it was done); idempotent if interrupted. Run at start.
 */
export async function indexCampaigns(
  redis: RedisClient,
  store: CampaignStore,
  logger: Logger,
): Promise<number> {
  if (await redis.exists(keys.indexed())) return 0;
  let indexed = 0;
  for (const id of await redis.smembers(keys.campaigns())) {
    const campaign = await store.get(id).catch(() => null);
    if (!campaign) continue;
    // One key per command: on a cluster the channel's set and the index live in different slots.
    await redis.sadd(keys.channelCampaigns(campaign.channel), id);
    const ended = campaign.status === 'completed' || campaign.status === 'cancelled';
    // An ended campaign without its end time (stored by a bug) counts from its creation.
    if (ended) await redis.zadd(keys.ended(), Date.parse(campaign.endedAt ?? campaign.createdAt), id);
    indexed += 1;
  }
  await redis.set(keys.indexed(), new Date().toISOString());
  if (indexed > 0) logger.info({ indexed }, 'campaigns indexed by channel and end');
  return indexed;
}
