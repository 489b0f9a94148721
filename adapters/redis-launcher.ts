import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';

/** Answers true when a Redis server replies to PING at `url` within a second or so. */
export async function redisAnswers(url: string): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export interface LocalRedis {
  stop(): Promise<void>;
}

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Starts a redis-server for the playground, keeping its data (AOF) under ./.canevas/redis so a
 * restarted playground finds its campaigns again. Stopped with the process.
 */
export async function startLocalRedis(url: string, dataDir = resolve('.canevas/redis')): Promise<LocalRedis> {
  mkdirSync(dataDir, { recursive: true });
  const { hostname, port } = new URL(url);
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      port || '6379',
      '--bind',
      hostname || '127.0.0.1',
      '--dir',
      dataDir,
      '--appendonly',
      'yes',
      '--save',
      '',
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(url)) {
      return {
        stop: () =>
          new Promise<void>((done) => {
            // Already gone (a SHUTDOWN, a crash): there is no exit left to wait for.
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      };
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on ${url}`);
}
