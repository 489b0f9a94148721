import { App } from '@slack/bolt';
import { UnrecoverableError } from 'bullmq';
import {
  ConfigError,
  createSecretBox,
  type Inbound,
  type Lang,
  type Logger,
  type PlatformAdapter,
  type RedisClient,
  type Renderer,
  type RequestHandler,
  type SecretKeys,
  type SlackConfig,
} from '../../src/index.js';
import { boltLogger } from './bolt-logger.js';
import { apiBase, createWebClient } from './client.js';
import { registerListeners } from './inbound.js';
import { createRedisInstallationStore, NotInstalledError } from './installations.js';
import { createOAuthRoutes, REDIRECT_PATH } from './oauth.js';
import { createSlackPlatform } from './outbound.js';
import { SlackHttpReceiver } from './receiver.js';
import { DurableSocketModeReceiver } from './socket-receiver.js';
import { explainSlackStartError } from './startup-errors.js';
import { welcomeInstaller } from './welcome.js';

export { slackFormat } from './format.js';

/**
 * The Slack adapter: a Bolt app receiving on `POST /slack/events` of the shared server (HTTP mode)
 * or over Socket Mode when SLACK_APP_TOKEN is set, and a ChatPlatform posting with the Web API.
 */
export async function createSlackAdapter(
  config: SlackConfig & {
    admins: readonly string[];
    publicUrl?: string;
    /** CANEVAS_LANG: the Home tab and the welcome speak it. */
    lang: Lang;
    secretKeys?: SecretKeys;
  },
  deps: { redis: RedisClient; logger: Logger; renderer: Renderer },
): Promise<PlatformAdapter> {
  const logger = deps.logger.child({ platform: 'slack' });
  const checkToken = async (
    call: () => Promise<unknown>,
    variable: 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN',
  ) => {
    await call().catch((err: unknown) => {
      throw explainSlackStartError(err, variable, config.apiUrl) ?? err;
    });
  };
  const fixedToken = config.botToken;
  const box = config.secretKeys ? createSecretBox(config.secretKeys) : undefined;
  const installations = createRedisInstallationStore(deps.redis, box, logger);
  const words = { renderer: deps.renderer, lang: config.lang };
  const oauth =
    !fixedToken && config.clientId && config.clientSecret && config.stateSecret
      ? createOAuthRoutes({
          clientId: config.clientId,
          clientSecret: config.clientSecret,
          stateSecret: config.stateSecret,
          apiUrl: config.apiUrl,
          redirectUri: `${config.publicUrl ?? 'http://localhost:3000'}${REDIRECT_PATH}`,
          installationStore: installations,
          logger,
          onInstalled: async (installation) => {
            const [token, user] = [installation.bot?.token, installation.user?.id];
            if (!token || !user) return;
            const client = createWebClient(token, config.apiUrl);
            await welcomeInstaller(client, { user, botUserId: installation.bot?.userId }, words, logger);
          },
        })
      : undefined;
  if (!fixedToken && !oauth) {
    throw new ConfigError(
      'SLACK_BOT_TOKEN: missing (copy the xoxb- token from your Slack app, OAuth & Permissions)',
    );
  }
  if (oauth) {
    // Installs stored in clear by older versions, or with the previous key, are sealed with the current one.
    const { resealed, unreadable } = await installations.resealAll();
    logger.info({ resealed, unreadable, key: box?.keyId }, 'slack installations checked');
  }
  const installationOf = (teamId: string, enterpriseId?: string) =>
    installations.fetchInstallation({ teamId, enterpriseId, isEnterpriseInstall: false });
  const tokenFor = async (team: string): Promise<string> => {
    if (fixedToken) return fixedToken;
    const installation = await installationOf(team).catch((err: unknown) => {
      // Uninstalled: no later try can post there, so the outbox gives the post up at once.
      throw err instanceof NotInstalledError ? new UnrecoverableError(err.message) : err;
    });
    const token = installation.bot?.token;
    if (!token) throw new Error(`no bot token for Slack workspace ${team}`);
    return token;
  };
  const platform = createSlackPlatform({
    redis: deps.redis,
    logger,
    tokenFor,
    apiUrl: config.apiUrl,
    paceMs: config.paceMs,
  });
  // A wrong token fails here, with the fix, rather than on the first event (Bolt checks it lazily).
  if (fixedToken)
    await checkToken(() => createWebClient(fixedToken, config.apiUrl).auth.test(), 'SLACK_BOT_TOKEN');
  const clientOptions = { slackApiUrl: apiBase(config.apiUrl) };
  const socketMode = Boolean(config.appToken);
  const httpReceiver =
    !socketMode && config.signingSecret ? new SlackHttpReceiver(config.signingSecret, logger) : undefined;
  const receiver =
    httpReceiver ??
    new DurableSocketModeReceiver(
      {
        appToken: config.appToken as string,
        logger: boltLogger(logger),
        installerOptions: { clientOptions },
      },
      logger,
    );
  // Bolt's conversation store keeps per-conversation state in memory: Canevas keeps its own in Redis,
  // so it would only cost a lookup on every event.
  const common = { receiver, clientOptions, logger: boltLogger(logger), convoStore: false as const };
  const app = fixedToken
    ? new App({ ...common, token: fixedToken })
    : new App({
        ...common,
        authorize: async (source) => {
          const installation = await installationOf(source.teamId ?? '', source.enterpriseId);
          return {
            botToken: installation.bot?.token,
            botId: installation.bot?.id,
            botUserId: installation.bot?.userId,
            teamId: installation.team?.id,
          };
        },
      });
  let inbound: Inbound | undefined;
  registerListeners(app, {
    redis: deps.redis,
    logger,
    admins: config.admins,
    inbound: () => inbound,
    installations,
    ...words,
  });
  app.error(async (err) => {
    logger.error({ err: err.message, code: (err as { code?: string }).code }, 'slack listener error');
    // A failed event is answered 500 over HTTP, or left unacknowledged over Socket Mode, so Slack
    // delivers it again (see both receivers).
    throw err;
  });

  const handlers = [httpReceiver?.routes, oauth].filter((h): h is RequestHandler => h !== undefined);
  let started = false;
  return {
    platform,
    routes: handlers.length
      ? async (req, res) => {
          for (const handle of handlers) if (await handle(req, res)) return true;
          return false;
        }
      : undefined,
    async start(core) {
      inbound = core;
      if (socketMode) {
        // The app-level token is first used here, to open the connection.
        await checkToken(() => app.start(), 'SLACK_APP_TOKEN');
        started = true;
      }
    },
    async stop() {
      inbound = undefined;
      if (started) await app.stop();
      started = false;
    },
  };
}
