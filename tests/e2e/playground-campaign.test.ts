import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PLAYGROUND_CHANNEL } from '../../adapters/playground/routes.js';
import type { Runtime } from '../../adapters/runtime.js';
import { SUBCOMMANDS } from '../../src/facilitation/parse-command.js';
import { MAX_ANSWER_LENGTH } from '../../src/facilitation/types.js';
import { playgroundApi } from '../helpers/playground-api.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/** A whole campaign through the playground's HTTP API, on the real engine, store and queues. */
const DB = 9;

// Our own sheet renderer, made to fail on demand: a summary must still go out without its picture.
const sheet = vi.hoisted(() => ({ broken: false }));
vi.mock('../../src/render/sheet/canvas-png.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/render/sheet/canvas-png.js')>();
  return {
    ...actual,
    renderCanvasPng: (...args: Parameters<typeof actual.renderCanvasPng>) => {
      if (sheet.broken) throw new Error('the sheet renderer broke');
      return actual.renderCanvasPng(...args);
    },
  };
});

interface Post {
  id: string;
  author: { id: string; name: string };
  kind?: string;
  text: string;
  file?: { name: string; contentType?: string; url?: string };
  replies: Post[];
}

let runtime: Runtime;
let base: string;

async function boot(): Promise<void> {
  runtime = await startTestRuntime(DB);
  base = `http://127.0.0.1:${runtime.port}`;
}

const api = playgroundApi(() => base);
const { call, command, answer } = api;
const posts = () => api.posts<Post>();

/** The campaign running in the playground's one channel, if any. */
const activeId = () => runtime.store.activeId(PLAYGROUND_CHANNEL);

const questions = async () => (await posts()).filter((p) => p.kind === 'question');

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

/** A posted file as the playground's download route serves it from its store. */
async function download(post: Post): Promise<{ type: string; data: Buffer }> {
  const url = post.file?.url ?? '';
  expect(url).toMatch(/^\/playground\/files\//);
  const res = await fetch(`${base}${url}`);
  expect(res.status).toBe(200);
  return { type: String(res.headers.get('content-type')), data: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  (await freshRedis(DB)).disconnect();
  await boot();
});

afterAll(async () => {
  await runtime?.close();
});

describe('a whole campaign in the playground', () => {
  it('refuses a member, then starts with the intro and the first question', async () => {
    const refused = await command('ben', '/canevas start');
    expect(refused.body.ok).toBe(false);
    expect(String(refused.body.reply)).toMatch(/admin/i);
    expect(await activeId()).toBeNull();

    const started = await command(
      'ada',
      '/canevas start lang:en cadence:weekly tz:America/Montreal format:drip',
    );
    expect(started.body.ok).toBe(true);
    const [first] = await waitFor('the first question', async () => {
      const q = await questions();
      return q.length === 1 ? q : undefined;
    });
    const all = await posts();
    expect(all[0]?.kind).toBe('intro');
    expect(all[0]?.text).toMatch(/inno³/);
    expect(first?.text).toContain('The shared resource');
  });

  it('records answers in the thread, with an edit and a delete', async () => {
    const [first] = await questions();
    if (!first) throw new Error('no question');
    const a = await answer('ben', first.id, 'Our open map of bike-repair points, on OpenStreetMap.');
    expect(a.status).toBe(201);
    const b = await answer('chloe', first.id, '@everyone <!channel> **look** [x](http://evil.example)');
    expect(b.status).toBe(201);
    const c = await answer('ada', first.id, 'A typo to delete');
    const cId = (c.body.message as { id: string }).id;
    expect((await call('DELETE', `/playground/api/messages/${cId}?user=ada`)).status).toBeLessThan(300);
    const aId = (a.body.message as { id: string }).id;
    const edited = await call('PATCH', `/playground/api/messages/${aId}`, {
      user: 'ben',
      text: 'Our open map of bike-repair points, kept on OpenStreetMap and our site.',
    });
    expect(edited.status).toBeLessThan(300);

    const id = await activeId();
    const campaign = await runtime.store.get(id ?? '');
    const answers = Object.values(campaign?.answers ?? {});
    expect(answers).toHaveLength(3);
    expect(answers.find((x) => x.id === cId)?.removedAt).toBeDefined();
    expect(answers.find((x) => x.id === aId)?.history).toHaveLength(1);
  });

  it('refuses bad input politely and changes nothing', async () => {
    const [first] = await questions();
    if (!first) throw new Error('no question');
    const id = await activeId();
    const before = await runtime.store.get(id ?? '');
    const cases = [
      await command('ada', '/canevas dance'),
      await command('ada', '/canevas start'),
      await command('ada', '/canevas schedule cadence:"61 25 * * *"'),
      await command('ada', '/canevas schedule cadence:daily tz:Mars/Olympus'),
      await command('ada', '/canevas export pdf'),
      await command('ben', '/canevas next'),
      await answer('ben', first.id, '   '),
      await answer('ben', first.id, 'x'.repeat(50_000)),
      await command('ada', '/canevas start template:../package.json'),
    ];
    for (const c of cases) {
      expect(c.body.ok, JSON.stringify(c.body)).toBe(false);
      expect(String(c.body.reply ?? c.body.message).length).toBeGreaterThan(10);
    }
    // Markdown-escaped for the playground page, which shows it literally.
    expect(String(cases[2]?.body.reply)).toContain('61 25 \\* \\* \\*');
    expect(String(cases[3]?.body.reply)).toContain('Mars/Olympus');
    expect(String(cases[7]?.body.reply)).toContain(String(MAX_ANSWER_LENGTH));
    expect(String(cases[4]?.body.reply)).toMatch(/pdf/);
    expect(String(cases[8]?.body.reply)).toMatch(/templates\//);
    const after = await runtime.store.get(id ?? '');
    expect(after).toEqual(before);
    expect((await questions())[0]?.replies).toHaveLength(2);
  });

  it('walks the questions with next, skip, pause, resume and status', async () => {
    expect((await command('ada', '/canevas next')).body.ok).toBe(true);
    await waitFor('the second question', async () => ((await questions()).length === 2 ? true : undefined));
    expect((await command('ada', '/canevas skip')).body.ok).toBe(true);
    await waitFor('the third question', async () => ((await questions()).length === 3 ? true : undefined));
    expect((await command('ada', '/canevas pause')).body.ok).toBe(true);
    expect((await command('ada', '/canevas pause')).body.ok).toBe(false);
    expect((await command('ada', '/canevas resume')).body.ok).toBe(true);
    const status = await command('chloe', '/canevas status');
    expect(status.body.ok).toBe(true);
    expect(String(status.body.reply)).toMatch(/Definition/);
    const help = await command('chloe', '/canevas help');
    for (const sub of SUBCOMMANDS) {
      expect(String(help.body.reply)).toContain(sub);
    }
    expect((await command('ada', '/canevas schedule cadence:daily tz:Europe/Paris')).body.ok).toBe(true);
  });

  it('loses nothing when the bot restarts mid-campaign', async () => {
    const third = (await questions())[2];
    if (!third) throw new Error('no third question');
    await runtime.close();
    await boot();
    const after = await answer('ben', third.id, 'Answered after a restart.');
    expect(after.status).toBe(201);
    const id = await activeId();
    const campaign = await runtime.store.get(id ?? '');
    expect(Object.keys(campaign?.answers ?? {})).toHaveLength(4);
    expect((await questions()).length).toBe(3);
  });

  it('echoes a form answer into its thread once, with attribution', async () => {
    const third = (await questions())[2];
    if (!third) throw new Error('no third question');
    const input = {
      channel: PLAYGROUND_CHANNEL,
      threadRef: third.id,
      messageRef: 'form-1',
      author: { id: 'chloe', name: 'Chloé' },
      text: 'Sent from the form.',
      source: 'modal' as const,
    };
    expect((await runtime.engine.answer(input))?.ok).toBe(true);
    expect((await runtime.engine.answer(input))?.ok).toBe(true);
    const echo = await waitFor('the echo', async () =>
      (await questions())[2]?.replies.find((r) => r.kind === 'echo'),
    );
    expect(echo.text).toContain('Sent from the form.');
    expect(echo.text).toContain('Chloé');
    expect((await questions())[2]?.replies.filter((r) => r.kind === 'echo')).toHaveLength(1);
  });

  it('posts the summary, the digest and an export carrying the answers', async () => {
    expect((await command('ada', '/canevas summary')).body.ok).toBe(true);
    const summary = await waitFor('the summary', async () =>
      (await posts()).find((p) => p.kind === 'summary'),
    );
    expect(summary.text).toContain('bike-repair points, kept on OpenStreetMap');
    expect(summary.text).not.toContain('A typo to delete');
    expect(summary.text).not.toMatch(/(^|[^\\])\*\*look\*\*/);

    expect((await command('ada', '/canevas digest')).body.ok).toBe(true);
    const digest = await waitFor('the digest', async () => (await posts()).find((p) => p.kind === 'digest'));
    expect(digest.text).toMatch(/Definition/);
    // The picture is drawn when posted: its bytes never sit in Redis with a queued or finished job.
    const jobs = await runtime.queues.outbox.getJobs(['completed', 'waiting', 'delayed', 'active']);
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.some((j) => /"file"|image\/png|Buffer/.test(JSON.stringify(j.data)))).toBe(false);
    // Both come with the canvas sheet as a PNG.
    for (const post of [summary, digest]) {
      expect(post.file?.name).toMatch(
        /^canevas-canvas-for-the-governance-of-digital-commons-\d{4}-\d{2}-\d{2}\.png$/,
      );
      expect(post.file?.contentType).toBe('image/png');
      const picture = await download(post);
      expect(picture.type).toBe('image/png');
      expect(picture.data.subarray(0, 4)).toEqual(PNG_SIGNATURE);
    }

    expect((await command('ada', '/canevas export csv')).body.ok).toBe(true);
    const exported = await waitFor('the export', async () =>
      (await posts()).find((p) => p.kind === 'export'),
    );
    expect(exported.file?.name).toMatch(/\.csv$/);
    const url = exported.file?.url ?? `/playground/files/${exported.id}/${exported.file?.name}`;
    const csv = await (await fetch(`${base}${url}`)).text();
    expect(csv).toContain('Answered after a restart.');
    expect(csv).toContain('@everyone <!channel> **look** [x](http://evil.example)');

    for (const format of ['svg', 'png']) {
      expect((await command('ada', `/canevas export ${format}`)).body.ok).toBe(true);
    }
    const pictureExport = (ext: string) =>
      waitFor(`the ${ext} export`, async () =>
        (await posts()).find((p) => p.kind === 'export' && p.file?.name.endsWith(`.${ext}`)),
      );
    const svg = await download(await pictureExport('svg'));
    expect(svg.type).toBe('image/svg+xml');
    expect(svg.data.toString('utf8')).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);
    const png = await download(await pictureExport('png'));
    expect(png.type).toBe('image/png');
    expect(png.data.subarray(0, 4)).toEqual(PNG_SIGNATURE);

    const id = await activeId();
    const campaign = await runtime.store.get(id ?? '');
    const page = await fetch(`${base}/canvas/${id}?key=${campaign?.key}`);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('Answered after a restart.');
    expect(body).toContain('&#60;!channel&#62;');
    expect(body).not.toContain('<!channel>');
    expect((await fetch(`${base}/canvas/${id}?key=wrong`)).status).toBe(404);
  });

  it('still posts a summary, without its picture, when the sheet cannot be drawn', async () => {
    sheet.broken = true;
    try {
      expect((await command('ada', '/canevas summary')).body.ok).toBe(true);
      const second = await waitFor('the second summary', async () => {
        const summaries = (await posts()).filter((p) => p.kind === 'summary');
        return summaries.length === 2 ? summaries[1] : undefined;
      });
      expect(second.text).toContain('bike-repair points, kept on OpenStreetMap');
      expect(second.file).toBeUndefined();
    } finally {
      sheet.broken = false;
    }
  });

  it('stops with the final canvas and frees the channel', async () => {
    expect((await command('ada', '/canevas stop')).body.ok).toBe(true);
    const final = await waitFor('the final canvas', async () => {
      const summaries = (await posts()).filter((p) => p.kind === 'summary');
      return summaries.length === 3 ? summaries[2] : undefined;
    });
    expect(final.file?.contentType).toBe('image/png');
    expect(await activeId()).toBeNull();
    expect((await command('ada', '/canevas next')).body.ok).toBe(false);
  });
});
