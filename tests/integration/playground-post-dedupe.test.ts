import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChannel } from '../../adapters/playground/channel-store.js';
import { createPlaygroundPlatform } from '../../adapters/playground/platform.js';
import type { ChannelRef, ChatPlatform } from '../../src/index.js';
import { filePost, noticePost, threadReplyPost } from '../fixtures/posts.js';
import { freshRedis } from '../helpers/redis.js';

/**
 * "A post is never sent twice" on the playground: the key is checked and the message stored in one
 * Redis script, so a retry (uncertain or not) gets back the message its first try made.
 */
let redis: Redis;
let platform: ChatPlatform;
let channelCounter = 0;

beforeAll(async () => {
  redis = await freshRedis(18);
  platform = createPlaygroundPlatform(redis);
});

afterAll(async () => {
  redis.disconnect();
});

const newChannel = (): ChannelRef => ({
  platform: 'playground',
  workspace: 'local',
  channel: `dedupe-${++channelCounter}`,
});
const uncertainFromNow = () => ({ uncertainSince: new Date().toISOString() });

describe('playground: a post is never sent twice', () => {
  it('returns the message an earlier try made, which carries its key', async () => {
    const channel = newChannel();
    // The earlier try's answer is lost, as in a crash right after the write.
    const attempt = uncertainFromNow();
    const first = await platform.post(channel, noticePost('n-1'));
    const again = await platform.post(channel, noticePost('n-1'), attempt);
    expect(again.ref).toBe(first.ref);
    expect((await readChannel(redis, channel)).map((m) => m.id)).toEqual([first.ref]);
    expect(await redis.hget(`canevas:{playground}:msg:${first.ref}`, 'dedupeKey')).toBe('n-1');
  });

  it('posts exactly once when the uncertain try never stored anything', async () => {
    const channel = newChannel();
    const { ref } = await platform.post(channel, noticePost('n-never'), uncertainFromNow());
    expect((await readChannel(redis, channel)).map((m) => m.id)).toEqual([ref]);
  });

  it('replies once in a thread', async () => {
    const channel = newChannel();
    const parent = await platform.post(channel, noticePost('n-parent'));
    const reply = threadReplyPost(parent.ref, 'e-1');
    const first = await platform.post(channel, reply);
    const again = await platform.post(channel, reply, uncertainFromNow());
    expect(again.ref).toBe(first.ref);
    const [thread] = await readChannel(redis, channel);
    expect(thread?.replies.map((m) => m.id)).toEqual([first.ref]);
  });

  it('keeps one copy of an export file', async () => {
    const channel = newChannel();
    const post = filePost('export', 'x-1', 'canevas.md');
    const first = await platform.post(channel, post);
    const again = await platform.post(channel, post, uncertainFromNow());
    expect(again.ref).toBe(first.ref);
    expect(await redis.keys('canevas:{playground}:file:*')).toEqual([
      `canevas:{playground}:file:${first.ref}`,
    ]);
  });
});
