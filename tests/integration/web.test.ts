import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import { createQueues, type Queues } from '../../src/jobs/queues.js';
import { createLogger } from '../../src/logger.js';
import { SHEET_PNG_WIDTH } from '../../src/render/sheet/canvas-png.js';
import { createRedisStore } from '../../src/store/redis-store.js';
import { createScheduleStore } from '../../src/store/schedule-store.js';
import { canvasPageRoute } from '../../src/web/canvas-page.js';
import { createHttpServer, createMetricsServer } from '../../src/web/http-server.js';
import { createMetrics } from '../../src/web/metrics.js';
import { INJECTION, sampleCampaign } from '../fixtures/sample-campaign.js';
import { freshRedis } from '../helpers/redis.js';

/**
 * /healthz and /metrics on a real Redis (database 11), and on one that does not answer; the canvas
 * page and its sheet downloads over the real store.
 */
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
    const schedule = createScheduleStore(redis);
    await schedule.set('tick', 'web-metrics', new Date('2031-01-07T09:00:00Z'));
    const metrics = createMetrics(queues, schedule);
    metrics.commands.inc({ platform: 'playground', command: 'start', outcome: 'ok' });
    const base = await listen(
      createHttpServer({ redis, queues, metrics, metricsAccess: { here: true }, logger, handlers: [] }),
    );
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      checks: { redis: 'ok', 'canevas-outbox': 'ok' },
    });
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('canevas_commands_total{platform="playground",command="start",outcome="ok"} 1');
    expect(text).toMatch(/canevas_queue_jobs\{queue="canevas-outbox",state="waiting"\} \d+/);
    expect(text).toContain('canevas_scheduled_runs{state="scheduled"} 1');
    expect(text).toContain('canevas_scheduled_runs{state="in_progress"} 0');
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
  });

  it('keeps /metrics off the main port unless asked, and behind its bearer token when there is one', async () => {
    const metrics = createMetrics(queues);
    const off = await listen(createHttpServer({ redis, queues, metrics, logger, handlers: [] }));
    expect((await fetch(`${off}/metrics`)).status).toBe(404);
    const token = 'a-long-enough-metrics-token';
    const guarded = await listen(
      createHttpServer({
        redis,
        queues,
        metrics,
        metricsAccess: { here: true, token },
        logger,
        handlers: [],
      }),
    );
    const refused = await fetch(`${guarded}/metrics`);
    expect([refused.status, refused.headers.get('www-authenticate')]).toEqual([
      401,
      'Bearer realm="metrics"',
    ]);
    const wrong = await fetch(`${guarded}/metrics`, { headers: { authorization: `Bearer ${token}x` } });
    expect(wrong.status).toBe(401);
    const scraped = await fetch(`${guarded}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('canevas_commands_total');
    // On a port of its own, it is all that port serves.
    const own = await listen(createMetricsServer({ metrics, logger }));
    expect((await fetch(`${own}/metrics`)).status).toBe(200);
    expect((await fetch(`${own}/healthz`)).status).toBe(404);
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
    expect(body.checks.redis).toMatch(/^unreachable: \S/);
    dead.disconnect();
  });
});

describe('the canvas page and its sheet', () => {
  const campaign = { ...sampleCampaign('fr'), name: 'Vélocarte 2027' };
  const key = encodeURIComponent(campaign.key);
  let base: string;

  beforeAll(async () => {
    const store = createRedisStore(redis);
    await store.create(campaign);
    const template = await loadDefaultTemplate();
    const handlers = [canvasPageRoute({ store, templateOf: async () => template })];
    base = `${await listen(createHttpServer({ redis, metrics: createMetrics(), logger, handlers }))}/canvas/${
      campaign.id
    }`;
  });

  it('serves the page with a strict policy, escaped member text and links to the sheet', async () => {
    const res = await fetch(`${base}?key=${key}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^default-src 'none';/);
    expect(csp).not.toMatch(/script-src|unsafe-eval/);
    expect(csp).toContain("frame-ancestors 'none'");
    const page = await res.text();
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('<h1>Vélocarte 2027</h1>');
    expect(page).toContain(`href="${campaign.id}.png?key=${key}"`);
    expect(page).toContain(`href="${campaign.id}.svg?key=${key}"`);
    expect(page).not.toContain(INJECTION);
    expect(page).not.toContain('<@U123>');
    expect(page).toContain('&#60;@U123&#62;');
    expect(page).not.toContain('Réponse retirée');
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain('@page{size:A3 landscape');
    expect(csp).toContain("font-src 'self'");
    expect(page).toContain('url(fonts/DejaVuSans.ttf)');
  });

  it('serves the sheet’s fonts to browsers that lack them, and nothing else from that folder', async () => {
    const root = base.slice(0, base.lastIndexOf('/canvas/'));
    for (const name of ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'NotoEmoji.ttf']) {
      const res = await fetch(`${root}/canvas/fonts/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type')).toBe('font/ttf');
      const bytes = Buffer.from(await res.arrayBuffer());
      // A TrueType font starts with version 1.0.
      expect([...bytes.subarray(0, 4)]).toEqual([0, 1, 0, 0]);
      expect(bytes.length).toBeGreaterThan(100_000);
    }
    for (const name of ['Other.ttf', '..%2Fpackage.json', 'DejaVuSans.ttf.map']) {
      expect((await fetch(`${root}/canvas/fonts/${name}`)).status, name).toBe(404);
    }
  });

  it('serves the sheet as SVG and PNG, named after the campaign', async () => {
    const svg = await fetch(`${base}.svg?key=${key}`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(svg.headers.get('content-disposition')).toBe('attachment; filename="canevas-velocarte-2027.svg"');
    expect(svg.headers.get('content-security-policy')).toMatch(/^default-src 'none'.*frame-ancestors 'none'/);
    const text = await svg.text();
    expect(text).toMatch(/^(?:<\?xml[^>]*>\s*)?<svg[\s>]/);
    expect(text).toContain('viewBox="0 0 1680 1188"');

    const png = await fetch(`${base}.png?key=${key}`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('content-disposition')).toBe('attachment; filename="canevas-velocarte-2027.png"');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR width: the sheet's default raster size.
    expect(bytes.readUInt32BE(16)).toBe(SHEET_PNG_WIDTH);
  });

  it('answers the same 404 to a wrong, missing or differently sized key and to an unknown campaign', async () => {
    const urls = [
      `${base}?key=wrong`,
      `${base}`,
      `${base}?key=${key}x`,
      `${base}.svg?key=wrong`,
      `${base}.png`,
      `${base}.png?key=${key.slice(0, -1)}`,
      `${base.replace(campaign.id, 'nobody')}?key=${key}`,
      `${base.replace(campaign.id, 'nobody')}.svg?key=${key}`,
    ];
    for (const url of urls) {
      const res = await fetch(url);
      expect(res.status, url).toBe(404);
      expect(await res.json()).toEqual({ ok: false, error: 'not-found' });
    }
    expect((await fetch(`${base}.gif?key=${key}`)).status).toBe(404);
  });
});
