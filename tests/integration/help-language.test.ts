import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import type { ChannelRef } from '../../src/facilitation/types.js';
import type { Queues } from '../../src/jobs/queues.js';
import { keys } from '../../src/store/keys.js';
import { createTestEngine } from '../helpers/engine.js';
import { freshRedis } from '../helpers/redis.js';

/**
 * `/canevas help` speaks the channel's campaign's language, kept in memory for a few seconds so the
 * reply needs no Redis round trip (database 35).
 */
const DB = 35;
const channel: ChannelRef = { platform: 'playground', workspace: 'local', channel: 'help' };
const ada = { id: 'ada', name: 'Ada', isAdmin: true };
let redis: Awaited<ReturnType<typeof freshRedis>>;
let queues: Queues;
let engine: Engine;

beforeAll(async () => {
  redis = await freshRedis(DB);
  ({ engine, queues } = createTestEngine(redis));
});

afterAll(async () => {
  await queues.close();
  redis.disconnect();
});

const help = async () =>
  (await engine.command({ channel, actor: { ...ada, isAdmin: false }, text: 'help' })).text;
const ENGLISH = /Commands/;
const FRENCH = /Commandes/;

describe('help in the channel’s language', () => {
  it('follows a campaign started and stopped here, and answers from memory in between', async () => {
    const english = await help();
    expect(english).toMatch(ENGLISH);
    expect((await engine.command({ channel, actor: ada, text: 'start lang:fr' })).ok).toBe(true);
    const french = await help();
    expect(french).not.toBe(english);
    expect(french).toMatch(FRENCH);
    // From memory: the channel's campaign is not looked up again (its pointer gone, the usage stays French).
    const active = (await redis.get(keys.active(channel))) ?? '';
    await redis.del(keys.active(channel));
    expect(await help()).toBe(french);
    await redis.set(keys.active(channel), active);
    expect((await engine.command({ channel, actor: ada, text: 'stop' })).ok).toBe(true);
    expect(await help()).toBe(english);
  });
});
