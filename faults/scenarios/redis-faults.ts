import { type Ctx, inParallel, slackCampaign, sleep } from '../context.js';

/** Redis restarted (twice), then gone for 10 s, while answers come in and a `next` is being posted. */
export async function redisFaults(ctx: Ctx): Promise<void> {
  const { t, thread } = await slackCampaign(ctx, 'redis');
  const answers = (label: string) =>
    Array.from({ length: 20 }, (_, k) => ctx.slack.answer(t, thread, `${label} ${k}`, ctx.slack.member(k)));
  const send = (batch: { body: string }[]) => inParallel(batch, 10, (s) => ctx.slack.deliver(s.body));

  for (let i = 0; i < 2; i++) {
    ctx.log(`redis: next -> ${await ctx.slack.next(t)}`);
    const sending = send(answers(`Sent across Redis restart ${i + 1}:`));
    await sleep(100);
    await ctx.redis.down();
    await ctx.redis.up();
    ctx.ledger.fault('Redis restart');
    await sending;
  }

  ctx.log(`redis: next -> ${await ctx.slack.next(t)}`);
  const sending = send(answers('Sent across a 10 s Redis outage:'));
  await sleep(100);
  await ctx.redis.down();
  ctx.ledger.fault('Redis outage 10 s');
  await sleep(10_000);
  await ctx.redis.up();
  await sending;
  await ctx.cluster.serveReady();
  // The campaign goes on after the outage.
  ctx.log(`redis: next -> ${await ctx.slack.next(t)}`);
}
