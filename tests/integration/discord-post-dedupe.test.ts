import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordPlatform, createRest } from '../../adapters/discord/outbound.js';
import type { ChatPlatform, OutboundPost, PostAttempt } from '../../src/index.js';
import { type FakeDiscord, GUILD_ID, startFakeDiscord } from '../fakes/discord-server.js';
import { noticePost, threadReplyPost } from '../fixtures/posts.js';

/**
 * "A post is never sent twice" on Discord: the nonce makes a retry return the message an earlier try
 * made while Discord remembers it; past that, the adapter reads what the bot wrote since the
 * uncertain try and does not send it again.
 */
let discord: FakeDiscord;
let platform: ChatPlatform;
let channelCounter = 0;

beforeAll(async () => {
  discord = await startFakeDiscord();
  platform = createDiscordPlatform(createRest({ token: 't', apiUrl: discord.url }));
});

afterAll(async () => {
  await discord?.close();
});

/** Each test its own channel, so counts in one never see another's messages. */
const newChannel = () => ({
  platform: 'discord' as const,
  workspace: GUILD_ID,
  channel: `20000000000000000${++channelCounter}`,
});
const inChannel = (id: string) => discord.botMessages().filter((m) => m.channel_id === id);
const reads = (id: string) =>
  discord.calls.filter((c) => c.method === 'GET' && c.path === `/channels/${id}/messages`);
/** An uncertain try that began long enough ago for Discord to have forgotten its nonce. */
const longAgo = (): PostAttempt => ({ uncertainSince: new Date(Date.now() - 10 * 60_000).toISOString() });

/** Posts while every answer to a message post fails after the message is made, as `fault` says. */
async function failingPost(
  fault: 'http500' | 'drop',
  channel: ReturnType<typeof newChannel>,
  post: OutboundPost,
) {
  // More than the REST client's own retries, which the nonce already makes harmless.
  discord.faultAfterPosts(fault, 20);
  try {
    await expect(platform.post(channel, post)).rejects.toThrow();
  } finally {
    discord.faultAfterPosts(fault, 0);
  }
}

describe('Discord: a post is never sent twice', () => {
  it('relies on the nonce when the uncertain try is recent', async () => {
    const channel = newChannel();
    const attempt = { uncertainSince: new Date().toISOString() };
    await failingPost('http500', channel, noticePost('n-recent'));
    const [made, ...more] = inChannel(channel.channel);
    expect(more).toHaveLength(0);
    const again = await platform.post(channel, noticePost('n-recent'), attempt);
    expect(again.ref).toBe(made?.id);
    expect(inChannel(channel.channel)).toHaveLength(1);
    expect(reads(channel.channel)).toHaveLength(0);
  });

  for (const fault of ['http500', 'drop'] as const) {
    it(`finds a post made before a ${fault} once Discord has forgotten its nonce`, async () => {
      const channel = newChannel();
      await failingPost(fault, channel, noticePost(`n-${fault}`));
      discord.forgetNonces();
      const [made] = inChannel(channel.channel);
      const again = await platform.post(channel, noticePost(`n-${fault}`), longAgo());
      expect(again.ref).toBe(made?.id);
      expect(inChannel(channel.channel)).toHaveLength(1);
      expect(reads(channel.channel)).toHaveLength(1);
    });
  }

  it('posts exactly once when the uncertain try never reached Discord', async () => {
    const channel = newChannel();
    // The bot's other words in the channel are not taken for this post.
    await platform.post(channel, noticePost('n-before', 'Something else.'));
    const { ref } = await platform.post(channel, noticePost('n-never'), longAgo());
    expect(inChannel(channel.channel).map((m) => m.id)).toContain(ref);
    expect(inChannel(channel.channel)).toHaveLength(2);
    expect(reads(channel.channel)).toHaveLength(1);
  });

  it('finds a question by its embed, and its thread is started once', async () => {
    const channel = newChannel();
    const question: OutboundPost = {
      kind: 'question',
      text: '**The shared resource**\n\nWhat do we share?',
      dedupeKey: 'q-1',
      question: {
        blockId: 'b1',
        ficheTitle: 'The resource',
        blockTitle: 'The shared resource',
        question: 'What do we share?',
        example: '',
        hints: [],
        position: 1,
        total: 12,
        lang: 'en',
      },
    };
    await failingPost('http500', channel, question);
    discord.forgetNonces();
    const again = await platform.post(channel, question, longAgo());
    expect(inChannel(channel.channel).map((m) => m.id)).toEqual([again.ref]);
    expect(discord.threads.get(again.ref)?.name).toBe('The shared resource');
  });

  it('looks a thread reply up in the thread', async () => {
    const channel = newChannel();
    const parent = await platform.post(channel, noticePost('n-parent', 'A question'));
    const reply = threadReplyPost(parent.ref, 'e-1');
    await failingPost('http500', channel, reply);
    discord.forgetNonces();
    const again = await platform.post(channel, reply, longAgo());
    expect(inChannel(parent.ref).map((m) => m.id)).toEqual([again.ref]);
    expect(reads(parent.ref)).toHaveLength(1);
  });

  it('continues a long post after the pieces already made', async () => {
    const channel = newChannel();
    const text = Array.from({ length: 150 }, (_, i) => `Line ${i} of a long summary, with words.`).join('\n');
    const post = noticePost('summary-long', text);
    await failingPost('http500', channel, post);
    discord.forgetNonces();
    const [first] = inChannel(channel.channel);
    const again = await platform.post(channel, post, longAgo());
    expect(again.ref).toBe(first?.id);
    const pieces = inChannel(channel.channel);
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.map((m) => m.content).join('\n')).toBe(text);
  });
});
