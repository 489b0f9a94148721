import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChannel } from '../../adapters/playground/channel-store.js';
import { PLAYGROUND_CHANNEL } from '../../adapters/playground/routes.js';
import { freePort } from '../../adapters/redis-launcher.js';
import type { Runtime } from '../../adapters/runtime.js';
import type { Campaign } from '../../src/facilitation/types.js';
import { createRedisStore } from '../../src/store/redis-store.js';
import { createScheduleStore } from '../../src/store/schedule-store.js';
import { newCampaign } from '../fixtures/campaigns.js';
import { runCanevas } from '../helpers/cli.js';
import { freshRedis, redisUrlFor } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/** `canevas reset`, run as a user runs it (the real command line), on a playground that ran a campaign. */
const DB = 16;

let redis: Redis;
let cwd: string;

/** Runs the command in an empty folder (no .env) with only the variables it needs. */
const canevas = (args: string[], redisUrl = redisUrlFor(DB)) =>
  runCanevas(args, cwd, { REDIS_URL: redisUrl });

/** Every key with its serialized value: equal snapshots mean nothing was written. */
async function snapshot(): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  for (const key of (await redis.keys('*')).sort()) {
    const dumped = await redis.dumpBuffer(key);
    if (dumped) all.set(key, dumped.toString('base64'));
  }
  return all;
}

async function playground(runtime: Runtime, path: string, body: unknown) {
  const res = await fetch(`http://127.0.0.1:${runtime.port}/playground/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { ok: boolean; reply?: string };
}

/** Starts a campaign, answers its first question and posts an export: messages, a file, thread links. */
async function useThePlayground(runtime: Runtime): Promise<string> {
  expect((await playground(runtime, 'command', { user: 'ada', text: '/canevas start lang:en' })).ok).toBe(
    true,
  );
  const question = await waitFor('the first question', async () =>
    (await readChannel(redis, PLAYGROUND_CHANNEL)).find((p) => p.kind === 'question'),
  );
  await playground(runtime, 'messages', { user: 'ben', thread: question.id, text: 'Our bike-repair map.' });
  await playground(runtime, 'command', { user: 'ada', text: '/canevas export md' });
  await waitFor('the export', async () => (await readChannel(redis, PLAYGROUND_CHANNEL)).find((p) => p.file));
  const id = await runtime.store.activeId(PLAYGROUND_CHANNEL);
  if (!id) throw new Error('no campaign started');
  await waitFor(
    'the answer',
    async () => Object.keys((await runtime.store.get(id))?.answers ?? {}).length === 1,
  );
  return id;
}

const elsewhere: Campaign = {
  ...newCampaign(['def.resource'], 'slack-campaign'),
  channel: { platform: 'slack', workspace: 'T1', channel: 'C1' },
};

let campaignId: string;

beforeAll(async () => {
  redis = await freshRedis(DB);
  cwd = mkdtempSync(join(tmpdir(), 'canevas-reset-'));
  const store = createRedisStore(redis);
  await store.create(elsewhere);
  await store.linkThread(elsewhere.channel, '1700000000.000100', {
    campaignId: elsewhere.id,
    blockId: 'def.resource',
  });
  await redis.set('someone-else:key', 'kept');
  const runtime = await startTestRuntime(DB);
  try {
    campaignId = await useThePlayground(runtime);
  } finally {
    // Stopped, so no worker writes while the command reads and deletes.
    await runtime.close();
  }
});

afterAll(async () => {
  await redis?.quit();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

describe('canevas reset', () => {
  it('without --yes, says what it would delete, exits non-zero and deletes nothing', async () => {
    const before = await snapshot();
    const { code, stdout, stderr } = await canevas(['reset']);
    expect(code).not.toBe(0);
    expect(stdout).toContain('Would delete, from the playground channel (local/general)');
    expect(stdout).toMatch(new RegExp(`campaign ${campaignId} \\(running, 1 answer\\)`));
    expect(stdout).toMatch(/\d+ messages, replies included, and 1 posted file/);
    expect(stdout).not.toContain('slack-campaign');
    expect(stderr).toContain('nothing was deleted; run `canevas reset --yes`');
    expect(await snapshot()).toEqual(before);
  });

  it('with --yes, deletes the channel and its campaigns, and nothing else', async () => {
    const schedulers = async () => (await createScheduleStore(redis).of(campaignId)).map((run) => run.kind);
    expect(await schedulers()).toContain('tick');

    const { code, stdout } = await canevas(['reset', '--yes']);
    expect(code).toBe(0);
    expect(stdout).toContain('Done: the playground channel is empty.');

    const store = createRedisStore(redis);
    expect(await readChannel(redis, PLAYGROUND_CHANNEL)).toEqual([]);
    expect(await store.get(campaignId)).toBeNull();
    expect(await store.activeId(PLAYGROUND_CHANNEL)).toBeNull();
    expect(await store.latestId(PLAYGROUND_CHANNEL)).toBeNull();
    expect(await store.listIds()).toEqual([elsewhere.id]);
    expect(await redis.keys(`canevas:*${campaignId}*`)).toEqual([]);
    expect(await redis.keys('canevas:thread:playground:*')).toEqual([]);
    expect(
      (await redis.keys('canevas:{playground}:*')).filter((k) => k !== 'canevas:{playground}:seq'),
    ).toEqual([]);
    expect(await schedulers()).toEqual([]);

    expect((await store.get(elsewhere.id))?.channel).toEqual(elsewhere.channel);
    expect(await store.activeId(elsewhere.channel)).toBe(elsewhere.id);
    expect(await store.findThread(elsewhere.channel, '1700000000.000100')).toMatchObject({
      campaignId: elsewhere.id,
    });
    expect(await redis.get('someone-else:key')).toBe('kept');
  });

  it('leaves a playground where a new campaign starts', async () => {
    expect((await canevas(['reset'])).stdout).toContain('Nothing to delete');
    const runtime = await startTestRuntime(DB);
    try {
      const started = await playground(runtime, 'command', { user: 'ada', text: '/canevas start lang:en' });
      expect(started.ok).toBe(true);
      const first = await waitFor(
        'the first post',
        async () => (await readChannel(redis, PLAYGROUND_CHANNEL))[0],
      );
      expect(first.kind).toBe('round');
      expect(await runtime.store.activeId(PLAYGROUND_CHANNEL)).not.toBe(campaignId);
    } finally {
      await runtime.close();
    }
  });

  it('refuses politely when Redis does not answer', async () => {
    const { code, stdout, stderr } = await canevas(
      ['reset', '--yes'],
      `redis://127.0.0.1:${await freePort()}`,
    );
    expect(code).not.toBe(0);
    expect(stdout).not.toContain('Deleting');
    expect(stderr).toMatch(/^canevas: Redis does not answer at redis:\/\/127\.0\.0\.1:\d+/);
  });

  it('on an empty Redis, says there is nothing to delete and writes nothing', async () => {
    await redis.flushdb();
    const { code, stdout } = await canevas(['reset']);
    expect(code).toBe(0);
    expect(stdout).toContain('Nothing to delete: the playground channel (local/general)');
    expect(await redis.keys('*')).toEqual([]);
  });

  it('is in the help', async () => {
    const { code, stdout } = await canevas(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\s+reset \[options\]\s+clear the playground channel/m);
  });
});
