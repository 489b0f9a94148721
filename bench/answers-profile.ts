/**
 * Where an answer's time goes: answers spread over 100 campaigns (50 in flight, as the `answers` figure
 * sends them), with every Redis command this process sends counted by name, and the measured part
 * (not start-up, not the warm-up) profiled:
 *
 *   npx tsx bench/answers-profile.ts [answers] [profile.cpuprofile]
 *
 * Prints the rate and the commands per answer; the profile (open it in Chrome's DevTools) says what
 * the process itself spends.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Redis } from 'ioredis';
import { startThrowawayRedis } from '../adapters/redis-launcher.js';
import { answerer, applied, startEngineOnly } from './answerer.js';
import { throughput } from './measure.js';

const CAMPAIGNS = 100;
const say = (line: string) => process.stdout.write(`${line}\n`);
const IN_FLIGHT = 50;

/** Counts every command sent on any ioredis connection, by name (EVALSHA by the script's first bytes). */
function countCommands(): Map<string, number> {
  const counts = new Map<string, number>();
  const send = Redis.prototype.sendCommand;
  Redis.prototype.sendCommand = function (this: Redis, command, stream) {
    counts.set(command.name, (counts.get(command.name) ?? 0) + 1);
    return send.call(this, command, stream);
  };
  return counts;
}

const count = Number(process.argv[2] ?? 4_000);
const profileTo = process.argv[3];
const session = new Session();
session.connect();
const server = await startThrowawayRedis();
const runtime = await startEngineOnly(`${server.url}/1`);
try {
  const spread = await Promise.all(
    Array.from({ length: CAMPAIGNS }, (_, c) => answerer(runtime, `spread-${c}`)),
  );
  // Warm the JIT and the connections on the same campaigns.
  await throughput(
    'warm',
    1_000,
    IN_FLIGHT,
    (i) => spread[i % CAMPAIGNS]?.(1_000_000 + i) ?? Promise.resolve(),
  );
  await applied(runtime, spread);
  const counts = countCommands();
  if (profileTo) {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const result = await throughput(
    'spread',
    count,
    IN_FLIGHT,
    (i) => spread[i % CAMPAIGNS]?.(i) ?? Promise.resolve(),
    () => applied(runtime, spread),
  );
  if (profileTo) writeFileSync(profileTo, JSON.stringify((await session.post('Profiler.stop')).profile));
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  say(`${result.perSecond}/s over ${count} answers; ${(total / count).toFixed(2)} commands an answer`);
  for (const [name, n] of [...counts].sort((a, b) => b[1] - a[1]))
    say(`  ${name.padEnd(10)} ${(n / count).toFixed(2)}`);
} finally {
  await runtime.close();
  await server.stop();
}
