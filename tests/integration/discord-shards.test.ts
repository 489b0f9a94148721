import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import { APP_ID, type FakeDiscord, GUILD_ID, startFakeDiscord } from '../fakes/discord-server.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';

/**
 * Discord past one shard, with discord.js's own sharding: DISCORD_SHARDS=auto runs every shard Discord
 * recommends in one process, `<ids>/<count>` shares them among serve processes (database 41).
 */
const DB = 41;
const ada = { id: '200000000000000001', name: 'ada', admin: true };
/** A second server, on the other shard of two (a server's shard is its id's timestamp modulo the count). */
const OTHER_GUILD = (((BigInt(GUILD_ID) >> 22n) + 1n) << 22n).toString();

let discord: FakeDiscord | undefined;
const runtimes: Runtime[] = [];

const serve = (shards: string) =>
  startTestRuntime(
    DB,
    {
      DISCORD_TOKEN: 'fake-token',
      DISCORD_APPLICATION_ID: APP_ID,
      DISCORD_API_URL: discord?.url ?? '',
      DISCORD_SHARDS: shards,
    },
    { serve: true, work: false },
  );

/** How many times the bot answered each interaction (two processes on one shard would answer twice). */
function callbacksPerInteraction(fake: FakeDiscord): number[] {
  const counts = new Map<string, number>();
  for (const call of fake.calls) {
    const id = call.path.match(/^\/interactions\/(\d+)\/[^/]+\/callback$/)?.[1];
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return [...counts.values()];
}

const byShard = (a: [number, number], b: [number, number]) => a[0] - b[0];

beforeAll(async () => {
  (await freshRedis(DB)).disconnect();
});

afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.close();
  await discord?.close();
});

describe('Discord shards', () => {
  it('runs every shard Discord recommends with DISCORD_SHARDS=auto, and hears the servers of each', async () => {
    discord = await startFakeDiscord({ shards: 2, guilds: [OTHER_GUILD] });
    runtimes.push(await serve('auto'));
    expect(discord.shards().sort(byShard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    // Each server's events come over its own shard only: an answer means that shard reached the core.
    expect(await discord.command(ada, 'help', {}, GUILD_ID)).toMatch(/\/canevas start/);
    expect(await discord.command(ada, 'status', {}, OTHER_GUILD)).toMatch(/no campaign/i);
    expect(callbacksPerInteraction(discord)).toEqual([1, 1]);
  });

  it('shares the shards among serve processes, each server answered by the one that runs its shard', async () => {
    discord = await startFakeDiscord({ shards: 2, guilds: [OTHER_GUILD] });
    runtimes.push(await serve('0/2'), await serve('1/2'));
    expect(discord.shards()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(await discord.command(ada, 'help', {}, GUILD_ID)).toMatch(/\/canevas start/);
    expect(await discord.command(ada, 'help', {}, OTHER_GUILD)).toMatch(/\/canevas start/);
    expect(callbacksPerInteraction(discord)).toEqual([1, 1]);
  });
});
