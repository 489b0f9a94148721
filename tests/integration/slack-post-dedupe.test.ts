import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutPost } from '../../adapters/slack/blocks.js';
import { createSlackPlatform } from '../../adapters/slack/outbound.js';
import type { ChatPlatform, PostAttempt } from '../../src/index.js';
import { createLogger } from '../../src/logger.js';
import {
  FAKE_TEAM,
  type FakeSlackApi,
  type FakeSlackMessage,
  startFakeSlackApi,
} from '../fakes/slack-api.js';
import { filePost, noticePost, threadReplyPost } from '../fixtures/posts.js';
import { freshRedis } from '../helpers/redis.js';

/**
 * "A post is never sent twice" on Slack: a post that reached Slack although the call failed (a 500
 * after the write, a dropped connection) is found again by its metadata when the outbox retries it
 * as uncertain, and is not made a second time.
 */
let api: FakeSlackApi;
let redis: Redis;
let platform: ChatPlatform;
let channelCounter = 0;

beforeAll(async () => {
  api = await startFakeSlackApi();
  redis = await freshRedis(19);
  platform = createSlackPlatform({
    redis,
    logger: createLogger('silent'),
    tokenFor: async () => 'xoxb-test',
    apiUrl: `${api.url}api/`,
    paceMs: 1,
    lookupPaceMs: 1,
  });
});

afterAll(async () => {
  await api?.close();
  redis.disconnect();
});

/** Each test its own channel, so counts in one never see another's messages. */
const newChannel = () => ({
  platform: 'slack' as const,
  workspace: FAKE_TEAM,
  channel: `CDEDUPE${++channelCounter}`,
});
const uncertainFromNow = (): PostAttempt => ({ uncertainSince: new Date().toISOString() });
const ofPost = (messages: FakeSlackMessage[], key: string) =>
  messages.filter((m) => m.metadata?.event_payload.key === key);
const lookups = () => api.calls.filter((c) => c.method.startsWith('conversations.'));

describe('Slack: a post is never sent twice', () => {
  for (const fault of ['http500', 'drop'] as const) {
    it(`finds a post made before a ${fault} and returns its ts instead of posting again`, async () => {
      const channel = newChannel();
      const attempt = uncertainFromNow();
      const before = lookups().length;
      api.faultAfterWrite('chat.postMessage', fault);
      await expect(platform.post(channel, noticePost(`n-${fault}`))).rejects.toThrow();
      // Made once, and the failing call itself neither looked anything up nor tried again.
      const made = api.channelMessages(channel.channel);
      expect(made).toHaveLength(1);
      expect(made[0]?.metadata).toEqual({
        event_type: 'canevas_post',
        event_payload: { key: `n-${fault}`, part: 0 },
      });
      expect(lookups()).toHaveLength(before);

      const again = await platform.post(channel, noticePost(`n-${fault}`), attempt);
      expect(again.ref).toBe(made[0]?.ts);
      expect(api.channelMessages(channel.channel)).toHaveLength(1);
      const lookup = lookups().at(-1);
      expect(lookup?.method).toBe('conversations.history');
      expect(lookup?.args).toMatchObject({ channel: channel.channel, include_all_metadata: 'true' });
      expect(Number(lookup?.args.oldest)).toBeLessThan(Date.parse(attempt.uncertainSince) / 1000);
      expect(await redis.get(`canevas:slack:posted:n-${fault}`)).toBe(again.ref);
    });
  }

  it('posts exactly once when the uncertain try never reached Slack', async () => {
    const channel = newChannel();
    const before = lookups().length;
    const { ref } = await platform.post(channel, noticePost('n-never'), uncertainFromNow());
    const made = api.channelMessages(channel.channel);
    expect(made.map((m) => m.ts)).toEqual([ref]);
    expect(lookups()).toHaveLength(before + 1);
    // Done is done: the same post again answers from the record, without a lookup or a post.
    expect((await platform.post(channel, noticePost('n-never'), uncertainFromNow())).ref).toBe(ref);
    expect(api.channelMessages(channel.channel)).toHaveLength(1);
    expect(lookups()).toHaveLength(before + 1);
  });

  it('tells a post from another one with the same text by its key', async () => {
    const channel = newChannel();
    const attempt = uncertainFromNow();
    const other = await platform.post(channel, noticePost('n-other', 'Same words.'));
    const { ref } = await platform.post(channel, noticePost('n-mine', 'Same words.'), attempt);
    expect(ref).not.toBe(other.ref);
    expect(api.channelMessages(channel.channel)).toHaveLength(2);
  });

  it('looks a thread reply up in its thread', async () => {
    const channel = newChannel();
    const parent = await platform.post(channel, noticePost('n-parent', 'A question'));
    const reply = threadReplyPost(parent.ref, 'echo-1');
    const attempt = uncertainFromNow();
    api.faultAfterWrite('chat.postMessage', 'http500');
    await expect(platform.post(channel, reply)).rejects.toThrow();
    const again = await platform.post(channel, reply, attempt);
    const inThread = api.channelMessages(channel.channel).filter((m) => m.thread_ts === parent.ref);
    expect(inThread.map((m) => m.ts)).toEqual([again.ref]);
    expect(lookups().at(-1)).toMatchObject({
      method: 'conversations.replies',
      args: { channel: channel.channel, ts: parent.ref },
    });
  });

  it('continues a long post from its first missing part', async () => {
    const channel = newChannel();
    const text = Array.from({ length: 60 }, (_, i) => `${i} ${'word '.repeat(100)}`).join('\n');
    const post = noticePost('summary-long', text);
    const partCount = layoutPost(post).length;
    expect(partCount).toBeGreaterThan(2);
    const attempt = uncertainFromNow();
    // The second part is made, then its answer is lost; the first one is on record.
    api.faultAfterWrite('chat.postMessage', 'http500', 1, (args) => args.thread_ts !== undefined);
    await expect(platform.post(channel, post)).rejects.toThrow();
    const made = ofPost(api.channelMessages(channel.channel), post.dedupeKey);
    expect(made.map((m) => m.metadata?.event_payload.part)).toEqual([0, 1]);

    const again = await platform.post(channel, post, attempt);
    expect(again.ref).toBe(made[0]?.ts);
    const parts = ofPost(api.channelMessages(channel.channel), post.dedupeKey);
    // Part 1 found, not made again; part 2 onwards made once each.
    expect(parts.map((m) => m.metadata?.event_payload.part)).toEqual([...Array(partCount).keys()]);
    expect(parts.slice(1).every((m) => m.thread_ts === again.ref)).toBe(true);
    expect(lookups().at(-1)).toMatchObject({ method: 'conversations.replies', args: { ts: again.ref } });
  });

  it('finds an export whose upload was shared before a 500, by its file name', async () => {
    const channel = newChannel();
    const post = filePost('export', 'export-md-1', 'canevas.md');
    const attempt = uncertainFromNow();
    api.faultAfterWrite('files.completeUploadExternal', 'http500');
    await expect(platform.post(channel, post)).rejects.toThrow();
    const shared = api.channelMessages(channel.channel);
    expect(shared).toHaveLength(1);
    const asked = api.calls.filter((c) => c.method === 'files.getUploadURLExternal').length;

    const again = await platform.post(channel, post, attempt);
    expect(again.ref).toBe(shared[0]?.files?.[0]?.id);
    expect(api.channelMessages(channel.channel)).toHaveLength(1);
    expect(api.calls.filter((c) => c.method === 'files.getUploadURLExternal')).toHaveLength(asked);
  });

  it('sends a summary picture once when its share was made before the connection dropped', async () => {
    const channel = newChannel();
    const post = filePost('summary', 'summary-pic', 'canevas-sheet.png', 'image/png');
    const attempt = uncertainFromNow();
    api.faultAfterWrite('files.completeUploadExternal', 'drop');
    await expect(platform.post(channel, post)).rejects.toThrow();
    const [text, picture] = api.channelMessages(channel.channel);
    expect(picture?.files?.[0]?.name).toBe('canevas-sheet.png');

    const again = await platform.post(channel, post, attempt);
    expect(again.ref).toBe(text?.ts);
    expect(api.channelMessages(channel.channel)).toHaveLength(2);
  });
});
