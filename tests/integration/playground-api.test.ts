import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventsChannel, getMessage, readChannel, readFile } from '../../adapters/playground/channel-store.js';
import { createPlaygroundPlatform } from '../../adapters/playground/platform.js';
import { PLAYGROUND_CHANNEL, stripCommandName } from '../../adapters/playground/routes.js';
import { type PlaygroundServer, startPlaygroundServer } from '../../adapters/playground/server.js';
import type { ChannelRef } from '../../src/facilitation/types.js';
import type { ChatPlatform, OutboundPost, QuestionParts } from '../../src/platform.js';
import { FakeInbound } from '../fakes/playground-inbound.js';
import { freshRedis } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

const DB = 7;
const channel: ChannelRef = PLAYGROUND_CHANNEL;

const post = (kind: OutboundPost['kind'], text: string, extra: Partial<OutboundPost> = {}): OutboundPost => ({
  kind,
  text,
  dedupeKey: `${kind}-${text.length}-${Math.random().toString(36).slice(2)}`,
  ...extra,
});

const QUESTION_PARTS: QuestionParts = {
  blockId: 'shared-resource',
  ficheTitle: 'Definition',
  blockTitle: 'The shared resource',
  question: 'What is shared?',
  example: 'A map',
  hints: ['who uses it'],
  position: 1,
  total: 29,
  lang: 'en',
};

let redis: Redis;
let platform: ChatPlatform;

beforeAll(async () => {
  redis = await freshRedis(DB);
  platform = createPlaygroundPlatform(redis);
});

afterAll(async () => {
  await redis.quit();
});

describe('the playground platform', () => {
  beforeEach(async () => {
    await redis.flushdb();
  });

  it('is named playground and writes Markdown', () => {
    expect(platform.name).toBe('playground');
    expect(platform.format.bold('x')).toBe('**x**');
  });

  it('stores posts in order, with the bot as author', async () => {
    const a = await platform.post(channel, post('intro', 'Hello **all**'));
    const b = await platform.post(channel, post('notice', 'Second'));
    expect(a.ref).not.toBe(b.ref);
    const posts = await readChannel(redis, channel);
    expect(posts.map((p) => p.id)).toEqual([a.ref, b.ref]);
    expect(posts[0]).toMatchObject({
      id: a.ref,
      author: { id: 'canevas', name: 'Canevas', bot: true },
      kind: 'intro',
      text: 'Hello **all**',
      replies: [],
    });
    expect(Date.parse(posts[0]?.createdAt ?? '')).not.toBeNaN();
    expect(posts[0]?.updatedAt).toBeUndefined();
  });

  it('keeps the question parts and puts replies in their thread', async () => {
    const question = QUESTION_PARTS;
    const q = await platform.post(channel, post('question', 'What is shared?', { question }));
    const r = await platform.post(channel, post('reminder', 'Still open', { threadRef: q.ref }));
    const posts = await readChannel(redis, channel);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.question).toEqual(question);
    expect(posts[0]?.replies.map((x) => [x.id, x.kind, x.threadRef])).toEqual([[r.ref, 'reminder', q.ref]]);
  });

  it('refuses a thread that does not exist, or a thread inside a thread', async () => {
    await expect(platform.post(channel, post('reminder', 'x', { threadRef: 'pg999' }))).rejects.toThrow(
      /does not exist/,
    );
    const q = await platform.post(channel, post('question', 'Q'));
    const r = await platform.post(channel, post('reminder', 'R', { threadRef: q.ref }));
    await expect(platform.post(channel, post('reminder', 'x', { threadRef: r.ref }))).rejects.toThrow();
    const other: ChannelRef = { ...channel, channel: 'elsewhere' };
    await expect(platform.post(other, post('reminder', 'x', { threadRef: q.ref }))).rejects.toThrow();
    expect((await readChannel(redis, channel))[0]?.replies).toHaveLength(1);
    expect(await readChannel(redis, other)).toEqual([]);
  });

  it('posts once per dedupe key', async () => {
    const first = await platform.post(channel, post('progress', 'one', { dedupeKey: 'progress-c1' }));
    const again = await platform.post(channel, post('progress', 'one', { dedupeKey: 'progress-c1' }));
    expect(again.ref).toBe(first.ref);
    expect(await readChannel(redis, channel)).toHaveLength(1);
  });

  it('updates the text of a post in place', async () => {
    const p = await platform.post(channel, post('progress', '1/29'));
    await platform.post(channel, post('notice', 'after'));
    await platform.update(channel, p.ref, post('progress', '2/29'));
    const posts = await readChannel(redis, channel);
    expect(posts.map((x) => x.text)).toEqual(['2/29', 'after']);
    expect(posts[0]?.updatedAt).toBeDefined();
    await expect(platform.update(channel, 'pg404', post('progress', 'x'))).rejects.toThrow(/gone/);
    expect(await getMessage(redis, 'pg404')).toBeNull();
  });

  it('stores a file under its own key and links to it', async () => {
    const bytes = Buffer.from('block,answer\nshared-resource,"a map"\n', 'utf8');
    const p = await platform.post(
      channel,
      post('export', 'Your export', {
        file: { name: 'canevas export.csv', contentType: 'text/csv', data: bytes },
      }),
    );
    const [stored] = await readChannel(redis, channel);
    expect(stored?.file).toEqual({
      name: 'canevas export.csv',
      contentType: 'text/csv',
      size: bytes.length,
      url: `/playground/files/${p.ref}/canevas%20export.csv`,
    });
    const file = await readFile(redis, p.ref);
    expect(file?.data.equals(bytes)).toBe(true);
    expect(file?.contentType).toBe('text/csv');
  });

  it('announces every change on the pub/sub channel', async () => {
    const subscriber = redis.duplicate();
    const events: Record<string, unknown>[] = [];
    subscriber.on('message', (_ch: string, msg: string) => events.push(JSON.parse(msg)));
    await subscriber.subscribe(eventsChannel(redis));
    try {
      const p = await platform.post(channel, post('progress', 'a'));
      await platform.update(channel, p.ref, post('progress', 'b'));
      await waitFor('two events', () => (events.length >= 2 ? true : undefined));
      expect(events).toEqual([
        { type: 'posted', channel: 'local/general', id: p.ref },
        { type: 'updated', channel: 'local/general', id: p.ref },
      ]);
    } finally {
      await subscriber.quit();
    }
  });
});

describe('the playground routes', () => {
  let server: PlaygroundServer;
  let inbound: FakeInbound;

  beforeEach(async () => {
    await redis.flushdb();
    inbound = new FakeInbound();
    server = await startPlaygroundServer({ redis, inbound });
    return () => server.close();
  });

  async function call(method: string, path: string, body?: unknown, raw?: string) {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {},
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function question(text = 'What is shared?') {
    const { ref } = await platform.post(channel, post('question', text));
    inbound.questions.add(ref);
    return ref;
  }

  it('serves the page, its script and style, and leaves other paths alone', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await page.text()).toContain('Canevas playground — a local channel');
    const script = await fetch(`${server.url}/playground/page.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain('EventSource');
    expect((await fetch(`${server.url}/playground/page.css`)).status).toBe(200);
    const other = await fetch(`${server.url}/healthz`);
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ ok: false, error: 'not-found' });
    const route = server.routes;
    expect(typeof route.close).toBe('function');
  });

  it('lists the channel with its users', async () => {
    const q = await question();
    const { status, body } = await call('GET', '/playground/api/channel');
    expect(status).toBe(200);
    expect(body.channel).toEqual(channel);
    expect(body.users).toEqual([
      { id: 'ada', name: 'Ada', admin: true },
      { id: 'ben', name: 'Ben', admin: false },
      { id: 'chloe', name: 'Chloé', admin: false },
    ]);
    expect((body.posts as { id: string }[]).map((p) => p.id)).toEqual([q]);
  });

  it('passes commands to the engine as the chosen user and stores none of the reply', async () => {
    const help = await call('POST', '/playground/api/command', { user: 'ben', text: '/canevas help' });
    expect(help).toEqual({ status: 200, body: { ok: true, reply: '**Usage**: /canevas start' } });
    const refused = await call('POST', '/playground/api/command', { user: 'chloe', text: 'start lang:en' });
    expect(refused.body).toEqual({ ok: false, reply: 'Only an admin may do that.' });
    await call('POST', '/playground/api/command', { user: 'ada', text: '  /canevas   start lang:en ' });
    expect(inbound.commands.map((c) => [c.actor, c.text])).toEqual([
      [{ id: 'ben', name: 'Ben', isAdmin: false }, 'help'],
      [{ id: 'chloe', name: 'Chloé', isAdmin: false }, 'start lang:en'],
      [{ id: 'ada', name: 'Ada', isAdmin: true }, 'start lang:en'],
    ]);
    expect(inbound.commands.every((c) => c.channel === channel || c.channel.channel === 'general')).toBe(
      true,
    );
    expect(await readChannel(redis, channel)).toEqual([]);
    expect(stripCommandName('/canevasx')).toBe('/canevasx');
    expect(stripCommandName('/CANEVAS')).toBe('');
  });

  it('refuses bad requests with clear JSON errors', async () => {
    const cases: [string, string, unknown, string | undefined, number, string][] = [
      ['POST', '/playground/api/command', { user: 'zoe', text: 'help' }, undefined, 400, 'unknown-user'],
      ['POST', '/playground/api/command', undefined, '', 400, 'missing-body'],
      ['POST', '/playground/api/command', undefined, '{"user":', 400, 'bad-json'],
      ['POST', '/playground/api/command', undefined, '[1,2]', 400, 'bad-request'],
      ['POST', '/playground/api/command', { user: 'ada', text: 42 }, undefined, 400, 'bad-request'],
      [
        'POST',
        '/playground/api/command',
        { user: 'ada', text: 'x'.repeat(70_000) },
        undefined,
        413,
        'too-large',
      ],
      ['GET', '/playground/api/command', undefined, undefined, 405, 'method-not-allowed'],
      ['POST', '/playground/api/channel', undefined, undefined, 405, 'method-not-allowed'],
      ['GET', '/playground/api/nothing', undefined, undefined, 404, 'not-found'],
      [
        'PATCH',
        '/playground/api/messages/pg404',
        { user: 'ben', text: 'x' },
        undefined,
        404,
        'unknown-message',
      ],
      ['GET', '/playground/files/pg404/x.csv', undefined, undefined, 404, 'unknown-file'],
    ];
    for (const [method, path, body, raw, status, error] of cases) {
      const res = await call(method, path, body, raw);
      expect([res.status, res.body.error], `${method} ${path} ${raw ?? ''}`).toEqual([status, error]);
      expect(res.body.ok).toBe(false);
      expect(String(res.body.message).length).toBeGreaterThan(5);
    }
    expect(inbound.commands).toEqual([]);
  });

  it('takes bodies only as JSON and requests only from its own origin, changing nothing otherwise', async () => {
    const q = await question();
    const own = new URL(server.url).origin;
    type Body = string | Blob | undefined;
    const send = async (method: string, path: string, headers: Record<string, string>, body?: Body) => {
      const res = await fetch(`${server.url}${path}`, { method, headers, body });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const command = JSON.stringify({ user: 'ada', text: 'start' });
    const answer = JSON.stringify({ user: 'ben', thread: q, text: 'A map' });
    const refused: [string, string, Record<string, string>, Body, number, string][] = [
      // What a cross-site HTML form can send without asking the browser first.
      [
        'POST',
        '/playground/api/command',
        { 'content-type': 'text/plain' },
        command,
        415,
        'unsupported-media-type',
      ],
      [
        'POST',
        '/playground/api/messages',
        { 'content-type': 'application/x-www-form-urlencoded' },
        `user=ben&thread=${q}&text=x`,
        415,
        'unsupported-media-type',
      ],
      // A blob without a type goes without any content type.
      ['POST', '/playground/api/command', {}, new Blob([command]), 415, 'unsupported-media-type'],
      [
        'POST',
        '/playground/api/command',
        { 'content-type': 'application/json', origin: 'http://evil.example' },
        command,
        403,
        'forbidden-origin',
      ],
      [
        'POST',
        '/playground/api/messages',
        { 'content-type': 'application/json', origin: 'null' },
        answer,
        403,
        'forbidden-origin',
      ],
      [
        'GET',
        '/playground/api/channel',
        { origin: 'http://127.0.0.1:1' },
        undefined,
        403,
        'forbidden-origin',
      ],
    ];
    for (const [method, path, headers, body, status, error] of refused) {
      const res = await send(method, path, headers, body);
      expect([res.status, res.body.error], `${method} ${path} ${JSON.stringify(headers)}`).toEqual([
        status,
        error,
      ]);
      expect(res.body.ok).toBe(false);
      expect(String(res.body.message).length).toBeGreaterThan(5);
    }
    expect(inbound.commands).toEqual([]);
    expect(inbound.answers.size).toBe(0);
    expect((await readChannel(redis, channel)).flatMap((p) => p.replies)).toEqual([]);

    // What the page itself sends: JSON (a charset is fine) from its own origin.
    const json = { 'content-type': 'application/json; charset=utf-8', origin: own };
    expect((await send('POST', '/playground/api/command', json, command)).status).toBe(200);
    expect((await send('POST', '/playground/api/messages', json, answer)).status).toBe(201);
    expect(inbound.commands).toHaveLength(1);
    expect(inbound.answers.size).toBe(1);
  });

  it('stores an accepted answer in the thread, under the id the engine was given', async () => {
    const q = await question();
    const res = await call('POST', '/playground/api/messages', { user: 'ben', thread: q, text: 'A map' });
    expect(res.status).toBe(201);
    const message = res.body.message as { id: string; author: unknown; text: string; threadRef: string };
    expect(message).toMatchObject({ author: { id: 'ben', name: 'Ben' }, text: 'A map', threadRef: q });
    expect(res.body.reply).toBe('Answer recorded.');
    expect([...inbound.answers]).toEqual([[message.id, 'A map']]);
    const [stored] = await readChannel(redis, channel);
    expect(stored?.replies.map((r) => [r.id, r.kind, r.text])).toEqual([[message.id, 'message', 'A map']]);
  });

  it('stores nothing when the engine refuses an answer or the thread is not a question', async () => {
    const q = await question();
    const { ref: intro } = await platform.post(channel, post('intro', 'Welcome'));
    const empty = await call('POST', '/playground/api/messages', { user: 'ben', thread: q, text: '   ' });
    expect(empty).toEqual({
      status: 400,
      body: { ok: false, error: 'refused', message: 'Your answer is empty.', reply: 'Your answer is empty.' },
    });
    const long = await call('POST', '/playground/api/messages', {
      user: 'ben',
      thread: q,
      text: 'x'.repeat(201),
    });
    expect([long.status, long.body.reply]).toEqual([400, 'Your answer is too long: 200 characters at most.']);
    const notQuestion = await call('POST', '/playground/api/messages', {
      user: 'ben',
      thread: intro,
      text: 'hi',
    });
    expect([notQuestion.status, notQuestion.body.error]).toEqual([400, 'unknown-thread']);
    const missing = await call('POST', '/playground/api/messages', {
      user: 'ben',
      thread: 'pg999',
      text: 'hi',
    });
    expect([missing.status, missing.body.error]).toEqual([400, 'unknown-thread']);
    const noUser = await call('POST', '/playground/api/messages', { user: 'eve', thread: q, text: 'hi' });
    expect([noUser.status, noUser.body.error]).toEqual([400, 'unknown-user']);
    expect(inbound.answers.size).toBe(0);
    expect((await readChannel(redis, channel)).flatMap((p) => p.replies)).toEqual([]);
  });

  it('submits the Answer form as a form answer, and refuses a question the engine no longer knows', async () => {
    const parts = { ...QUESTION_PARTS, blockTitle: 'The \\*shared\\* resource' };
    const open = await platform.post(channel, post('question', 'Q', { question: parts }));
    const closed = await platform.post(channel, post('question', 'Q2', { question: parts }));
    inbound.questions.add(open.ref);
    const pressed = await call('POST', `/playground/api/buttons/answer.${open.ref}`, { user: 'ada' });
    // A form title is plain text: the page's Markdown escapes are gone.
    expect((pressed.body.form as { title: string }).title).toBe('The *shared* resource');
    const sent = await call('POST', `/playground/api/forms/answer.${open.ref}`, {
      user: 'ada',
      values: { answer: 'A map' },
    });
    expect(sent).toEqual({ status: 200, body: { ok: true, reply: 'Answer recorded.' } });
    const [ref] = [...inbound.answers.keys()];
    expect(ref).toMatch(/^pg\d+$/);
    const again = await call('POST', `/playground/api/forms/answer.${open.ref}`, {
      user: 'ada',
      values: { answer: 'A second answer' },
    });
    expect(again.status).toBe(200);
    // Each submission is a new answer, under an id of its own.
    expect(new Set(inbound.answers.keys()).size).toBe(2);

    const refused = await call('POST', `/playground/api/forms/answer.${closed.ref}`, {
      user: 'ada',
      values: { answer: 'Too late' },
    });
    expect([refused.status, refused.body.ok, refused.body.error]).toEqual([409, false, 'question-closed']);
    expect(String(refused.body.message)).toMatch(/no longer open/);
    expect(inbound.answers.size).toBe(2);
    // The form answer is the engine's to echo: the playground stores no message for it.
    expect((await readChannel(redis, channel)).flatMap((p) => p.replies)).toEqual([]);
  });

  it('lets only the author edit or delete a message', async () => {
    const q = await question();
    const created = await call('POST', '/playground/api/messages', { user: 'ben', thread: q, text: 'A map' });
    const id = (created.body.message as { id: string }).id;
    const path = `/playground/api/messages/${id}`;

    const byChloe = await call('PATCH', path, { user: 'chloe', text: 'hijacked' });
    expect([byChloe.status, byChloe.body.error]).toEqual([403, 'not-author']);
    const deleteByAda = await call('DELETE', `${path}?user=ada`);
    expect([deleteByAda.status, deleteByAda.body.error]).toEqual([403, 'not-author']);
    const deleteByBody = await call('DELETE', path, { user: 'chloe' });
    expect(deleteByBody.status).toBe(403);
    expect(inbound.edits).toEqual([]);
    expect(inbound.removals).toEqual([]);
    expect((await getMessage(redis, id))?.text).toBe('A map');

    const tooLong = await call('PATCH', path, { user: 'ben', text: 'y'.repeat(300) });
    expect([tooLong.status, tooLong.body.error]).toEqual([400, 'refused']);
    expect((await getMessage(redis, id))?.text).toBe('A map');

    const edited = await call('PATCH', path, { user: 'ben', text: 'A shared map' });
    expect(edited.status).toBe(200);
    expect(edited.body.message).toMatchObject({ id, text: 'A shared map' });
    expect(inbound.edits.at(-1)).toEqual({
      channel,
      threadRef: q,
      messageRef: id,
      text: 'A shared map',
      author: { id: 'ben', name: 'Ben' },
    });
    const [afterEdit] = await readChannel(redis, channel);
    expect(afterEdit?.replies[0]?.text).toBe('A shared map');
    expect(afterEdit?.replies[0]?.updatedAt).toBeDefined();

    const { ref: botReply } = await platform.post(channel, post('reminder', 'Still open', { threadRef: q }));
    const editBot = await call('PATCH', `/playground/api/messages/${botReply}`, { user: 'ada', text: 'x' });
    expect(editBot.status).toBe(403);

    const removed = await call('DELETE', path, { user: 'ben' });
    expect(removed).toEqual({ status: 200, body: { ok: true, id } });
    expect(inbound.removals).toEqual([{ channel, threadRef: q, messageRef: id }]);
    const [afterDelete] = await readChannel(redis, channel);
    expect(afterDelete?.replies.map((r) => r.id)).toEqual([botReply]);
    expect((await call('DELETE', `${path}?user=ben`)).status).toBe(404);
  });

  it('downloads a posted file as an attachment', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    await platform.post(
      channel,
      post('export', 'PNG', {
        file: { name: 'canevas é.png', contentType: 'image/png', data: bytes },
      }),
    );
    const [stored] = await readChannel(redis, channel);
    const res = await fetch(`${server.url}${stored?.file?.url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="canevas__.png"; filename*=UTF-8''canevas%20%C3%A9.png`,
    );
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('streams every change to connected browsers', async () => {
    const abort = new AbortController();
    const res = await fetch(`${server.url}/playground/api/events`, { signal: abort.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let seen = '';
    const readUntil = async (needle: string) => {
      while (!seen.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        seen += decoder.decode(value);
      }
    };
    await readUntil('"hello"');
    const { ref } = await platform.post(channel, post('notice', 'live'));
    await readUntil(`"id":"${ref}"`);
    expect(seen).toContain(`data: {"type":"posted","channel":"local/general","id":"${ref}"}`);
    abort.abort();
    await reader.cancel().catch(() => undefined);
  });
});
