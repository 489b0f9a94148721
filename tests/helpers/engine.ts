import type { Redis } from 'ioredis';
import { createTemplateCache } from '../../src/canvas/template-cache.js';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import { Engine, type EngineDeps } from '../../src/engine.js';
import { createQueues, type Queues } from '../../src/jobs/queues.js';
import { relayEffects } from '../../src/jobs/relay.js';
import { createLogger } from '../../src/logger.js';
import { markdownFormat } from '../../src/render/markdown-format.js';
import { createRenderer } from '../../src/render/renderer.js';
import { type CampaignLists, createCampaignLists } from '../../src/store/campaign-lists.js';
import { createRedisStore } from '../../src/store/redis-store.js';
import { createScheduleStore } from '../../src/store/schedule-store.js';
import type { CampaignStore } from '../../src/store/types.js';

export interface TestEngine {
  engine: Engine;
  store: CampaignStore;
  lists: CampaignLists;
  /** Effects are relayed to them; close them in afterAll. */
  queues: Queues;
}

/**
 * The engine alone on a test's Redis, without HTTP or workers: in English, the playground's Markdown,
 * the default template; `overrides` sets the clock, the waits or the template.
 */
export function createTestEngine(redis: Redis, overrides: Partial<EngineDeps> = {}): TestEngine {
  const logger = createLogger('silent');
  const queues = createQueues(redis, logger);
  const store = createRedisStore(redis);
  const lists = createCampaignLists(redis);
  const engine = new Engine({
    redis,
    store,
    lists,
    relay: (id) => relayEffects({ store, lists, queues, schedule: createScheduleStore(redis) }, id),
    templates: createTemplateCache(store),
    renderer: createRenderer(),
    config: { lang: 'en', tz: 'Europe/Paris', publicUrl: 'http://localhost:3000', template: undefined },
    logger,
    formatOf: () => markdownFormat,
    loadTemplate: () => loadDefaultTemplate(),
    ...overrides,
  });
  return { engine, store, lists, queues };
}
