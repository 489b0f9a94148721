import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_CHANNEL } from '../../adapters/playground/routes.js';
import type { Runtime } from '../../adapters/runtime.js';
import { keys } from '../../src/store/keys.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';

/** A campaign that can no longer be read back must not take the playground with it (database 21). */
const DB = 21;
let runtime: Runtime;
let redis: Awaited<ReturnType<typeof freshRedis>>;

beforeAll(async () => {
  redis = await freshRedis(DB);
  runtime = await startTestRuntime(DB, {}, { serve: true, work: false });
});

afterAll(async () => {
  await runtime.close();
  redis.disconnect();
});

async function command(
  user: string,
  text: string,
): Promise<{ status: number; body: { ok: boolean; reply?: string } }> {
  const res = await fetch(`http://127.0.0.1:${runtime.port}/playground/api/command`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, text }),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; reply?: string } };
}

describe('a channel whose campaign cannot be read, or was not detached', () => {
  it('says so, lets an admin stop it, and lets a new one start', async () => {
    expect((await command('ada', '/canevas start')).body.ok).toBe(true);
    const broken = (await runtime.store.activeId(PLAYGROUND_CHANNEL)) ?? '';
    await redis.hset(keys.campaign(broken), 'doc', '{"truncated');

    const status = await command('ben', '/canevas status');
    expect(status.status).toBe(200);
    expect(status.body.reply).toMatch(/cannot read it back.*\/canevas stop/s);
    const byMember = await command('ben', '/canevas stop');
    expect(byMember.body.reply).toMatch(/cannot read it back/);
    expect(await runtime.store.activeId(PLAYGROUND_CHANNEL)).toBe(broken);

    const stopped = await command('ada', '/canevas stop');
    expect(stopped.body.ok).toBe(true);
    expect(await runtime.store.activeId(PLAYGROUND_CHANNEL)).toBeNull();
    // Its data stays for an operator to look at.
    expect(await redis.hget(keys.campaign(broken), 'doc')).toBe('{"truncated');

    expect((await command('ada', '/canevas start')).body.ok).toBe(true);
    expect(await runtime.store.activeId(PLAYGROUND_CHANNEL)).not.toBe(broken);
  });

  it('frees a channel whose ended campaign was never detached (a crash between the two steps)', async () => {
    const first = (await runtime.store.activeId(PLAYGROUND_CHANNEL)) ?? '';
    expect((await command('ada', '/canevas stop')).body.ok).toBe(true);
    // As if the process had died right after saving the stop.
    await redis.set(keys.active(PLAYGROUND_CHANNEL), first);
    // Any command sees the channel as it really is, and a new campaign can start.
    expect((await command('ada', '/canevas pause')).body.reply).toMatch(/no campaign/i);
    expect(await runtime.store.activeId(PLAYGROUND_CHANNEL)).toBeNull();
    await redis.set(keys.active(PLAYGROUND_CHANNEL), first);
    expect((await command('ada', '/canevas start')).body.ok).toBe(true);
    expect(await runtime.store.activeId(PLAYGROUND_CHANNEL)).not.toBe(first);
  });
});
