import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startLocalRedis } from '../../adapters/redis-launcher.js';

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A redis-server of the test file's own, on a free port, for files that cannot share the test Redis:
 * its 16 database numbers all have an owner (see redis.ts). Stop it in afterAll.
 */
export async function startOwnRedis(): Promise<{ redis: Redis; stop(): Promise<void> }> {
  const url = `redis://127.0.0.1:${await freePort()}`;
  const local = await startLocalRedis(url, mkdtempSync(join(tmpdir(), 'canevas-test-redis-')));
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  return {
    redis,
    async stop() {
      redis.disconnect();
      await local.stop();
    },
  };
}
