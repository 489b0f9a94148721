/**
 * Answers through the real core: the runtime as adapters/runtime.ts builds it, without HTTP or workers
 * (nothing is posted; effects still become BullMQ jobs), on a question thread linked as the outbox
 * worker links it once the question is posted.
 */
import { type Runtime, startRuntime } from '../adapters/runtime.js';
import { readConfig } from '../src/config.js';
import type { ChannelRef } from '../src/facilitation/types.js';
import { createLogger } from '../src/logger.js';

const THREAD = 'q1';
const RETRIES = 5;

/** Answers sent again after a failure, in this process: a figure notes them. */
export const retried = { count: 0 };
const admin = { id: 'ada', name: 'Ada', isAdmin: true };

export type Answerer = ((i: number) => Promise<void>) & { campaignId: string };

/** The engine alone, in this process, on `redisUrl`. */
export function startEngineOnly(redisUrl: string): Promise<Runtime> {
  const config = readConfig({ REDIS_URL: redisUrl, PORT: '0', CANEVAS_LANG: 'en', LOG_LEVEL: 'silent' });
  return startRuntime(config, { serve: false, work: false, logger: createLogger('silent') });
}

/** Starts a campaign in its own channel, links a thread to its open question, and answers there. */
export async function answerer(runtime: Runtime, name: string): Promise<Answerer> {
  const channel: ChannelRef = { platform: 'playground', workspace: 'bench', channel: name };
  const started = await runtime.engine.command({ channel, actor: admin, text: 'start lang:en' });
  if (!started.ok) throw new Error(`bench campaign ${name} did not start: ${started.text}`);
  const id = (await runtime.store.activeId(channel)) ?? '';
  const open = (await runtime.store.load(id, []))?.campaign.questions.find((q) => q.status !== 'pending');
  if (!open) throw new Error(`bench campaign ${name} has no open question`);
  await runtime.store.linkThread(channel, THREAD, { campaignId: id, blockId: open.blockId });
  // What the outbox worker records once it has made the progress post: from then on an answer edits
  // it (one job per few seconds) instead of queueing a post of its own, as in a running deployment.
  await runtime.engine.submit(id, { type: 'post-recorded', target: { kind: 'progress' }, ref: 'progress' });
  const answer = async (i: number) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const reply = await runtime.engine.answer({
          channel,
          threadRef: THREAD,
          messageRef: `m${i}`,
          author: { id: `u${i % 40}`, name: `Person ${i % 40}` },
          text: `Answer ${i}: what this commons shares, and with whom.`,
          source: 'thread',
        });
        if (!reply?.ok) throw new Error(`answer ${i} in ${name} refused: ${reply?.text}`);
        return;
      } catch (err) {
        // A Redis command timed out on a machine loaded past its cores: the platform would deliver the
        // answer again, and the core counts it once (same message id).
        if (attempt >= RETRIES) throw err;
        retried.count++;
      }
    }
  };
  return Object.assign(answer, { campaignId: id });
}

/**
 * A caller that finds its campaign busy returns once its answer is saved, not applied: a rate counts
 * until every inbox is applied.
 */
export async function applied(runtime: Runtime, answerers: Answerer[]): Promise<void> {
  for (;;) {
    const left = await Promise.all(answerers.map((a) => runtime.lists.inboxLength(a.campaignId)));
    if (left.every((n) => n === 0)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}
