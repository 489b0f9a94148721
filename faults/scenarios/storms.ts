import { waitFor } from '../../tests/helpers/wait.js';
import { type Ctx, slackCampaign } from '../context.js';

const POST = 'chat.postMessage';

/** 429 storms with Retry-After on chat.postMessage: the Web API client waits them out. */
export async function rateLimitStorms(ctx: Ctx, storms: number, size: number): Promise<void> {
  const { t } = await slackCampaign(ctx, '429-storms');
  for (let i = 0; i < storms; i++) {
    const before = ctx.api.limited;
    ctx.api.rateLimit(POST, size);
    await ctx.slack.next(t);
    await waitFor('the 429 storm to pass', () => ctx.api.limited - before >= size, 60_000);
    ctx.ledger.fault('429 storm (Retry-After) responses', size);
  }
}

/**
 * 5xx storms: nothing is made, the answer is a 503, `size` times in a row for one question. Each
 * storm is in a workspace of its own, so the lookups of the uncertain retries run side by side.
 */
export async function serverErrorStorms(
  ctx: Ctx,
  storms: number,
  size: number,
): Promise<() => Promise<void>> {
  const passing: Promise<void>[] = [];
  for (let i = 0; i < storms; i++) {
    const { t } = await slackCampaign(ctx, `5xx-storm-${i + 1}`);
    const before = ctx.api.serverErrored;
    const channel = t.channel.channel;
    ctx.api.serverErrors(POST, size, (args) => args.channel === channel);
    await ctx.slack.next(t);
    passing.push(
      waitFor('the first 503', () => ctx.api.serverErrored > before, 30_000).then(() => undefined),
    );
  }
  await Promise.all(passing);
  ctx.ledger.fault('5xx storm responses', storms * size);
  // The later 503s come after paced lookups: the run waits for them at the end.
  return () =>
    waitFor('every 503 served', () => ctx.api.serverErrored >= storms * size, 240_000).then(() => undefined);
}

/** The post is made, then Slack answers 500: the retry must find it, not post it again. */
export async function postThen500(ctx: Ctx, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const { t } = await slackCampaign(ctx, `post-then-500-${i + 1}`);
    const channel = t.channel.channel;
    ctx.api.faultAfterWrite(POST, 'http500', 1, (args) => args.channel === channel);
    await ctx.slack.next(t);
    await waitFor(
      'the post made, then 500',
      () => ctx.api.calls.some((c) => c.method === POST && c.result?.faulted && c.args.channel === channel),
      30_000,
    );
    ctx.ledger.fault('post made, then 500');
  }
}
