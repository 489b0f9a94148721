import { CHANNEL_ID, GUILD_ID } from '../../tests/fakes/discord-server.js';
import { waitFor } from '../../tests/helpers/wait.js';
import { type Ctx, questionRef } from '../context.js';

const ada = { id: '200000000000000001', name: 'ada', admin: true };
const members = [
  { id: '200000000000000002', name: 'ben' },
  { id: '200000000000000003', name: 'chloe' },
];

/**
 * A Discord campaign through 429s and "post made, then 500" on message posts, with thread answers
 * delivered twice over the gateway, edited and deleted.
 */
export async function discordFaults(ctx: Ctx, rounds: number): Promise<void> {
  const t = ctx.ledger.track('discord', { platform: 'discord', workspace: GUILD_ID, channel: CHANNEL_ID });
  const started = await ctx.discord.command(ada, 'start', { lang: 'en', cadence: 'weekly', format: 'drip' });
  if (!/Off we go|Received/i.test(started)) throw new Error(`discord start: ${started}`);
  t.questions = 1;
  const posted = () =>
    ctx.discord.botMessages().filter((m) => m.channel_id === CHANNEL_ID && m.components.length > 0).length;
  // One fault switch at a time: each `next` is posted before the next switch is set.
  const next = async () => {
    if (/on its way|Received/i.test(await ctx.discord.command(ada, 'next'))) t.questions++;
    await waitFor('the Discord question', () => posted() >= t.questions, 60_000);
  };
  for (let i = 0; i < rounds; i++) {
    ctx.discord.rateLimitNextPosts(3);
    ctx.ledger.fault('Discord 429 responses', 3);
    await next();
    ctx.discord.faultAfterPosts('http500', 1);
    ctx.ledger.fault('Discord post made, then 500');
    await next();
  }
  const thread = await questionRef(ctx, t, 0);
  for (let k = 0; k < 10; k++) {
    const text = `Discord answer ${k}`;
    const id = ctx.discord.say(members[k % 2] as (typeof members)[0], thread, text);
    t.answers.set(id, { text, removed: false });
    if (k % 2 === 0) {
      ctx.discord.redeliver(id);
      ctx.ledger.fault('Discord duplicate gateway delivery');
    }
    if (k % 5 === 1) {
      ctx.discord.edit(id, `${text}, edited`);
      t.answers.set(id, { text: `${text}, edited`, removed: false });
    }
    if (k % 5 === 3) {
      ctx.discord.remove(id);
      t.answers.set(id, { text, removed: true });
    }
  }
}
