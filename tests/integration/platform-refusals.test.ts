import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { APP_ID, type FakeDiscord, startFakeDiscord } from '../fakes/discord-server.js';
import { type FakeSlackApi, startFakeSlackApi } from '../fakes/slack-api.js';
import { runCanevas } from '../helpers/cli.js';
import { freshRedis, redisUrlFor } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';

/**
 * What a new operator meets when Slack or Discord refuses the bot at start (a token pasted in the
 * wrong variable, an intent left off, a server the bot is not in, no network): the start fails with
 * one line naming the variable and the fix, and leaves nothing open (database 57).
 */
const DB = 57;

let slack: FakeSlackApi | undefined;
let discord: FakeDiscord | undefined;

/** A loopback port nothing listens on: what an unreachable API looks like, at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startRefused(env: Record<string, string>): Promise<ConfigError> {
  const err = await startTestRuntime(DB, env, { serve: true, work: true }).then(
    async (runtime) => {
      await runtime.close();
      throw new Error('the start was not refused');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

beforeAll(async () => {
  (await freshRedis(DB)).disconnect();
});

afterEach(async () => {
  await slack?.close();
  await discord?.close();
  slack = undefined;
  discord = undefined;
});

describe('Slack refusing the app at start', () => {
  it.each([
    ['auth.test', /^SLACK_BOT_TOKEN: Slack refused it \(invalid_auth\): copy the Bot User OAuth Token/],
    ['apps.connections.open', /^SLACK_APP_TOKEN: Slack refused it \(invalid_auth\): .*connections:write/],
  ])('names the token Slack refuses when %s answers invalid_auth', async (method, message) => {
    slack = await startFakeSlackApi();
    slack.fail(method, 'invalid_auth');
    const err = await startRefused({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_APP_TOKEN: 'xapp-test',
      SLACK_API_URL: slack.url,
    });
    expect(err.message).toMatch(message);
  });

  it('says Slack cannot be reached, and where, when nothing answers', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/api/`;
    const err = await startRefused({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_APP_TOKEN: 'xapp-test',
      SLACK_API_URL: url,
    });
    expect(err.message).toMatch(/^SLACK_API_URL: cannot reach Slack at http:\/\/127\.0\.0\.1:\d+\/api\/ /);
  });

  it('prints that one line from `canevas start`, exit code 1, no stack trace', async () => {
    slack = await startFakeSlackApi();
    slack.fail('apps.connections.open', 'account_inactive');
    const cwd = mkdtempSync(join(tmpdir(), 'canevas-refusals-'));
    try {
      const outcome = await runCanevas(['start'], cwd, {
        REDIS_URL: redisUrlFor(DB),
        PORT: '0',
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_APP_TOKEN: 'xapp-test',
        SLACK_API_URL: slack.url,
      });
      expect(outcome.code).toBe(1);
      expect(outcome.stderr).toMatch(
        /^canevas: SLACK_APP_TOKEN: Slack refused it \(account_inactive\): [^\n]+\n$/,
      );
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('Redis not reachable with a platform configured', () => {
  it('says where it looked and how to get one that this machine reaches, in one line', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'canevas-refusals-'));
    try {
      const outcome = await runCanevas(['start'], cwd, {
        REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_APP_TOKEN: 'xapp-test',
      });
      expect(outcome.code).toBe(1);
      expect(outcome.stderr).toMatch(
        /^canevas: Redis does not answer at redis:\/\/127\.0\.0\.1:\d+\/?: [^\n]+\n$/,
      );
      // A Redis published on this machine's port, not the compose file's (reachable from its network only).
      expect(outcome.stderr).toContain('-p 127.0.0.1:6379:6379');
      expect(outcome.stderr).not.toContain('docker compose');
      expect(outcome.stderr).toContain('set REDIS_URL');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('Discord refusing the bot at start', () => {
  const discordEnv = (extra: Record<string, string> = {}) => ({
    DISCORD_TOKEN: 'fake-token',
    DISCORD_APPLICATION_ID: APP_ID,
    DISCORD_API_URL: discord?.url ?? '',
    ...extra,
  });

  it('names DISCORD_TOKEN when Discord refuses the token', async () => {
    discord = await startFakeDiscord({ token: 'the-real-token' });
    const err = await startRefused(discordEnv());
    expect(err.message).toMatch(/^DISCORD_TOKEN: Discord refused this token \(.*Reset Token/);
    expect(discord.identifies()).toBe(0);
  });

  it('names DISCORD_MESSAGE_CONTENT when the intent is claimed but off in the portal, and stays closed', async () => {
    discord = await startFakeDiscord({ messageContentIntent: false });
    const err = await startRefused(discordEnv({ DISCORD_MESSAGE_CONTENT: 'true' }));
    expect(err.message).toMatch(
      /^DISCORD_MESSAGE_CONTENT: true, but the Message Content intent is off .*or set DISCORD_MESSAGE_CONTENT=false/,
    );
    expect(discord.identifies()).toBe(1);
    expect(discord.sessions()).toBe(0);
  });

  it('starts without the intent when DISCORD_MESSAGE_CONTENT is not set, the portal switch off', async () => {
    discord = await startFakeDiscord({ messageContentIntent: false });
    const runtime = await startTestRuntime(DB, discordEnv(), { serve: true, work: false });
    await runtime.close();
    expect(discord.commands()?.map((c) => c.name)).toEqual(['canevas']);
  });

  it('names DISCORD_APPLICATION_ID when it is not the application of the token', async () => {
    discord = await startFakeDiscord();
    const other = '100000000000000099';
    const err = await startRefused(discordEnv({ DISCORD_APPLICATION_ID: other }));
    expect(err.message).toBe(
      `DISCORD_APPLICATION_ID: ${other} is not the application of this DISCORD_TOKEN (${APP_ID}): copy the Application ID from Developer Portal → General Information`,
    );
    // Nothing was registered under the wrong application.
    expect(discord.commands()).toBeUndefined();
  });

  it('names DISCORD_GUILD_ID when the bot is not in that server', async () => {
    discord = await startFakeDiscord();
    const err = await startRefused(discordEnv({ DISCORD_GUILD_ID: '100000000000000077' }));
    expect(err.message).toMatch(
      /^DISCORD_GUILD_ID: Discord refused to register \/canevas in server 100000000000000077 \(Missing Access\): .*applications\.commands/,
    );
    expect(discord.sessions()).toBe(0);
  });

  it('says Discord cannot be reached, and where, when nothing answers', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/api`;
    const err = await startRefused({ ...discordEnv(), DISCORD_API_URL: url });
    expect(err.message).toMatch(
      /^DISCORD_API_URL: cannot reach Discord at http:\/\/127\.0\.0\.1:\d+\/api \(ECONNREFUSED\)/,
    );
  });
});

afterAll(async () => {
  (await freshRedis(DB)).disconnect();
});
