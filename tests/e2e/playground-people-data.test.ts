import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import { countAnswers } from '../../src/canvas/canvas-figures.js';
import type { Campaign } from '../../src/facilitation/types.js';
import { keys } from '../../src/store/keys.js';
import { playgroundApi } from '../helpers/playground-api.js';
import { freshRedis } from '../helpers/redis.js';
import { activeCampaign, startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/**
 * People's data in the playground, through its HTTP API alone, on the real engine, store and queues:
 * `forget-me` (asked, then confirmed) takes a member's answers and name out of the channel's
 * campaigns, Redis included; an anonymous campaign shows no name anywhere.
 */
const DB = 46;

interface Message {
  id: string;
  kind: string;
  text: string;
  author: { id: string };
  reactions: Record<string, string[]>;
  replies?: Message[];
  file?: { name: string; url: string };
}

let runtime: Runtime;
let redis: Redis;
let base: string;
const api = playgroundApi(() => base);
const posts = () => api.posts<Message>();

beforeAll(async () => {
  redis = await freshRedis(DB);
  runtime = await startTestRuntime(DB);
  base = `http://127.0.0.1:${runtime.port}`;
});

afterAll(async () => {
  await runtime?.close();
  redis?.disconnect();
});

/** Everything the last step queued is applied and posted. */
async function settled(campaignId: string): Promise<void> {
  await waitFor('the campaign to settle', async () => {
    return (
      (await runtime.lists.postsLength(campaignId)) + (await runtime.lists.inboxLength(campaignId)) === 0
    );
  });
}

/** The questions of the channel's latest round, once they are all posted. */
async function questions(count: number, after = 0): Promise<Message[]> {
  return waitFor(`${count} questions`, async () => {
    const found = (await posts()).filter((p) => p.kind === 'question').slice(after);
    return found.length >= count ? found.slice(0, count) : undefined;
  });
}

/** Every value Canevas keeps in Redis (the playground's own channel, the platform's stand-in, aside). */
async function storedText(): Promise<string> {
  const parts: string[] = [];
  for await (const batch of redis.scanStream({ match: 'canevas:*', count: 500 })) {
    for (const key of batch as string[]) {
      if (key.startsWith('canevas:{playground}:')) continue;
      const type = await redis.type(key);
      if (type === 'string') parts.push(key, (await redis.get(key)) ?? '');
      else if (type === 'hash') parts.push(key, JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') parts.push(key, ...(await redis.lrange(key, 0, -1)));
      else if (type === 'set') parts.push(key, ...(await redis.smembers(key)));
      else if (type === 'zset') parts.push(key, ...(await redis.zrangebyscore(key, '-inf', '+inf')));
    }
  }
  return parts.join('\n');
}

async function exported(ext: string, nth: number): Promise<string> {
  const post = await waitFor(`export ${nth} of ${ext}`, async () => {
    const files = (await posts()).filter((p) => p.kind === 'export' && p.file?.name.endsWith(ext));
    return files[nth - 1];
  });
  return (await fetch(`${base}${post.file?.url ?? ''}`)).text();
}

let first: Campaign;
let benThread = '';
let benForm = '';

describe('forget-me in the playground', () => {
  it('tells members in the introduction what is compiled, where, and how to take it back', async () => {
    expect((await api.command('ada', '/canevas start lang:en')).body.ok).toBe(true);
    const round = await waitFor('the first round post', async () =>
      (await posts()).find((p) => p.kind === 'round'),
    );
    expect(round.text).toContain('compiled, with your display name, into the canvas');
    expect(round.text).toContain('`/canevas forget-me`');
    expect(round.text).toContain('until the campaign is deleted');
  });

  it('asks first, saying what would go, and changes nothing', async () => {
    const [resource, purpose] = await questions(3);
    if (!resource || !purpose) throw new Error('no questions');
    const ben = await api.answer('ben', resource.id, 'Our tools library, kept by Ben.');
    const chloe = await api.answer('chloe', resource.id, 'A shared map of repair points.');
    benThread = (ben.body.message as Message).id;
    const chloeId = (chloe.body.message as Message).id;
    const form = await api.submit('ben', `answer.${purpose.id}`, {
      answer: 'Fixing bikes together, said Ben.',
    });
    expect(form.status).toBe(200);
    await api.react('ben', chloeId, '👍');
    await api.react('chloe', benThread, '👍');
    expect((await api.command('ben', '/canevas remind-me on')).body.ok).toBe(true);
    first = await activeCampaign(runtime);
    await settled(first.id);
    // The form answer is echoed in its thread, with Ben's name.
    const echo = await waitFor('the echo', async () =>
      (await posts())
        .find((p) => p.id === purpose.id)
        ?.replies?.find((r) => r.text.includes('Fixing bikes together')),
    );
    benForm = echo.id;
    expect(echo.text).toContain('Ben');

    const asked = await api.command('ben', '/canevas forget-me');
    expect(asked.body).toMatchObject({ ok: true });
    expect(asked.body.reply).toContain('1 campaign');
    expect(asked.body.reply).toContain('(2)');
    expect(asked.body.reply).toContain('/canevas forget-me confirm');
    const after = await activeCampaign(runtime);
    expect(Object.values(after.answers).filter((a) => a.author.id === 'ben')).toHaveLength(2);
    // What the next test looks for is there to be found.
    expect(await storedText()).toContain('kept by Ben');
  });

  it('on confirmation, deletes his answers with their history and takes his name off everything', async () => {
    const done = await api.command('ben', '/canevas forget-me confirm');
    expect(done.body).toMatchObject({ ok: true });
    expect(done.body.reply).toMatch(/Done: in 1 campaign of this channel, your answers \(2\) are deleted/);
    await settled(first.id);
    const c = await activeCampaign(runtime);
    expect(Object.values(c.answers).map((a) => a.author.id)).toEqual(['chloe']);
    expect(Object.values(c.answers)[0]?.reactions).toBeUndefined();
    expect(c.remindMe).toBeUndefined();
    expect(c.forgotten?.answers).toEqual({ 'def.resource': 1, 'def.purpose': 1 });
    // Nowhere in what Canevas keeps: not his words, not his id as an author or a reactor.
    const stored = await storedText();
    expect(stored).not.toContain('kept by Ben');
    expect(stored).not.toContain('said Ben');
    expect(stored).not.toContain('"id":"ben"');
    expect(stored).not.toContain('"ben"');
    expect(await redis.hlen(keys.answers(first.id))).toBe(1);
    // The counts kept beside the answers (what `status` reads) lost his with them.
    expect((await runtime.store.loadCounted(first.id))?.counts).toEqual(
      countAnswers(Object.values(c.answers)),
    );
    expect(await redis.hexists(keys.people(first.id), 'ben')).toBe(0);
  });

  it("erases the bot's echo of his form answer, and keeps the count in the canvas", async () => {
    const echo = await waitFor('the echo erased', async () =>
      (await posts())
        .flatMap((p) => p.replies ?? [])
        .find((r) => r.id === benForm && r.text.includes('Removed at a member’s request')),
    );
    expect(echo.text).not.toContain('Ben');
    expect((await api.command('ada', '/canevas export md')).body.ok).toBe(true);
    const md = await exported('.md', 1);
    expect(md).toContain('1 answer removed at a member’s request');
    expect(md).not.toContain('kept by Ben');
    expect(md).toContain('A shared map of repair points.');
  });

  it('does not take his old message back when he edits it, and tells him why', async () => {
    const edited = await api.call('PATCH', `/playground/api/messages/${benThread}`, {
      user: 'ben',
      text: 'Our tools library, kept by Ben (edited).',
    });
    expect(edited.status).toBe(200);
    expect(edited.body.reply).toContain('taken back at your request');
    await settled(first.id);
    const c = await activeCampaign(runtime);
    expect(c.answers[benThread]).toBeUndefined();
    expect(c.held).toBeUndefined();
    // A new answer is his to give.
    const [resource] = await questions(1);
    const again = await api.answer('ben', resource?.id ?? '', 'A new thought.');
    expect(again.status).toBe(201);
  });
});

describe('an anonymous campaign in the playground', () => {
  let second: Campaign;

  it('starts with anonymous:on, says so in its introduction and its status', async () => {
    const first = await activeCampaign(runtime);
    expect((await api.command('ada', '/canevas stop')).body.ok).toBe(true);
    // The first campaign's final canvas is posted before the second begins, so it is not taken for its.
    await settled(first.id);
    const before = (await posts()).filter((p) => p.kind === 'question').length;
    expect((await api.command('ada', '/canevas start lang:en anonymous:on')).body.ok).toBe(true);
    const round = await waitFor('the new round post', async () =>
      (await posts()).filter((p) => p.kind === 'round').at(1),
    );
    expect(round.text).toContain('This campaign is anonymous');
    expect(round.text).toContain('answer with a question’s Answer button');
    second = await activeCampaign(runtime);
    expect(second.anonymous).toBe(true);
    const status = await api.command('chloe', '/canevas status');
    expect(status.body.reply).toContain('Anonymous: answers and stances are compiled without names.');
    await questions(3, before);
  });

  it('compiles answers without names in the echo, the summary and every export', async () => {
    const all = (await posts()).filter((p) => p.kind === 'question');
    const [resource, purpose] = all.slice(-3);
    await api.submit('chloe', `answer.${purpose?.id}`, { answer: 'Anonymous purpose.' });
    await api.answer('ben', resource?.id ?? '', 'Anonymous resource.');
    await settled(second.id);
    const echo = await waitFor('the anonymous echo', async () =>
      (await posts())
        .find((p) => p.id === purpose?.id)
        ?.replies?.find((r) => r.text.includes('Anonymous purpose.')),
    );
    expect(echo.text).toContain('a member');
    expect(echo.text).not.toContain('Chloé');
    // Not even stored.
    expect(JSON.stringify(await activeCampaign(runtime))).not.toContain('Chloé');

    for (const format of ['md', 'json', 'csv'])
      expect((await api.command('ada', `/canevas export ${format}`)).body.ok).toBe(true);
    const summaries = (await posts()).filter((p) => p.kind === 'summary').length;
    expect((await api.command('ada', '/canevas summary')).body.ok).toBe(true);
    const md = await exported('.md', 2);
    const json = await exported('.json', 1);
    const csv = await exported('.csv', 1);
    const summary = await waitFor('the summary', async () =>
      (await posts()).filter((p) => p.kind === 'summary').at(summaries),
    );
    for (const text of [md, json, csv, summary.text]) {
      expect(text).toContain('Anonymous purpose.');
      for (const who of ['Chloé', 'Ben', '"chloe"', '"ben"', ',chloe,', ',ben,'])
        expect(text).not.toContain(who);
    }
    expect(JSON.parse(json)).toMatchObject({
      campaign: { anonymous: true },
      contributors: [],
      contributorCount: 2,
    });
  });

  it('reaches every campaign of the channel, the ended one too', async () => {
    const done = await api.command('chloe', '/canevas forget-me confirm');
    expect(done.body.reply).toMatch(/in 2 campaigns of this channel, your answers \(2\)/);
    await settled(second.id);
    await settled(first.id);
    expect(Object.values((await runtime.store.get(first.id))?.answers ?? {}).map((a) => a.author.id)).toEqual(
      ['ben'],
    );
    expect(await storedText()).not.toContain('"chloe"');
  });
});
