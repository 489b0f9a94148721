import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { hashTemplate } from '../canvas/template-loader.js';
import type { CanvasTemplate } from '../canvas/template-schema.js';
import type { Answer, Campaign } from '../facilitation/types.js';
import { keys } from './keys.js';
import { CLEAR_IF_EQUAL, CREATE_CAMPAIGN, RELEASE_LOCK, RENEW_LOCK, SAVE_CAMPAIGN } from './lua-scripts.js';
import { type CampaignStore, LockTimeoutError, type ThreadLink, VersionConflictError } from './types.js';

export interface RedisStoreOptions {
  lockTtlMs?: number;
  lockWaitMs?: number;
}

const POST_TTL_SECONDS = 30 * 24 * 3600;

/** Answer id -> digest of its JSON, as stored at one version of a campaign. */
type AnswerSnapshot = Map<string, string>;

/**
 * Digests of the answers as last read or written by this store, keyed by campaign id and version: a
 * version names one stored state, so `save` can write only the answers that differ from it (a
 * campaign may hold 500 answers of 5,000 characters; an event changes one). It is a cache, not state:
 * a miss (another process wrote that version, or it was evicted) only means every answer is written.
 * Keying by version rather than by object also covers the new object a pure transition returns.
 * The guards that protect answers (none dropped, history append-only) run in the Lua script against
 * what Redis holds, so they hold across processes whatever this cache says.
 */
const SNAPSHOT_CAPACITY = 256;

/** The text of a Redis error reply, without the `ERR ` some servers put before a script's error. */
const replyOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).replace(/^ERR /, '');

const digest = (json: string) => createHash('sha1').update(json).digest('base64');

export function createRedisStore(redis: Redis, options: RedisStoreOptions = {}): CampaignStore {
  const lockTtlMs = options.lockTtlMs ?? 30_000;
  const lockWaitMs = options.lockWaitMs ?? 10_000;
  const snapshots = new Map<string, AnswerSnapshot>();
  const snapshotKey = (c: Campaign) => `${c.id}@${c.version}`;

  const remember = (campaign: Campaign, serialized: Map<string, string>) => {
    const key = snapshotKey(campaign);
    snapshots.delete(key);
    snapshots.set(key, new Map([...serialized].map(([id, json]) => [id, digest(json)])));
    if (snapshots.size > SNAPSHOT_CAPACITY) snapshots.delete(snapshots.keys().next().value as string);
    return campaign;
  };

  const serializeAnswers = (campaign: Campaign): Map<string, string> =>
    new Map(Object.values(campaign.answers).map((a) => [a.id, JSON.stringify(a)]));

  const docOf = (campaign: Campaign) => {
    const { answers: _answers, version: _version, ...doc } = campaign;
    return JSON.stringify(doc);
  };

  return {
    async create(campaign) {
      const created: Campaign = { ...campaign, version: 1 };
      const answers = serializeAnswers(created);
      try {
        await redis.eval(
          CREATE_CAMPAIGN,
          5,
          keys.campaign(created.id),
          keys.answers(created.id),
          keys.campaigns(),
          keys.active(created.channel),
          keys.latest(created.channel),
          created.id,
          docOf(created),
          ...[...answers].flat(),
        );
      } catch (err) {
        if (replyOf(err).startsWith('EXISTS')) throw new Error(`campaign ${created.id} already exists`);
        throw err;
      }
      return remember(created, answers);
    },

    async get(campaignId) {
      const [[, stored], [, rawAnswers]] = (await redis
        .multi()
        .hgetall(keys.campaign(campaignId))
        .hgetall(keys.answers(campaignId))
        .exec()) as [[unknown, Record<string, string>], [unknown, Record<string, string>]];
      if (!stored?.doc || !stored.version) return null;
      // Redis hash order is not stable: creation order keeps reads and exports the same after a reload.
      const parsed = Object.entries(rawAnswers ?? {})
        .map(([id, json]) => ({ id, json, answer: JSON.parse(json) as Answer }))
        .sort((a, b) => a.answer.createdAt.localeCompare(b.answer.createdAt) || a.id.localeCompare(b.id));
      const answers: Record<string, Answer> = {};
      const snapshot = new Map<string, string>();
      for (const { id, json, answer } of parsed) {
        answers[id] = answer;
        snapshot.set(id, json);
      }
      const campaign = {
        ...(JSON.parse(stored.doc) as Omit<Campaign, 'answers' | 'version'>),
        answers,
        version: Number(stored.version),
      };
      return remember(campaign, snapshot);
    },

    async save(campaign) {
      const before = snapshots.get(snapshotKey(campaign));
      const now = serializeAnswers(campaign);
      if (before) {
        for (const id of before.keys()) {
          if (!now.has(id))
            throw new Error(`refusing to save campaign ${campaign.id}: answer ${id} would be lost`);
        }
      }
      const args: (string | number)[] = [campaign.version, docOf(campaign), now.size, ...now.keys()];
      for (const [id, json] of now) {
        if (before?.get(id) !== digest(json)) args.push(id, json);
      }
      try {
        const version = (await redis.eval(
          SAVE_CAMPAIGN,
          2,
          keys.campaign(campaign.id),
          keys.answers(campaign.id),
          ...args,
        )) as number;
        return remember({ ...campaign, version }, now);
      } catch (err) {
        const message = replyOf(err);
        if (message.startsWith('VERSION')) throw new VersionConflictError(campaign.id, campaign.version);
        if (message.startsWith('NOCAMPAIGN')) throw new Error(`campaign ${campaign.id} does not exist`);
        if (message.startsWith('LOSTANSWER')) {
          const id = message.slice('LOSTANSWER '.length);
          throw new Error(`refusing to save campaign ${campaign.id}: answer ${id} would be lost`);
        }
        if (message.startsWith('HISTORY')) {
          const id = message.slice('HISTORY '.length);
          throw new Error(
            `refusing to save campaign ${campaign.id}: the edit history of answer ${id} would be lost`,
          );
        }
        throw err;
      }
    },

    activeId: (channel) => redis.get(keys.active(channel)),
    latestId: (channel) => redis.get(keys.latest(channel)),

    async clearActive(channel, campaignId) {
      await redis.eval(CLEAR_IF_EQUAL, 1, keys.active(channel), campaignId);
    },

    async linkThread(channel, threadRef, link) {
      await redis.set(keys.thread(channel, threadRef), JSON.stringify(link));
    },

    async findThread(channel, threadRef) {
      const raw = await redis.get(keys.thread(channel, threadRef));
      return raw ? (JSON.parse(raw) as ThreadLink) : null;
    },

    async withLock(name, fn) {
      const key = keys.lock(name);
      const token = randomBytes(12).toString('hex');
      const deadline = Date.now() + lockWaitMs;
      let delay = 5;
      while ((await redis.set(key, token, 'PX', lockTtlMs, 'NX')) !== 'OK') {
        if (Date.now() > deadline) throw new LockTimeoutError(name);
        await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
        delay = Math.min(delay * 2, 100);
      }
      // Long work keeps the lock: renewed well before it would expire.
      const renew = setInterval(() => {
        redis.eval(RENEW_LOCK, 1, key, token, lockTtlMs).catch(() => undefined);
      }, lockTtlMs / 3);
      try {
        return await fn();
      } finally {
        clearInterval(renew);
        // A failed release must not hide fn's own outcome: the lock then expires after its TTL.
        await redis.eval(RELEASE_LOCK, 1, key, token).catch(() => undefined);
      }
    },

    async putTemplate(template: CanvasTemplate) {
      const id = hashTemplate(template);
      await redis.set(keys.template(id), JSON.stringify(template));
      return id;
    },

    async getTemplate(templateId) {
      const raw = await redis.get(keys.template(templateId));
      return raw ? (JSON.parse(raw) as CanvasTemplate) : null;
    },

    listIds: () => redis.smembers(keys.campaigns()),

    async recordPost(dedupeKey, ref) {
      return (await redis.set(keys.post(dedupeKey), ref, 'EX', POST_TTL_SECONDS, 'NX')) === 'OK';
    },

    findPost: (dedupeKey) => redis.get(keys.post(dedupeKey)),
  };
}
