/** What a timed benchmark reports: a mean, median and p95 per iteration, and a rate when it measures throughput. */
import { round } from './figure.js';

export interface Result {
  name: string;
  iterations: number;
  meanMs: number;
  /** Absent for throughput benchmarks. */
  medianMs?: number;
  p95Ms?: number;
  /** Items per second, for throughput benchmarks (meanMs is then the wall time per item). */
  perSecond?: number;
}

/** Runs `fn(i)` `iterations` times in a row and sums up the time of each run. */
export async function measure(name: string, iterations: number, fn: (i: number) => unknown): Promise<Result> {
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    await fn(i);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return summarise(name, times);
}

export function summarise(name: string, times: number[]): Result {
  const sorted = [...times].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return {
    name,
    iterations: sorted.length,
    meanMs: round(mean),
    medianMs: round(sorted[Math.floor(sorted.length / 2)] ?? mean),
    p95Ms: round(sorted[Math.floor(sorted.length * 0.95)] ?? mean),
  };
}

/**
 * Runs `count` calls of `fn(i)` with at most `inFlight` at once, then `done` (what must finish for the
 * work to count as done); the result is their rate.
 */
export async function throughput(
  name: string,
  count: number,
  inFlight: number,
  fn: (i: number) => Promise<unknown>,
  done: () => Promise<unknown> = async () => undefined,
): Promise<Result> {
  let next = 0;
  const start = process.hrtime.bigint();
  const lane = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  await done();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return {
    name,
    iterations: count,
    meanMs: round(ms / count),
    perSecond: Math.round((count / ms) * 1000),
  };
}
