import { type Ctx, slackCampaign } from '../context.js';

/**
 * `kill -9` of the worker making a post: the fake Slack holds its chat.postMessage (written first on
 * every other round, so the retry must find it rather than post again) until the worker is dead.
 */
export async function killWorkerDuringPost(ctx: Ctx, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const { t } = await slackCampaign(ctx, `kill-worker-${i + 1}`);
    const channel = t.channel.channel;
    const held = ctx.api.holdNext('chat.postMessage', i % 2 === 0, (args) => args.channel === channel);
    await ctx.slack.next(t);
    const port = await held.arrived;
    const role = ctx.cluster.workerOnPort(port);
    if (!role) throw new Error(`no worker owns port ${port}`);
    await ctx.cluster.stop(role, 'SIGKILL');
    ctx.ledger.fault('kill -9 worker during a post');
    held.release();
    ctx.cluster.start(role);
  }
}
