import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { Config } from './config.js';

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
 * `fast-fail` also pipelines on its own (`enableAutoPipelining`): the commands issued in one tick by
 * the many posts, events and requests a process handles at once go out in one write, where each
 * would cost its own system call (the outbox spent a sixth of its CPU there). Never on `blocking`:
 * a command queued behind a blocking read would wait for it.
 *
 * Either may be a single Redis or a Redis Cluster (`REDIS_CLUSTER_NODES`); the code above the
 * connection does not tell them apart, because every multi-key command and script it sends stays
 * within one hash slot (see store/keys.ts).
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
    enableAutoPipelining: true,
    retryStrategy: reconnectForever,
  },
};

/** A connection to one Redis or to a Redis Cluster: both speak the same commands. */
export type RedisClient = Redis | Cluster;

/** Where Redis is, as the configuration says it. */
export type RedisTarget = Pick<Config, 'redisUrl' | 'redisCluster'>;

/**
 * While a slot moves between masters, a command on keys split across the two gets TRYAGAIN and one on
 * a key already moved an ASK redirect: ioredis retries both. A failover leaves the cluster down for a
 * moment: commands wait for it rather than failing at once.
 */
const CLUSTER_RETRIES: ClusterOptions = {
  retryDelayOnTryAgain: 50,
  retryDelayOnClusterDown: 200,
  retryDelayOnFailover: 200,
  maxRedirections: 32,
};

/**
 * A new connection to Redis, or to the cluster, with the given profile (connects at once). A bare URL
 * still means one Redis.
 */
export function connectRedis(target: RedisTarget | string, profile: RedisProfile): RedisClient {
  const where = typeof target === 'string' ? { redisUrl: target } : target;
  // The cluster keeps its own offline queue and reconnects by its own strategy, not each node's.
  const { retryStrategy, enableOfflineQueue: _queue, ...perCommand } = REDIS_PROFILES[profile];
  const cluster = where.redisCluster;
  if (!cluster) return new Redis(where.redisUrl, { ...REDIS_PROFILES[profile] });
  return new Cluster(
    cluster.nodes.map((n) => ({ ...n })),
    {
      ...CLUSTER_RETRIES,
      clusterRetryStrategy: retryStrategy,
      enableOfflineQueue: true,
      redisOptions: {
        ...perCommand,
        ...(cluster.username ? { username: cluster.username } : {}),
        ...(cluster.password ? { password: cluster.password } : {}),
        ...(cluster.tls ? { tls: {} } : {}),
      },
    },
  );
}

/** True for a Redis Cluster client. */
export function isCluster(redis: RedisClient): redis is Cluster {
  return redis instanceof Cluster;
}
