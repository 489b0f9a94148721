import { Client, type ClientOptions, GatewayIntentBits, Partials, Routes, ShardClientUtil } from 'discord.js';
import type {
  DiscordConfig,
  DiscordShards,
  Logger,
  PlatformAdapter,
  RedisClient,
  Renderer,
} from '../../src/index.js';
import { blockChoices } from './block-choices.js';
import { canevasCommand } from './commands.js';
import { listenToGuilds } from './guilds.js';
import { createDiscordAgent } from './http-agent.js';
import { catchUp, listen } from './inbound.js';
import { createDiscordPlatform, createRest } from './outbound.js';
import { applicationMismatch, explainStartError, gatewayRefusal } from './startup-errors.js';

export { discordFormat, escapeDiscord } from './format.js';
export { createDiscordPlatform, createRest } from './outbound.js';

export interface DiscordAdapterDeps {
  redis: RedisClient;
  logger: Logger;
  /** The core's prompts: the welcome posted when the bot is added to a server. */
  renderer: Renderer;
}

/**
 * Discord: REST for posting (works without the gateway, so `canevas work` needs no connection), and
 * when serving, a gateway client for /canevas, the Answer button and modal, the core's buttons and
 * forms, thread messages and reactions; a welcome when added to a server, and its campaigns ended
 * when removed from one.
 */
export async function createDiscordAdapter(
  config: DiscordConfig & { admins: readonly string[] },
  deps: DiscordAdapterDeps,
): Promise<PlatformAdapter> {
  const logger = deps.logger.child({ platform: 'discord' });
  const rest = createRest(config);
  let client: Client | undefined;
  return {
    platform: createDiscordPlatform(rest, logger),
    async start(inbound) {
      // Reactions are support on answers: a non-privileged intent, and no permission beyond reading the channel.
      const intents = [
        GatewayIntentBits.Guilds,
        GatewayIntentBits.GuildMessages,
        GatewayIntentBits.GuildMessageReactions,
      ];
      if (config.messageContent) intents.push(GatewayIntentBits.MessageContent);
      const c = new Client({
        intents,
        // A reaction on a message the bot has not seen since it started arrives as ids only: enough.
        partials: [Partials.Message, Partials.Channel, Partials.Reaction, Partials.User],
        // Its own agent too, as the bot's REST client has (see http-agent.ts): never another copy's.
        rest: { agent: createDiscordAgent(), ...(config.apiUrl ? { api: config.apiUrl } : {}) },
        allowedMentions: { parse: [] },
        ...shardOptions(config.shards),
      });
      client = c;
      const deps2 = {
        client: c,
        rest,
        inbound,
        admins: config.admins,
        logger,
        blocks: blockChoices(deps.redis),
      };
      listen(deps2);
      listenToGuilds({ client: c, redis: deps.redis, renderer: deps.renderer, inbound, logger });
      // A shard's gap is caught up in the threads of its own servers.
      const sync = (why: string, shards: readonly number[]) => {
        const owns = (guildId: string) =>
          shards.includes(ShardClientUtil.shardIdForGuildId(guildId, c.options.shardCount ?? 1));
        return catchUp(deps2, owns).catch((err: unknown) =>
          logger.error({ err, why, shards }, 'discord catch-up failed'),
        );
      };
      let connected = false;
      c.on('shardResume', (shard) => void sync('resume', [shard]));
      // A reconnect that could not resume opens a new session (READY again): the gap is lost all the same.
      c.on('shardReady', (shard) => {
        if (connected) void sync('new session', [shard]);
      });
      c.on('error', (err) => logger.error({ err }, 'discord client error'));
      try {
        await connect(c, config);
        connected = true;
        const route = config.guildId
          ? Routes.applicationGuildCommands(config.applicationId, config.guildId)
          : Routes.applicationCommands(config.applicationId);
        await rest.put(route, { body: [canevasCommand().toJSON()] });
      } catch (err) {
        await c.destroy();
        client = undefined;
        throw explainStartError(err, config) ?? err;
      }
      const shards = (c.options.shards as number[] | undefined) ?? [0];
      logger.info({ user: c.user?.tag, shards, of: c.options.shardCount }, 'discord connected');
      await sync('ready', shards);
    },
    async stop() {
      await client?.destroy();
      client = undefined;
    },
  };
}

/**
 * Logs in and waits for every shard to be ready. A session Discord closes for good before that (a
 * refused token or intent) fails the start with the fix, rather than waiting for ever.
 */
async function connect(c: Client, config: DiscordConfig): Promise<void> {
  let refused: (err: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    refused = reject;
    c.once('clientReady', () => resolve());
  });
  // Awaited only once logged in: a refusal while login() itself fails is that failure, told once.
  ready.catch(() => undefined);
  const onDisconnect = ({ code }: { code: number }) =>
    refused(gatewayRefusal(code, config.messageContent) ?? new Error(`Discord gateway closed (${code})`));
  c.on('shardDisconnect', onDisconnect);
  try {
    await c.login(config.token);
    await ready;
  } finally {
    c.off('shardDisconnect', onDisconnect);
  }
  const mismatch = applicationMismatch(config.applicationId, c.application?.id);
  if (mismatch) throw mismatch;
}

/**
 * discord.js's own sharding, in this process: Discord wants one shard per 2,500 servers at most, each
 * server's events on one shard. `auto` asks Discord how many; a count runs them all here; ids out of a
 * count let several `serve` processes share them.
 */
function shardOptions(shards: DiscordShards | undefined): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (!shards) return {};
  if (shards === 'auto') return { shards: 'auto' };
  return shards.ids ? { shards: shards.ids, shardCount: shards.count } : { shardCount: shards.count };
}
