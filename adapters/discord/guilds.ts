import { type Client, type Guild, PermissionFlagsBits } from 'discord.js';
import {
  composeWelcome,
  type Inbound,
  type Logger,
  type RedisClient,
  type Renderer,
} from '../../src/index.js';
import { NO_MENTIONS } from './context.js';
import { discordFormat } from './format.js';

export interface GuildDeps {
  client: Client;
  redis: RedisClient;
  renderer: Renderer;
  inbound: Inbound;
  logger: Logger;
}

/** A guild welcomed this recently is not welcomed again (several gateways see the same join). */
const WELCOMED_FOR_S = 24 * 3600;

/**
 * The bot's arrival in and departure from a server: a short welcome in the server's system channel
 * when it is added, and when it is removed, the end of the server's campaigns without a post.
 */
export function listenToGuilds(deps: GuildDeps): void {
  const { client, logger } = deps;
  // discord.js emits guildCreate only for a guild joined after ready, not for those it reconnects to.
  client.on('guildCreate', (guild: Guild) => {
    welcome(deps, guild).catch((err: unknown) =>
      logger.warn({ err, guild: guild.id }, 'discord welcome not sent'),
    );
  });
  // guildDelete is a removal (kicked, or the server deleted); an outage is guildUnavailable instead.
  client.on('guildDelete', (guild: Guild) => {
    deps.inbound
      .workspaceRemoved({ platform: 'discord', workspace: guild.id })
      .catch((err: unknown) => logger.error({ err, guild: guild.id }, 'discord removal not applied'));
  });
}

/** The welcome, in English then French, where the server posts its own notices, if the bot may post there. */
async function welcome(deps: GuildDeps, guild: Guild): Promise<void> {
  const channel = guild.systemChannel;
  const me = guild.members.me;
  const allowed = [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages];
  if (!channel || !me || !channel.permissionsFor(me).has(allowed)) {
    deps.logger.info({ guild: guild.id }, 'discord welcome skipped: no system channel the bot may post in');
    return;
  }
  const first = await deps.redis.set(`canevas:discord:welcomed:${guild.id}`, '1', 'EX', WELCOMED_FOR_S, 'NX');
  if (first !== 'OK') return;
  const content = (['en', 'fr'] as const)
    .map((lang) => composeWelcome(lang, discordFormat, deps.renderer))
    .join('\n\n');
  await channel.send({ content, allowedMentions: NO_MENTIONS });
}
