#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import {
  type CampaignStore,
  type Config,
  ConfigError,
  compileCanvas,
  connectRedis,
  createLogger,
  createRedisStore,
  createScheduleStore,
  EXPORT_FORMATS,
  type ExportFormat,
  loadTemplate,
  migrateKeys,
  packageRoot,
  type RedisClient,
  type RedisTarget,
  readConfig,
  roundsOf,
  type ScheduleStore,
  TemplateError,
} from '../src/index.js';
import { buildExport } from '../src/jobs/build-export.js';
import { removeCampaignSchedule } from '../src/jobs/campaign-schedule.js';
import { purgeCampaigns } from '../src/store/purge.js';
import {
  applyPlaygroundReset,
  describeResetPlan,
  isEmptyPlan,
  planPlaygroundReset,
} from './playground/reset.js';
import { hasRedisServer, type LocalRedis, redisTargetAnswers, startLocalRedis } from './redis-launcher.js';
import { startRuntime } from './runtime.js';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fail(line: string): never {
  process.stderr.write(`canevas: ${line}\n`);
  process.exit(1);
}

/** Where Redis is, without its password, for messages. */
function redisLabel(target: RedisTarget): string {
  if (target.redisCluster)
    return `the Redis Cluster at ${target.redisCluster.nodes.map((n) => `${n.host}:${n.port}`).join(',')}`;
  const shown = new URL(target.redisUrl);
  if (shown.password) shown.password = '***';
  return shown.toString();
}

function loadConfig(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return readConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
}

/** Redis must answer; the playground may start its own when REDIS_URL was left unset. */
async function ensureRedis(config: Config): Promise<LocalRedis | undefined> {
  if (await redisTargetAnswers(config)) return undefined;
  if (config.redisUrlDefaulted && config.playground && hasRedisServer()) {
    say(`Starting a local Redis for the playground (data in ./.canevas/redis)…`);
    return startLocalRedis(config.redisUrl);
  }
  if (config.redisCluster)
    fail(
      `${redisLabel(config)} does not answer, or its state is not ok (redis-cli cluster info): check ` +
        'REDIS_CLUSTER_NODES and that every slot is served.',
    );
  // The compose file's Redis is reachable only from its own network (the bot's container), not from here.
  fail(
    `Redis does not answer at ${config.redisUrl}: start one (apt install redis-server, brew install redis, ` +
      'or docker run -d --name canevas-redis -p 127.0.0.1:6379:6379 redis:7-alpine), or set REDIS_URL ' +
      'to a running server.',
  );
}

interface StoreAccess {
  config: Config;
  redis: RedisClient;
  store: CampaignStore;
  schedules: ScheduleStore;
}

/**
 * The one way the one-shot commands (export, purge, reset) reach the store: Redis must answer (or,
 * with `startLocalRedis`, the playground's own is started), keys left in the old layout are moved
 * first, as `start` does, and the connection is closed however `fn` ends.
 */
async function withStore<T>(
  config: Config,
  fn: (access: StoreAccess) => Promise<T>,
  options: { startLocalRedis?: boolean } = {},
): Promise<T> {
  let localRedis: LocalRedis | undefined;
  if (options.startLocalRedis) localRedis = await ensureRedis(config);
  else if (!(await redisTargetAnswers(config))) fail(`Redis does not answer at ${redisLabel(config)}.`);
  const redis = connectRedis(config, 'fast-fail');
  try {
    await migrateKeys(redis, createLogger(config.logLevel));
    return await fn({ config, redis, store: createRedisStore(redis), schedules: createScheduleStore(redis) });
  } finally {
    redis.disconnect();
    await localRedis?.stop();
  }
}

async function run(mode: { serve: boolean; work: boolean }): Promise<void> {
  const config = loadConfig();
  const localRedis = await ensureRedis(config);
  const logger = createLogger(config.logLevel);
  const runtime = await startRuntime(config, { ...mode, logger }).catch(async (err: unknown) => {
    // A platform refusing the bot is said in one line with the fix, as a bad variable is.
    await localRedis?.stop();
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  });
  if (mode.serve && config.playground) {
    say(`Canevas playground: ${config.publicUrl}/  (Ctrl+C to stop)`);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await runtime.close();
    await localRedis?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

function parseFormat(value: string): ExportFormat {
  if (!(EXPORT_FORMATS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`use ${EXPORT_FORMATS.join(', ')}.`);
  }
  return value as ExportFormat;
}

/** The installed package's own version, whether run from the sources (tsx) or from dist/. */
const VERSION = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
  .version;

const program = new Command()
  .name('canevas')
  .version(VERSION, '-V, --version', 'the version of Canevas')
  .description(
    'Facilitates the digital-commons governance canvas (inno³) in Slack, Discord or a local playground.',
  )
  .addHelpText(
    'after',
    '\nWhich variables connect Slack, Discord or run the playground: canevas start --help',
  );

/** What `start` and `serve` connect to is read from the environment: say which variables pick what. */
const PLATFORMS_HELP = `
Which platforms run is read from the environment (or ./.env):
  Slack, Socket Mode      SLACK_BOT_TOKEN=xoxb-…  SLACK_APP_TOKEN=xapp-…
  Slack, HTTP mode        SLACK_BOT_TOKEN=xoxb-…  SLACK_SIGNING_SECRET=…  (POST /slack/events)
  Discord                 DISCORD_TOKEN=…  DISCORD_APPLICATION_ID=…  [DISCORD_GUILD_ID=…]
  none of these           the playground, at http://localhost:$PORT/
Redis: REDIS_URL (default redis://127.0.0.1:6379). A missing or wrong value stops the start with one
line naming the variable and the fix. Step by step: README.md, sections Slack and Discord.`;

program
  .command('start', { isDefault: true })
  .description('serve and work in one process (the default; the playground when no platform is configured)')
  .addHelpText('after', PLATFORMS_HELP)
  .action(() => run({ serve: true, work: true }));

program
  .command('serve')
  .description('only the HTTP receivers, gateways and the playground page')
  .addHelpText('after', PLATFORMS_HELP)
  .action(() => run({ serve: true, work: false }));

program
  .command('work')
  .description('only the queue workers (posts, schedules, compiling)')
  .action(() => run({ serve: false, work: true }));

program
  .command('export')
  .description("write a campaign's canvas as Markdown, JSON, CSV, or the A3 sheet as SVG or PNG")
  .argument('<campaign>', 'campaign id (shown by /canevas status)')
  .requiredOption('-f, --format <format>', EXPORT_FORMATS.join(', '), parseFormat)
  .option('-o, --out <file>', 'write to this file instead of standard output')
  .option('--raw', 'CSV: every cell exactly as written, no byte-order mark (for programs, not spreadsheets)')
  .action((campaignId: string, opts: { format: ExportFormat; out?: string; raw?: boolean }) =>
    withStore(loadConfig(), async ({ config, store }) => {
      const campaign = await store.get(campaignId);
      if (!campaign) fail(`no campaign ${campaignId} in ${redisLabel(config)}.`);
      const template = await store.getTemplate(campaign.templateId);
      if (!template) fail(`the template of campaign ${campaignId} is missing.`);
      const canvas = compileCanvas(campaign, template, new Date());
      const { data } = await buildExport(canvas, opts.format, { raw: opts.raw === true });
      if (opts.out) {
        await writeFile(opts.out, data);
        say(`Wrote ${opts.out}`);
      } else process.stdout.write(data);
    }),
  );

program
  .command('reset')
  .description(
    'clear the playground channel: its messages, files and campaigns (only says what, without --yes)',
  )
  .option('-y, --yes', 'delete, rather than only saying what would be deleted')
  .action((opts: { yes?: boolean }) =>
    withStore(
      loadConfig(),
      async ({ config, redis, store, schedules }) => {
        const plan = await planPlaygroundReset(redis, store);
        const where = `the playground channel (${plan.channel.workspace}/${plan.channel.channel}) in ${redisLabel(config)}`;
        if (isEmptyPlan(plan)) {
          say(`Nothing to delete: ${where} is empty.`);
          return;
        }
        say(`${opts.yes ? 'Deleting' : 'Would delete'}, from ${where}:`);
        for (const line of describeResetPlan(plan)) say(line);
        if (!opts.yes) {
          process.stderr.write(
            'canevas: nothing was deleted; run `canevas reset --yes` to delete all this.\n',
          );
          process.exitCode = 1;
          return;
        }
        await applyPlaygroundReset(redis, schedules, plan);
        say('Done: the playground channel is empty.');
      },
      // The playground's own Redis may be down between two sessions: start it, as `start` would.
      { startLocalRedis: true },
    ),
  );

program
  .command('purge')
  .description(
    'delete an ended campaign and all it left in Redis: answers and their history, names, post records, thread links (only says what, without --yes)',
  )
  .argument('<campaign>', 'campaign id (shown by /canevas status)')
  .option('-y, --yes', 'delete, rather than only saying what would be deleted')
  .action((campaignId: string, opts: { yes?: boolean }) =>
    withStore(loadConfig(), async ({ config, redis, store, schedules }) => {
      const campaign = await store.get(campaignId).catch(() => undefined);
      if (campaign === null) fail(`no campaign ${campaignId} in ${redisLabel(config)}.`);
      if (campaign && campaign.status !== 'completed' && campaign.status !== 'cancelled')
        fail(`campaign ${campaignId} is ${campaign.status}: end it first with /canevas stop.`);
      const answers = campaign ? Object.keys(campaign.answers).length : 0;
      const what = `campaign ${campaignId} (${campaign ? `${campaign.status}, ${answers} answers` : 'unreadable'})`;
      if (!opts.yes) {
        say(`Would delete ${what}, with its post records, thread links and schedules.`);
        process.stderr.write(
          'canevas: nothing was deleted; run `canevas purge <campaign> --yes` to delete it.\n',
        );
        process.exitCode = 1;
        return;
      }
      await removeCampaignSchedule(schedules, campaignId);
      const purged = await purgeCampaigns(redis, store, [campaignId]);
      if (purged.length === 0) fail(`campaign ${campaignId} is busy; try again in a moment.`);
      say(`Deleted ${what}.`);
    }),
  );

program
  .command('validate-template')
  .description('check a canvas template file (YAML) and say what is wrong, where')
  .argument('<file>', 'the template, e.g. prompts/canvas.yaml')
  .action(async (file: string) => {
    try {
      const template = await loadTemplate(file);
      const blocks = template.fiches.reduce((n, f) => n + f.blocks.length, 0);
      say(
        `${file}: valid (${template.fiches.length} fiches, ${blocks} blocks, ${roundsOf(template).length} rounds, ${template.synthesis.length} synthesis areas)`,
      );
    } catch (err) {
      if (err instanceof TemplateError) fail(err.message);
      throw err;
    }
  });

program
  .command('discord-invite')
  .description('print the link that adds the Discord bot to a server, with exactly the permissions it needs')
  .action(async () => {
    if (existsSync('.env')) process.loadEnvFile('.env');
    const applicationId = process.env.DISCORD_APPLICATION_ID?.trim();
    if (!applicationId)
      fail('DISCORD_APPLICATION_ID: missing (the application id from the Discord developer portal)');
    const { discordInviteUrl } = await import('./discord/invite.js');
    say(discordInviteUrl(applicationId));
  });

// Logger for uncaught trouble; secrets are redacted there.
process.on('unhandledRejection', (err) => {
  createLogger('error').error({ err }, 'unhandled rejection');
  process.exitCode = 1;
});

await program.parseAsync(process.argv);
