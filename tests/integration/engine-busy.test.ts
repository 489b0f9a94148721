import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import { Engine } from '../../src/engine.js';
import type { ChannelRef } from '../../src/facilitation/types.js';
import { createQueues, type Queues } from '../../src/jobs/queues.js';
import { createLogger } from '../../src/logger.js';
import { markdownFormat } from '../../src/render/markdown-format.js';
import { createRenderer } from '../../src/render/renderer.js';
import { createRedisStore } from '../../src/store/redis-store.js';
import type { CampaignStore } from '../../src/store/types.js';
import { freshRedis } from '../helpers/redis.js';

/** A busy campaign (its lock held elsewhere) on a real Redis (database 6). */
const channel: ChannelRef = { platform: 'playground', workspace: 'local', channel: 'busy' };
const ada = { id: 'ada', name: 'Ada', isAdmin: true };
let redis: Awaited<ReturnType<typeof freshRedis>>;
let queues: Queues;
let store: CampaignStore;
let engine: Engine;

beforeAll(async () => {
  redis = await freshRedis(6);
  const logger = createLogger('silent');
  queues = createQueues(redis, logger);
  // Short waits for the lock, so a held lock is felt at once.
  store = createRedisStore(redis, { lockWaitMs: 100 });
  engine = new Engine({
    store,
    queues,
    renderer: createRenderer(),
    config: { lang: 'en', tz: 'Europe/Paris', publicUrl: 'http://localhost:3000', template: undefined },
    logger,
    formatOf: () => markdownFormat,
    loadTemplate: () => loadDefaultTemplate(),
  });
});

afterAll(async () => {
  await queues.close();
  redis.disconnect();
});

/** Holds the campaign's lock until the returned function is called. */
async function holdLock(campaignId: string): Promise<() => Promise<void>> {
  let release: () => void = () => undefined;
  let taken: () => void = () => undefined;
  const isTaken = new Promise<void>((r) => (taken = r));
  const held = store.withLock(campaignId, async () => {
    taken();
    await new Promise<void>((r) => (release = r));
  });
  await isTaken;
  return async () => {
    release();
    await held;
  };
}

describe('a busy campaign', () => {
  it('keeps an answer that had to wait for the lock, and tells a command to try again', async () => {
    expect((await engine.command({ channel, actor: ada, text: 'start' })).ok).toBe(true);
    const id = (await store.activeId(channel)) ?? '';
    await store.linkThread(channel, 'q1', { campaignId: id, blockId: 'def.resource' });

    const release = await holdLock(id);
    const busy = await engine.command({ channel, actor: ada, text: 'pause' });
    expect(busy.ok).toBe(false);
    expect(busy.text).toMatch(/busy|moment|again/i);

    const answering = engine.answer({
      channel,
      threadRef: 'q1',
      messageRef: 'm1',
      author: { id: 'ben', name: 'Ben' },
      text: 'Waited for the lock.',
      source: 'thread',
    });
    // The first wait for the lock runs out while it is held; the answer tries again once it is free.
    await new Promise((r) => setTimeout(r, 150));
    await release();
    expect((await answering)?.ok).toBe(true);
    expect((await store.get(id))?.answers.m1?.text).toBe('Waited for the lock.');
    expect((await store.get(id))?.status).toBe('running');
  });
});
