import { type Ctx, slackCampaign } from '../context.js';

/** Six `next` at once, taken by two workers: each question once, in block order. */
export async function racingNext(ctx: Ctx, count: number): Promise<void> {
  const { t } = await slackCampaign(ctx, 'racing-next');
  await Promise.all(Array.from({ length: count }, () => ctx.slack.next(t)));
  ctx.ledger.fault('racing next', count);
}
