/**
 * A child process that starts a batch of campaigns through the engine (see start-campaigns.ts), so
 * several can share the work across cores. Arguments: a JSON CampaignBatch and the number in flight;
 * REDIS_URL in the environment. Prints `{"started": n}` now and then and `{"done": n}` at the end.
 */

import { startRuntime } from '../adapters/runtime.js';
import { readConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { type CampaignBatch, startCampaigns } from './start-campaigns.js';

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
  say({ done: batch.to - batch.from });
} finally {
  await runtime.close();
}
