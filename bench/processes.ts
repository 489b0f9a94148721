/**
 * Child processes for the bench: the servers and workers measured run in processes of their own, so
 * the load generator never takes their event loop (nor they its).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(import.meta.dirname, '..');
/** tsx's loader, by absolute URL: children run in a temporary folder (no `.env` of the user's is read). */
const TSX = import.meta.resolve('tsx');

export interface Child {
  pid: number;
  /** Lines the child printed on stdout that parse as JSON (the bench's own children report so). */
  messages: Record<string, unknown>[];
  /** Called with every message from now on. */
  onMessage(listener: (m: Record<string, unknown>) => void): void;
  /** Resolves once the process has exited, with its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** The first message for which `pick` holds, waited for up to `timeoutMs`. */
  message(
    pick: (m: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** CPU seconds the process has used so far (user + system), from /proc; undefined elsewhere. */
  cpuSeconds(): number | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** The last lines it wrote on stderr, for a failure's message. */
  stderrTail(): string;
}

/**
 * Environment of a child: only what it needs, never the user's REDIS_URL or platform tokens (a child
 * that inherited them could talk to the user's Redis or Slack).
 */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR'];
  const base: NodeJS.ProcessEnv = {};
  for (const k of keep) if (process.env[k] !== undefined) base[k] = process.env[k];
  return { ...base, ...env };
}

/**
 * `BENCH_CPU_PROF=DIR` profiles every child (`node --cpu-prof`, a `.cpuprofile` per process, written
 * when it exits): where a figure's time goes, seen in the processes that spend it.
 */
function profileFlags(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** Runs a TypeScript file of the project (`bench/x.ts`, `adapters/cli.ts`) with its arguments. */
export function spawnScript(script: string, args: string[], env: Record<string, string>): Child {
  const argv = [...profileFlags(), '--import', TSX, join(ROOT, script), ...args];
  const child = spawn(process.execPath, argv, {
    cwd: tmpdir(),
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return wrap(child, script);
}

/** The `canevas` command itself (`serve`, `work`), as an operator runs it. */
export function spawnCanevas(command: 'serve' | 'work' | 'start', env: Record<string, string>): Child {
  return spawnScript('adapters/cli.ts', [command], env);
}

function wrap(child: ChildProcess, what: string): Child {
  const messages: Record<string, unknown>[] = [];
  const waiters: {
    pick: (m: Record<string, unknown>) => boolean;
    resolve: (m: Record<string, unknown>) => void;
  }[] = [];
  const listeners: ((m: Record<string, unknown>) => void)[] = [];
  const stderr: string[] = [];
  let exited = child.exitCode !== null;
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exit.then(() => {
    exited = true;
  });
  if (child.stdout)
    createInterface({ input: child.stdout }).on('line', (line) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        return;
      }
      if (typeof parsed !== 'object' || parsed === null) return;
      const m = parsed as Record<string, unknown>;
      messages.push(m);
      for (const listener of listeners) listener(m);
      for (const w of [...waiters])
        if (w.pick(m)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
    });
  if (child.stderr)
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderr.push(line);
      if (stderr.length > 20) stderr.shift();
    });
  const pid = child.pid ?? 0;
  const tail = () => stderr.join('\n');
  return {
    pid,
    messages,
    stderrTail: tail,
    onMessage: (listener) => listeners.push(listener),
    exited: exit,
    message(pick, timeoutMs = 60_000) {
      const found = messages.find(pick);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${what} said nothing expected within ${timeoutMs} ms:\n${tail()}`)),
          timeoutMs,
        );
        const done = (m: Record<string, unknown>) => {
          clearTimeout(timer);
          resolve(m);
        };
        waiters.push({ pick, resolve: done });
        void exit.then(() => {
          clearTimeout(timer);
          reject(new Error(`${what} exited (${child.exitCode ?? child.signalCode}):\n${tail()}`));
        });
      });
    },
    cpuSeconds: () => processCpuSeconds(pid),
    async stop(graceMs = 15_000) {
      if (exited) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(killer);
    },
  };
}

let clockTicks: number | undefined;

/** utime + stime of a process, in seconds (Linux). */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    clockTicks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return undefined;
  }
}

/** Polls `url` until it answers 200, for up to `timeoutMs`. */
export async function waitForHttp(url: string, child: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline)
      throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${child.stderrTail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Whether the process settles (under a tenth of a core over a second) within a few seconds. */
export async function quiet(child: Child, withinMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  let last = child.cpuSeconds();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1_000));
    const now = child.cpuSeconds();
    if (now === undefined || last === undefined || now - last < 0.1) return true;
    last = now;
  }
  return false;
}
