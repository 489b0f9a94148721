import type { Campaign } from '../facilitation/types.js';
import type { RedisClient } from '../redis-connections.js';
import { evalScript } from './eval-script.js';
import { keys } from './keys.js';
import { waitLock } from './locks.js';
import { CLEAR_IF_EQUAL } from './lua-scripts.js';
import { globLiteral, scanKeys } from './scan-keys.js';
import type { CampaignStore } from './types.js';

const LOCK_WAIT_MS = 5_000;

/**
 * Deletes campaigns with everything they left in Redis: document, answers (history included), inbox,
 * results, posts and their records (whatever their names: every key under the campaign's hash tag),
 * thread links, the channel's pointers and sets. Each campaign is taken under its lock, so no
 * transition is half-applied meanwhile; one that is busy is left for the next pass. Returns the ids
 * deleted. Schedules are the caller's to remove (store/schedule-store.ts).
 */
export async function purgeCampaigns(
  redis: RedisClient,
  store: CampaignStore,
  ids: readonly string[],
): Promise<string[]> {
  const purged: string[] = [];
  for (const id of ids) {
    // A campaign's lock is held for a moment by whoever applies its inbox (the recovery looks every
    // 10 s): waited for a little; one still busy after that is left for the next pass.
    const lock = await waitLock(redis, keys.campaignLock(id), { waitMs: LOCK_WAIT_MS }).catch(() => null);
    if (!lock) continue;
    try {
      // A campaign that cannot be read any more still has keys to delete; its channel is then unknown.
      const campaign = await store.get(id).catch(() => null);
      const own = (await scanKeys(redis, `${globLiteral(keys.scope(id))}*`)).filter(
        (key) => key !== keys.campaignLock(id),
      );
      // The campaign's own keys share one slot: one command. The rest live anywhere on a cluster: one
      // command each. Cut short, a purge leaves less to delete, and the next pass finishes it.
      if (own.length > 0) await redis.del(...own);
      for (const link of campaign ? threadLinks(campaign) : []) await redis.del(link);
      await redis.srem(keys.campaigns(), id);
      await redis.srem(keys.pending(), id);
      if (campaign) {
        await evalScript(redis, CLEAR_IF_EQUAL, 1, keys.active(campaign.channel), id);
        await evalScript(redis, CLEAR_IF_EQUAL, 1, keys.latest(campaign.channel), id);
        await redis.srem(keys.channelCampaigns(campaign.channel), id);
      }
      // Last: while it is in the index, an interrupted purge is taken up again.
      await redis.zrem(keys.ended(), id);
      purged.push(id);
    } finally {
      await lock.release();
    }
  }
  return purged;
}

/** The keys outside its hash tag that lead to the campaign: its questions' thread links. */
function threadLinks(campaign: Campaign): string[] {
  return campaign.questions.flatMap((q) => (q.postRef ? [keys.thread(campaign.channel, q.postRef)] : []));
}
