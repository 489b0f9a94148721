import type { Logger } from '../logger.js';
import type { RedisClient } from '../redis-connections.js';
import { keys, PREFIX } from './keys.js';
import { globLiteral, scanKeys } from './scan-keys.js';

/**
 * Moves campaigns stored by Canevas 0.1 (`canevas:campaign:<id>`, `canevas:campaign:<id>:answers`)
 * under the hash-tagged keys, so an upgrade finds every campaign and answer again. Idempotent: a
 * campaign already moved is left alone. Run once at start, before anything reads campaigns.
 */
export async function migrateKeys(redis: RedisClient, logger: Logger): Promise<number> {
  let moved = 0;
  for (const id of await redis.smembers(keys.campaigns())) {
    const oldDoc = `${PREFIX}:campaign:${id}`;
    const oldAnswers = `${oldDoc}:answers`;
    if (!(await redis.exists(oldDoc)) || (await redis.exists(keys.campaign(id)))) continue;
    const [doc, answers] = await Promise.all([redis.hgetall(oldDoc), redis.hgetall(oldAnswers)]);
    // Written under the new keys before the old ones go: a crash in between leaves both, never neither.
    const write = redis.multi().hset(keys.campaign(id), doc);
    if (Object.keys(answers).length > 0) write.hset(keys.answers(id), answers);
    await write.exec();
    // One key at a time: the two old keys have no hash tag, so on a cluster they sit in two slots.
    await redis.del(oldDoc);
    await redis.del(oldAnswers);
    await movePostRecords(redis, id);
    moved += 1;
  }
  if (moved > 0) logger.info({ moved }, 'campaigns moved to the hash-tagged key layout');
  return moved;
}

/** The records of posts already made (their platform refs), so none is made again after the upgrade. */
async function movePostRecords(redis: RedisClient, id: string): Promise<void> {
  const prefix = `${PREFIX}:post:`;
  for (const old of await scanKeys(redis, `${globLiteral(`${prefix}${id}`)}-*`)) {
    const ref = await redis.get(old);
    const ttl = await redis.ttl(old);
    if (ref !== null)
      await redis.set(keys.post(id, old.slice(prefix.length)), ref, 'EX', ttl > 0 ? ttl : 30 * 24 * 3600);
    await redis.del(old);
  }
}
