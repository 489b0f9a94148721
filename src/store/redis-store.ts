import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { hashTemplate } from '../canvas/template-loader.js';
import type { CanvasTemplate } from '../canvas/template-schema.js';
import type { Answer, Campaign } from '../facilitation/types.js';
import { keys } from './keys.js';
import { CLEAR_IF_EQUAL, RELEASE_LOCK, RENEW_LOCK, SAVE_CAMPAIGN } from './lua-scripts.js';
import { type CampaignStore, LockTimeoutError, type ThreadLink, VersionConflictError } from './types.js';

export interface RedisStoreOptions {
  lockTtlMs?: number;
  lockWaitMs?: number;
}

const POST_TTL_SECONDS = 30 * 24 * 3600;

/** Answer id -> digest of its JSON, as stored at one version of a campaign. */
type AnswerSnapshot = Map<string, string>;

/**
 * Digests of the answers as last read or written by this process, keyed by campaign id and version:
 * a version names one stored state, so `save` can write only the answers that differ from it. A miss
 * (another process wrote that version, or it was evicted) just writes every answer.
 */
const SNAPSHOT_CAPACITY = 256;

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
      const ok = await redis.hsetnx(keys.campaign(created.id), 'version', '1');
      if (!ok) throw new Error(`campaign ${created.id} already exists`);
      const multi = redis
        .multi()
        .hset(keys.campaign(created.id), 'doc', docOf(created))
        .sadd(keys.campaigns(), created.id)
        .set(keys.active(created.channel), created.id)
        .set(keys.latest(created.channel), created.id);
      if (answers.size > 0) multi.hset(keys.answers(created.id), Object.fromEntries(answers));
      await multi.exec();
      return remember(created, answers);
    },

    async get(campaignId) {
      const [[, stored], [, rawAnswers]] = (await redis
        .multi()
        .hgetall(keys.campaign(campaignId))
        .hgetall(keys.answers(campaignId))
        .exec()) as [[unknown, Record<string, string>], [unknown, Record<string, string>]];
      if (!stored?.doc || !stored.version) return null;
      const answers: Record<string, Answer> = {};
      const snapshot = new Map<string, string>();
      for (const [id, json] of Object.entries(rawAnswers ?? {})) {
        answers[id] = JSON.parse(json) as Answer;
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
      const args: (string | number)[] = [campaign.version, docOf(campaign), now.size];
      for (const [id, json] of now) {
        if (before?.get(id) === digest(json)) continue;
        args.push(id, json, (campaign.answers[id] as Answer).history.length);
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
        const message = (err instanceof Error ? err.message : String(err)).replace(/^ERR /, '');
        if (message.startsWith('VERSION')) throw new VersionConflictError(campaign.id, campaign.version);
        if (message.startsWith('NOCAMPAIGN')) throw new Error(`campaign ${campaign.id} does not exist`);
        if (message.startsWith('LOSTANSWER') || message.startsWith('HISTORY')) {
          throw new Error(`refusing to save campaign ${campaign.id}: an answer or its history would be lost`);
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
        await redis.eval(RELEASE_LOCK, 1, key, token);
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
