/**
 * An open-loop load generator: requests leave at a constant rate on a fixed schedule, whether or not
 * earlier ones were answered, and each one's latency is counted from the time it was scheduled to
 * leave. A closed loop (send, wait, send) slows down with the server and hides its queueing; this
 * does not (the "coordinated omission" a closed loop suffers).
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { round } from './figure.js';

export interface OpenLoopRequest {
  body: string;
  headers: Record<string, string>;
}

export interface OpenLoopOptions {
  url: string;
  ratePerSecond: number;
  /** Measured window. */
  durationMs: number;
  /** Sent at the same rate before the window, not counted (JIT, connections, caches). */
  warmupMs: number;
  /** Request `i` (made before the run starts, so making it costs the schedule nothing). */
  make(i: number): OpenLoopRequest;
  /**
   * A request not answered this long after it was due counts as an error ('timeout'), and the run ends
   * at the latest this long after its last request was due, whatever is still unanswered.
   */
  timeoutMs?: number;
}

export interface OpenLoopResult {
  rate: number;
  /** Requests in the measured window. */
  count: number;
  /** Answered with a 2xx. */
  ok: number;
  /** Not 2xx, failed or timed out: each is counted at the time it ended, so it weighs on the tail. */
  errors: number;
  statuses: Record<string, number>;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** How late the generator itself sent, at worst: a large value means the generator was starved. */
  maxSendLagMs: number;
}

export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const interval = 1000 / options.ratePerSecond;
  const warmup = Math.round(options.warmupMs / interval);
  const total = warmup + Math.round(options.durationMs / interval);
  const requests = Array.from({ length: total }, (_, i) => options.make(i));
  const { hostname, port, pathname } = new URL(options.url);
  // Open loop: as many connections as the backlog needs, reused when free.
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let maxSendLag = 0;
  let done = 0;
  const pending = new Map<number, { due: number; end: (status: string, ok: boolean) => void }>();
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const timeoutMs = options.timeoutMs ?? 10_000;

  const record = (i: number, due: number, status: string, ok: boolean) => {
    if (i >= warmup) {
      latencies.push(performance.now() - due);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (!ok) errors++;
    }
    if (++done === total) finish();
  };

  const fire = (i: number, due: number) => {
    maxSendLag = Math.max(maxSendLag, performance.now() - due);
    const r = requests[i] as OpenLoopRequest;
    let ended = false;
    const end = (status: string, ok: boolean) => {
      if (ended) return;
      ended = true;
      pending.delete(i);
      record(i, due, status, ok);
    };
    pending.set(i, { due, end });
    const req = request(
      {
        hostname,
        port,
        path: pathname,
        method: 'POST',
        agent,
        headers: { ...r.headers, 'content-length': Buffer.byteLength(r.body) },
      },
      (res) => {
        res.resume();
        res.once('end', () => {
          const status = res.statusCode ?? 0;
          end(String(status), status >= 200 && status < 300);
        });
      },
    );
    req.setTimeout(timeoutMs, () => {
      end('timeout', false);
      req.destroy();
    });
    req.once('error', () => end('error', false));
    req.end(r.body);
  };

  const start = performance.now() + 20;
  let next = 0;
  const tick = () => {
    const now = performance.now();
    while (next < total && start + next * interval <= now) {
      fire(next, start + next * interval);
      next++;
    }
    if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now() - 0.5));
  };
  setTimeout(tick, 0);
  const lastDue = start + (total - 1) * interval;
  const deadline = new Promise<void>((resolve) => {
    const check = () => {
      if (done === total) return resolve();
      if (performance.now() - lastDue >= timeoutMs) {
        // What is still unanswered counts as timed out now, at its full wait.
        for (const { end } of [...pending.values()]) end('timeout', false);
        return resolve();
      }
      setTimeout(check, 100);
    };
    setTimeout(check, 100);
  });
  await Promise.race([finished, deadline]);
  agent.destroy();

  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0);
  return {
    rate: options.ratePerSecond,
    count: sorted.length,
    ok: sorted.length - errors,
    errors,
    statuses,
    p50Ms: at(0.5),
    p90Ms: at(0.9),
    p99Ms: at(0.99),
    maxMs: round(sorted.at(-1) ?? 0),
    meanMs: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
    maxSendLagMs: round(maxSendLag),
  };
}
