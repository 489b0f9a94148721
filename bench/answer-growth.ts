/**
 * The per-answer cost as a campaign grows, and answers/s into one and into many campaigns, through the
 * real core: the runtime as adapters/runtime.ts builds it, without HTTP or workers (nothing is posted;
 * effects still become BullMQ jobs), answering on a linked question thread.
 */
import { type Runtime, startRuntime } from '../adapters/runtime.js';
import { readConfig } from '../src/config.js';
import type { ChannelRef } from '../src/facilitation/types.js';
import { createLogger } from '../src/logger.js';
import { type Result, round, summarise, throughput } from './measure.js';

/** Stored answers at which a window of answers is timed. */
export const WINDOWS = [0, 1_000, 2_000, 5_000, 10_000];
const PER_WINDOW = 200;
const BURST = 2_000;
const IN_FLIGHT = 50;
const CAMPAIGNS = 100;
const THREAD = 'q1';
const admin = { id: 'ada', name: 'Ada', isAdmin: true };

export interface AnswerGrowth {
  results: Result[];
  /** `controlMs`: the mean of answers into a new campaign, taken in turn with the window's own. */
  windows: { stored: number; meanMs: number; p95Ms: number; controlMs: number }[];
  /** Mean cost of an answer at the last window over the first: 1 means flat. */
  ratio: number;
  /** The same, each window first divided by its control: what is left once the machine's load drifts. */
  ratioToControl: number;
}

export async function benchAnswerGrowth(redisUrl: string): Promise<AnswerGrowth> {
  const config = readConfig({ REDIS_URL: redisUrl, PORT: '0', CANEVAS_LANG: 'en', LOG_LEVEL: 'silent' });
  const runtime = await startRuntime(config, {
    serve: false,
    work: false,
    logger: createLogger('silent'),
  });
  try {
    // JIT and connections warm on a campaign of their own, so the first window is not the slowest.
    const warm = await answerer(runtime, 'warm-up');
    for (let i = 0; i < 500; i++) await warm(i);

    const answer = await answerer(runtime, 'growth');
    const results: Result[] = [];
    const windows: AnswerGrowth['windows'] = [];
    let stored = 0;
    for (const target of WINDOWS) {
      while (stored < target) await answer(stored++);
      // Other work on the machine comes and goes between windows: a new campaign answered in turn
      // with this one feels the same load at the same moment.
      const control = await answerer(runtime, `control-${target}`);
      const times: number[] = [];
      const controlTimes: number[] = [];
      for (let i = 0; i < PER_WINDOW; i++) {
        times.push(await timed(() => answer(stored++)));
        controlTimes.push(await timed(() => control(i)));
      }
      const r = summarise(`answer: one more at ${target.toLocaleString('en')} stored answers`, times);
      results.push(r);
      const controlMs = summarise('control', controlTimes).meanMs;
      windows.push({ stored: target, meanMs: r.meanMs, p95Ms: r.p95Ms ?? r.meanMs, controlMs });
    }
    const [first, last] = [windows[0], windows.at(-1)];
    const ratio = round((last?.meanMs ?? 0) / (first?.meanMs ?? 1));
    const ratioToControl = round(
      (last?.meanMs ?? 0) / (last?.controlMs ?? 1) / ((first?.meanMs ?? 1) / (first?.controlMs ?? 1)),
    );

    const one = await answerer(runtime, 'burst');
    results.push(
      await throughput(`answers/s into 1 campaign (${IN_FLIGHT} in flight)`, BURST, IN_FLIGHT, one, () =>
        applied(runtime, [one]),
      ),
    );
    const many = await Promise.all(
      Array.from({ length: CAMPAIGNS }, (_, c) => answerer(runtime, `round-robin-${c}`)),
    );
    results.push(
      await throughput(
        `answers/s into ${CAMPAIGNS} campaigns, round robin (${IN_FLIGHT} in flight)`,
        BURST,
        IN_FLIGHT,
        (i) => (many[i % CAMPAIGNS] as Answerer)(Math.floor(i / CAMPAIGNS)),
        () => applied(runtime, many),
      ),
    );
    return { results, windows, ratio, ratioToControl };
  } finally {
    await runtime.close();
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

type Answerer = ((i: number) => Promise<void>) & { campaignId: string };

/**
 * A caller that finds its campaign busy returns once its answer is saved, not applied: the rate
 * counts until every inbox is applied.
 */
async function applied(runtime: Runtime, answerers: Answerer[]): Promise<void> {
  for (;;) {
    const left = await Promise.all(answerers.map((a) => runtime.lists.inboxLength(a.campaignId)));
    if (left.every((n) => n === 0)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Starts a campaign in its own channel, links a thread to its open question, and answers there. */
async function answerer(runtime: Runtime, name: string): Promise<Answerer> {
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
    const reply = await runtime.engine.answer({
      channel,
      threadRef: THREAD,
      messageRef: `m${i}`,
      author: { id: `u${i % 40}`, name: `Person ${i % 40}` },
      text: `Answer ${i}: what this commons shares, and with whom.`,
      source: 'thread',
    });
    if (!reply?.ok) throw new Error(`answer ${i} in ${name} refused: ${reply?.text}`);
  };
  return Object.assign(answer, { campaignId: id });
}
