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
  let sha = shas.get(script);
  if (!sha) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  try {
    return await redis.evalsha(sha, numKeys, ...keysAndArgs);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return redis.eval(script, numKeys, ...keysAndArgs);
  }
}
