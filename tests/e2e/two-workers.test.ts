import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChannel } from '../../adapters/playground/channel-store.js';
import { type Runtime, startRuntime } from '../../adapters/runtime.js';
import { readConfig } from '../../src/config.js';
import type { ChannelRef } from '../../src/facilitation/types.js';
import { createLogger } from '../../src/logger.js';
import { freshRedis, redisUrlFor } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

/** Two worker processes' worth of workers on one Redis must never post a question twice. */
const DB = 10;
const channel: ChannelRef = { platform: 'playground', workspace: 'local', channel: 'general' };
let redis: Awaited<ReturnType<typeof freshRedis>>;
const runtimes: Runtime[] = [];

beforeAll(async () => {
  redis = await freshRedis(DB);
  const config = readConfig({ REDIS_URL: redisUrlFor(DB), PORT: '0', LOG_LEVEL: 'silent' });
  const logger = createLogger('silent');
  runtimes.push(await startRuntime(config, { serve: false, work: true, logger }));
  runtimes.push(await startRuntime(config, { serve: false, work: true, logger }));
});

afterAll(async () => {
  for (const r of runtimes) await r.close();
  redis.disconnect();
});

describe('two workers against one Redis', () => {
  it('post every question exactly once while a fast cadence runs the whole campaign', async () => {
    const [first, second] = runtimes;
    if (!first || !second) throw new Error('runtimes missing');
    const reply = await first.engine.command({
      channel,
      actor: { id: 'ada', name: 'Ada', isAdmin: true },
      text: 'start lang:en',
    });
    expect(reply.ok).toBe(true);
    const id = await first.store.activeId(channel);
    if (!id) throw new Error('no campaign');
    const total = (await first.store.get(id))?.questions.length ?? 0;
    // Stand in for the cadence with a tick due again every 50 ms, so the campaign runs in seconds; both
    // processes' sweepers race for each run.
    let ticking = true;
    const ticker = (async () => {
      while (ticking) {
        await first.schedule.set('tick', id, new Date());
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      await waitFor(
        'the campaign to complete',
        async () => (await first.store.get(id))?.status === 'completed',
        60_000,
      );
    } finally {
      ticking = false;
      await ticker;
    }
    const posts = await waitFor('every question post', async () => {
      const all = await readChannel(redis, channel);
      return all.filter((p) => p.kind === 'question').length >= total ? all : undefined;
    });
    const questions = posts.filter((p) => p.kind === 'question');
    expect(questions).toHaveLength(total);
    expect(new Set(questions.map((p) => p.question?.blockId)).size).toBe(total);
    // In the order their transitions were applied, whichever worker posted them.
    const order = (await first.store.get(id))?.questions.map((q) => q.blockId);
    expect(questions.map((p) => p.question?.blockId)).toEqual(order);
    // One round post per round, the first opening with the introduction.
    const rounds = posts.filter((p) => p.kind === 'round');
    expect(rounds).toHaveLength((await first.store.get(id))?.rounds?.length ?? -1);
    expect(rounds[0]?.text).toContain('I’m Canevas');
    // Each post's ref is recorded right after it is sent: wait for the last one.
    const campaign = await waitFor('every question post recorded', async () => {
      const c = await second.store.get(id);
      return c?.questions.every((q) => q.postRef) ? c : undefined;
    });
    expect(new Set(campaign.questions.map((q) => q.postRef)).size).toBe(total);
  });
});
