import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, type LocalRedis, redisAnswers, startLocalRedis } from '../adapters/redis-launcher.js';

const ROOT = new URL('..', import.meta.url).pathname;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The suite's own redis-server: AOF on and fsynced on every write, restartable on the same port and dir. */
export class FaultRedis {
  private server?: LocalRedis;
  private constructor(
    readonly url: string,
    private readonly dir: string,
  ) {}

  static async start(dir: string): Promise<FaultRedis> {
    const redis = new FaultRedis(`redis://127.0.0.1:${await freePort()}`, dir);
    await redis.up();
    return redis;
  }

  async up(): Promise<void> {
    this.server = await startLocalRedis(this.url, this.dir);
    // The launcher turns AOF on; every write must reach the disk before Redis answers it.
    const admin = new Redis(this.url, { maxRetriesPerRequest: 0 });
    await admin.config('SET', 'appendfsync', 'always');
    admin.disconnect();
  }

  async down(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
    while (await redisAnswers(this.url)) await sleep(50);
  }
}

type Role = 'serve' | 'work-a' | 'work-b';

/** One `canevas serve` and two `canevas work`, each in its own process group, logging to files. */
export class Cluster {
  private readonly children = new Map<Role, ChildProcess>();

  constructor(
    private readonly env: Record<string, string>,
    private readonly logDir: string,
    readonly port: number,
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  start(role: Role): void {
    const log = openSync(this.logFile(role), 'a');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'adapters/cli.ts', role === 'serve' ? 'serve' : 'work'],
      {
        cwd: ROOT,
        detached: true,
        stdio: ['ignore', log, log],
        env: { ...process.env, ...this.env, PORT: role === 'serve' ? String(this.port) : '0' },
      },
    );
    closeSync(log);
    this.children.set(role, child);
  }

  async startAll(): Promise<void> {
    for (const role of ['serve', 'work-a', 'work-b'] as const) this.start(role);
    await this.serveReady();
  }

  /** Until /healthz answers 200 (Redis and the queues reachable). */
  async serveReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const ok = await fetch(`${this.base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await sleep(200);
    }
    throw new Error('canevas serve did not become healthy');
  }

  pid(role: Role): number | undefined {
    return this.children.get(role)?.pid;
  }

  /** The worker whose process owns the local TCP port `port` (a call a fake server is holding). */
  workerOnPort(port: number): Role | undefined {
    const out = execFileSync('ss', ['-tnpH', `sport = :${port}`], { encoding: 'utf8' });
    const pid = Number(/pid=(\d+)/.exec(out)?.[1]);
    return (['work-a', 'work-b'] as const).find((r) => this.pid(r) === pid);
  }

  /** Sends `signal` to the role's whole process group and waits for it to exit. */
  async stop(role: Role, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.children.get(role);
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid, signal);
    } catch {
      return;
    }
    const forced = setTimeout(() => this.killGroup(child), 20_000);
    await exited;
    clearTimeout(forced);
  }

  async stopAll(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await Promise.all([...this.children.keys()].map((r) => this.stop(r, signal)));
  }

  /** Last resort at exit: no group of ours is left behind. */
  killAll(): void {
    for (const child of this.children.values()) this.killGroup(child);
  }

  private killGroup(child: ChildProcess): void {
    if (!child.pid) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  logFile(role: Role): string {
    return join(this.logDir, `${role}.log`);
  }

  tails(lines = 12): string {
    return (['serve', 'work-a', 'work-b'] as const)
      .map((r) => {
        let text = '';
        try {
          text = readFileSync(this.logFile(r), 'utf8');
        } catch {
          text = '(no log)';
        }
        return `--- ${r} (${this.logFile(r)}) ---\n${text
          .trimEnd()
          .split('\n')
          .slice(-lines)
          .map((l) => l.slice(0, 300))
          .join('\n')}`;
      })
      .join('\n');
  }
}
