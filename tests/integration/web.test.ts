import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues, type Queues } from '../../src/jobs/queues.js';
import { createLogger } from '../../src/logger.js';
import { createHttpServer } from '../../src/web/http-server.js';
import { createMetrics } from '../../src/web/metrics.js';
import { freshRedis } from '../helpers/redis.js';

/** /healthz and /metrics on a real Redis (database 11), and on one that does not answer. */
const logger = createLogger('silent');
let redis: Redis;
let queues: Queues;
const servers: Server[] = [];

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  redis = await freshRedis(11);
  queues = createQueues(redis, logger);
});

afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  await queues.close();
  redis.disconnect();
});

describe('health and metrics', () => {
  it('is healthy when Redis and the queues answer, and serves Prometheus text', async () => {
    const metrics = createMetrics(queues);
    metrics.commands.inc({ platform: 'playground', command: 'start', outcome: 'ok' });
    const base = await listen(createHttpServer({ redis, queues, metrics, logger, handlers: [] }));
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      checks: { redis: 'ok', 'canevas-outbox': 'ok' },
    });
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('canevas_commands_total{platform="playground",command="start",outcome="ok"} 1');
    expect(text).toMatch(/canevas_queue_jobs\{queue="canevas-outbox",state="waiting"\} \d+/);
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
  });

  it('answers 503 when Redis does not', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    dead.on('error', () => undefined);
    const base = await listen(
      createHttpServer({ redis: dead, metrics: createMetrics(), logger, handlers: [] }),
    );
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    const body = (await health.json()) as { status: string; checks: { redis: string } };
    expect(body.status).toBe('unavailable');
    expect(body.checks.redis).not.toBe('ok');
    dead.disconnect();
  });
});
