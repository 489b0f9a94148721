import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CampaignLists,
  type CampaignStore,
  type ChatPlatform,
  type Config,
  canvasPageRoute,
  connectRedis,
  countInbound,
  createCampaignLists,
  createHttpServer,
  createLogger,
  createMetrics,
  createMetricsServer,
  createQueues,
  createRedisStore,
  createRenderer,
  createScheduleStore,
  createTemplateCache,
  Engine,
  indexCampaigns,
  type Logger,
  loadDefaultTemplate,
  loadTemplate,
  migrateKeys,
  migrateLegacySchedules,
  moveLegacyQueues,
  type PlatformName,
  type Queues,
  type RequestHandler,
  relayAddsJobs,
  relayEffects,
  resolveTemplateName,
  type ScheduleStore,
  startWorkers,
  type Workers,
} from '../src/index.js';
import { createPlatformAdapters } from './platform-adapters.js';
import { movePlaygroundKeys } from './playground/migrate-keys.js';
import { createPlaygroundPlatform } from './playground/platform.js';
import { createPlaygroundRoutes } from './playground/routes.js';

export interface RuntimeOptions {
  /** HTTP receivers, gateways and the playground page. */
  serve: boolean;
  /** BullMQ workers. */
  work: boolean;
  logger?: Logger;
  clock?: () => Date;
}

export interface Runtime {
  engine: Engine;
  store: CampaignStore;
  lists: CampaignLists;
  queues: Queues;
  schedule: ScheduleStore;
  /** The HTTP server's port when serving (useful with PORT=0 in tests). */
  port?: number;
  /** The port /metrics listens on, when METRICS_PORT gives it one of its own. */
  metricsPort?: number;
  /**
   * Makes the scheduled runs due now, when working (the sweeper does it by itself within a second;
   * tests that set the clock call it). Resolves with how many runs were claimed.
   */
  sweepOnce(): Promise<number>;
  close(): Promise<void>;
}

/** The composition root: config -> Redis -> store, queues, engine -> platforms -> HTTP and workers. */
export async function startRuntime(config: Config, options: RuntimeOptions): Promise<Runtime> {
  const logger = options.logger ?? createLogger(config.logLevel);
  // Workers wait out a Redis outage; everything that answers a request fails fast (see redis-connections).
  const redis = connectRedis(config, 'fast-fail');
  const workerRedis = connectRedis(config, 'blocking');
  const subscriber = connectRedis(config, 'fast-fail');
  const connections = [redis, workerRedis, subscriber];
  for (const c of connections)
    c.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));

  await migrateKeys(redis, logger);
  await movePlaygroundKeys(redis, logger);
  const store = createRedisStore(redis);
  await indexCampaigns(redis, store, logger);
  const lists = createCampaignLists(redis);
  const templates = createTemplateCache(store);
  const queues = createQueues(redis, logger);
  await moveLegacyQueues(redis, queues, logger);
  const schedule = createScheduleStore(redis);
  await migrateLegacySchedules(redis, { store, schedule, logger, now: options.clock?.() ?? new Date() });
  const renderer = createRenderer();
  const platforms = new Map<PlatformName, ChatPlatform>();
  const playground = createPlaygroundPlatform(redis, config.publicUrl);
  platforms.set('playground', playground);
  const adapters = await createPlatformAdapters(config, { redis, logger, renderer }).catch(async (err) => {
    // A token refused while the adapters are made: close what is open, then tell it.
    await queues.close();
    await Promise.all(connections.map((c) => c.quit().catch(() => undefined)));
    throw err;
  });
  for (const adapter of adapters) platforms.set(adapter.platform.name, adapter.platform);

  const engine = new Engine({
    redis,
    store,
    lists,
    templates,
    relay: (id) => relayEffects({ store, lists, queues, schedule }, id),
    relayAddsJobs,
    renderer,
    config,
    logger,
    clock: options.clock,
    formatOf: (name) => (platforms.get(name) ?? playground).format,
    loadTemplate: async (name) => {
      if (name) return loadTemplate(resolveTemplateName(name));
      return config.template ? loadTemplate(config.template) : loadDefaultTemplate();
    },
  });

  let workers: Workers | undefined;
  if (options.work) {
    workers = await startWorkers(workerRedis, {
      store,
      lists,
      queues,
      schedule,
      events: engine,
      templates,
      renderer,
      platforms,
      publicUrl: config.publicUrl,
      ...(config.retentionDays === undefined ? {} : { retentionDays: config.retentionDays }),
      logger,
      clock: options.clock,
    });
  }

  const closers: (() => Promise<void>)[] = [];
  let server: Server | undefined;
  async function close(): Promise<void> {
    if (server) {
      const closed = new Promise<void>((resolve) => server?.close(() => resolve()));
      // Live-update streams never end by themselves.
      server.closeAllConnections();
      await closed;
    }
    for (const closeOne of closers) await closeOne();
    for (const adapter of adapters) await adapter.stop();
    await workers?.close();
    await queues.close();
    await Promise.all(connections.map((c) => c.quit().catch(() => undefined)));
  }
  let port: number | undefined;
  let metricsPort: number | undefined;
  if (options.serve) {
    const metrics = createMetrics(queues, schedule);
    const inbound = countInbound(engine, metrics);
    const handlers: RequestHandler[] = [canvasPageRoute({ store, templateOf: (c) => engine.templateOf(c) })];
    if (config.playground) {
      const routes = createPlaygroundRoutes({ redis, inbound, subscriber, store, defaultTz: config.tz });
      handlers.push(routes);
      closers.push(() => routes.close());
    }
    for (const adapter of adapters) if (adapter.routes) handlers.push(adapter.routes);
    // /metrics: on a port of its own, or on the main one behind a token, or not at all.
    const ownPort = config.metricsPort !== undefined;
    const metricsAccess = { here: !ownPort && config.metricsToken !== undefined, token: config.metricsToken };
    server = createHttpServer({ redis, queues, metrics, metricsAccess, logger, handlers });
    port = await listen(server, config.port);
    if (ownPort) {
      const metricsServer = createMetricsServer({ metrics, logger, token: config.metricsToken });
      metricsPort = await listen(metricsServer, config.metricsPort ?? 0);
      closers.push(() => new Promise<void>((resolve) => metricsServer.close(() => resolve())));
    } else if (!metricsAccess.here)
      logger.info('metrics off: set METRICS_PORT or METRICS_TOKEN to scrape /metrics');
    try {
      for (const adapter of adapters) await adapter.start?.(inbound);
    } catch (err) {
      // A platform that refuses the bot (a wrong token, an intent left off) ends the start: nothing stays open.
      await close();
      throw err;
    }
    logger.info({ port, url: config.publicUrl }, config.playground ? 'playground ready' : 'serving');
  }

  return {
    engine,
    store,
    lists,
    queues,
    schedule,
    port,
    metricsPort,
    sweepOnce: async () => (workers ? workers.sweepOnce() : 0),
    close,
  };
}

/** Listens on `port` (0: any free one) and says which it got. */
async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
