/**
 * Answers/s into one campaign and spread over 100, through the engine's durable inbound until every
 * one is applied and stored, against BullMQ's own rate for no-op jobs on the same Redis.
 */
import { startThrowawayRedis } from '../adapters/redis-launcher.js';
import { type Answerer, answerer, applied, retried, startEngineOnly } from './answerer.js';
import { benchBullmqNoop } from './bullmq-noop.js';
import { type Figure, type FigureContext, type FigureResult, row } from './figure.js';
import { throughput } from './measure.js';

const IN_FLIGHT = 50;
const CAMPAIGNS = 100;
/** The goal: answers spread over campaigns at 60 % of what BullMQ alone does. */
const SHARE_OF_NOOP = 0.6;

export const answersRate: Figure = {
  name: 'answers',
  what: 'answers/s into 1 and into 100 campaigns vs BullMQ no-op jobs/s, same Redis',
  run,
};

async function run(ctx: FigureContext): Promise<FigureResult> {
  const count = ctx.quick ? 200 : 4_000;
  const server = await startThrowawayRedis();
  try {
    // Databases of their own, so each starts empty.
    const runtime = await startEngineOnly(`${server.url}/1`);
    let one: Awaited<ReturnType<typeof throughput>>;
    let many: Awaited<ReturnType<typeof throughput>>;
    try {
      // JIT and connections warm on a campaign of their own.
      const warm = await answerer(runtime, 'warm-up');
      for (let i = 0; i < (ctx.quick ? 20 : 500); i++) await warm(i);
      ctx.say('answers: into 1 campaign…');
      const single = await answerer(runtime, 'one');
      one = await throughput('1 campaign', count, IN_FLIGHT, single, () => applied(runtime, [single]));
      ctx.say(`answers: into ${CAMPAIGNS} campaigns…`);
      const spread = await Promise.all(
        Array.from({ length: CAMPAIGNS }, (_, c) => answerer(runtime, `spread-${c}`)),
      );
      many = await throughput(
        `${CAMPAIGNS} campaigns`,
        count,
        IN_FLIGHT,
        (i) => (spread[i % CAMPAIGNS] as Answerer)(Math.floor(i / CAMPAIGNS)),
        () => applied(runtime, spread),
      );
    } finally {
      await runtime.close();
    }
    ctx.say('answers: BullMQ no-op jobs…');
    const noop = await benchBullmqNoop(`${server.url}/2`, ctx.quick ? 500 : 10_000);
    const anchor = {
      name: `BullMQ no-op jobs added and worked (${IN_FLIGHT} in flight)`,
      value: noop.through,
    };
    return {
      rows: [
        row({
          figure: 'answers',
          name: `answers into 1 campaign (${IN_FLIGHT} in flight, until applied)`,
          value: one.perSecond ?? 0,
          unit: '/s',
          anchor,
        }),
        row({
          figure: 'answers',
          name: `answers into ${CAMPAIGNS} campaigns, round robin (${IN_FLIGHT} in flight, until applied)`,
          value: many.perSecond ?? 0,
          unit: '/s',
          anchor,
          goal: { minRatio: SHARE_OF_NOOP },
        }),
      ],
      details: { answers: count, inFlight: IN_FLIGHT, one, many, bullmq: noop, retried: retried.count },
    };
  } finally {
    await server.stop();
  }
}
