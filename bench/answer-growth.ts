/**
 * Whether an answer costs more as its campaign grows: windows of answers timed at 0 … 10,000 stored
 * answers, each taken in turn with answers into a new campaign (the machine's other load drifts
 * between windows; the new campaign feels it too, so it is the anchor).
 */
import { startThrowawayRedis } from '../adapters/redis-launcher.js';
import { answerer, startEngineOnly } from './answerer.js';
import { type Figure, type FigureContext, type FigureResult, row } from './figure.js';
import { summarise } from './measure.js';

/** Flat: an answer at 10,000 stored costs at most this much more than one into a new campaign. */
const FLAT = 1.2;

export const answerGrowth: Figure = {
  name: 'growth',
  what: 'the cost of one answer at 10,000 stored answers vs one into a new campaign',
  run,
};

async function run(ctx: FigureContext): Promise<FigureResult> {
  const windows = ctx.quick ? [0, 200] : [0, 1_000, 2_000, 5_000, 10_000];
  const perWindow = ctx.quick ? 20 : 200;
  const server = await startThrowawayRedis();
  const runtime = await startEngineOnly(server.url);
  try {
    const warm = await answerer(runtime, 'warm-up');
    for (let i = 0; i < (ctx.quick ? 20 : 500); i++) await warm(i);
    const answer = await answerer(runtime, 'growth');
    const measured: { stored: number; meanMs: number; p95Ms: number; controlMs: number }[] = [];
    let stored = 0;
    for (const target of windows) {
      ctx.say(`growth: filling to ${target.toLocaleString('en')} answers…`);
      while (stored < target) await answer(stored++);
      const control = await answerer(runtime, `control-${target}`);
      const times: number[] = [];
      const controlTimes: number[] = [];
      for (let i = 0; i < perWindow; i++) {
        times.push(await timed(() => answer(stored++)));
        controlTimes.push(await timed(() => control(i)));
      }
      const mine = summarise('window', times);
      measured.push({
        stored: target,
        meanMs: mine.meanMs,
        p95Ms: mine.p95Ms ?? mine.meanMs,
        controlMs: summarise('control', controlTimes).meanMs,
      });
    }
    const last = measured.at(-1);
    const first = measured[0];
    const atLast = last?.stored.toLocaleString('en') ?? '?';
    return {
      rows: [
        row({
          figure: 'growth',
          name: `one answer at ${atLast} stored answers, mean`,
          value: last?.meanMs ?? 0,
          unit: 'ms',
          anchor: { name: 'one answer into a new campaign, in turn', value: last?.controlMs ?? 0 },
          goal: { maxRatio: FLAT },
          note: `at 0 stored: ${first?.meanMs} ms (new campaign ${first?.controlMs} ms)`,
        }),
      ],
      details: { perWindow, windows: measured },
    };
  } finally {
    await runtime.close();
    await server.stop();
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
