import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_CHANNEL } from '../../adapters/playground/routes.js';
import type { Runtime } from '../../adapters/runtime.js';
import { relayEffects } from '../../src/jobs/relay.js';
import { keys } from '../../src/store/keys.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/** A post that can never be made is given up on, counted for `status`, and the later ones go on (database 5). */
let runtime: Runtime;
let redis: Awaited<ReturnType<typeof freshRedis>>;
const ada = { id: 'ada', name: 'Ada', isAdmin: true };

beforeAll(async () => {
  redis = await freshRedis(5);
  runtime = await startTestRuntime(5, {}, { serve: false, work: true });
});

afterAll(async () => {
  await runtime.close();
  redis.disconnect();
});

describe('failed posts', () => {
  it('sets aside a post that cannot be made, goes on with the next, and tells admins in status', async () => {
    expect(
      (await runtime.engine.command({ channel: PLAYGROUND_CHANNEL, actor: ada, text: 'start' })).ok,
    ).toBe(true);
    const id = (await runtime.store.activeId(PLAYGROUND_CHANNEL)) ?? '';
    await waitFor('the first posts', async () => (await runtime.lists.postsLength(id)) === 0);
    // An echo of an answer that does not exist (as after a bug): composing it fails for good.
    await redis.rpush(
      keys.posts(id),
      JSON.stringify({ kind: 'echo', answerId: 'nope', dedupeKey: `${id}-echo-nope` }),
      JSON.stringify({ kind: 'notice', key: 'notice-paused', dedupeKey: `${id}-after` }),
    );
    await redis.rpush(
      keys.effects(id),
      JSON.stringify({
        campaignId: id,
        version: 99,
        at: new Date().toISOString(),
        effects: [{ type: 'flush' }],
      }),
    );
    await relayEffects(
      { store: runtime.store, lists: runtime.lists, queues: runtime.queues, schedule: runtime.schedule },
      id,
    );
    await waitFor('the posts after it', async () => (await runtime.lists.postsLength(id)) === 0);
    expect(await runtime.lists.findPost(id, `${id}-after`)).not.toBeNull();
    const failed = (await runtime.store.loadCounted(id))?.failedPosts;
    expect(failed?.count).toBe(1);
    expect(failed?.last).toMatchObject({ kind: 'echo', error: 'answer nope is gone' });
    const status = await runtime.engine.command({ channel: PLAYGROUND_CHANNEL, actor: ada, text: 'status' });
    expect(status.text).toContain('1 post could not be delivered');
    expect(status.text).toContain('answer nope is gone');
  });
});
