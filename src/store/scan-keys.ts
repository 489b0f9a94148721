import { isCluster, type RedisClient } from '../redis-connections.js';

/**
 * Every key matching the glob `pattern`. SCAN walks one server's keys: on a cluster each master is
 * walked in turn (replicas hold copies, so they are left out).
 */
export async function scanKeys(redis: RedisClient, pattern: string): Promise<string[]> {
  const found: string[] = [];
  for (const node of isCluster(redis) ? redis.nodes('master') : [redis]) {
    for await (const batch of node.scanStream({ match: pattern, count: 500 }))
      found.push(...(batch as string[]));
  }
  return found;
}

/** Escapes Redis glob characters, so a name is matched as written. */
export const globLiteral = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');
