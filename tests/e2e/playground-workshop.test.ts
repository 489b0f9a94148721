import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import { blockOrder, loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import { openRound } from '../../src/facilitation/rounds.js';
import type { Campaign } from '../../src/facilitation/types.js';
import { formatDeadline } from '../../src/render/view-helpers.js';
import { playgroundApi, waitForRound } from '../helpers/playground-api.js';
import { freshRedis } from '../helpers/redis.js';
import { activeCampaign, startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/** A workshop campaign through the playground's HTTP API alone, on the real engine, store and queues. */
const DB = 27;

interface Post {
  id: string;
  kind?: string;
  text: string;
  file?: { name: string; url?: string };
}

interface PlanRound {
  id: string;
  title: string;
  blockIds: string[];
  opensAt: string | null;
  closesAt: string | null;
  status: string;
}

let runtime: Runtime;
let base: string;

const api = playgroundApi(() => base);
const { call, command } = api;
const posts = () => api.posts<Post>();

const campaign = () => activeCampaign(runtime);

/** The posts of one round, once its round post and all its questions are in. */
const roundPosts = (round: number, questions: number) => waitForRound(posts, round, questions);

const deadlineOf = (c: Campaign) => formatDeadline(openRound(c)?.closesAt ?? '', c.lang, c.tz);

beforeAll(async () => {
  (await freshRedis(DB)).disconnect();
  runtime = await startTestRuntime(DB);
  base = `http://127.0.0.1:${runtime.port}`;
});

afterAll(async () => {
  await runtime?.close();
});

describe('a workshop campaign in the playground', () => {
  it('starts with a round post that opens with the intro, and its questions at once, each naming the deadline', async () => {
    const started = await command('ada', '/canevas start lang:en format:workshop');
    expect(started.body.ok).toBe(true);
    const { round, questions } = await roundPosts(1, 3);
    const all = await posts();
    expect(all[0]).toEqual(round);
    expect(round.text).toContain('Hello! I’m Canevas.');
    expect(all.slice(1, 4)).toEqual(questions);
    const c = await campaign();
    expect(c.format).toBe('workshop');
    const deadline = deadlineOf(c);
    expect(deadline).toMatch(/^(Tuesday|Thursday) \d+ \w+, 10:00$/);
    expect(round.text).toContain('What we share, and why');
    expect(round.text).toContain(`until **${deadline}**`);
    expect(questions.map((q) => q.text.split('\n')[1])).toEqual([
      '**The shared resource**',
      '**Purpose**',
      '**Values**',
    ]);
    for (const q of questions) expect(q.text).toContain(`until **${deadline}**`);
  });

  it('counts an answer in each question’s thread', async () => {
    const { questions } = await roundPosts(1, 3);
    for (const [i, q] of questions.entries()) {
      const sent = await call('POST', '/playground/api/messages', {
        user: 'ben',
        thread: q.id,
        text: `idea ${i}`,
      });
      expect(sent.status).toBe(201);
    }
    const answers = Object.values((await campaign()).answers);
    expect(answers.map((a) => [a.blockId, a.text]).sort()).toEqual([
      ['def.purpose', 'idea 1'],
      ['def.resource', 'idea 0'],
      ['def.values', 'idea 2'],
    ]);
  });

  it('`next` closes the round and opens the next one, its questions together', async () => {
    expect((await command('ada', '/canevas next')).body.ok).toBe(true);
    const { round, questions } = await roundPosts(2, 3);
    const c = await campaign();
    expect(round.text).toContain('Who we are, and within what frame');
    expect(round.text).toContain(`until **${deadlineOf(c)}**`);
    expect(questions.map((q) => q.text.split('\n')[1])).toEqual([
      '**Stakeholders**',
      '**Community**',
      '**Legal frame**',
    ]);
    const status = Object.fromEntries(c.questions.map((q) => [q.blockId, q.status]));
    expect(status).toMatchObject({ 'def.resource': 'closed', 'def.values': 'closed', 'def.legal': 'open' });
    expect(status['def.maturity']).toBe('pending');
    // A late answer to the first round still counts.
    const first = (await roundPosts(1, 3)).questions[0] as Post;
    expect(
      (await call('POST', '/playground/api/messages', { user: 'chloe', thread: first.id, text: 'late' }))
        .status,
    ).toBe(201);
    expect(
      Object.values((await campaign()).answers).filter((a) => a.blockId === 'def.resource'),
    ).toHaveLength(2);
  });

  it('exports a plan that covers all 29 blocks in order, with the dates the posts name', async () => {
    expect((await command('ada', '/canevas export json')).body.ok).toBe(true);
    const exported = await waitFor('the JSON export', async () =>
      (await posts()).find((p) => p.kind === 'export' && p.file?.name.endsWith('.json')),
    );
    const res = await fetch(`${base}${exported.file?.url ?? ''}`);
    const doc = (await res.json()) as {
      schemaVersion: number;
      plan: { rounds: PlanRound[]; endsAt: string };
    };
    expect(doc.schemaVersion).toBe(3);
    const { rounds, endsAt } = doc.plan;
    expect(rounds.flatMap((r) => r.blockIds)).toEqual(blockOrder(await loadDefaultTemplate()));
    expect(rounds.map((r) => r.status)).toEqual(['closed', 'open', ...Array(7).fill('pending')]);
    const c = await campaign();
    const second = (await roundPosts(2, 3)).round;
    expect(second.text).toContain(formatDeadline(rounds[1]?.closesAt ?? '', 'en', c.tz));
    expect(rounds[1]?.closesAt).toBe(openRound(c)?.closesAt);
    rounds.slice(2).forEach((r, i) => {
      expect(r.opensAt).toBe(rounds[i + 1]?.closesAt);
      expect(new Date(r.closesAt ?? 0).getTime()).toBeGreaterThan(new Date(r.opensAt ?? 0).getTime());
    });
    expect(endsAt).toBe(rounds.at(-1)?.closesAt);

    const status = String((await command('chloe', '/canevas status')).body.reply);
    expect(status).toContain('2. Who we are, and within what frame');
    expect(status).toContain(`The campaign is planned to end on **${formatDeadline(endsAt, 'en', c.tz)}**`);
  });
});
