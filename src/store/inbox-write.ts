import type { RedisClient } from '../redis-connections.js';
import { keys } from './keys.js';

/**
 * Writes events to a campaign's inbox, in order: durable once this returns. The campaign is marked
 * pending before and after the write, so a sweep racing with it can only leave the mark set, and a
 * crash right after it leaves the mark for the recovery round. One key per command: on a cluster the
 * mark lives in another slot, and while the campaign's slot moves a write to one key still goes
 * through (ASK) where a script over several waits for the move to end (TRYAGAIN).
 */
export async function writeInbox(redis: RedisClient, campaignId: string, entries: readonly string[]) {
  await redis.sadd(keys.pending(), campaignId);
  await redis.rpush(keys.inbox(campaignId), ...entries);
  await redis.sadd(keys.pending(), campaignId);
}
