import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort, type LocalRedis, redisAnswers, startLocalRedis } from '../../adapters/redis-launcher.js';
import type { Runtime } from '../../adapters/runtime.js';
import { FAST_FAIL_COMMAND_TIMEOUT_MS } from '../../src/redis-connections.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/**
 * The real runtime on a Redis of its own that goes away and comes back: /healthz keeps answering
 * (503 with the reason while Redis is gone, 200 again once it is back), and the playground API
 * answers an error instead of hanging.
 */
const HEALTH_CLIENT_TIMEOUT_MS = 1500;
// A request may wait for one command at most, plus room for a loaded test machine.
const API_CLIENT_TIMEOUT_MS = FAST_FAIL_COMMAND_TIMEOUT_MS + 3000;

let url: string;
let dir: string;
let redisServer: LocalRedis | undefined;
let runtime: Runtime | undefined;
let base: string;

beforeAll(async () => {
  url = `redis://127.0.0.1:${await freePort()}`;
  dir = mkdtempSync(join(tmpdir(), 'canevas-outage-'));
  redisServer = await startLocalRedis(url, dir);
  runtime = await startTestRuntime(url);
  base = `http://127.0.0.1:${runtime.port}`;
});

afterAll(async () => {
  await runtime?.close();
  await redisServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const health = async () => {
  const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(HEALTH_CLIENT_TIMEOUT_MS) });
  return {
    status: res.status,
    body: (await res.json()) as { status: string; checks: Record<string, string> },
  };
};

async function shutDownRedis(): Promise<void> {
  const admin = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  admin.on('error', () => undefined);
  // The server closes the connection instead of replying.
  await admin.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
  admin.disconnect();
  redisServer = undefined;
  await waitFor('redis to be gone', async () => !(await redisAnswers(url)));
}

it('answers /healthz within a second whether Redis is there or not', async () => {
  const up = await health();
  expect(up.status).toBe(200);
  expect(up.body.status).toBe('ok');
  expect(up.body.checks).toMatchObject({ redis: 'ok', 'canevas-outbox': 'ok' });

  await shutDownRedis();
  // Several in a row: the connection's reconnection backoff grows, the answer time must not.
  for (let i = 0; i < 3; i += 1) {
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unavailable');
    expect(down.body.checks.redis).toMatch(/^unreachable: \S/);
    expect(down.body.checks['canevas-outbox']).not.toBe('ok');
  }

  // The playground API fails with a JSON error rather than hanging.
  const requests: [string, RequestInit][] = [
    ['/playground/api/channel', {}],
    [
      '/playground/api/command',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'ada', text: '/canevas status' }),
      },
    ],
  ];
  for (const [path, init] of requests) {
    const res = await fetch(`${base}${path}`, {
      ...init,
      signal: AbortSignal.timeout(API_CLIENT_TIMEOUT_MS),
    });
    expect(res.status, path).toBeGreaterThanOrEqual(500);
    expect(res.status, path).toBeLessThan(600);
    expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
    expect(await res.json(), path).toMatchObject({ ok: false });
  }

  redisServer = await startLocalRedis(url, dir);
  const back = await waitFor('/healthz to be healthy again', async () => {
    const h = await health();
    return h.status === 200 ? h : undefined;
  });
  expect(back.body.checks).toMatchObject({ redis: 'ok', 'canevas-outbox': 'ok' });
});
