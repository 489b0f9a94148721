import { DiscordAPIError, GatewayCloseCodes } from 'discord.js';
import { ConfigError } from '../../src/index.js';

/** What an operator meets when Discord refuses the bot at start: one line, the variable and the fix. */

const RESET_TOKEN =
  'Developer Portal → your application → Bot → Reset Token, then copy the new token into DISCORD_TOKEN';

/** Errors of a connection that never reached anyone, whatever the library wrapped them in. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function networkCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  }
  return undefined;
}

/** A gateway session Discord closed for good before the bot was ready. */
export function gatewayRefusal(code: number, messageContent: boolean): ConfigError | undefined {
  if (code === GatewayCloseCodes.AuthenticationFailed)
    return new ConfigError(`DISCORD_TOKEN: the Discord gateway refused this token (${RESET_TOKEN})`);
  if (code === GatewayCloseCodes.DisallowedIntents)
    return new ConfigError(
      messageContent
        ? 'DISCORD_MESSAGE_CONTENT: true, but the Message Content intent is off for this application (Developer Portal → Bot → Privileged Gateway Intents → Message Content Intent, then Save Changes), or set DISCORD_MESSAGE_CONTENT=false: members then answer with the Answer button'
        : `Discord refused the bot's gateway intents (close code ${code}): check Developer Portal → Bot → Privileged Gateway Intents`,
    );
  return undefined;
}

/** The line for an error thrown while logging in or registering /canevas; undefined when unknown. */
export function explainStartError(
  err: unknown,
  config: { apiUrl?: string; guildId?: string; messageContent: boolean },
): ConfigError | undefined {
  if (err instanceof ConfigError) return err;
  // @discordjs/ws fails the login with these words when the gateway closes with 4014.
  if (err instanceof Error && /disallowed intents/i.test(err.message))
    return gatewayRefusal(GatewayCloseCodes.DisallowedIntents, config.messageContent);
  if ((err as { code?: unknown }).code === 'TokenInvalid')
    return new ConfigError(`DISCORD_TOKEN: Discord refused this token (${RESET_TOKEN})`);
  const network = networkCode(err);
  if (network) {
    const where = config.apiUrl ?? 'https://discord.com/api';
    const fix = config.apiUrl
      ? 'check DISCORD_API_URL, or leave it empty for Discord itself'
      : 'check that this machine reaches discord.com (DNS, firewall, proxy)';
    return new ConfigError(`DISCORD_API_URL: cannot reach Discord at ${where} (${network}): ${fix}`);
  }
  if (err instanceof DiscordAPIError && err.url.includes('/commands')) {
    if (config.guildId && (err.status === 403 || err.status === 404))
      return new ConfigError(
        `DISCORD_GUILD_ID: Discord refused to register /canevas in server ${config.guildId} (${err.message}): the bot is not in that server, or was invited without the applications.commands scope; invite it with the link \`canevas discord-invite\` prints, or check the id`,
      );
    return new ConfigError(
      `DISCORD_APPLICATION_ID: Discord refused to register /canevas (${err.message}): copy the Application ID from Developer Portal → General Information`,
    );
  }
  return undefined;
}

/** READY names the token's application: another id in DISCORD_APPLICATION_ID would register nothing. */
export function applicationMismatch(given: string, actual: string | undefined): ConfigError | undefined {
  if (!actual || actual === given) return undefined;
  return new ConfigError(
    `DISCORD_APPLICATION_ID: ${given} is not the application of this DISCORD_TOKEN (${actual}): copy the Application ID from Developer Portal → General Information`,
  );
}
