import { createHash } from 'node:crypto';
import type { RedisClient } from '../redis-connections.js';

const shas = new Map<string, string>();

/**
 * `EVAL`, but by the script's SHA1: Redis keeps scripts it has run, so the text (a kilobyte for a
 * transition) travels only the first time, or after Redis restarted and forgot it (NOSCRIPT).
 */
export async function evalScript(
  redis: RedisClient,
  script: string,
  numKeys: number,
  ...keysAndArgs: (string | number)[]
): Promise<unknown> {
  try {
    return await redis.evalsha(shaOf(script), numKeys, ...keysAndArgs);
  } catch (err) {
    if (!isNoScript(err)) throw err;
    return redis.eval(script, numKeys, ...keysAndArgs);
  }
}

/** The SHA1 Redis knows a script by. */
export function shaOf(script: string): string {
  let sha = shas.get(script);
  if (!sha) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  return sha;
}

/** Redis does not know the script (it restarted, or its scripts were flushed): send its text. */
export const isNoScript = (err: unknown) => err instanceof Error && err.message.startsWith('NOSCRIPT');
