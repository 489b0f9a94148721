/**
 * What the global setup (tests/global-setup.ts) hands the test files: the tests' own Redis and what it
 * found at REDIS_URL. Kept apart from tests/helpers/redis.ts, which only test files may import.
 */

/** Databases of the tests' Redis: each test file owns one (see tests/helpers/redis.ts). */
export const TEST_DATABASES = 64;

export interface UserRedis {
  /** REDIS_URL, or the default a user's Canevas falls back to when it is unset. */
  url: string;
  /** Whether REDIS_URL was set (a sentinel is planted only then). */
  explicit: boolean;
  /** The run_id of the server there, or null when nothing answered. */
  runId: string | null;
  sentinel: { url: string; key: string; value: string } | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The tests' own Redis (started for the run, or TEST_REDIS_URL), or null when there is none. */
    testRedisUrl: string | null;
    userRedis: UserRedis;
  }
}
