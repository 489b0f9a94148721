import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Queues } from '../jobs/queues.js';
import type { Logger } from '../logger.js';
import { isCluster, type RedisClient } from '../redis-connections.js';
import type { Metrics } from './metrics.js';

/** A route group: handles the request and returns true, or returns false to let the next one try. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface HttpServerDeps {
  redis: RedisClient;
  queues?: Queues;
  metrics: Metrics;
  /**
   * Where /metrics answers: on this server only when it is `here`, and then only to a scraper that
   * sends the token, when there is one. Off by default: counts of campaigns and queues are nobody's
   * business but the operator's.
   */
  metricsAccess?: MetricsAccess;
  logger: Logger;
  handlers: RequestHandler[];
}

export interface MetricsAccess {
  here: boolean;
  token?: string;
}

const FRAME_POLICY = "frame-ancestors 'none'";

/** One HTTP server for everything (PORT): health, metrics, then each adapter's routes. */
export function createHttpServer(deps: HttpServerDeps): Server {
  const handlers: RequestHandler[] = [healthRoute(deps), metricsRoute(deps), ...deps.handlers];
  return createServer((req, res) => {
    // No page of Canevas is meant to be framed (clickjacking). A route that sends a policy of its own
    // replaces this one, so it repeats `frame-ancestors 'none'`.
    res.setHeader('content-security-policy', FRAME_POLICY);
    void (async () => {
      try {
        for (const handle of handlers) if (await handle(req, res)) return;
        sendJson(res, 404, { ok: false, error: 'not-found' });
      } catch (err) {
        deps.logger.error({ err, url: req.url?.split('?')[0] }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal' });
        else res.end();
      }
    })();
  });
}

/** /metrics alone, on a port of its own (METRICS_PORT), kept off the public one. */
export function createMetricsServer(
  deps: Pick<HttpServerDeps, 'metrics' | 'logger'> & { token?: string },
): Server {
  const route = metricsRoute({ metrics: deps.metrics, metricsAccess: { here: true, token: deps.token } });
  return createServer((req, res) => {
    route(req, res)
      .then((handled) => {
        if (!handled) sendJson(res, 404, { ok: false, error: 'not-found' });
      })
      .catch((err: unknown) => {
        deps.logger.error({ err }, 'metrics request failed');
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal' });
        else res.end();
      });
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://localhost').pathname;
}

/**
 * One Redis answers PING; a cluster is only usable when every slot is served, which any node tells
 * (a PING would reach one node only).
 */
async function redisAnswers(redis: RedisClient): Promise<void> {
  if (!isCluster(redis)) {
    await redis.ping();
    return;
  }
  const info = String(await redis.cluster('INFO'));
  const state = /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
  if (state !== 'ok') throw new Error(`cluster state ${state}`);
}

/** Well under the 1 s the contract promises, whatever the connections do. */
export const HEALTH_CHECK_MS = 800;

/**
 * 200 when Redis and the queues answer, 503 otherwise, with what was checked. Every check runs at once
 * and each gets at most HEALTH_CHECK_MS, so the reply never waits on a connection that is retrying.
 */
function healthRoute(deps: HttpServerDeps): RequestHandler {
  return async (req, res) => {
    if (req.method !== 'GET' || pathOf(req) !== '/healthz') return false;
    const probes: [string, Promise<unknown>, string][] = [
      ['redis', redisAnswers(deps.redis), 'unreachable'],
      ...(deps.queues?.all ?? []).map((queue): [string, Promise<unknown>, string] => [
        queue.name,
        queue.getJobCounts('waiting'),
        'failing',
      ]),
    ];
    const results = await Promise.all(
      probes.map(([name, probe, failure]) =>
        withTimeout(probe, HEALTH_CHECK_MS).then(
          () => [name, 'ok'] as const,
          (err: Error) => [name, `${failure}: ${err.message}`] as const,
        ),
      ),
    );
    const checks: Record<string, string> = Object.fromEntries(results);
    const healthy = results.every(([, v]) => v === 'ok');
    sendJson(res, healthy ? 200 : 503, { status: healthy ? 'ok' : 'unavailable', checks });
    return true;
  };
}

function metricsRoute(deps: Pick<HttpServerDeps, 'metrics' | 'metricsAccess'>): RequestHandler {
  const token = deps.metricsAccess?.token;
  const expected = token === undefined ? undefined : Buffer.from(`Bearer ${token}`);
  return async (req, res) => {
    if (req.method !== 'GET' || pathOf(req) !== '/metrics' || !deps.metricsAccess?.here) return false;
    if (expected) {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"' });
        res.end();
        return true;
      }
    }
    const body = await deps.metrics.registry.metrics();
    res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
    res.end(body);
    return true;
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
