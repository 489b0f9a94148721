import { Redis, type RedisOptions } from 'ioredis';

/**
 * Two ways of talking to Redis, because the two sides of the process want opposite things when Redis
 * goes away:
 *
 * - `blocking`, for BullMQ workers only. Workers park on blocking commands (BZPOPMIN, XREAD BLOCK)
 *   and must simply wait out an outage and carry on: BullMQ requires `maxRetriesPerRequest: null`
 *   on these connections, and a command timeout would cut its blocking reads.
 * - `fast-fail`, for everything that answers someone: HTTP routes, /healthz, the store and the
 *   queues the engine adds jobs to. With `maxRetriesPerRequest: null` a command sent while Redis is
 *   down waits in ioredis' offline queue forever, so a request hangs until the client gives up (that
 *   is how /healthz used to stay silent). Here a command fails after one reconnection attempt
 *   (`maxRetriesPerRequest: 1`) and, whatever the socket does (a frozen server, a half-open
 *   connection), after `commandTimeout`: the caller gets an error to turn into a 5xx, and work done
 *   in a job fails and is retried by BullMQ's backoff. The offline queue stays on so commands issued
 *   during start-up or a quick reconnect still go through rather than failing at once.
 *
 * Both reconnect forever (backoff capped at 2 s): only how long one command may wait differs.
 */
export type RedisProfile = 'blocking' | 'fast-fail';

/** Longest a fast-fail command waits for its reply; far above any single command the store sends. */
export const FAST_FAIL_COMMAND_TIMEOUT_MS = 2000;

const reconnectForever = (attempt: number) => Math.min(attempt * 50, 2000);

export const REDIS_PROFILES: Readonly<Record<RedisProfile, RedisOptions>> = {
  blocking: { maxRetriesPerRequest: null, retryStrategy: reconnectForever },
  'fast-fail': {
    maxRetriesPerRequest: 1,
    commandTimeout: FAST_FAIL_COMMAND_TIMEOUT_MS,
    enableOfflineQueue: true,
    retryStrategy: reconnectForever,
  },
};

/** A new connection to `url` with the given profile (connects at once). */
export function connectRedis(url: string, profile: RedisProfile): Redis {
  return new Redis(url, { ...REDIS_PROFILES[profile] });
}
