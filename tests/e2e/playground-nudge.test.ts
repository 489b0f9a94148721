import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import { reminderHoursOf } from '../../src/facilitation/machine.js';
import { openRound, reminderTime } from '../../src/facilitation/rounds.js';
import { playgroundApi } from '../helpers/playground-api.js';
import { freshRedis } from '../helpers/redis.js';
import { activeCampaign, startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/**
 * The nudge before a round's deadline in the playground, mentioning who asked with the Remind-me
 * button: on the real engine, store and queues, with a clock the test moves to the nudge's time.
 */
const DB = 25;

interface Post {
  id: string;
  kind: string;
  text: string;
  threadRef?: string;
  mentions?: string[];
  buttons?: { id: string; label: string }[];
  replies: Post[];
}

let runtime: Runtime;
let base: string;
/** How far ahead of the wall clock the runtime's clock is; time runs on, so waits still work. */
let aheadMs = 0;

const api = playgroundApi(() => base);
const posts = () => api.posts<Post>();

const campaign = () => activeCampaign(runtime);

beforeAll(async () => {
  (await freshRedis(DB)).disconnect();
  runtime = await startTestRuntime(DB, {}, undefined, () => new Date(Date.now() + aheadMs));
  base = `http://127.0.0.1:${runtime.port}`;
});

afterAll(async () => {
  await runtime?.close();
});

describe('the nudge before a deadline, in the playground', () => {
  it('mentions the members who pressed Remind me and have not answered, and only them', async () => {
    expect((await api.command('ada', '/canevas start lang:en format:workshop')).body.ok).toBe(true);
    const { round, question } = await waitFor('the round post and a question', async () => {
      const all = await posts();
      const r = all.find((p) => p.kind === 'round');
      const q = all.find((p) => p.kind === 'question');
      return r && q ? { round: r, question: q } : undefined;
    });
    const remind = round.buttons?.find((b) => b.id.startsWith('remind.'));
    if (!remind) throw new Error('no Remind-me button on the round post');
    for (const user of ['ben', 'chloe']) {
      const pressed = await api.call('POST', `/playground/api/buttons/${remind.id}`, { user });
      expect(pressed.body.ok, user).toBe(true);
    }
    // Ben answers: he is no longer waited for, so the nudge does not call him.
    expect((await api.answer('ben', question.id, 'A map of repair points')).status).toBe(201);

    const c = await campaign();
    const open = openRound(c);
    if (!open?.closesAt) throw new Error('the open round has no deadline');
    const due = reminderTime(open.openedAt, open.closesAt, reminderHoursOf(c));
    aheadMs = due.getTime() - Date.now();
    await runtime.engine.submit(c.id, { type: 'reminder-due', roundId: open.id });

    const nudge = await waitFor('the nudge', async () => (await posts()).find((p) => p.kind === 'reminder'));
    expect(nudge.threadRef).toBeUndefined();
    expect(nudge.mentions).toEqual(['chloe']);
    expect(nudge.text).toContain('@Chloé');
    expect(nudge.text).not.toContain('@Ben');
    // Only the nudge names anyone: no other post carries mentions.
    expect((await posts()).filter((p) => p.mentions !== undefined).map((p) => p.id)).toEqual([nudge.id]);
  });
});
