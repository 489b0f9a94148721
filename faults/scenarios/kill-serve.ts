import { type Ctx, inParallel, slackCampaign, sleep } from '../context.js';

/**
 * `kill -9` of `serve` while signed events are in flight: answers go out 10 at a time and serve is
 * killed mid-way; whatever was not answered 200 is delivered again (X-Slack-Retry-Num) once it is back.
 */
export async function killServeDuringEvents(ctx: Ctx, rounds: number): Promise<void> {
  const { t, thread } = await slackCampaign(ctx, 'kill-serve');
  for (let i = 0; i < rounds; i++) {
    const sends = Array.from({ length: 30 }, (_, k) =>
      ctx.slack.answer(t, thread, `Round ${i} answer ${k} through a serve crash.`, ctx.slack.member(k)),
    );
    let acked = 0;
    const sending = inParallel(sends, 10, async (s) => {
      await ctx.slack.deliver(s.body);
      acked++;
    });
    while (acked < 5) await sleep(5);
    await ctx.cluster.stop('serve', 'SIGKILL');
    ctx.ledger.fault('kill -9 serve during an event');
    ctx.cluster.start('serve');
    await ctx.cluster.serveReady();
    await sending;
  }
}
