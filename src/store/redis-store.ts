import { type AnswerCounts, tallyAnswers } from '../canvas/canvas-figures.js';
import { hashTemplate } from '../canvas/template-loader.js';
import type { CanvasTemplate } from '../canvas/template-schema.js';
import type { Answer, Campaign } from '../facilitation/types.js';
import { isCluster, type RedisClient } from '../redis-connections.js';
import { DocCache } from './doc-cache.js';
import { packDoc, unpackDoc } from './doc-codec.js';
import { evalScript } from './eval-script.js';
import { TAKE_INBOX } from './inbox-scripts.js';
import { writeInbox } from './inbox-write.js';
import { keys } from './keys.js';
import { waitLock } from './locks.js';
import {
  APPLY_TRANSITION,
  CLEAR_IF_EQUAL,
  CREATE_CAMPAIGN,
  FILL_COUNTS,
  READ_COUNTED,
} from './lua-scripts.js';
import { byCreation, turnOf } from './read-turn.js';
import {
  type CampaignStore,
  EntryGoneError,
  type FailedPost,
  type InboxTurn,
  type LoadedCampaign,
  type ThreadLink,
  type TransitionWrite,
  VersionConflictError,
} from './types.js';

export interface RedisStoreOptions {
  lockTtlMs?: number;
  lockWaitMs?: number;
}

/** The text of a Redis error reply, without the `ERR ` some servers put before a script's error. */
const replyOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).replace(/^ERR /, '');

const docOf = (campaign: Campaign) => {
  const { answers: _answers, version: _version, ...doc } = campaign;
  return JSON.stringify(doc);
};

/**
 * Whether `after` holds the very document `before` was read as, without writing it out: the same
 * fields, each the same value, and every object among them frozen (a kept document: DocCache), so
 * nothing in it can have been changed in place. Otherwise the document is compared as JSON.
 */
function sameDoc(before: Campaign, after: Campaign): boolean {
  const fields = Object.keys(after);
  if (fields.length !== Object.keys(before).length) return false;
  for (const field of fields) {
    if (field === 'answers' || field === 'version') continue;
    const value = after[field as keyof Campaign];
    if (value !== before[field as keyof Campaign] || !(field in before)) return false;
    if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) return false;
  }
  return true;
}

const campaignOf = (doc: string, version: string, answers: Record<string, Answer>): Campaign => ({
  ...(JSON.parse(doc) as Omit<Campaign, 'answers' | 'version'>),
  answers,
  version: Number(version),
});

export function createRedisStore(redis: RedisClient, options: RedisStoreOptions = {}): CampaignStore {
  const lockTtlMs = options.lockTtlMs ?? 30_000;
  const lockWaitMs = options.lockWaitMs ?? 10_000;

  const load = async (campaignId: string, answerIds: readonly string[] | 'all') => {
    const batch = redis.multi().hgetall(keys.campaign(campaignId));
    if (answerIds === 'all') batch.hgetall(keys.answers(campaignId));
    else if (answerIds.length > 0) batch.hmget(keys.answers(campaignId), ...answerIds);
    const [[, stored], read] = (await batch.exec()) as [
      [unknown, Record<string, string>],
      [unknown, unknown]?,
    ];
    if (!stored?.doc || !stored.version) return null;
    let entries: [string, string][] = [];
    if (answerIds === 'all') entries = Object.entries((read?.[1] ?? {}) as Record<string, string>);
    else if (answerIds.length > 0) {
      const values = (read?.[1] ?? []) as (string | null)[];
      entries = answerIds.flatMap((id, i) =>
        values[i] ? [[id, values[i] as string] as [string, string]] : [],
      );
    }
    const { answers, raw } = byCreation(entries);
    const doc = unpackDoc(stored.doc);
    const campaign = campaignOf(doc, stored.version, answers);
    return { campaign, doc, answers: raw, storedLength: stored.doc.length } satisfies LoadedCampaign;
  };

  // The documents of the campaigns this process applies events to (see DocCache: never trusted stale).
  const docs = new DocCache();

  /** Saves a transition (see APPLY_TRANSITION); with the lock's token, also reads what comes next. */
  const save = async (loaded: LoadedCampaign, next: Campaign, write: TransitionWrite, token = '') => {
    const id = loaded.campaign.id;
    const doc = sameDoc(loaded.campaign, next) ? loaded.doc : docOf(next);
    const changed: string[] = [];
    const purge = (write.purge ?? []).filter((answerId) => !(answerId in next.answers));
    for (const answer of Object.values(next.answers)) {
      const json = JSON.stringify(answer);
      if (loaded.answers.get(answer.id) !== json) changed.push(answer.id, json);
    }
    const packed = doc === loaded.doc ? '' : packDoc(doc);
    const storedLength = packed ? packed.length : (loaded.storedLength ?? -1);
    try {
      const reply = await evalScript(
        redis,
        APPLY_TRANSITION,
        9,
        keys.campaign(id),
        keys.answers(id),
        keys.inbox(id),
        keys.results(id),
        keys.effects(id),
        keys.posts(id),
        keys.counts(id),
        keys.people(id),
        keys.campaignLock(id),
        loaded.campaign.version,
        packed,
        write.entry?.id ?? '',
        write.entry?.result ?? '',
        write.effects ?? '',
        changed.length / 2,
        purge.length,
        token,
        storedLength,
        ...changed,
        ...purge,
        ...write.posts,
      );
      if (!token) return { campaign: { ...next, version: reply as number } };
      const [version, after, released] = reply as [number, unknown[], number?];
      // What this process keeps of the document is the version just saved, when its stored length is known.
      const kept = storedLength >= 0 ? docs.keep(id, String(version), storedLength, doc) : undefined;
      if (!kept) docs.forget(id);
      const turn: InboxTurn = { ...turnOf(id, after, kept, docs), ...(released ? { released: true } : {}) };
      return { campaign: { ...next, version }, turn };
    } catch (err) {
      const message = replyOf(err);
      if (message.startsWith('VERSION')) throw new VersionConflictError(id, loaded.campaign.version);
      if (message.startsWith('NOTHEAD')) throw new EntryGoneError(id);
      if (message.startsWith('NOCAMPAIGN')) throw new Error(`campaign ${id} does not exist`);
      if (message.startsWith('HISTORY')) {
        const answerId = message.slice('HISTORY '.length);
        throw new Error(
          `refusing to save campaign ${id}: the edit history of answer ${answerId} would be lost`,
        );
      }
      throw err;
    }
  };

  return {
    async create(campaign) {
      const created: Campaign = { ...campaign, version: 1 };
      const answers = Object.values(created.answers).flatMap((a) => [a.id, JSON.stringify(a)]);
      try {
        await evalScript(
          redis,
          CREATE_CAMPAIGN,
          4,
          keys.campaign(created.id),
          keys.answers(created.id),
          keys.counts(created.id),
          keys.people(created.id),
          packDoc(docOf(created)),
          ...answers,
        );
      } catch (err) {
        if (replyOf(err).startsWith('EXISTS')) throw new Error(`campaign ${created.id} already exists`);
        throw err;
      }
      // Pointers only once what they point to exists: a crash in between leaves a campaign nobody
      // started and nothing names, never a name without its campaign.
      await redis.sadd(keys.campaigns(), created.id);
      await redis.sadd(keys.channelCampaigns(created.channel), created.id);
      await redis.set(keys.latest(created.channel), created.id);
      await redis.set(keys.active(created.channel), created.id);
      return created;
    },

    async get(campaignId) {
      return (await load(campaignId, 'all'))?.campaign ?? null;
    },

    load,

    async commit(loaded, next, write) {
      return (await save(loaded, next, write)).campaign;
    },

    async commitTurn(loaded, next, write, token) {
      const { campaign, turn } = await save(loaded, next, write, token);
      return { campaign, turn: turn ?? { effects: 0, head: null } };
    },

    async takeInbox(campaignId, lock, entries) {
      const sent = docs.peek(campaignId);
      const take = async (pending: string[], written: readonly string[]) => {
        const reply = await evalScript(
          redis,
          TAKE_INBOX,
          5 + pending.length,
          keys.inbox(campaignId),
          keys.campaignLock(campaignId),
          keys.effects(campaignId),
          keys.campaign(campaignId),
          keys.answers(campaignId),
          ...pending,
          lock.token,
          lock.ttlMs,
          sent?.version ?? '',
          sent?.storedLength ?? -1,
          campaignId,
          ...written,
        );
        return reply ? turnOf(campaignId, reply as unknown[], sent, docs) : null;
      };
      if (entries.length === 0) return take([], []);
      // On one Redis a script may name keys of any slot: the mark, the entries and the lock in one step.
      if (!isCluster(redis)) return take([keys.pending()], entries);
      // On a cluster the entries are written as writeInbox writes them, so they go in during a move too.
      await writeInbox(redis, campaignId, entries);
      return take([], []);
    },

    async loadCounted(campaignId) {
      const sent = docs.peek(campaignId);
      const read = (await evalScript(
        redis,
        READ_COUNTED,
        4,
        keys.campaign(campaignId),
        keys.counts(campaignId),
        keys.people(campaignId),
        keys.postsFailed(campaignId),
        sent?.version ?? '',
        sent?.storedLength ?? -1,
      )) as [string | null, string, 0 | 1, string[], number, number, string | null] | null;
      if (!read) return null;
      const [doc, version, counted, blocks, people, failedCount, lastFailed] = read;
      // No document back: the one kept here is confirmed at this version.
      const kept =
        doc === null && sent ? sent : docs.keep(campaignId, version, doc?.length ?? 0, unpackDoc(doc ?? ''));
      const campaign: Campaign = { ...kept.doc, answers: {}, version: Number(version) };
      const failedPosts = {
        count: failedCount,
        ...(lastFailed ? { last: JSON.parse(lastFailed) as FailedPost } : {}),
      };
      if (!counted) return { campaign, failedPosts };
      const counts: AnswerCounts = { blocks: {}, people };
      for (let i = 0; i < blocks.length; i += 2) counts.blocks[blocks[i] as string] = Number(blocks[i + 1]);
      return { campaign, counts, failedPosts };
    },

    async keepCounts(campaign) {
      const { blocks, people } = tallyAnswers(Object.values(campaign.answers));
      const blockPairs = Object.entries(blocks).flat();
      await evalScript(
        redis,
        FILL_COUNTS,
        3,
        keys.campaign(campaign.id),
        keys.counts(campaign.id),
        keys.people(campaign.id),
        campaign.version,
        blockPairs.length / 2,
        ...blockPairs,
        ...Object.entries(people).flat(),
      );
    },

    async channelIds(channel) {
      // Campaigns stored before the channel's set existed are found by its pointers too.
      const [members, active, latest] = await Promise.all([
        redis.smembers(keys.channelCampaigns(channel)),
        redis.get(keys.active(channel)),
        redis.get(keys.latest(channel)),
      ]);
      return [...new Set([...members, ...[active, latest].filter((id): id is string => id !== null)])];
    },

    activeId: (channel) => redis.get(keys.active(channel)),
    latestId: (channel) => redis.get(keys.latest(channel)),

    async clearActive(channel, campaignId) {
      await evalScript(redis, CLEAR_IF_EQUAL, 1, keys.active(channel), campaignId);
    },

    async linkThread(channel, threadRef, link) {
      await redis.set(keys.thread(channel, threadRef), JSON.stringify(link));
    },

    async findThread(channel, threadRef) {
      const raw = await redis.get(keys.thread(channel, threadRef));
      return raw ? (JSON.parse(raw) as ThreadLink) : null;
    },

    async withLock(name, fn) {
      const lock = await waitLock(redis, keys.lock(name), { ttlMs: lockTtlMs, waitMs: lockWaitMs, name });
      try {
        return await fn();
      } finally {
        await lock.release();
      }
    },

    async putTemplate(template: CanvasTemplate) {
      const id = hashTemplate(template);
      // Content-addressed: once stored it never changes, and most starts use a template stored already.
      if ((await redis.exists(keys.template(id))) === 0)
        await redis.set(keys.template(id), JSON.stringify(template));
      return id;
    },

    async getTemplate(templateId) {
      const raw = await redis.get(keys.template(templateId));
      return raw ? (JSON.parse(raw) as CanvasTemplate) : null;
    },

    listIds: () => redis.smembers(keys.campaigns()),
  };
}
