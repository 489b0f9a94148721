import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import {
  APP_ID,
  CHANNEL_ID,
  channelOf,
  type FakeDiscord,
  GUILD_ID,
  startFakeDiscord,
} from '../fakes/discord-server.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/** The bot added to a server (a welcome where it may post) and removed from one (its campaigns end). */
const DB = 44;
const ada = { id: '200000000000000001', name: 'ada', admin: true };
const channel = { platform: 'discord' as const, workspace: GUILD_ID, channel: CHANNEL_ID };

let discord: FakeDiscord;
let runtime: Runtime;

beforeAll(async () => {
  (await freshRedis(DB)).disconnect();
  discord = await startFakeDiscord();
  runtime = await startTestRuntime(DB, {
    DISCORD_TOKEN: 'fake-token',
    DISCORD_APPLICATION_ID: APP_ID,
    DISCORD_API_URL: discord.url,
    DISCORD_GUILD_ID: GUILD_ID,
  });
});

afterAll(async () => {
  await runtime?.close();
  await discord?.close();
});

const postsIn = (channelId: string) => discord.botMessages().filter((m) => m.channel_id === channelId);

describe('Discord servers', () => {
  it('welcomes a new server in its system channel, in English and French, and only where it may post', async () => {
    const [silent, welcoming] = ['300000000000000001', '300000000000000002'];
    discord.joinGuild({ id: silent, canPost: false });
    discord.joinGuild({ id: welcoming, canPost: true });
    const [welcome] = await waitFor('the welcome', () => {
      const found = postsIn(channelOf(welcoming));
      return found.length > 0 && found;
    });
    expect(welcome?.content).toContain('/canevas start');
    expect(welcome?.content).toMatch(/To start/);
    expect(welcome?.content).toMatch(/Pour commencer/);
    expect(welcome?.content.length).toBeLessThanOrEqual(2000);
    expect(welcome?.allowed_mentions).toEqual({ parse: [] });
    // The server joined first was handled first: nothing was posted where the bot may not.
    expect(postsIn(channelOf(silent))).toEqual([]);
    expect(discord.calls.filter((c) => c.path.includes(channelOf(silent)))).toEqual([]);
  });

  it("ends a server's campaigns without posting when the bot is removed from it", async () => {
    expect(await discord.command(ada, 'start', { lang: 'en' })).toMatch(/Off we go/);
    const id = await runtime.store.activeId(channel);
    await waitFor('the first posts', () => postsIn(CHANNEL_ID).length > 1);
    await waitFor('the outbox to be idle', async () => {
      const counts = await runtime.queues.outbox.getJobCounts('active', 'waiting', 'delayed', 'prioritized');
      return Object.values(counts).every((n) => n === 0);
    });
    const before = postsIn(CHANNEL_ID).length;
    const callsBefore = discord.calls.length;

    discord.leaveGuild(GUILD_ID);
    await waitFor(
      'the campaign to end',
      async () => (await runtime.store.get(id ?? ''))?.status === 'completed',
    );
    expect(await runtime.store.activeId(channel)).toBeNull();
    await waitFor('the outbox to be idle', async () => {
      const counts = await runtime.queues.outbox.getJobCounts('active', 'waiting', 'delayed', 'prioritized');
      return Object.values(counts).every((n) => n === 0);
    });
    expect(postsIn(CHANNEL_ID).length).toBe(before);
    expect(discord.calls.slice(callsBefore)).toEqual([]);
  });
});
