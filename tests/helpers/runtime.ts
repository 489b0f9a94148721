import { type Runtime, startRuntime } from '../../adapters/runtime.js';
import { readConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { redisUrlFor } from './redis.js';

/**
 * The real runtime, as `canevas start` builds it, on the test file's Redis database (or on the Redis
 * at a full URL) and a free port, in English and silent (TEST_LOG=debug to see its logs). `env` adds
 * platform variables (pointing at the fakes).
 */
export function startTestRuntime(
  redis: number | string,
  env: Record<string, string> = {},
  mode: { serve: boolean; work: boolean } = { serve: true, work: true },
  /** A controlled clock for the engine and the workers (scheduled runs are then promoted by hand). */
  clock?: () => Date,
): Promise<Runtime> {
  const config = readConfig({
    REDIS_URL: typeof redis === 'number' ? redisUrlFor(redis) : redis,
    PORT: '0',
    CANEVAS_LANG: 'en',
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startRuntime(config, {
    ...mode,
    logger: createLogger(config.logLevel),
    ...(clock ? { clock } : {}),
  });
}
