import { randomBytes } from 'node:crypto';
import type { Installation } from '@slack/bolt';
import { UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import { createRedisInstallationStore } from '../../adapters/slack/installations.js';
import { createSlackPlatform } from '../../adapters/slack/outbound.js';
import { ConfigError } from '../../src/config.js';
import type { ChannelRef } from '../../src/facilitation/types.js';
import { createLogger } from '../../src/logger.js';
import { createSecretBox, keyIdOf } from '../../src/secret-box.js';
import { UNREACHABLE_ERROR } from '../../src/workspaces.js';
import { type FakeSlackApi, slackOAuthEnv, startFakeSlackApi } from '../fakes/slack-api.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { slackRequests } from '../helpers/slack-requests.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Installs done right, end to end through the real Bolt receiver and signed requests: OAuth installs
 * sealed at rest and welcomed, `start` refused where the bot was not invited, the Home tab, and an
 * uninstall or a revoked token ending a workspace's campaigns without posting again.
 */
const DB = 43;
const SECRET = 'slack-signing-secret-for-installs';
const KEY = randomBytes(32);
const ADMIN = 'UADA';
const silent = createLogger('silent');

let api: FakeSlackApi;
let runtime: Runtime;
let redis: Redis;
let base: string;
// Every command here names its workspace and channel: they are the defaults of neither.
const slack = slackRequests({
  base: () => base,
  secret: SECRET,
  channel: 'C0IN',
  responseUrl: () => `${api.url}respond/1`,
});

const ref = (team: string, channel: string): ChannelRef => ({ platform: 'slack', workspace: team, channel });
const installKey = (team: string) => `canevas:slack:installation:${team}`;

beforeAll(async () => {
  redis = await freshRedis(DB);
  api = await startFakeSlackApi();
  api.admins.add(ADMIN);
  runtime = await startTestRuntime(DB, slackOAuthEnv(api, SECRET, KEY));
  base = `http://127.0.0.1:${runtime.port}`;
});

afterAll(async () => {
  await runtime?.close();
  await api?.close();
  redis?.disconnect();
});

/** "Add to Slack", then Slack's redirect back with a code for `team` (the fake's token is xoxb-<team>). */
async function install(team: string): Promise<void> {
  const page = await fetch(`${base}/slack/install`, { redirect: 'manual' });
  const location = page.headers.get('location') ?? (await page.text());
  const state = /state=([^&"'\s]+)/.exec(location)?.[1];
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const done = await fetch(`${base}/slack/oauth_redirect?code=code-${team}&state=${state}`, {
    headers: { cookie },
  });
  expect(done.status).toBe(200);
}

async function command(team: string, channel: string, text: string): Promise<string> {
  const res = await slack.slash(ADMIN, text, { team, channel });
  expect(res.status).toBe(200);
  return (JSON.parse(res.text) as { text: string }).text;
}

async function event(team: string, inner: Record<string, unknown>): Promise<number> {
  return (await slack.event(inner, { team })).status;
}

const postsTo = (channel: string) =>
  api.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
/** Posts and uploads (a progress edit in flight when the event came is not a new try). */
const postsSince = (index: number) =>
  api.calls.slice(index).filter((c) => c.method === 'chat.postMessage' || c.method.startsWith('files.'));
const questionIn = (channel: string) =>
  postsTo(channel).find((c) => JSON.stringify(c.args.blocks ?? []).includes('canevas_answer'));

/** Until the outbox has nothing left to run, retries and delayed edits included. */
async function outboxIdle(): Promise<void> {
  await waitFor('the outbox to be idle', async () => {
    const counts = await runtime.queues.outbox.getJobCounts('active', 'waiting', 'delayed', 'prioritized');
    return Object.values(counts).every((n) => n === 0);
  });
}

async function startIn(team: string, channel: string): Promise<string> {
  expect(await command(team, channel, 'start lang:en')).not.toMatch(/invite/i);
  await waitFor('the first question', () => questionIn(channel));
  const id = await runtime.store.activeId(ref(team, channel));
  if (!id) throw new Error('no campaign');
  return id;
}

describe('Slack installs', () => {
  it('welcomes the installer and keeps the token sealed in Redis', async () => {
    await install('T2');
    const welcome = await waitFor('the welcome', () =>
      api.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === 'UINSTALLER'),
    );
    expect(welcome.token).toBe('xoxb-T2');
    expect(String(welcome.args.text)).toContain('/canevas start');
    expect(String(welcome.args.text)).toContain('/invite <@UBOT2>');
    const stored = (await redis.get(installKey('T2'))) ?? '';
    expect(stored).toMatch(new RegExp(`^canevas-sealed:v1:${keyIdOf(KEY)}:`));
    expect(stored).not.toContain('xoxb');
    expect(stored).not.toContain('UINSTALLER');
  });

  it('refuses to start where it was not invited, says how to invite it in both languages, and starts nothing', async () => {
    api.outside.add('C0OUT');
    const text = await command('T2', 'C0OUT', 'start lang:en');
    expect(text).toContain('/invite <@UBOT2>');
    expect(text).toMatch(/not in this channel/);
    expect(text).toMatch(/pas encore dans ce canal/);
    expect(await runtime.store.activeId(ref('T2', 'C0OUT'))).toBeNull();
    expect(await runtime.store.latestId(ref('T2', 'C0OUT'))).toBeNull();
    expect(postsTo('C0OUT')).toEqual([]);
    const asked = api.calls.find((c) => c.method === 'conversations.info');
    expect(asked?.args.channel).toBe('C0OUT');
  });

  it("shows how to start and the campaigns of the viewer's channels on the Home tab", async () => {
    const id = await startIn('T2', 'C0IN');
    api.memberships.set(ADMIN, ['C0IN', 'C0OTHER']);
    const published = (user: string) =>
      waitFor(`the Home tab of ${user}`, () =>
        api.calls.find((c) => c.method === 'views.publish' && c.args.user_id === user && c.result?.ok),
      );
    expect(await event('T2', { type: 'app_home_opened', user: ADMIN, channel: 'D1', tab: 'home' })).toBe(200);
    const mine = JSON.stringify((await published(ADMIN)).args.view);
    expect(mine).toContain('/canevas start');
    expect(mine).toContain('<#C0IN>');
    expect(mine).toContain(`/canvas/${encodeURIComponent(id)}?key=`);
    expect(mine).toContain('running');
    // Someone in none of its channels sees how to start, not the campaign's link.
    expect(await event('T2', { type: 'app_home_opened', user: 'UBEN', channel: 'D2', tab: 'home' })).toBe(
      200,
    );
    const theirs = JSON.stringify((await published('UBEN')).args.view);
    expect(theirs).toContain('/canevas start');
    expect(theirs).not.toContain('/canvas/');
    expect(theirs).toContain('None yet');
  });

  it('on uninstall, deletes the installation and ends the campaigns without posting, queued posts dropped', async () => {
    const id = (await runtime.store.activeId(ref('T2', 'C0IN'))) as string;
    // The next round's first post hangs on Slack, so the rest of its posts wait in the outbox.
    const held = api.holdNext('chat.postMessage', false, (args) => args.channel === 'C0IN');
    await command('T2', 'C0IN', 'next');
    await held.arrived;
    expect(await runtime.lists.postsLength(id)).toBeGreaterThan(1);
    const callsBefore = api.calls.length;

    expect(await event('T2', { type: 'app_uninstalled' })).toBe(200);
    held.release();
    expect(await redis.exists(installKey('T2'))).toBe(0);
    const ended = await runtime.store.get(id);
    expect(ended?.status).toBe('completed');
    expect(await runtime.store.activeId(ref('T2', 'C0IN'))).toBeNull();
    await outboxIdle();
    expect(await runtime.lists.postsLength(id)).toBe(0);
    const failed = (await runtime.store.loadCounted(id))?.failedPosts;
    expect(failed?.count).toBeGreaterThan(1);
    expect(failed?.last?.error).toBe(UNREACHABLE_ERROR);
    // Nothing was posted to the workspace again: no summary, no notice, no retry of what was queued.
    expect(postsSince(callsBefore)).toEqual([]);
  });

  it('on a revoked bot token does the same; a revoked member token changes nothing', async () => {
    await install('T3');
    const id = await startIn('T3', 'C3');
    expect(await event('T3', { type: 'tokens_revoked', tokens: { oauth: ['UMEMBER'] } })).toBe(200);
    expect(await redis.exists(installKey('T3'))).toBe(1);
    expect((await runtime.store.get(id))?.status).toBe('running');

    await outboxIdle();
    const callsBefore = api.calls.length;
    expect(await event('T3', { type: 'tokens_revoked', tokens: { bot: ['UBOT2'] } })).toBe(200);
    expect(await redis.exists(installKey('T3'))).toBe(0);
    expect((await runtime.store.get(id))?.status).toBe('completed');
    await outboxIdle();
    expect(api.calls.slice(callsBefore)).toEqual([]);
  });

  it("gives a post up at once when Slack says the token was revoked (a single workspace's fixed token)", async () => {
    const platform = createSlackPlatform({
      redis,
      logger: silent,
      tokenFor: async () => 'xoxb-fixed',
      apiUrl: `${api.url}api/`,
      paceMs: 1,
    });
    const post = { kind: 'notice' as const, text: 'Hello', dedupeKey: 'revoked-1' };
    api.fail('chat.postMessage', 'token_revoked');
    await expect(platform.post(ref('T9', 'C9'), post)).rejects.toBeInstanceOf(UnrecoverableError);
    // Any other refusal stays the outbox's to retry.
    api.fail('chat.postMessage', 'internal_error');
    const other = await platform
      .post(ref('T9', 'C9'), { ...post, dedupeKey: 'revoked-2' })
      .catch((err) => err);
    expect(other).toBeInstanceOf(Error);
    expect(other).not.toBeInstanceOf(UnrecoverableError);
  });
});

describe('Slack installations at rest', () => {
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);
  const installation = (team: string) =>
    ({
      team: { id: team },
      enterprise: undefined,
      isEnterpriseInstall: false,
      bot: { token: `xoxb-secret-${team}`, userId: 'UBOT', id: 'BBOT', scopes: [] },
      user: { id: 'UINSTALLER', token: undefined, scopes: undefined },
    }) as Installation<'v2', false>;
  const query = (teamId: string) => ({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });
  const storeWith = (keys?: { current: Buffer; previous?: Buffer }) =>
    createRedisInstallationStore(redis, keys ? createSecretBox(keys) : undefined, silent);

  it('reads an installation an older version wrote in clear, and seals it on that read', async () => {
    await redis.set(installKey('TOLD'), JSON.stringify(installation('TOLD')));
    const found = await storeWith({ current: keyA }).fetchInstallation(query('TOLD'));
    expect(found.bot?.token).toBe('xoxb-secret-TOLD');
    const stored = (await redis.get(installKey('TOLD'))) ?? '';
    expect(stored).toContain(`:${keyIdOf(keyA)}:`);
    expect(stored).not.toContain('xoxb');
  });

  it('rotates: the previous key still opens, and every installation is sealed again with the new one', async () => {
    await storeWith({ current: keyA }).storeInstallation(installation('TROT1'));
    await storeWith({ current: keyA }).storeInstallation(installation('TROT2'));
    const rotating = storeWith({ current: keyB, previous: keyA });
    expect((await rotating.fetchInstallation(query('TROT1'))).bot?.token).toBe('xoxb-secret-TROT1');
    // At start, the rest (TROT2, TOLD) are sealed with the new key too.
    expect((await rotating.resealAll()).resealed).toBe(2);
    for (const team of ['TROT1', 'TROT2', 'TOLD'])
      expect(await redis.get(installKey(team))).toContain(`:${keyIdOf(keyB)}:`);
    // So the previous key can go.
    expect((await storeWith({ current: keyB }).fetchInstallation(query('TROT2'))).bot?.token).toBe(
      'xoxb-secret-TROT2',
    );
  });

  it('says which keys are wrong, and refuses to start with them', async () => {
    const wrong = randomBytes(32);
    const store = storeWith({ current: wrong });
    await expect(store.fetchInstallation(query('TROT1'))).rejects.toThrow(
      `the Slack installation of workspace TROT1 was encrypted with key ${keyIdOf(keyB)}, but CANEVAS_SECRET_KEY is ${keyIdOf(wrong)}`,
    );
    await expect(store.resealAll()).rejects.toThrow(ConfigError);
    await expect(store.resealAll()).rejects.toThrow(
      /^CANEVAS_SECRET_KEY: \d+ Slack installation\(s\) cannot be read/,
    );
    await expect(storeWith().fetchInstallation(query('TROT1'))).rejects.toThrow(
      /is encrypted, but CANEVAS_SECRET_KEY is not set/,
    );
  });

  it('never writes a token in clear', async () => {
    await expect(storeWith().storeInstallation(installation('TCLEAR'))).rejects.toThrow(/CANEVAS_SECRET_KEY/);
    expect(await redis.exists(installKey('TCLEAR'))).toBe(0);
  });
});
