import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tallyAnswers } from '../../src/canvas/canvas-figures.js';
import { compileCanvas } from '../../src/canvas/compile.js';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import type { Engine } from '../../src/engine.js';
import type { CampaignEvent, ChannelRef } from '../../src/facilitation/types.js';
import { nextPostAt } from '../../src/jobs/campaign-schedule.js';
import type { Queues } from '../../src/jobs/queues.js';
import { composeStatus } from '../../src/render/compose.js';
import { markdownFormat } from '../../src/render/markdown-format.js';
import { createRenderer } from '../../src/render/renderer.js';
import { packDoc, unpackDoc } from '../../src/store/doc-codec.js';
import { keys } from '../../src/store/keys.js';
import type { CampaignStore } from '../../src/store/types.js';
import { createTestEngine } from '../helpers/engine.js';
import { freshRedis } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

/**
 * `/canevas status` reads the answer counts kept with the campaign (database 34): its text is the one
 * compiling every answer gives, as answers come, change, go and get reactions, and for a campaign stored
 * before counts were kept.
 */
const DB = 34;
const channel: ChannelRef = { platform: 'playground', workspace: 'local', channel: 'counts' };
const ada = { id: 'ada', name: 'Ada', isAdmin: true };
const NOW = new Date('2026-12-08T08:00:00Z');
/** The engine's clock: moved on by one test, to see the plan's dates follow it. */
let clock = NOW;
const PUBLIC_URL = 'http://localhost:3000';
const renderer = createRenderer();
let redis: Awaited<ReturnType<typeof freshRedis>>;
let queues: Queues;
let store: CampaignStore;
let engine: Engine;
let template: CanvasTemplate;
let campaignId: string;
let openBlocks: string[];

beforeAll(async () => {
  redis = await freshRedis(DB);
  template = await loadDefaultTemplate();
  ({ engine, store, queues } = createTestEngine(redis, { renderer, clock: () => clock }));
  expect((await engine.command({ channel, actor: ada, text: 'start lang:en' })).ok).toBe(true);
  campaignId = (await store.activeId(channel)) ?? '';
  const started = await store.get(campaignId);
  openBlocks = started?.questions.filter((q) => q.status === 'open').map((q) => q.blockId) ?? [];
  expect(openBlocks.length).toBeGreaterThan(1);
});

afterAll(async () => {
  await queues.close();
  redis.disconnect();
});

/** The status text as it was made before counts were kept: every answer loaded and compiled. */
async function compiledStatus(failures = { count: 0, lastError: '' }): Promise<string> {
  const campaign = await store.get(campaignId);
  if (!campaign) throw new Error('no campaign');
  return composeStatus(
    {
      campaign,
      template,
      canvas: compileCanvas(campaign, template, clock),
      format: markdownFormat,
      renderer,
      publicUrl: PUBLIC_URL,
      now: clock,
    },
    nextPostAt(campaign, clock),
    failures,
  );
}

async function status(): Promise<string> {
  const reply = await engine.command({ channel, actor: { ...ada, isAdmin: false }, text: 'status' });
  expect(reply.ok).toBe(true);
  return reply.text;
}

/** The counts Redis keeps, as numbers, next to those of the answers themselves. */
async function storedCounts() {
  const [blocks, people] = await Promise.all([
    redis.hgetall(keys.counts(campaignId)),
    redis.hgetall(keys.people(campaignId)),
  ]);
  const numbers = (h: Record<string, string>) =>
    Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));
  const campaign = await store.get(campaignId);
  return {
    stored: { blocks: numbers(blocks), people: numbers(people) },
    fromAnswers: tallyAnswers(Object.values(campaign?.answers ?? {})),
  };
}

/** The event applied: a submit finds the campaign busy at times (a worker's step), and queues it. */
async function apply(event: CampaignEvent): Promise<void> {
  await engine.submit(campaignId, event);
  await waitFor('the event applied', async () => {
    await engine.settle(campaignId);
    return (await redis.llen(keys.inbox(campaignId))) === 0 ? true : undefined;
  });
}
const add = (id: string, blockId: string, author: string, text = `Answer ${id}`) =>
  apply({
    type: 'answer-added',
    answer: { id, blockId, author: { id: author, name: author.toUpperCase() }, text, source: 'thread' },
  });

describe('status from the counts kept with the campaign', () => {
  it('says what compiling every answer says, as answers come, change and go', async () => {
    const [first = '', second = ''] = openBlocks;
    expect(await status()).toBe(await compiledStatus());
    await add('m1', first, 'ben');
    await add('m2', first, 'chloe');
    await add('m3', second, 'ben');
    // The same message delivered twice counts once.
    await add('m3', second, 'ben');
    const withAnswers = await status();
    expect(withAnswers).toBe(await compiledStatus());
    expect(withAnswers).toMatch(/2 of 29 questions answered|2\/\d+/);
    await apply({ type: 'answer-edited', answerId: 'm1', text: 'Answer m1, edited' });
    await apply({
      type: 'reaction',
      answerId: 'm1',
      person: { id: 'chloe', name: 'C' },
      emoji: '👍',
      added: true,
    });
    expect(await status()).toBe(await compiledStatus());
    await apply({ type: 'answer-removed', answerId: 'm3' });
    const afterRemoval = await status();
    expect(afterRemoval).toBe(await compiledStatus());
    expect(afterRemoval).not.toBe(withAnswers);
    const { stored, fromAnswers } = await storedCounts();
    expect(stored).toEqual(fromAnswers);
    expect(stored).toEqual({ blocks: { [first]: 2 }, people: { ben: 1, chloe: 1 } });
  });

  it('counts a campaign stored before counts were kept, once, and keeps them from then on', async () => {
    await redis.hdel(keys.campaign(campaignId), 'counted');
    await redis.del(keys.counts(campaignId), keys.people(campaignId));
    expect((await store.loadCounted(campaignId))?.counts).toBeUndefined();
    expect(await status()).toBe(await compiledStatus());
    expect(await redis.hget(keys.campaign(campaignId), 'counted')).toBe('1');
    await add('m4', openBlocks[1] ?? '', 'dan');
    expect(await status()).toBe(await compiledStatus());
    const { stored, fromAnswers } = await storedCounts();
    expect(stored).toEqual(fromAnswers);
  });

  it('keeps no counts for a version that has moved on since they were worked out', async () => {
    const old = await store.get(campaignId);
    if (!old) throw new Error('no campaign');
    await add('m5', openBlocks[0] ?? '', 'eve');
    await redis.hdel(keys.campaign(campaignId), 'counted');
    await store.keepCounts(old);
    expect(await redis.hget(keys.campaign(campaignId), 'counted')).toBeNull();
    expect(await status()).toBe(await compiledStatus());
    const { stored, fromAnswers } = await storedCounts();
    expect(stored).toEqual(fromAnswers);
  });

  it('drops the counts when an answer cannot be read in Redis (a lone surrogate), and counts again', async () => {
    // Saved as a transition saves it (the inbox's own Lua cannot read such an entry either).
    const loaded = await store.load(campaignId, []);
    if (!loaded) throw new Error('no campaign');
    const at = NOW.toISOString();
    const broken = {
      id: 'm6',
      blockId: openBlocks[0] ?? '',
      author: { id: 'fay', name: 'Fay' },
      text: 'half an emoji \ud83d here',
      source: 'thread' as const,
      createdAt: at,
      updatedAt: at,
      history: [],
    };
    await store.commit(loaded, { ...loaded.campaign, answers: { m6: broken } }, { posts: [] });
    expect(await redis.hget(keys.campaign(campaignId), 'counted')).toBeNull();
    expect(await redis.exists(keys.counts(campaignId), keys.people(campaignId))).toBe(0);
    expect(await status()).toBe(await compiledStatus());
    const { stored, fromAnswers } = await storedCounts();
    expect(stored).toEqual(fromAnswers);
    expect(stored.people.fay).toBe(1);
  });

  it('says so at once when a post is given up on, the campaign unchanged', async () => {
    const before = await status();
    expect(await status()).toBe(before);
    const failed = { dedupeKey: 'd1', kind: 'question', error: 'channel_not_found', at: NOW.toISOString() };
    await redis.rpush(keys.postsFailed(campaignId), JSON.stringify(failed));
    const after = await status();
    expect(after).not.toBe(before);
    expect(after).toBe(await compiledStatus({ count: 1, lastError: 'channel_not_found' }));
  });

  it('follows the clock: once a run has passed, the plan and the next post move on', async () => {
    const before = await status();
    clock = new Date(NOW.getTime() + 3 * 86_400_000);
    try {
      const later = await status();
      expect(later).not.toBe(before);
      expect(later).toBe(await compiledStatus({ count: 1, lastError: 'channel_not_found' }));
    } finally {
      clock = NOW;
    }
  });

  it('never answers from a document kept in memory that Redis no longer holds', async () => {
    const stored = (await redis.hget(keys.campaign(campaignId), 'doc')) ?? '';
    expect((await store.loadCounted(campaignId))?.campaign.status).toBe('running');
    // Rewritten by hand under the same version (no save does that): its stored length tells.
    const paused = packDoc(unpackDoc(stored).replace('"status":"running"', '"status":"paused"'));
    expect(paused.length).not.toBe(stored.length);
    await redis.hset(keys.campaign(campaignId), 'doc', paused);
    try {
      expect((await store.loadCounted(campaignId))?.campaign.status).toBe('paused');
    } finally {
      await redis.hset(keys.campaign(campaignId), 'doc', stored);
    }
    expect((await store.loadCounted(campaignId))?.campaign.status).toBe('running');
    await redis.hincrby(keys.campaign(campaignId), 'version', 1);
    expect((await store.loadCounted(campaignId))?.campaign.status).toBe('running');
  });
});
