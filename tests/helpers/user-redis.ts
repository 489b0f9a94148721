import { Redis } from 'ioredis';

/**
 * What the tests know about the Redis a user's Canevas would use (REDIS_URL): which server it is, and
 * a sentinel key the global setup plants there and checks at the end, to prove the tests left it alone.
 */
export interface Sentinel {
  url: string;
  key: string;
  value: string;
}

export type SentinelState = 'intact' | 'missing' | 'changed';

// Long enough for any run; short enough that a run killed before its teardown leaves no lasting trace.
const SENTINEL_TTL_SECONDS = 24 * 3600;

function connect(url: string): Redis {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0 });
  redis.on('error', () => undefined);
  return redis;
}

async function using<T>(url: string, fn: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = connect(url);
  try {
    await redis.connect();
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

/** The server's run_id (unique per server process), or null when nothing answers at `url`. */
export async function serverRunId(url: string): Promise<string | null> {
  try {
    return await using(url, async (redis) => {
      const info = await redis.info('server');
      return /^run_id:(\w+)/m.exec(info)?.[1] ?? null;
    });
  } catch {
    return null;
  }
}

/** Writes a key of its own that did not exist (a random name) in the database `url` names. */
export async function plantSentinel(url: string): Promise<Sentinel> {
  const tag = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const sentinel = { url, key: `canevas-tests:sentinel:${tag}`, value: `left by npm test ${tag}` };
  await using(url, async (redis) => {
    const set = await redis.set(sentinel.key, sentinel.value, 'EX', SENTINEL_TTL_SECONDS, 'NX');
    if (set !== 'OK') throw new Error(`sentinel key ${sentinel.key} already exists`);
  });
  return sentinel;
}

export async function sentinelState(sentinel: Sentinel): Promise<SentinelState> {
  const value = await using(sentinel.url, (redis) => redis.get(sentinel.key));
  if (value === null) return 'missing';
  return value === sentinel.value ? 'intact' : 'changed';
}

const DELETE_IF_EQUAL = `
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
`;

/** Deletes the sentinel, and only while it still holds its own value. */
export async function removeSentinel(sentinel: Sentinel): Promise<void> {
  await using(sentinel.url, (redis) => redis.eval(DELETE_IF_EQUAL, 1, sentinel.key, sentinel.value));
}
