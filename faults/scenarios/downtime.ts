import { type Ctx, sleep } from '../context.js';
import type { Tracked } from '../ledger.js';

const MINUTE = 60_000;

/**
 * Every process stopped for ~70 s across the ticks of a `* * * * *` campaign, stopped 5 s after a
 * tick so one run is missed. Back up, the missed run gives exactly one question before the next
 * tick, never a burst. Resolves once the processes are back; `checked` resolves after the window.
 */
export async function downtimeAcrossTicks(ctx: Ctx, t: Tracked): Promise<{ checked: Promise<void> }> {
  const intoMinute = Date.now() % MINUTE;
  await sleep((5_000 - intoMinute + MINUTE) % MINUTE);
  await ctx.cluster.stopAll('SIGTERM');
  const stoppedAt = Date.now();
  const before = ctx.slack.questionPosts(t).length;
  ctx.ledger.fault('bot down across scheduled ticks (70 s)');
  ctx.log(`all processes stopped; ${before} questions in ${t.name}`);
  await sleep(70_000 - (Date.now() - stoppedAt));
  const whileDown = ctx.slack.questionPosts(t).length - before;
  await ctx.cluster.startAll();
  const nextTick = Math.ceil(Date.now() / MINUTE) * MINUTE;
  ctx.log(`all processes back; next tick in ${Math.round((nextTick - Date.now()) / 1000)} s`);
  const checked = (async () => {
    await sleep(nextTick - 3_000 - Date.now());
    const after = ctx.slack.questionPosts(t).length - before;
    ctx.log(`${after} question(s) in ${t.name} between the restart and the next tick`);
    if (whileDown !== 0)
      ctx.ledger.problems.push(`${t.name}: ${whileDown} questions posted while everything was down`);
    if (after !== 1)
      ctx.ledger.problems.push(
        `${t.name}: after ~70 s down across a tick, ${after} questions came before the next tick (expected exactly 1)`,
      );
    // No more ticks: the count at the end must be the one checked here.
    await ctx.slack.command(t, 'pause');
  })();
  return { checked };
}
