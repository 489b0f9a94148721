import { type Ctx, inParallel, slackCampaign } from '../context.js';

/** The same event delivered twice at once, then replayed as Slack's retries (X-Slack-Retry-Num). */
export async function duplicateDeliveries(ctx: Ctx, answers: number): Promise<void> {
  const { t, thread } = await slackCampaign(ctx, 'duplicates');
  const sends = Array.from({ length: answers }, (_, k) =>
    ctx.slack.answer(t, thread, `Delivered three times: ${k}`, ctx.slack.member(k)),
  );
  await inParallel(sends, 10, async (s) => {
    await Promise.all([ctx.slack.deliver(s.body), ctx.slack.deliver(s.body)]);
    await ctx.slack.deliver(s.body, 1);
  });
  ctx.ledger.fault('duplicate delivery', answers);
  ctx.ledger.fault('replayed delivery (X-Slack-Retry-Num)', answers);
}

/** An edit, or a delete, delivered before the message it is about: held, then applied when it arrives. */
export async function editsBeforeMessages(ctx: Ctx, pairs: number): Promise<void> {
  const { t, thread } = await slackCampaign(ctx, 'early-edits');
  for (let k = 0; k < pairs; k++) {
    const user = ctx.slack.member(k);
    const edited = ctx.slack.answer(t, thread, `Before its edit ${k}`, user);
    const editBody = ctx.slack.edit(t, thread, edited.ts, user, `Edited before it arrived ${k}`);
    const removed = ctx.slack.answer(t, thread, `Before its delete ${k}`, user);
    const removeBody = ctx.slack.remove(t, thread, removed.ts, user);
    await ctx.slack.deliver(editBody);
    await ctx.slack.deliver(removeBody);
    await Promise.all([ctx.slack.deliver(edited.body), ctx.slack.deliver(removed.body)]);
  }
  ctx.ledger.fault('edit before its message', pairs);
  ctx.ledger.fault('delete before its message', pairs);
}
