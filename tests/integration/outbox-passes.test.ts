import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelMessage, readChannel } from '../../adapters/playground/channel-store.js';
import { PLAYGROUND_CHANNEL } from '../../adapters/playground/routes.js';
import type { Runtime } from '../../adapters/runtime.js';
import { compileCanvas } from '../../src/canvas/compile.js';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import { roundsOf } from '../../src/facilitation/rounds.js';
import type { Campaign } from '../../src/facilitation/types.js';
import {
  type ComposeContext,
  composeProgress,
  composeQuestion,
  composeRound,
} from '../../src/render/compose.js';
import { markdownFormat } from '../../src/render/markdown-format.js';
import { createRenderer } from '../../src/render/renderer.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/**
 * The outbox in passes, on the real runtime and queues (database 49): the posts of a pass are recorded
 * in the campaign by one event (one save), and the posts that show only counts, made from the counts
 * kept with the campaign, read as compiling every answer gives.
 */
const DB = 49;
/** The runtimes' clock, in the past: the progress edit asked for below is due at once. */
const NOW = new Date('2026-01-13T08:00:00Z');
const ENV = { PUBLIC_URL: 'http://localhost:3000' };
const admin = { id: 'ada', name: 'Ada', isAdmin: true };
const channel = PLAYGROUND_CHANNEL;
let redis: Redis;
/** Commands only: its effects wait in the outbox until `worker` runs. */
let commands: Runtime;
let worker: Runtime | undefined;
let campaignId: string;

beforeAll(async () => {
  redis = await freshRedis(DB);
  commands = await startTestRuntime(DB, ENV, { serve: false, work: false }, () => NOW);
});

afterAll(async () => {
  await worker?.close();
  await commands?.close();
  redis?.disconnect();
});

async function whole(): Promise<Campaign> {
  const campaign = await commands.store.get(campaignId);
  if (!campaign) throw new Error('no campaign');
  return campaign;
}

/** Waits until the campaign's posts are made and the events recording them applied. */
async function settled(): Promise<Campaign> {
  await waitFor('the posts made and recorded', async () => {
    const [posts, inbox] = await Promise.all([
      commands.lists.postsLength(campaignId),
      commands.lists.inboxLength(campaignId),
    ]);
    return posts === 0 && inbox === 0;
  });
  return whole();
}

describe('the outbox in passes', () => {
  it('records every post of a pass in the campaign with one save', async () => {
    const started = await commands.engine.command({ channel, actor: admin, text: 'start lang:en' });
    expect(started.ok).toBe(true);
    campaignId = (await commands.store.activeId(channel)) ?? '';
    const before = await whole();
    expect(await commands.lists.postsLength(campaignId)).toBeGreaterThan(2);
    worker = await startTestRuntime(DB, ENV, { serve: false, work: true }, () => NOW);
    const after = await settled();
    const posts = await readChannel(redis, channel);
    expect(posts.length).toBeGreaterThan(2);
    expect(after.version).toBe(before.version + 1);
    const recorded = new Set([
      after.introPostRef,
      after.progressPostRef,
      ...after.questions.map((q) => q.postRef),
      ...roundsOf(after).map((r) => r.postRef),
    ]);
    for (const post of posts) expect(recorded, `${post.kind} ${post.id}`).toContain(post.id);
  });

  it('makes the next round’s posts from the counts, as compiling every answer gives', async () => {
    const open = (await whole()).questions.filter((q) => q.status === 'open' && q.postRef);
    expect(open.length).toBeGreaterThan(1);
    const people = ['ben', 'chloe', 'dan'].map((id) => ({ id, name: id.toUpperCase() }));
    for (const [i, q] of open.entries())
      for (const author of people.slice(0, i + 1))
        await commands.engine.answer({
          channel,
          threadRef: q.postRef ?? '',
          messageRef: `m-${q.blockId}-${author.id}`,
          author,
          text: `${author.name} on ${q.blockId}`,
          source: 'thread',
        });
    await commands.engine.removeAnswer({
      channel,
      threadRef: open[0]?.postRef ?? '',
      messageRef: `m-${open[0]?.blockId}-ben`,
    });
    const seen = new Set((await readChannel(redis, channel)).map((p) => p.id));
    expect((await commands.engine.command({ channel, actor: admin, text: 'next' })).ok).toBe(true);
    const campaign = await settled();
    const made = (await readChannel(redis, channel)).filter((p) => !seen.has(p.id));
    const ctx = await compiledContext(campaign);
    const compared = made.flatMap((post) => {
      const expected = expectedText(ctx, post);
      return expected === undefined ? [] : [[post.text, expected]];
    });
    expect(compared.length).toBeGreaterThan(1);
    for (const [text, expected] of compared) expect(text).toBe(expected);
    // The living progress post, edited from the counts after the answers (the edit is asked for
    // here: the answers' own, all in one window of the set clock, may have read only the first ones).
    const progress = composeProgress(ctx).text;
    expect(progress).toContain('Answers: 5 · people taking part: 3');
    await commands.queues.outbox.add('progress', { campaignId }, { jobId: `${campaignId}-progress-now` });
    await waitFor('the progress post edited as compiling gives', async () => {
      const post = (await readChannel(redis, channel)).find((p) => p.id === campaign.progressPostRef);
      return post?.text === progress;
    });
  });
});

/** The context composing gives with every answer loaded and the canvas compiled, at the runtime's clock. */
async function compiledContext(campaign: Campaign): Promise<ComposeContext> {
  const template = await loadDefaultTemplate();
  return {
    campaign,
    template,
    canvas: compileCanvas(campaign, template, NOW),
    format: markdownFormat,
    renderer: createRenderer(),
    publicUrl: 'http://localhost:3000',
    now: NOW,
  };
}

/** What compiling gives for a round's or a question's post; undefined for another kind. */
function expectedText(ctx: ComposeContext, post: ChannelMessage): string | undefined {
  if (post.kind === 'round' && post.round) return composeRound(ctx, post.round.roundId).text;
  if (post.kind === 'question' && post.question) return composeQuestion(ctx, post.question.blockId).text;
  return undefined;
}
