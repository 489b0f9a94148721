/**
 * A child process that starts a batch of campaigns through the engine (see start-campaigns.ts), so
 * several can share the work across cores. Arguments: a JSON CampaignBatch and the number in flight;
 * REDIS_URL in the environment. Prints `{"started": n}` now and then and `{"done": n}` at the end.
 */

import { Redis } from 'ioredis';
import { startRuntime } from '../adapters/runtime.js';
import { readConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { keys } from '../src/store/keys.js';
import { type CampaignBatch, channelOf, startCampaigns } from './start-campaigns.js';

// The core's background work (an inbox drained after its caller was answered) may fail on a machine
// loaded past its cores: it is finished by the next event or the sweeper, so it must not end the batch.
process.on('unhandledRejection', (err) => {
  process.stderr.write(`campaign starter: ${(err as Error)?.stack ?? String(err)}\n`);
});

const batch = JSON.parse(process.argv[2] ?? '{}') as CampaignBatch;
const inFlight = Number(process.argv[3] ?? 16);
const config = readConfig({
  REDIS_URL: process.env.REDIS_URL,
  PORT: '0',
  CANEVAS_LANG: 'en',
  LOG_LEVEL: 'silent',
});
const runtime = await startRuntime(config, { serve: false, work: false, logger: createLogger('silent') });
const say = (m: Record<string, number>) => process.stdout.write(`${JSON.stringify(m)}\n`);
try {
  await startCampaigns(runtime, batch, inFlight, (started) => say({ started }));
  await locksLetGo();
  say({ done: batch.to - batch.from });
} finally {
  await runtime.close();
}

/**
 * A start answers before its campaign's lock is let go (the rest of the inbox is applied after): closing
 * now would leave locks to expire, and the campaigns' next events waiting for them.
 */
async function locksLetGo(): Promise<void> {
  const redis = new Redis(config.redisUrl);
  try {
    for (let i = batch.from; i < batch.to; i++) {
      const id = await runtime.store.activeId(channelOf(batch, i));
      while (id && (await redis.exists(keys.campaignLock(id)))) await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    redis.disconnect();
  }
}
