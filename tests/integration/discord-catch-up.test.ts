import { Routes } from 'discord.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { catchUp } from '../../adapters/discord/inbound.js';
import { createRest } from '../../adapters/discord/outbound.js';
import type { AnswerInput, EditInput, Inbound, OpenThread, RemoveInput } from '../../src/index.js';
import { createLogger } from '../../src/logger.js';
import { CHANNEL_ID, type FakeDiscord, GUILD_ID, startFakeDiscord } from '../fakes/discord-server.js';

/**
 * Catch-up reads each open question thread's whole history (100 messages a page, oldest first) and
 * reconciles it with the stored answers: new messages, edits and deletes made while the bot was away.
 */
let discord: FakeDiscord;
const ben = { id: '200000000000000002', name: 'ben' };
const chloe = { id: '200000000000000003', name: 'chloe' };
const channel = { platform: 'discord' as const, workspace: GUILD_ID, channel: CHANNEL_ID };

beforeAll(async () => {
  discord = await startFakeDiscord();
});

afterAll(async () => {
  await discord?.close();
});

const rest = () => createRest({ token: 't', apiUrl: discord.url });

function thread(
  threadRef: string,
  answers: OpenThread['answers'],
  blockId = 'b1',
  where = channel,
): OpenThread {
  return { channel: where, threadRef, campaignId: 'c1', blockId, answers };
}

/** Runs catch-up over `threads` and records what it told the core. */
async function catchUpOn(threads: OpenThread[], owns?: (guildId: string) => boolean) {
  const fed: AnswerInput[] = [];
  const edited: EditInput[] = [];
  const removed: RemoveInput[] = [];
  const inbound: Inbound = {
    command: async () => ({ ok: true, text: '' }),
    answer: async (input) => {
      fed.push(input);
      return { ok: true, text: '' };
    },
    editAnswer: async (input) => {
      edited.push(input);
      return { ok: true, text: '' };
    },
    removeAnswer: async (input) => {
      removed.push(input);
    },
    openThreads: async () => threads,
    react: async () => undefined,
    press: async () => ({ ok: false, text: '' }),
    submitForm: async () => ({ ok: false, text: '' }),
    workspaceCampaigns: async () => [],
    workspaceRemoved: async () => ({ ended: 0, dropped: 0 }),
  };
  await catchUp({ rest: rest(), inbound, logger: createLogger('silent') }, owns);
  return { fed, edited, removed };
}

it('feeds every message not stored yet, in order, across pages', async () => {
  const ref = '300000000000000001';
  const ids = Array.from({ length: 230 }, (_, i) => discord.say(ben, ref, `answer ${i}`, false));
  const stored = ids.slice(0, 10).map((id, i) => ({ ref: id, text: `answer ${i}` }));
  const { fed, edited, removed } = await catchUpOn([
    thread(ref, stored),
    // A thread that is gone does not stop the others, and removes none of its answers.
    thread('x', [{ ref: '300000000000000100', text: 'kept' }], 'b2'),
  ]);
  expect(fed.map((f) => f.messageRef)).toEqual(ids.slice(10));
  expect(fed[0]).toMatchObject({
    threadRef: ref,
    text: 'answer 10',
    source: 'thread',
    author: { id: ben.id },
  });
  expect(edited).toEqual([]);
  expect(removed).toEqual([]);
});

it('edits the answers changed and removes the answers deleted while the bot was away', async () => {
  const ref = '300000000000000002';
  const kept = discord.say(ben, ref, 'Kept as it was.', false);
  const changed = discord.say(ben, ref, 'Before the edit.', false);
  const deleted = discord.say(chloe, ref, 'Deleted later.', false);
  // Read without the Message Content intent, another member's text arrives empty: not an edit.
  const unreadable = discord.say(chloe, ref, '', false);
  const missed = discord.say(chloe, ref, 'Posted while the bot was away.', false);
  discord.edit(changed, 'After the edit.');
  discord.remove(deleted);
  await rest().post(Routes.channelMessages(ref), {
    body: { content: 'The bot’s own message is no answer.' },
  });
  const { fed, edited, removed } = await catchUpOn([
    thread(ref, [
      { ref: kept, text: 'Kept as it was.' },
      { ref: changed, text: 'Before the edit.' },
      { ref: deleted, text: 'Deleted later.' },
      { ref: unreadable, text: 'Stored when the text was readable.' },
    ]),
  ]);
  expect(fed.map((f) => [f.messageRef, f.text])).toEqual([[missed, 'Posted while the bot was away.']]);
  expect(edited).toEqual([
    {
      channel,
      threadRef: ref,
      messageRef: changed,
      text: 'After the edit.',
      author: { id: ben.id, name: ben.name },
    },
  ]);
  expect(removed).toEqual([{ channel, threadRef: ref, messageRef: deleted }]);
});

it('reads only the threads of the servers whose shard reconnected', async () => {
  const ours = '300000000000000003';
  const theirs = '300000000000000004';
  const mine = discord.say(ben, ours, 'In a server of this shard.', false);
  discord.say(ben, theirs, 'In a server of another shard.', false);
  const elsewhere = { ...channel, workspace: '100000000000000009' };
  const { fed } = await catchUpOn(
    [thread(ours, []), thread(theirs, [], 'b2', elsewhere)],
    (guildId) => guildId === GUILD_ID,
  );
  expect(fed.map((f) => f.messageRef)).toEqual([mine]);
});
