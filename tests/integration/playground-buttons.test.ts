import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaygroundPlatform } from '../../adapters/playground/platform.js';
import { PLAYGROUND_CHANNEL } from '../../adapters/playground/routes.js';
import type { Runtime } from '../../adapters/runtime.js';
import type { QuestionParts, RoundParts } from '../../src/platform.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/**
 * The Answer button and its form, the Remind-me button of round posts, reactions and the refusals of
 * forged core buttons, through the playground's HTTP API, on the real engine and queues.
 */
const DB = 23;

interface Post {
  id: string;
  author: { id: string; name: string };
  kind: string;
  text: string;
  question?: QuestionParts;
  round?: RoundParts;
  buttons?: { id: string; label: string }[];
  reactions: Record<string, string[]>;
  replies: Post[];
}

let runtime: Runtime;
let redis: Redis;
let base: string;

async function call(method: string, path: string, body?: unknown, raw?: string) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {},
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const command = (user: string, text: string) => call('POST', '/playground/api/command', { user, text });
const press = (id: string, body: unknown) => call('POST', `/playground/api/buttons/${id}`, body);
const submit = (id: string, body: unknown) => call('POST', `/playground/api/forms/${id}`, body);

async function posts(): Promise<Post[]> {
  return (await call('GET', '/playground/api/channel')).body.posts as Post[];
}

const questions = async () => (await posts()).filter((p) => p.kind === 'question');
const rounds = async () => (await posts()).filter((p) => p.kind === 'round');

async function firstQuestion(): Promise<Post> {
  const [first] = await questions();
  if (!first) throw new Error('no question posted');
  return first;
}

/** The channel's latest campaign as stored, to show that a refusal changed nothing. */
async function campaign() {
  const id = await runtime.store.latestId(PLAYGROUND_CHANNEL);
  return runtime.store.get(id ?? '');
}

beforeAll(async () => {
  redis = await freshRedis(DB);
  runtime = await startTestRuntime(DB);
  base = `http://127.0.0.1:${runtime.port}`;
  expect((await command('ada', '/canevas start lang:en')).body.ok).toBe(true);
  await waitFor('the first question', async () => (await questions()).length > 0);
  // Every post of the start made and recorded, so what a test compares does not move under it.
  await waitFor('the start to settle', async () => {
    const c = await campaign();
    if (!c?.progressPostRef || c.questions.some((q) => q.status === 'open' && !q.postRef)) return false;
    return (await runtime.lists.postsLength(c.id)) + (await runtime.lists.inboxLength(c.id)) === 0;
  });
});

afterAll(async () => {
  await runtime?.close();
  await redis?.quit();
});

describe('the Answer button of the playground', () => {
  it('is on every question post, Remind me on every round post, in the campaign language', async () => {
    const all = await posts();
    expect(all.map((p) => p.kind)).toEqual(expect.arrayContaining(['round', 'question', 'progress']));
    for (const post of all) {
      expect(typeof post.kind).toBe('string');
      if (post.kind === 'question') {
        expect(post.buttons).toEqual([{ id: `answer.${post.id}`, label: 'Answer' }]);
      } else if (post.kind === 'round') {
        expect(post.round).toEqual({ roundId: expect.any(String), lang: 'en' });
        expect(post.buttons).toEqual([{ id: `remind.${post.id}`, label: '🔔 Remind me' }]);
      } else expect(post.buttons).toBeUndefined();
      for (const reply of post.replies) expect(reply.buttons).toBeUndefined();
    }
  });

  it('opens the answer form, titled with the question block', async () => {
    const q = await firstQuestion();
    const res = await press(`answer.${q.id}`, { user: 'ben' });
    expect(res).toEqual({
      status: 200,
      body: {
        ok: true,
        form: {
          id: `answer.${q.id}`,
          title: 'The shared resource',
          fields: [{ id: 'answer', label: 'Your answer', kind: 'long-text', required: true }],
        },
      },
    });
    // Percent-encoded, the id is the same id.
    expect((await press(`answer%2E${q.id}`, { user: 'ben' })).status).toBe(200);
  });

  it('shows the core refusal at the field and stores nothing', async () => {
    const q = await firstQuestion();
    const before = await campaign();
    const empty = await submit(`answer.${q.id}`, { user: 'ben', values: { answer: '  \n ' } });
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({ ok: false, errors: { answer: expect.stringMatching(/empty/) } });
    const missing = await submit(`answer.${q.id}`, { user: 'ben', values: {} });
    expect(missing.body).toEqual(empty.body);
    const long = await submit(`answer.${q.id}`, { user: 'ben', values: { answer: 'x'.repeat(9_000) } });
    expect(long.status).toBe(400);
    expect((long.body.errors as Record<string, string>).answer).toMatch(/too long/);
    expect(await campaign()).toEqual(before);
  });

  it('answers any other refusal of the core as a refusal of the form, not of its field', async () => {
    const q = await firstQuestion();
    const c = await campaign();
    // A question post whose block the campaign does not have (any more): the core refuses the answer.
    const gone = await createPlaygroundPlatform(redis).post(PLAYGROUND_CHANNEL, {
      kind: 'question',
      text: 'A question the campaign no longer asks',
      dedupeKey: 'gone-question',
      question: q.question,
    });
    await runtime.store.linkThread(PLAYGROUND_CHANNEL, gone.ref, {
      campaignId: c?.id ?? '',
      blockId: 'def.gone',
    });
    const before = await campaign();
    const channelBefore = await posts();
    const res = await submit(`answer.${gone.ref}`, { user: 'ben', values: { answer: 'Lost words.' } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ ok: false, error: 'unknown-question', message: expect.any(String) });
    expect(String(res.body.message).length).toBeGreaterThan(5);
    // The question is checked before the words: even an empty answer is the form's refusal there.
    const empty = await submit(`answer.${gone.ref}`, { user: 'ben', values: { answer: ' ' } });
    expect([empty.status, empty.body.error]).toEqual([409, 'unknown-question']);
    const stillEmpty = await submit(`answer.${q.id}`, { user: 'ben', values: { answer: ' ' } });
    expect(stillEmpty.status).toBe(400);
    expect(stillEmpty.body).toEqual({ ok: false, errors: { answer: expect.stringMatching(/empty/) } });
    expect(await campaign()).toEqual(before);
    expect(await posts()).toEqual(channelBefore);
  });

  it('refuses unknown buttons and forms, unknown users and malformed bodies, changing nothing', async () => {
    // A post with no button: the living progress message.
    const progress = (await posts()).find((p) => p.kind === 'progress');
    const q = await firstQuestion();
    const [round] = await rounds();
    // A question of another channel, as another install or a forged id might name it.
    const elsewhere = await createPlaygroundPlatform(redis).post(
      { ...PLAYGROUND_CHANNEL, channel: 'elsewhere' },
      { kind: 'question', text: 'Elsewhere', dedupeKey: 'elsewhere-question', question: q.question },
    );
    const channelBefore = await posts();
    const before = await campaign();
    const good = { user: 'ben', values: { answer: 'Should never be stored.' } };
    const cases: [string, string, unknown, string | undefined, number, string][] = [
      ['buttons', 'answer.pg999999', { user: 'ben' }, undefined, 404, 'unknown-button'],
      ['buttons', `answer.${progress?.id}`, { user: 'ben' }, undefined, 404, 'unknown-button'],
      ['buttons', `answer.${elsewhere.ref}`, { user: 'ben' }, undefined, 404, 'unknown-button'],
      ['buttons', `remind.${q.id}`, { user: 'ben' }, undefined, 404, 'unknown-button'],
      ['buttons', `remind.${progress?.id}`, { user: 'ben' }, undefined, 404, 'unknown-button'],
      ['buttons', `remind.${round?.id}`, { user: 'zoe' }, undefined, 400, 'unknown-user'],
      ['buttons', `constructor.${q.id}`, { user: 'ben' }, undefined, 404, 'unknown-button'],
      ['buttons', q.id, { user: 'ben' }, undefined, 404, 'unknown-button'],
      ['buttons', '%E0%A4%A', { user: 'ben' }, undefined, 404, 'unknown-button'],
      ['buttons', `answer.${q.id}`, { user: 'zoe' }, undefined, 400, 'unknown-user'],
      ['buttons', `answer.${q.id}`, undefined, '', 400, 'missing-body'],
      ['buttons', `answer.${q.id}`, undefined, '{"user":', 400, 'bad-json'],
      ['forms', 'answer.pg999999', good, undefined, 404, 'unknown-form'],
      ['forms', `answer.${progress?.id}`, good, undefined, 404, 'unknown-form'],
      ['forms', `answer.${elsewhere.ref}`, good, undefined, 404, 'unknown-form'],
      ['forms', `__proto__.${q.id}`, good, undefined, 404, 'unknown-form'],
      // A Remind-me press opens no form.
      ['forms', `remind.${round?.id}`, good, undefined, 404, 'unknown-form'],
      ['forms', `answer.${q.id}`, { ...good, user: 'zoe' }, undefined, 400, 'unknown-user'],
      ['forms', `answer.${q.id}`, { user: 'ben' }, undefined, 400, 'bad-request'],
      ['forms', `answer.${q.id}`, { user: 'ben', values: ['x'] }, undefined, 400, 'bad-request'],
      ['forms', `answer.${q.id}`, { user: 'ben', values: { answer: 42 } }, undefined, 400, 'bad-request'],
      [
        'forms',
        `answer.${q.id}`,
        { user: 'ben', values: { answer: 'x', x: 'y' } },
        undefined,
        400,
        'unknown-field',
      ],
      ['forms', `answer.${q.id}`, undefined, '[1]', 400, 'bad-request'],
    ];
    for (const [kind, id, body, raw, status, error] of cases) {
      const res = await call('POST', `/playground/api/${kind}/${id}`, body, raw);
      expect([res.status, res.body.error], `${kind}/${id} ${JSON.stringify(body)}`).toEqual([status, error]);
      expect(res.body.ok).toBe(false);
      expect(String(res.body.message).length).toBeGreaterThan(5);
    }
    const wrongMethod = await call('GET', `/playground/api/buttons/answer.${q.id}`);
    expect([wrongMethod.status, wrongMethod.body.error]).toEqual([405, 'method-not-allowed']);
    expect(await campaign()).toEqual(before);
    expect(await posts()).toEqual(channelBefore);
  });

  it('records a valid answer, replies, and the core echoes it into the thread', async () => {
    const q = await firstQuestion();
    const text = 'Our open map of bike-repair points, sent from the form.';
    const res = await submit(`answer.${q.id}`, { user: 'chloe', values: { answer: text } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, reply: expect.stringMatching(/recorded/) });
    const echo = await waitFor('the echo in the thread', async () =>
      (await firstQuestion()).replies.find((r) => r.kind === 'echo'),
    );
    expect(echo.text).toContain('Chloé');
    expect(echo.text).toContain(text);
    const answers = Object.values((await campaign())?.answers ?? {});
    expect(answers.map((a) => [a.author.id, a.text, a.source])).toEqual([['chloe', text, 'modal']]);
    // Only the accepted answer was echoed: the refused submissions above left nothing behind.
    expect((await firstQuestion()).replies.filter((r) => r.kind === 'echo')).toHaveLength(1);
  });
});

describe('core buttons in the playground', () => {
  it('answers a forged core id with 404, and the core’s own refusal for a stored one, changing nothing', async () => {
    const q = await firstQuestion();
    const [round] = await rounds();
    const platform = createPlaygroundPlatform(redis);
    // A core button of a campaign the channel never had: stored, so the core is asked, and says no.
    const stale = await platform.post(PLAYGROUND_CHANNEL, {
      kind: 'notice',
      text: 'An old post',
      dedupeKey: 'stale-core-button',
      buttons: [{ id: 'cv|write|000000000000|def.values', label: '📝 Values' }],
    });
    const elsewhere = await platform.post(
      { ...PLAYGROUND_CHANNEL, channel: 'elsewhere' },
      {
        kind: 'round',
        text: 'Elsewhere',
        dedupeKey: 'elsewhere-core-button',
        buttons: [{ id: 'cv|write|000000000000|def.values', label: '📝 Values' }],
      },
    );
    await waitFor('the stale post', async () => (await posts()).some((p) => p.id === stale.ref));
    expect((await posts()).find((p) => p.id === stale.ref)?.buttons).toEqual([
      { id: `core.${stale.ref}.0`, label: '📝 Values' },
    ]);
    const channelBefore = await posts();
    const before = await campaign();
    const good = { user: 'ada', values: { text: 'Never stored.' } };
    const rawId = encodeURIComponent('cv|write|000000000000|def.values');
    const cases: [string, string, unknown, number, string][] = [
      ['buttons', `core.${stale.ref}.1`, { user: 'ada' }, 404, 'unknown-button'],
      ['buttons', `core.${stale.ref}.01`, { user: 'ada' }, 404, 'unknown-button'],
      ['buttons', `core.${stale.ref}`, { user: 'ada' }, 404, 'unknown-button'],
      ['buttons', `core.${q.id}.0`, { user: 'ada' }, 404, 'unknown-button'],
      ['buttons', `core.${round?.id}.0`, { user: 'ada' }, 404, 'unknown-button'],
      ['buttons', `core.${elsewhere.ref}.0`, { user: 'ada' }, 404, 'unknown-button'],
      ['buttons', 'core.pg999999.0', { user: 'ada' }, 404, 'unknown-button'],
      ['buttons', rawId, { user: 'ada' }, 404, 'unknown-button'],
      ['buttons', `core.${stale.ref}.0`, { user: 'zoe' }, 400, 'unknown-user'],
      ['buttons', `core.${stale.ref}.0`, { user: 'ada' }, 409, 'campaign-ended'],
      ['forms', `core.${stale.ref}.1`, good, 404, 'unknown-form'],
      ['forms', `core.${elsewhere.ref}.0`, good, 404, 'unknown-form'],
      ['forms', rawId, good, 404, 'unknown-form'],
      ['forms', `core.${stale.ref}.0`, { user: 'ada' }, 400, 'bad-request'],
      ['forms', `core.${stale.ref}.0`, { user: 'ada', values: { text: 3 } }, 400, 'bad-request'],
      ['forms', `core.${stale.ref}.0`, { user: 'ada', values: { 'a b': 'x' } }, 400, 'unknown-field'],
      ['forms', `core.${stale.ref}.0`, good, 409, 'campaign-ended'],
      // A command's form (`/canevas statement`) has no post: its id carries the core's, encoded.
      [
        'forms',
        `command.${Buffer.from('cv|write|000000000000|def.values').toString('base64url')}`,
        good,
        409,
        'campaign-ended',
      ],
      ['forms', 'command.Y3Z', good, 404, 'unknown-form'],
      ['forms', 'command.%40%40', good, 404, 'unknown-form'],
      [
        'buttons',
        `command.${Buffer.from('cv|write|000000000000|def.values').toString('base64url')}`,
        { user: 'ada' },
        404,
        'unknown-button',
      ],
    ];
    for (const [kind, id, body, status, error] of cases) {
      const res = await call('POST', `/playground/api/${kind}/${id}`, body);
      expect([res.status, res.body.error], `${kind}/${id} ${JSON.stringify(body)}`).toEqual([status, error]);
      expect(res.body.ok).toBe(false);
      expect(String(res.body.message).length).toBeGreaterThan(5);
    }
    expect(await campaign()).toEqual(before);
    expect(await posts()).toEqual(channelBefore);
  });
});

describe('reactions in the playground', () => {
  const path = (id: string, emoji: string) => `/playground/api/messages/${id}/reactions/${emoji}`;
  const thumbs = encodeURIComponent('👍');

  it('are kept on any message of the channel, in the order the emoji came, and shown on every post', async () => {
    const q = await firstQuestion();
    const party = encodeURIComponent('🎉');
    expect(await call('PUT', path(q.id, party), { user: 'ben' })).toEqual({
      status: 200,
      body: { ok: true, reactions: { '🎉': ['ben'] } },
    });
    await call('PUT', path(q.id, thumbs), { user: 'chloe' });
    const both = await call('PUT', path(q.id, party), { user: 'chloe' });
    expect(both.body.reactions).toEqual({ '🎉': ['ben', 'chloe'], '👍': ['chloe'] });
    expect(Object.keys(both.body.reactions as object)).toEqual(['🎉', '👍']);
    const all = await posts();
    expect(all.find((p) => p.id === q.id)?.reactions).toEqual({ '🎉': ['ben', 'chloe'], '👍': ['chloe'] });
    for (const post of all.filter((p) => p.id !== q.id)) expect(post.reactions).toEqual({});
    for (const reply of all.flatMap((p) => p.replies)) expect(reply.reactions).toEqual({});

    // Taking one off twice is taking it off once; the last one gone, so is the emoji.
    for (let i = 0; i < 2; i++)
      expect((await call('DELETE', path(q.id, party), { user: 'ben' })).body.reactions).toEqual({
        '🎉': ['chloe'],
        '👍': ['chloe'],
      });
    await call('DELETE', path(q.id, party), { user: 'chloe' });
    expect((await call('DELETE', `${path(q.id, thumbs)}?user=chloe`)).body).toEqual({
      ok: true,
      reactions: {},
    });
    expect((await posts()).find((p) => p.id === q.id)?.reactions).toEqual({});
  });

  it('refuses an unknown user or message, a bad emoji and a full message, changing nothing', async () => {
    const q = await firstQuestion();
    const elsewhere = await createPlaygroundPlatform(redis).post(
      { ...PLAYGROUND_CHANNEL, channel: 'elsewhere' },
      { kind: 'notice', text: 'Elsewhere', dedupeKey: 'elsewhere-reaction' },
    );
    // Twenty emoji already on the question: a twenty-first is one too many, one of them is not.
    const smileys = Array.from({ length: 20 }, (_, i) => String.fromCodePoint(0x1f600 + i));
    for (const emoji of smileys) await call('PUT', path(q.id, encodeURIComponent(emoji)), { user: 'ada' });
    const channelBefore = await posts();
    const before = await campaign();
    const cases: [string, string, unknown, number, string][] = [
      ['PUT', path(q.id, thumbs), { user: 'zoe' }, 400, 'unknown-user'],
      ['PUT', path(q.id, thumbs), undefined, 400, 'missing-body'],
      ['DELETE', path(q.id, thumbs), { user: 'zoe' }, 400, 'unknown-user'],
      ['PUT', path('pg999999', thumbs), { user: 'ben' }, 404, 'unknown-message'],
      ['DELETE', path('pg999999', thumbs), { user: 'ben' }, 404, 'unknown-message'],
      ['PUT', path(elsewhere.ref, thumbs), { user: 'ben' }, 404, 'unknown-message'],
      ['PUT', path(q.id, 'x'), { user: 'ben' }, 400, 'bad-emoji'],
      ['PUT', path(q.id, encodeURIComponent('👍👍')), { user: 'ben' }, 400, 'bad-emoji'],
      ['PUT', path(q.id, encodeURIComponent('+1')), { user: 'ben' }, 400, 'bad-emoji'],
      ['PUT', path(q.id, '%F0%9F%91'), { user: 'ben' }, 400, 'bad-emoji'],
      ['PUT', path(q.id, '%20'), { user: 'ben' }, 400, 'bad-emoji'],
      ['PUT', path(q.id, encodeURIComponent(`👍${'\u0301'.repeat(20)}`)), { user: 'ben' }, 400, 'bad-emoji'],
      ['PUT', path(q.id, thumbs), { user: 'ben' }, 409, 'too-many-reactions'],
      ['POST', path(q.id, thumbs), { user: 'ben' }, 405, 'method-not-allowed'],
    ];
    for (const [method, at, body, status, error] of cases) {
      const res = await call(method, at, body);
      expect([res.status, res.body.error], `${method} ${at} ${JSON.stringify(body)}`).toEqual([
        status,
        error,
      ]);
      expect(res.body.ok).toBe(false);
      expect(String(res.body.message).length).toBeGreaterThan(5);
    }
    expect(await campaign()).toEqual(before);
    expect(await posts()).toEqual(channelBefore);
    // An emoji already there still takes one more person.
    const smile = encodeURIComponent(smileys[0] as string);
    expect((await call('PUT', path(q.id, smile), { user: 'ben' })).status).toBe(200);
    for (const emoji of smileys) await call('DELETE', path(q.id, encodeURIComponent(emoji)), { user: 'ada' });
    await call('DELETE', path(q.id, smile), { user: 'ben' });
    expect((await posts()).find((p) => p.id === q.id)?.reactions).toEqual({});
  });
});

describe('the Remind-me button of the playground', () => {
  async function firstRound(): Promise<Post> {
    const [first] = await rounds();
    if (!first) throw new Error('no round posted');
    return first;
  }

  const status = async () => String((await command('chloe', '/canevas status')).body.reply);

  it('signs the member up for the nudges, as `/canevas remind-me on` does', async () => {
    const round = await firstRound();
    expect(await status()).not.toContain('signed up');
    const channelBefore = await posts();
    const res = await press(`remind.${round.id}`, { user: 'ben' });
    expect(res).toEqual({ status: 200, body: { ok: true, reply: expect.stringMatching(/^🔔 Noted/) } });
    expect(String(res.body.reply)).toContain('24 h before');
    expect((await campaign())?.remindMe).toEqual([{ id: 'ben', name: 'Ben' }]);
    expect(await status()).toContain('mentioning those who signed up (1 member)');
    // Pressed twice, still one sign-up; the reply is Ben's alone: nothing is posted.
    expect((await press(`remind.${round.id}`, { user: 'ben' })).status).toBe(200);
    expect((await campaign())?.remindMe).toEqual([{ id: 'ben', name: 'Ben' }]);
    expect(await posts()).toEqual(channelBefore);
  });

  it('refuses a press once the campaign has ended, changing nothing', async () => {
    const round = await firstRound();
    expect((await command('ada', '/canevas stop')).body.ok).toBe(true);
    await waitFor('the campaign to end', async () => (await campaign())?.endedAt !== undefined);
    await waitFor('the stop to settle', async () => {
      const id = (await campaign())?.id ?? '';
      return (await runtime.lists.postsLength(id)) + (await runtime.lists.inboxLength(id)) === 0;
    });
    const before = await campaign();
    const channelBefore = await posts();
    const res = await press(`remind.${round.id}`, { user: 'chloe' });
    expect(res.status).toBe(409);
    // The round post belongs to the channel's last campaign, which has ended: the core says so.
    expect(res.body).toEqual({
      ok: false,
      error: 'campaign-ended',
      message: expect.stringContaining('ended'),
    });
    expect(await campaign()).toEqual(before);
    expect(before?.remindMe).toEqual([{ id: 'ben', name: 'Ben' }]);
    expect(await posts()).toEqual(channelBefore);
  });

  it('speaks French for a French campaign, as the Answer button does', async () => {
    const old = await firstQuestion();
    const oldRound = await firstRound();
    expect((await command('ada', '/canevas start lang:fr')).body.ok).toBe(true);
    const fr = await waitFor('a French question', async () =>
      (await questions()).find((p) => p.question?.lang === 'fr'),
    );
    expect(fr.buttons).toEqual([{ id: `answer.${fr.id}`, label: 'Répondre' }]);
    const form = (await press(`answer.${fr.id}`, { user: 'ada' })).body.form as {
      fields: { label: string }[];
    };
    expect(form.fields[0]?.label).toBe('Votre réponse');
    const frRound = await waitFor('a French round', async () =>
      (await rounds()).find((p) => p.round?.lang === 'fr'),
    );
    expect(frRound.buttons).toEqual([{ id: `remind.${frRound.id}`, label: '🔔 Me le rappeler' }]);
    const signedUp = await press(`remind.${frRound.id}`, { user: 'chloe' });
    expect(signedUp.body).toEqual({ ok: true, reply: expect.stringMatching(/^🔔 C’est noté/) });
    // Each post speaks the language of the campaign that made it.
    const all = await posts();
    expect(all.find((p) => p.id === old.id)?.buttons?.[0]?.label).toBe('Answer');
    expect(all.find((p) => p.id === oldRound.id)?.buttons?.[0]?.label).toBe('🔔 Remind me');
  });
});
