import type { TestProject } from 'vitest/node';
import { hasRedisServer, redisAnswers, startThrowawayRedis } from '../adapters/redis-launcher.js';
import { TEST_DATABASES, type UserRedis } from './helpers/redis-context.js';
import {
  plantSentinel,
  removeSentinel,
  type Sentinel,
  sentinelState,
  serverRunId,
} from './helpers/user-redis.js';

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * The tests flush whole databases, so they run on a Redis of their own: TEST_REDIS_URL when set,
 * otherwise a throwaway redis-server started here. Never the one REDIS_URL names: when REDIS_URL is
 * set and answers, a sentinel key planted there must be intact at the end, or the run fails.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const userUrl = process.env.REDIS_URL;
  const user: UserRedis = {
    url: userUrl ?? DEFAULT_REDIS_URL,
    explicit: userUrl !== undefined,
    runId: await serverRunId(userUrl ?? DEFAULT_REDIS_URL),
    sentinel: null,
  };

  const tests = await testsRedis();
  const testsRunId = tests && (await serverRunId(tests.url));
  if (tests && user.runId !== null && testsRunId === user.runId) {
    await tests.stop();
    throw new Error(
      `TEST_REDIS_URL (${tests.url}) is the server REDIS_URL names (${user.url}): the tests flush its ` +
        'databases. Point TEST_REDIS_URL at a Redis of its own, or unset it to let the tests start one.',
    );
  }

  let sentinel: Sentinel | null = null;
  if (user.explicit && user.runId !== null) sentinel = await plantSentinel(user.url);
  user.sentinel = sentinel;

  project.provide('testRedisUrl', tests?.url ?? null);
  project.provide('userRedis', user);

  return async () => {
    try {
      if (sentinel) await checkSentinel(sentinel);
    } finally {
      await tests?.stop();
    }
  };
}

async function testsRedis(): Promise<{ url: string; stop(): Promise<void> } | null> {
  const given = process.env.TEST_REDIS_URL;
  if (given) {
    if (!(await redisAnswers(given))) throw new Error(`TEST_REDIS_URL: nothing answers at ${given}.`);
    const last = new URL(given);
    last.pathname = `/${TEST_DATABASES - 1}`;
    if (!(await redisAnswers(last.toString()))) {
      throw new Error(
        `TEST_REDIS_URL: the tests use databases 0-${TEST_DATABASES - 1}; start that Redis with --databases ${TEST_DATABASES}.`,
      );
    }
    return { url: given, stop: async () => undefined };
  }
  if (!hasRedisServer()) {
    // Pure unit tests still run; every test that needs Redis fails saying how to get one.
    process.stderr.write(
      'No redis-server on PATH and no TEST_REDIS_URL: tests that need Redis will fail. ' +
        'Install redis-server (apt install redis-server, brew install redis) or set TEST_REDIS_URL.\n',
    );
    return null;
  }
  return startThrowawayRedis({ databases: TEST_DATABASES });
}

async function checkSentinel(sentinel: Sentinel): Promise<void> {
  const state = await sentinelState(sentinel).catch((err: unknown) => `unreadable (${String(err)})`);
  if (state === 'intact') {
    await removeSentinel(sentinel);
    return;
  }
  process.stderr.write(
    `\nThe tests touched the database REDIS_URL names (${sentinel.url}): the sentinel key ` +
      `${sentinel.key} the setup planted there is ${state}.\n`,
  );
  // A throw in a global teardown is only logged by vitest: the exit code must say it.
  process.exitCode = 1;
}
