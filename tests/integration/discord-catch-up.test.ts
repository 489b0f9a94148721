import { afterAll, beforeAll, expect, it } from 'vitest';
import { catchUp } from '../../adapters/discord/inbound.js';
import { createRest } from '../../adapters/discord/outbound.js';
import type { AnswerInput, Inbound } from '../../src/index.js';
import { createLogger } from '../../src/logger.js';
import { CHANNEL_ID, type FakeDiscord, GUILD_ID, startFakeDiscord } from '../fakes/discord-server.js';

/** Catch-up pages through a thread's history after the last stored answer (100 messages a page). */
let discord: FakeDiscord;

beforeAll(async () => {
  discord = await startFakeDiscord();
});

afterAll(async () => {
  await discord?.close();
});

it('feeds every message after the last stored answer, in order, across pages', async () => {
  const thread = '300000000000000001';
  const ben = { id: '200000000000000002', name: 'ben' };
  const ids = Array.from({ length: 230 }, (_, i) => discord.say(ben, thread, `answer ${i}`, false));
  const fed: AnswerInput[] = [];
  const inbound: Inbound = {
    command: async () => ({ ok: true, text: '' }),
    answer: async (input) => {
      fed.push(input);
      return { ok: true, text: '' };
    },
    editAnswer: async () => null,
    removeAnswer: async () => {},
    openThreads: async () => [
      {
        channel: { platform: 'discord', workspace: GUILD_ID, channel: CHANNEL_ID },
        threadRef: thread,
        campaignId: 'c1',
        blockId: 'b1',
        lastAnswerRef: ids[9],
        answers: [],
      },
      // A thread that is gone does not stop the others.
      {
        channel: { platform: 'discord', workspace: GUILD_ID, channel: CHANNEL_ID },
        threadRef: 'x',
        campaignId: 'c1',
        blockId: 'b2',
        answers: [],
      },
    ],
  };
  await catchUp({
    rest: createRest({ token: 't', apiUrl: discord.url }),
    inbound,
    logger: createLogger('silent'),
  });
  expect(fed.map((f) => f.messageRef)).toEqual(ids.slice(10));
  expect(fed[0]).toMatchObject({
    threadRef: thread,
    text: 'answer 10',
    source: 'thread',
    author: { id: ben.id },
  });
});
