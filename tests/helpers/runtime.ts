import { PLAYGROUND_CHANNEL } from '../../adapters/playground/routes.js';
import { type Runtime, startRuntime } from '../../adapters/runtime.js';
import { readConfig } from '../../src/config.js';
import type { Campaign, ChannelRef } from '../../src/facilitation/types.js';
import { createLogger } from '../../src/logger.js';
import { redisUrlFor } from './redis.js';

/**
 * The real runtime, as `canevas start` builds it, on the test file's Redis database (or on the Redis
 * at a full URL, or on a cluster's nodes) and a free port, in English and silent (TEST_LOG=debug to see
 * its logs). `env` adds platform variables (pointing at the fakes).
 */
export function startTestRuntime(
  redis: number | string | { clusterNodes: string },
  env: Record<string, string> = {},
  mode: { serve: boolean; work: boolean } = { serve: true, work: true },
  /** A controlled clock for the engine and the workers (a test sets it, then calls `sweepOnce`). */
  clock?: () => Date,
): Promise<Runtime> {
  const config = readConfig({
    ...(typeof redis === 'object'
      ? { REDIS_CLUSTER_NODES: redis.clusterNodes }
      : { REDIS_URL: typeof redis === 'number' ? redisUrlFor(redis) : redis }),
    PORT: '0',
    CANEVAS_LANG: 'en',
    LOG_LEVEL: process.env.TEST_LOG ?? 'silent',
    ...env,
  });
  return startRuntime(config, {
    ...mode,
    logger: createLogger(config.logLevel),
    ...(clock ? { clock } : {}),
  });
}

/** The channel's active campaign as the store has it now (the playground's channel by default). */
export async function activeCampaign(
  runtime: Runtime,
  channel: ChannelRef = PLAYGROUND_CHANNEL,
): Promise<Campaign> {
  const id = await runtime.store.activeId(channel);
  const found = id ? await runtime.store.get(id) : null;
  if (!found) throw new Error('no campaign');
  return found;
}
