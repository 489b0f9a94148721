import { type Ctx, inParallel, slackCampaign } from '../context.js';

/** 2,000 deliveries into one campaign, 15 % of them a second delivery of an answer, 50 at a time. */
export async function answerBurst(ctx: Ctx, deliveries: number, duplicateShare: number): Promise<void> {
  const { t, thread } = await slackCampaign(ctx, 'burst');
  const duplicates = Math.round(deliveries * duplicateShare);
  const distinct = Array.from({ length: deliveries - duplicates }, (_, k) =>
    ctx.slack.answer(t, thread, `Burst answer ${k}`, ctx.slack.member(k)),
  );
  const step = Math.floor(distinct.length / duplicates);
  const again = distinct.filter((_, k) => k % step === 0).slice(0, duplicates);
  // Shuffled together: a duplicate may come before, after or alongside its first delivery.
  const bodies = [...distinct.map((s) => s.body), ...again.map((s) => s.body)];
  await inParallel(shuffle(bodies), 50, (body) => ctx.slack.deliver(body));
  ctx.ledger.fault('duplicate delivery in the 2,000-answer burst', duplicates);
}

/** A fixed shuffle, so a failing run can be told again. */
function shuffle<T>(items: T[]): T[] {
  let seed = 42;
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
