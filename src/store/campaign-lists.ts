import type { RedisClient } from '../redis-connections.js';
import { evalScript } from './eval-script.js';
import { writeInbox } from './inbox-write.js';
import { keys } from './keys.js';
import {
  BURY_ENTRY,
  DISCARD_ENTRY,
  FINISH_POSTS,
  GIVE_UP_POST,
  MARK_INTENT,
  POP_IF_HEAD,
} from './lua-scripts.js';
import type { FailedPost } from './types.js';

/** How long a campaign's post records (platform refs, first tries) are kept after its last post. */
const POST_TTL_SECONDS = 30 * 24 * 3600;

/**
 * A post record's field in the campaign's records hash: `post:` (its platform ref) or `intent:` (its
 * first try), then its dedupe key without the campaign id it starts with. Short fields keep the hash
 * in Redis' compact encoding.
 */
function recordField(kind: 'intent' | 'post', campaignId: string, dedupeKey: string): string {
  const own = dedupeKey.startsWith(`${campaignId}-`) ? dedupeKey.slice(campaignId.length + 1) : dedupeKey;
  return `${kind}:${own}`;
}

/** A post made, with the platform's ref for it. */
export interface MadePost {
  dedupeKey: string;
  ref: string;
}

/**
 * The per-campaign lists around a transition: the inbox (events in, in arrival order), the effects
 * outbox (jobs to relay) and the posts (messages out, in order), with the records that make each post
 * happen once. Every list of a campaign shares its hash tag; only `pending` spans campaigns, and it is
 * a hint for the sweeper, never the only copy of anything.
 */
export function createCampaignLists(redis: RedisClient) {
  const head = async (key: string) => (await redis.lindex(key, 0)) ?? null;
  const popIfHead = async (key: string, raw: string) =>
    (await evalScript(redis, POP_IF_HEAD, 1, key, raw)) === 1;

  return {
    /** Writes inbound events to the campaign's inbox, in order: durable once this returns. */
    submit: (campaignId: string, ...entries: string[]): Promise<void> =>
      writeInbox(redis, campaignId, entries),
    inboxHead: (campaignId: string) => head(keys.inbox(campaignId)),
    inboxLength: (campaignId: string) => redis.llen(keys.inbox(campaignId)),
    /** Takes an entry that cannot be applied out of the way, kept with its error. */
    async bury(campaignId: string, entryId: string, record: string, result: string): Promise<void> {
      await evalScript(
        redis,
        BURY_ENTRY,
        3,
        keys.inbox(campaignId),
        keys.dead(campaignId),
        keys.results(campaignId),
        entryId,
        record,
        result,
      );
    },
    /** Drops an entry whose campaign is gone (purged): nothing can apply it, and nothing of it is kept. */
    async discard(campaignId: string, entryId: string, result: string): Promise<void> {
      await evalScript(
        redis,
        DISCARD_ENTRY,
        2,
        keys.inbox(campaignId),
        keys.results(campaignId),
        entryId,
        result,
      );
    },
    /**
     * Notes when a campaign ended, for the retention sweep. Written before the transition that ends it
     * is saved: a crash in between leaves a mark the sweep checks against the campaign, never a campaign
     * without its mark.
     */
    async markEnded(campaignId: string, endedAt: string): Promise<void> {
      await redis.zadd(keys.ended(), Date.parse(endedAt), campaignId);
    },
    /** Takes an entry that is not even readable out of the way, kept as it was. */
    async buryUnreadable(campaignId: string, raw: string, error: string): Promise<void> {
      if (await popIfHead(keys.inbox(campaignId), raw))
        await redis.rpush(
          keys.dead(campaignId),
          JSON.stringify({ raw, error, at: new Date().toISOString() }),
        );
    },
    result: (campaignId: string, entryId: string) => redis.hget(keys.results(campaignId), entryId),

    effectsHead: (campaignId: string) => head(keys.effects(campaignId)),
    popEffect: (campaignId: string, raw: string) => popIfHead(keys.effects(campaignId), raw),

    /** The first `count` posts to make, oldest first. */
    postsHeads: (campaignId: string, count: number) => redis.lrange(keys.posts(campaignId), 0, count - 1),
    postsLength: (campaignId: string) => redis.llen(keys.posts(campaignId)),
    /**
     * Takes the posts made off the head of the list (with their tries), and writes the ref of the last
     * one, whose record waited for this: one round trip for a whole pass.
     */
    async finishPosts(campaignId: string, raws: readonly string[], last?: MadePost): Promise<void> {
      const dedupeKeys = raws.map((raw) => (JSON.parse(raw) as { dedupeKey: string }).dedupeKey);
      await evalScript(
        redis,
        FINISH_POSTS,
        3,
        keys.posts(campaignId),
        keys.postTries(campaignId),
        keys.postRecords(campaignId),
        POST_TTL_SECONDS,
        last ? recordField('post', campaignId, last.dedupeKey) : '',
        last?.ref ?? '',
        raws.length,
        ...raws,
        ...dedupeKeys,
      );
    },
    /** Counts a failed try of the post at the head; returns how many there have been. */
    countTry: (campaignId: string, dedupeKey: string) =>
      redis.hincrby(keys.postTries(campaignId), dedupeKey, 1),
    async giveUpPost(campaignId: string, raw: string, failure: FailedPost): Promise<void> {
      await evalScript(
        redis,
        GIVE_UP_POST,
        3,
        keys.posts(campaignId),
        keys.postsFailed(campaignId),
        keys.postTries(campaignId),
        raw,
        JSON.stringify(failure),
        failure.dedupeKey,
      );
    },

    /**
     * Remembers when a post is first tried, and writes the ref of the post made just before it (each
     * post's record rides with the next one's intent): returns when the post was first tried, when an
     * earlier try exists.
     */
    async markIntent(campaignId: string, dedupeKey: string, at: string, before?: MadePost) {
      const field = recordField('intent', campaignId, dedupeKey);
      const made = before ? [recordField('post', campaignId, before.dedupeKey), before.ref] : [];
      return (await evalScript(
        redis,
        MARK_INTENT,
        2,
        keys.postRecords(campaignId),
        keys.intent(campaignId, dedupeKey),
        field,
        at,
        POST_TTL_SECONDS,
        ...made,
      )) as string | null;
    },
    async recordPost(campaignId: string, dedupeKey: string, ref: string): Promise<void> {
      const records = keys.postRecords(campaignId);
      await redis
        .multi()
        .hset(records, recordField('post', campaignId, dedupeKey), ref)
        .expire(records, POST_TTL_SECONDS)
        .exec();
    },
    /** The platform ref of a post already made (one an older version recorded under a key of its own too). */
    async findPost(campaignId: string, dedupeKey: string): Promise<string | null> {
      const [[, kept], [, older]] = (await redis
        .pipeline()
        .hget(keys.postRecords(campaignId), recordField('post', campaignId, dedupeKey))
        .get(keys.post(campaignId, dedupeKey))
        .exec()) as [[unknown, string | null], [unknown, string | null]];
      return kept ?? older;
    },
    /** The refs of posts already made, by dedupe key (null for each not made), in one round trip. */
    async findPosts(campaignId: string, dedupeKeys: readonly string[]): Promise<(string | null)[]> {
      if (dedupeKeys.length === 0) return [];
      const fields = dedupeKeys.map((k) => recordField('post', campaignId, k));
      const [[, kept], [, older]] = (await redis
        .pipeline()
        .hmget(keys.postRecords(campaignId), ...fields)
        .mget(...dedupeKeys.map((k) => keys.post(campaignId, k)))
        .exec()) as [[unknown, (string | null)[]], [unknown, (string | null)[]]];
      return kept.map((ref, i) => ref ?? older[i] ?? null);
    },

    pendingIds: () => redis.smembers(keys.pending()),
    /** Forgets the mark of a campaign with nothing left to do, unless work arrived meanwhile. */
    async settle(campaignId: string): Promise<boolean> {
      await redis.srem(keys.pending(), campaignId);
      const [inbox, effects, posts] = await Promise.all([
        redis.llen(keys.inbox(campaignId)),
        redis.llen(keys.effects(campaignId)),
        redis.llen(keys.posts(campaignId)),
      ]);
      if (inbox + effects + posts === 0) return true;
      await redis.sadd(keys.pending(), campaignId);
      return false;
    },
  };
}

export type CampaignLists = ReturnType<typeof createCampaignLists>;
