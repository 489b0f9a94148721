import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
// Not the core's index: the tests' global setup loads this file and needs none of the rest.
import { connectRedis, type RedisTarget } from '../src/redis-connections.js';

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

/**
 * Answers true when Redis answers where the configuration points: the single Redis, or the cluster
 * with every slot served (`cluster_state:ok`).
 */
export async function redisTargetAnswers(target: RedisTarget): Promise<boolean> {
  if (!target.redisCluster) return redisAnswers(target.redisUrl);
  const probe = connectRedis(target, 'fast-fail');
  probe.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, failed) => {
    timer = setTimeout(() => failed(new Error('no answer')), 3000);
  });
  try {
    const info = String(await Promise.race([probe.cluster('INFO'), late]));
    return info.includes('cluster_state:ok');
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    probe.disconnect();
  }
}

export interface LocalRedis {
  stop(): Promise<void>;
}

export interface ThrowawayRedis extends LocalRedis {
  /** `redis://127.0.0.1:<port>`, database 0. */
  url: string;
}

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, failed) => {
    const server = createServer().on('error', failed);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export interface ServerOptions {
  url: string;
  dataDir: string;
  /** AOF on (the playground keeps its campaigns), or nothing written to disk at all. */
  persist: boolean;
  databases?: number;
  /** More redis-server options, as `--name value` pairs (a cluster node's, for one). */
  extraArgs?: string[];
}

/** Spawns redis-server and resolves once it answers; rejects when it exits or stays silent for 5 s. */
export async function startRedisServer(options: ServerOptions): Promise<ChildProcess> {
  const { hostname, port } = new URL(options.url);
  const args = ['--port', port || '6379', '--bind', hostname || '127.0.0.1', '--dir', options.dataDir];
  args.push('--appendonly', options.persist ? 'yes' : 'no', '--save', '');
  if (options.databases) args.push('--databases', String(options.databases));
  args.push(...(options.extraArgs ?? []));
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  // Polled rather than read from its log: the log's wording changes between Redis versions.
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(options.url)) return child;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on ${options.url}`);
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

/**
 * Starts a redis-server for the playground, keeping its data (AOF) under ./.canevas/redis so a
 * restarted playground finds its campaigns again. Stopped with the process.
 */
export async function startLocalRedis(url: string, dataDir = resolve('.canevas/redis')): Promise<LocalRedis> {
  mkdirSync(dataDir, { recursive: true });
  const child = await startRedisServer({ url, dataDir, persist: true });
  return { stop: () => stopChild(child) };
}

/**
 * Starts a redis-server that nobody else uses, for the tests and the benchmarks: a free loopback
 * port, an empty temporary folder, nothing written to disk. `stop` removes the folder.
 */
export async function startThrowawayRedis(options: { databases?: number } = {}): Promise<ThrowawayRedis> {
  const dataDir = mkdtempSync(join(tmpdir(), 'canevas-throwaway-redis-'));
  let lastError: unknown;
  // The free port may be taken between the probe and redis-server's bind: then try another one.
  for (let attempt = 0; attempt < 5; attempt++) {
    const url = `redis://127.0.0.1:${await freePort()}`;
    try {
      const child = await startRedisServer({ url, dataDir, persist: false, ...options });
      const cleanUp = () => rmSync(dataDir, { recursive: true, force: true });
      // A run that ends without calling stop (an uncaught error) still leaves no server behind.
      const onExit = () => {
        child.kill('SIGTERM');
        cleanUp();
      };
      process.once('exit', onExit);
      return {
        url,
        async stop() {
          process.off('exit', onExit);
          await stopChild(child);
          cleanUp();
        },
      };
    } catch (err) {
      lastError = err;
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
  throw lastError;
}
