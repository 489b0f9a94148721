import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordPlatform, createRest } from '../../adapters/discord/outbound.js';
import type { OutboundPost } from '../../src/index.js';
import { CHANNEL_ID, type FakeDiscord, GUILD_ID, startFakeDiscord } from '../fakes/discord-server.js';

/** The Discord ChatPlatform over REST only (what `canevas work` uses), against the fake Discord. */
let discord: FakeDiscord;
const channel = { platform: 'discord' as const, workspace: GUILD_ID, channel: CHANNEL_ID };
const platform = () => createDiscordPlatform(createRest({ token: 't', apiUrl: discord.url }));

const question: OutboundPost = {
  kind: 'question',
  text: '**Sheet 1 · The resource** · question 1/12\n**The shared resource**\n\nWhat do we share?',
  dedupeKey: 'c1-question-b1',
  question: {
    blockId: 'b1',
    ficheTitle: 'The resource',
    blockTitle: 'The shared resource',
    question: 'What do we share?',
    example: 'A map',
    hints: [],
    position: 1,
    total: 12,
    lang: 'en',
  },
};

beforeAll(async () => {
  discord = await startFakeDiscord();
});

afterAll(async () => {
  await discord?.close();
});

describe('Discord outbound', () => {
  it('posts a question once, as an embed with the Answer button and a thread, even when retried', async () => {
    const first = await platform().post(channel, question);
    const again = await platform().post(channel, question);
    expect(again.ref).toBe(first.ref);
    const posted = discord.botMessages().filter((m) => m.channel_id === CHANNEL_ID);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.embeds[0]?.title).toBe('The shared resource');
    expect(posted[0]?.embeds[0]?.footer?.text).toBe('1/12');
    expect(JSON.stringify(posted[0]?.components)).toContain('"custom_id":"canevas_answer:en"');
    expect(JSON.stringify(posted[0]?.components)).toContain('"label":"Answer"');
    expect(discord.threads.get(first.ref)).toMatchObject({
      parent_id: CHANNEL_ID,
      name: 'The shared resource',
    });
  });

  it('replies in the thread, splits long text, uploads files and updates posts', async () => {
    const [q] = discord.botMessages();
    if (!q) throw new Error('no question');
    const long = Array.from({ length: 120 }, (_, i) => `Line ${i} of a long summary, with words.`).join('\n');
    const reply = await platform().post(channel, {
      kind: 'echo',
      text: long,
      threadRef: q.id,
      dedupeKey: 'echo-1',
    });
    const inThread = discord.botMessages().filter((m) => m.channel_id === q.id);
    expect(inThread.length).toBeGreaterThan(1);
    expect(inThread[0]?.id).toBe(reply.ref);
    expect(inThread.map((m) => m.content).join('\n')).toBe(long);

    const file = await platform().post(channel, {
      kind: 'export',
      text: 'The canvas',
      dedupeKey: 'export-1',
      file: {
        name: 'canvas.md',
        contentType: 'text/markdown',
        data: Buffer.from('# Canvas'),
      },
    });
    const withFile = discord.messages.get(file.ref);
    expect(withFile?.attachments[0]?.filename).toBe('canvas.md');
    expect(withFile?.attachments[0]?.data.toString()).toBe('# Canvas');

    await platform().update(channel, file.ref, { kind: 'progress', text: 'Updated', dedupeKey: 'export-1' });
    expect(discord.messages.get(file.ref)?.content).toBe('Updated');
    for (const m of discord.botMessages()) expect(m.allowed_mentions).toEqual({ parse: [] });
  });

  it('posts a round once, as an embed with the Remind-me button and no thread, even when retried', async () => {
    const round: OutboundPost = {
      kind: 'round',
      text: '**Sheet 1 · What we share** · round 1/9\n\n🧭 **What we share, and why**: 3 questions.',
      dedupeKey: 'c1-round-r1',
      round: { roundId: 'r1', lang: 'fr' },
    };
    const first = await platform().post(channel, round);
    const again = await platform().post(channel, round, { uncertainSince: new Date(0).toISOString() });
    expect(again.ref).toBe(first.ref);
    const posted = discord.messages.get(first.ref);
    expect(posted?.content).toBe('');
    expect(posted?.embeds[0]?.description).toBe(round.text);
    expect(JSON.stringify(posted?.components)).toContain('"custom_id":"canevas_remind:fr"');
    expect(JSON.stringify(posted?.components)).toContain('"label":"Me le rappeler"');
    expect(posted?.allowed_mentions).toEqual({ parse: [] });
    expect(discord.threads.has(first.ref)).toBe(false);
  });

  it('lets a nudge notify the Discord users it names, and nobody else', async () => {
    const many = Array.from({ length: 120 }, (_, i) => `3${String(i).padStart(17, '0')}`);
    const nudge = (mentions: string[], key: string): OutboundPost => ({
      kind: 'reminder',
      text: `⏰ Round 1/9 closes soon. ${mentions.map((id) => `<@${id}>`).join(' ')}`.slice(0, 1900),
      mentions,
      dedupeKey: key,
    });
    const named = await platform().post(
      channel,
      nudge(['200000000000000002', 'UBEN', 'everyone', '200000000000000002', '12'], 'c1-nudge-1'),
    );
    expect(discord.messages.get(named.ref)?.allowed_mentions).toEqual({
      parse: [],
      users: ['200000000000000002'],
    });
    // Discord refuses more than 100 users in allowed_mentions: the first 100 are kept.
    const crowded = await platform().post(channel, nudge(many, 'c1-nudge-2'));
    expect(discord.messages.get(crowded.ref)?.allowed_mentions).toEqual({
      parse: [],
      users: many.slice(0, 100),
    });
    // Mentions nobody Discord knows: nobody may be notified.
    const none = await platform().post(channel, nudge(['UBEN'], 'c1-nudge-3'));
    expect(discord.messages.get(none.ref)?.allowed_mentions).toEqual({ parse: [] });
  });

  it('lays the core’s buttons under a round post’s own, and an edit keeps the embed and every button', async () => {
    const tag = 'abcdef012345';
    const stance = (s: string, version: number) => ({
      id: `cv|stance|${tag}|b1|${version}|${s}`,
      label: `${s} · Resource`,
      group: 'b1',
    });
    const round: OutboundPost = {
      kind: 'round',
      text: '**Sheet 1 · What we share** · round 2/9\n\n📝 Admins: write the shared versions.',
      dedupeKey: 'c2-round-r2',
      round: { roundId: 'r2', lang: 'en' },
      buttons: [{ id: `cv|write|${tag}|b1`, label: '📝 Resource', group: 'write' }],
    };
    const { ref } = await platform().post(channel, round);
    const rows = () =>
      ((discord.messages.get(ref)?.components ?? []) as { components: { custom_id: string }[] }[]).map((r) =>
        r.components.map((b) => b.custom_id),
      );
    expect(rows()).toEqual([['canevas_remind:en'], [`cv|write|${tag}|b1`]]);

    const edited: OutboundPost = {
      ...round,
      text: `${round.text}\n\n🤝 **Shared versions · round 1/9 · What we share**\n> Our tools library.`,
      buttons: [
        stance('consent', 1),
        stance('concern', 1),
        stance('objection', 1),
        { id: `cv|revise|${tag}|b1`, label: 'revise · Resource', group: 'b1' },
      ],
    };
    await platform().update(channel, ref, edited);
    const after = discord.messages.get(ref);
    expect(after?.embeds[0]?.description).toBe(edited.text);
    expect(after?.content).toBe('');
    expect(rows()).toEqual([
      ['canevas_remind:en'],
      [
        `cv|stance|${tag}|b1|1|consent`,
        `cv|stance|${tag}|b1|1|concern`,
        `cv|stance|${tag}|b1|1|objection`,
        `cv|revise|${tag}|b1`,
      ],
    ]);

    // A stance's reason goes in the round post's thread, opened then (Discord has none on a message until asked).
    const reply = await platform().post(channel, {
      kind: 'stance',
      text: '🛑 **Chloé** objects to the shared version of **Resource** (version 1):\n> Not yet.',
      threadRef: ref,
      dedupeKey: 'c2-stance-b1-1-0',
    });
    expect(discord.threads.get(ref)).toMatchObject({
      parent_id: CHANNEL_ID,
      name: '🤝 Shared versions · round 1/9 · What we share',
    });
    expect(discord.messages.get(reply.ref)?.channel_id).toBe(ref);
    const second = await platform().post(channel, {
      kind: 'stance',
      text: '🟡 **Ben** has a concern.',
      threadRef: ref,
      dedupeKey: 'c2-stance-b1-1-1',
    });
    expect(discord.messages.get(second.ref)?.channel_id).toBe(ref);
    expect(
      discord.calls.filter((c) => c.method === 'POST' && c.path.endsWith(`/${ref}/threads`)),
    ).toHaveLength(1);
  });

  it('posts a consent post as an embed with its buttons, and a long summary’s buttons under its last piece', async () => {
    const tag = 'abcdef012345';
    const consent = await platform().post(channel, {
      kind: 'consent',
      text: '🤝 **Shared versions · round 9/9 · First step**',
      dedupeKey: 'c3-consent-r9',
      buttons: [{ id: `cv|revise|${tag}|b9`, label: '✏️ Revise · Next step', group: 'b9' }],
    });
    const made = discord.messages.get(consent.ref);
    expect(made?.embeds[0]?.description).toBe('🤝 **Shared versions · round 9/9 · First step**');
    expect(JSON.stringify(made?.components)).toContain(`"custom_id":"cv|revise|${tag}|b9"`);

    const long = Array.from({ length: 120 }, (_, i) => `Line ${i} of the final canvas.`).join('\n');
    const summary = await platform().post(channel, {
      kind: 'summary',
      text: long,
      dedupeKey: 'c3-summary-final',
      buttons: [{ id: `cv|write|${tag}|b9`, label: '📝 Next step', group: 'write' }],
    });
    const pieces = discord.botMessages().filter((m) => BigInt(m.id) >= BigInt(summary.ref));
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.slice(0, -1).every((m) => m.components.length === 0)).toBe(true);
    expect(JSON.stringify(pieces.at(-1)?.components)).toContain(`"custom_id":"cv|write|${tag}|b9"`);
  });

  it('links to a message in its thread, or in the channel', () => {
    expect(platform().permalink?.(channel, { messageRef: '300', threadRef: '200' })).toBe(
      `https://discord.com/channels/${GUILD_ID}/200/300`,
    );
    expect(platform().permalink?.(channel, { messageRef: '300' })).toBe(
      `https://discord.com/channels/${GUILD_ID}/${CHANNEL_ID}/300`,
    );
  });
});
