import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../adapters/redis-launcher.js';
import { APP_ID, GUILD_ID, startFakeDiscord } from '../tests/fakes/discord-server.js';
import { startFakeSlackApi } from '../tests/fakes/slack-api.js';
import { Cluster, FaultRedis } from './cluster.js';
import { type Ctx, slackCampaign } from './context.js';
import { Ledger } from './ledger.js';
import { printTable } from './report.js';
import { answerBurst } from './scenarios/burst.js';
import { duplicateDeliveries, editsBeforeMessages } from './scenarios/deliveries.js';
import { discordFaults } from './scenarios/discord.js';
import { downtimeAcrossTicks } from './scenarios/downtime.js';
import { killServeDuringEvents } from './scenarios/kill-serve.js';
import { killWorkerDuringPost } from './scenarios/kill-worker.js';
import { racingNext } from './scenarios/race-next.js';
import { redisFaults } from './scenarios/redis-faults.js';
import { postThen500, rateLimitStorms, serverErrorStorms } from './scenarios/storms.js';
import { ADMIN, SECRET, SlackDriver } from './slack-driver.js';
import { openStore, type Totals, verify } from './verify.js';

/**
 * The fault suite: the real `canevas serve` and two `canevas work` against a real redis-server (AOF)
 * and the fake Slack and Discord, through crashes, outages, storms and odd deliveries; then checks
 * from outside that no answer was lost and no post was doubled, dropped or out of order.
 */
const began = Date.now();
const log = (line: string) => process.stdout.write(`[${Math.round((Date.now() - began) / 1000)}s] ${line}\n`);

const tmp = mkdtempSync(join(tmpdir(), 'canevas-faults-'));
const redis = await FaultRedis.start(join(tmp, 'redis'));
const api = await startFakeSlackApi();
api.admins.add(ADMIN);
const discord = await startFakeDiscord();
const port = await freePort();
const cluster = new Cluster(
  {
    REDIS_URL: redis.url,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SLACK_BOT_TOKEN: 'xoxb-fault-suite',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: `${api.url}api/`,
    DISCORD_TOKEN: 'fake-token',
    DISCORD_APPLICATION_ID: APP_ID,
    DISCORD_API_URL: discord.url,
    DISCORD_GUILD_ID: GUILD_ID,
    DISCORD_MESSAGE_CONTENT: 'true',
    CANEVAS_LANG: 'en',
    LOG_LEVEL: 'warn',
  },
  tmp,
  port,
);
process.once('exit', () => cluster.killAll());
process.once('SIGINT', () => process.exit(130));

const ledger = new Ledger();
const view = openStore(redis.url);
const ctx: Ctx = {
  cluster,
  redis,
  slack: new SlackDriver(() => cluster.base, api),
  api,
  discord,
  ledger,
  view,
  log,
};

let totals: Totals | undefined;
let crash: unknown;
try {
  await cluster.startAll();
  log(`serve on :${port}, two workers, redis ${redis.url} (AOF, appendfsync always), logs in ${tmp}`);
  const ticking = await slackCampaign(ctx, 'ticks', '* * * * *');

  await killWorkerDuringPost(ctx, 3);
  log('kill -9 of a worker during a post: 3 rounds');
  await postThen500(ctx, 3);
  const stormsPassed = await serverErrorStorms(ctx, 3, 2);
  await rateLimitStorms(ctx, 4, 5);
  log('storms started: 5xx, 429, post made then 500');
  await duplicateDeliveries(ctx, 20);
  await editsBeforeMessages(ctx, 5);
  await racingNext(ctx, 6);
  log('duplicates, replays, early edits and deletes, racing next: sent');
  await discordFaults(ctx, 3);
  log('Discord: storms and gateway duplicates done');
  await killServeDuringEvents(ctx, 3);
  log('kill -9 of serve during events: 3 rounds');
  await redisFaults(ctx);
  log('Redis: 2 restarts and a 10 s outage done');

  const { checked } = await downtimeAcrossTicks(ctx, ticking.t);
  await answerBurst(ctx, 2000, 0.15);
  log('burst of 2,000 deliveries acknowledged');
  await checked;
  await stormsPassed();

  // Queued work finishes on its own: check until everything holds, or the deadline says it never will.
  const deadline = Date.now() + 90_000;
  for (;;) {
    totals = await verify(ledger, view, { slack: api, discord });
    if (totals.problems.length === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 3_000));
  }
} catch (err) {
  crash = err;
} finally {
  await cluster.stopAll('SIGKILL');
  view.redis.disconnect();
  await redis.down();
  await api.close();
  await discord.close();
}

const seconds = Math.round((Date.now() - began) / 1000);
const failed = crash !== undefined || !totals || totals.problems.length > 0 || ledger.totalFaults < 100;
if (totals) printTable(ledger, totals);
if (failed) {
  if (crash)
    process.stdout.write(`\nThe run stopped: ${crash instanceof Error ? crash.stack : String(crash)}\n`);
  for (const p of totals?.problems ?? []) process.stdout.write(`PROBLEM ${p}\n`);
  process.stdout.write(`\nLast log lines of each process:\n${cluster.tails()}\n`);
  process.stdout.write(
    `fault suite FAILED after ${seconds} s (${ledger.totalFaults} faults injected; logs in ${tmp})\n`,
  );
  process.exit(1);
}
rmSync(tmp, { recursive: true, force: true });
process.stdout.write(
  `fault suite passed: ${ledger.totalFaults} faults, nothing lost, doubled or out of order, in ${seconds} s\n`,
);
process.exit(0);
