/** What a Redis holds: its memory and keys, and which kinds of key take it. */
import type { Redis } from 'ioredis';

export interface RedisUsage {
  /** INFO memory `used_memory`: what the data takes, allocator overhead included. */
  usedMemory: number;
  keys: number;
  /** CPU seconds the server has used (user + system). */
  cpuSeconds: number;
}

const field = (info: string, name: string) =>
  Number(info.match(new RegExp(`^${name}:([\\d.]+)`, 'm'))?.[1] ?? 0);

export async function redisUsage(redis: Redis): Promise<RedisUsage> {
  const memory = await redis.info('memory');
  const cpu = await redis.info('cpu');
  return {
    usedMemory: field(memory, 'used_memory'),
    keys: await redis.dbsize(),
    cpuSeconds: field(cpu, 'used_cpu_user') + field(cpu, 'used_cpu_sys'),
  };
}

/**
 * A key's kind: its name with ids and numbers taken out, so one campaign's keys and another's fall
 * together (`canevas:{…}:campaign`, `bull:canevas-schedule:repeat:…`).
 */
export function kindOf(key: string): string {
  return (
    key
      // The playground's own hash tag names no campaign: kept, its keys stay apart.
      .replace(/\{(?!playground\})[^}]*\}/g, '{…}')
      .replace(/:(playground|slack|discord):[^:]+:[^:]+/, ':$1:…')
      .replace(/[0-9a-f]{12,}/gi, '…')
      .replace(/\d+/g, 'N')
      .replace(/(playground|slack|discord)-[^:]+/g, '$1-…')
  );
}

export interface KindUsage {
  kind: string;
  keys: number;
  /** MEMORY USAGE summed over the keys of this kind (measured on a sample, scaled up). */
  bytes: number;
}

/**
 * Every key counted by kind, and each kind's bytes measured with MEMORY USAGE on up to `sample` keys
 * of it (the rest scaled from them): a whole pass over millions of keys stays a matter of seconds.
 */
export async function usageByKind(redis: Redis, sample = 200): Promise<KindUsage[]> {
  const kinds = new Map<string, { keys: number; sampled: string[] }>();
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'COUNT', 5_000);
    cursor = next;
    for (const key of found) {
      const kind = kindOf(key);
      const entry = kinds.get(kind) ?? { keys: 0, sampled: [] };
      entry.keys++;
      // Reservoir sampling: every key of the kind is equally likely to be measured.
      if (entry.sampled.length < sample) entry.sampled.push(key);
      else {
        const j = Math.floor(Math.random() * entry.keys);
        if (j < sample) entry.sampled[j] = key;
      }
      kinds.set(kind, entry);
    }
  } while (cursor !== '0');
  const out: KindUsage[] = [];
  for (const [kind, { keys, sampled }] of kinds) {
    const pipeline = redis.pipeline();
    for (const key of sampled) pipeline.memory('USAGE', key, 'SAMPLES', '0');
    const sizes = ((await pipeline.exec()) ?? []).map(([, v]) => Number(v ?? 0));
    const mean = sizes.reduce((a, b) => a + b, 0) / Math.max(1, sizes.length);
    out.push({ kind, keys, bytes: Math.round(mean * keys) });
  }
  return out.sort((a, b) => b.bytes - a.bytes);
}
