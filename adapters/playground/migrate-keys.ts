import { globLiteral, isCluster, type Logger, type RedisClient, scanKeys } from '../../src/index.js';
import { PLAYGROUND_PREFIX } from './channel-store.js';

/** Where Canevas 0.1 kept the playground's channel: keys without a hash tag. */
const LEGACY_PREFIX = 'canevas:playground:';
/** Written with every message: while it is there, something is left to move. */
const LEGACY_SEQ = `${LEGACY_PREFIX}seq`;

/**
 * Moves the playground's messages, threads and files of Canevas 0.1 under its hash-tagged prefix, so
 * an upgraded playground shows its channel as it was. Idempotent: the message counter moves last, and
 * only its presence starts a move. Key contents hold ids, never key names, so they move unchanged.
 */
export async function movePlaygroundKeys(redis: RedisClient, logger: Logger): Promise<number> {
  if ((await redis.exists(LEGACY_SEQ)) === 0) return 0;
  if (isCluster(redis)) {
    // RENAME cannot cross slots; a playground's data never started on a cluster anyway.
    logger.warn('playground keys of Canevas 0.1 found on a cluster: left where they are');
    return 0;
  }
  const old = (await scanKeys(redis, `${globLiteral(LEGACY_PREFIX)}*`)).filter((k) => k !== LEGACY_SEQ);
  let moved = 0;
  for (const key of [...old, LEGACY_SEQ]) {
    const to = `${PLAYGROUND_PREFIX}:${key.slice(LEGACY_PREFIX.length)}`;
    // Another process starting at the same time may have moved it first.
    if (await redis.rename(key, to).catch(() => null)) moved += 1;
  }
  logger.info({ moved }, 'playground keys moved to the hash-tagged layout');
  return moved;
}
