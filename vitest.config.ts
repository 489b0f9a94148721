import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Starts the tests' own Redis (or takes TEST_REDIS_URL) and guards the one REDIS_URL names.
    globalSetup: ['tests/global-setup.ts'],
    // Test files share the tests' Redis; each file owns a database number (see tests/helpers/redis.ts).
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
