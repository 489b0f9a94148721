import { z } from 'zod';
import { LANGS, type Lang } from './facilitation/types.js';
import { dateFormat } from './intl-cache.js';
import { parseSecretKey, type SecretKeys } from './secret-box.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface SlackConfig {
  botToken?: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
  /** Minimum time between two posts in one channel (Slack takes about one a second); 0: no pacing. */
  paceMs?: number;
  clientId?: string;
  clientSecret?: string;
  stateSecret?: string;
}

export interface DiscordConfig {
  token: string;
  applicationId: string;
  apiUrl?: string;
  /** Register /canevas in this guild only (instant updates) instead of globally. */
  guildId?: string;
  /** The privileged Message Content intent: without it members answer through the Answer button. */
  messageContent: boolean;
  /** The gateway shards this process runs (DISCORD_SHARDS); absent: one shard, as below 2,500 servers. */
  shards?: DiscordShards;
}

/**
 * `auto`: as many shards as Discord recommends, all in this process; otherwise `count` shards in all,
 * of which this process runs `ids` (every one when absent).
 */
export type DiscordShards = 'auto' | { count: number; ids?: number[] };

const SHARDS_HELP =
  'must be auto, a number of shards (e.g. 4), or the shards this process runs out of how many (e.g. 0-1/4)';

/** `auto`, `4`, or `0-1/4` / `0,2/4` (this process's shards, then the total). */
function readShards(value: string): DiscordShards | undefined {
  if (value === 'auto') return 'auto';
  if (/^\d+$/.test(value)) return Number(value) >= 1 ? { count: Number(value) } : undefined;
  const [list, total] = value.split('/');
  const count = Number(total);
  if (!list || !/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(list) || !/^\d+$/.test(total ?? '') || count < 1)
    return undefined;
  const ids = new Set<number>();
  for (const part of list.split(',')) {
    const [from, to = from] = part.split('-').map(Number) as [number, number?];
    if (to < from || to >= count) return undefined;
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return { count, ids: [...ids].sort((a, b) => a - b) };
}

/** A Redis Cluster: the nodes to start from (the client finds the others), with their shared login. */
export interface RedisClusterConfig {
  nodes: readonly { host: string; port: number }[];
  username?: string;
  password?: string;
  /** Nodes given as `rediss://` URLs: TLS to every node. */
  tls: boolean;
}

export interface Config {
  /** The single Redis, when no cluster is configured. */
  redisUrl: string;
  /** True when REDIS_URL was left to its default (the playground may then start its own Redis). */
  redisUrlDefaulted: boolean;
  /** Set when REDIS_CLUSTER_NODES names a Redis Cluster: then every connection goes to the cluster. */
  redisCluster?: RedisClusterConfig;
  port: number;
  /** /metrics on a port of its own (METRICS_PORT), rather than the main one. */
  metricsPort?: number;
  /** Scrapers send it as `Authorization: Bearer …` (METRICS_TOKEN); /metrics answers no one else. */
  metricsToken?: string;
  publicUrl: string;
  lang: Lang;
  tz: string;
  admins: readonly string[];
  logLevel: (typeof LOG_LEVELS)[number];
  template?: string;
  /** Ended campaigns are purged this many days after they end (CANEVAS_RETENTION_DAYS); unset: kept. */
  retentionDays?: number;
  slack?: SlackConfig;
  discord?: DiscordConfig;
  /** CANEVAS_SECRET_KEY (and _PREVIOUS while rotating): what secrets stored in Redis are sealed with. */
  secretKeys?: SecretKeys;
  /** No platform configured: run the local playground. */
  playground: boolean;
}

/** A configuration problem, phrased as one line naming the variable and the fix. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const portNumber = z
  .string()
  .regex(/^\d+$/, 'must be a port number between 0 and 65535')
  .transform(Number)
  .refine((n) => n >= 0 && n <= 65535, 'must be a port number between 0 and 65535');

/** Ten years: past that, "keep" is what is meant; leave the variable unset. */
const MAX_RETENTION_DAYS = 3650;

/** How to make a key, said wherever one is missing or malformed. */
const MAKE_KEY = 'generate one with: openssl rand -base64 32';

const secretKey = () =>
  z
    .string()
    .transform((text, ctx) => {
      const key = parseSecretKey(text);
      if (!key) ctx.addIssue({ code: 'custom', message: `must be 32 bytes in base64 or hex (${MAKE_KEY})` });
      return key ?? z.NEVER;
    })
    .optional();

const envSchema = z.object({
  REDIS_URL: optional.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss:// (e.g. redis://127.0.0.1:6379)')
      .optional(),
  ),
  REDIS_CLUSTER_NODES: optional,
  PORT: optional.pipe(portNumber.optional()),
  METRICS_PORT: optional.pipe(portNumber.optional()),
  METRICS_TOKEN: optional.pipe(
    z.string().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 24)').optional(),
  ),
  PUBLIC_URL: optional.pipe(z.url('must be an absolute URL such as https://canevas.example.org').optional()),
  CANEVAS_LANG: optional.pipe(z.enum(LANGS as [Lang, ...Lang[]], 'must be fr or en').optional()),
  CANEVAS_TZ: optional.pipe(
    z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris').optional(),
  ),
  CANEVAS_ADMINS: optional,
  CANEVAS_TEMPLATE: optional,
  CANEVAS_RETENTION_DAYS: optional.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number of days, e.g. 365 (leave it unset to keep ended campaigns)')
      .transform(Number)
      .refine((n) => n >= 1 && n <= MAX_RETENTION_DAYS, `must be between 1 and ${MAX_RETENTION_DAYS} days`)
      .optional(),
  ),
  LOG_LEVEL: optional.pipe(z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`).optional()),
  SLACK_BOT_TOKEN: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_API_URL: optional.pipe(z.url('must be an absolute URL').optional()),
  SLACK_PACE_MS: optional.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a number of milliseconds, 0 or more (1000 by default)')
      .transform(Number)
      .optional(),
  ),
  SLACK_CLIENT_ID: optional,
  SLACK_CLIENT_SECRET: optional,
  SLACK_STATE_SECRET: optional,
  CANEVAS_SECRET_KEY: optional.pipe(secretKey()),
  CANEVAS_SECRET_KEY_PREVIOUS: optional.pipe(secretKey()),
  DISCORD_TOKEN: optional,
  DISCORD_APPLICATION_ID: optional.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be the Application ID, digits only (Developer Portal → General Information)')
      .optional(),
  ),
  DISCORD_API_URL: optional.pipe(z.url('must be an absolute URL').optional()),
  DISCORD_GUILD_ID: optional.pipe(
    z
      .string()
      .regex(/^\d{5,30}$/, 'must be a guild (server) id, digits only')
      .optional(),
  ),
  DISCORD_MESSAGE_CONTENT: optional.pipe(z.enum(['true', 'false'], 'must be true or false').optional()),
  DISCORD_SHARDS: optional.pipe(
    z
      .string()
      .transform((v, ctx) => {
        const shards = readShards(v);
        if (!shards) ctx.addIssue({ code: 'custom', message: SHARDS_HELP });
        return shards;
      })
      .optional(),
  ),
});

function isTimeZone(tz: string): boolean {
  try {
    dateFormat('en', tz, 'zone');
    return true;
  } catch {
    return false;
  }
}

/** Reads and validates the environment once; the result is frozen. Throws ConfigError with the fix. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`${variable}: ${issue?.message ?? 'invalid'} (check your environment or .env)`);
  }
  const e = parsed.data;
  const port = e.PORT ?? 3000;
  const secretKeys = readSecretKeys(e);
  const slack = readSlack(e, secretKeys);
  const discord = readDiscord(e);
  const redisCluster = readRedisCluster(e);
  return Object.freeze({
    redisUrl: e.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisUrlDefaulted: e.REDIS_URL === undefined && !redisCluster,
    ...(redisCluster ? { redisCluster } : {}),
    port,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    lang: e.CANEVAS_LANG ?? 'fr',
    tz: e.CANEVAS_TZ ?? 'Europe/Paris',
    admins: Object.freeze(
      (e.CANEVAS_ADMINS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
    logLevel: e.LOG_LEVEL ?? 'info',
    ...(e.METRICS_PORT === undefined ? {} : { metricsPort: e.METRICS_PORT }),
    ...(e.METRICS_TOKEN === undefined ? {} : { metricsToken: e.METRICS_TOKEN }),
    template: e.CANEVAS_TEMPLATE,
    ...(e.CANEVAS_RETENTION_DAYS === undefined ? {} : { retentionDays: e.CANEVAS_RETENTION_DAYS }),
    slack,
    discord,
    ...(secretKeys ? { secretKeys } : {}),
    playground: !slack && !discord,
  });
}

type Env = z.infer<typeof envSchema>;

const CLUSTER_NODES_FIX = 'write host:port pairs separated by commas, e.g. 10.0.0.1:7000,10.0.0.2:7000';

/**
 * `REDIS_CLUSTER_NODES`: `host:port` pairs, or `redis://` / `rediss://` URLs when the nodes need a
 * login or TLS (the first URL's login and scheme apply to every node: a cluster shares them).
 */
function readRedisCluster(e: Env): RedisClusterConfig | undefined {
  if (e.REDIS_CLUSTER_NODES === undefined) return undefined;
  if (e.REDIS_URL !== undefined) {
    throw new ConfigError(
      'REDIS_CLUSTER_NODES: set either it (a Redis Cluster) or REDIS_URL (one Redis), not both; remove REDIS_URL',
    );
  }
  const entries = e.REDIS_CLUSTER_NODES.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0)
    throw new ConfigError(`REDIS_CLUSTER_NODES: no node given (${CLUSTER_NODES_FIX})`);
  const urls = entries.map((entry) => {
    const url = URL.canParse(entry) && /^rediss?:\/\//.test(entry) ? new URL(entry) : undefined;
    const parsed = url ?? (URL.canParse(`redis://${entry}`) ? new URL(`redis://${entry}`) : undefined);
    const port = Number(parsed?.port);
    if (
      !parsed?.hostname ||
      !Number.isInteger(port) ||
      port < 1 ||
      port > 65535 ||
      parsed.pathname.length > 1
    )
      throw new ConfigError(`REDIS_CLUSTER_NODES: "${entry}" is not host:port (${CLUSTER_NODES_FIX})`);
    return { parsed, explicit: url !== undefined };
  });
  const login = urls.find((u) => u.explicit)?.parsed;
  return {
    nodes: urls.map(({ parsed }) => ({
      host: parsed.hostname.replace(/^\[|\]$/g, ''),
      port: Number(parsed.port),
    })),
    ...(login?.username ? { username: decodeURIComponent(login.username) } : {}),
    ...(login?.password ? { password: decodeURIComponent(login.password) } : {}),
    tls: login?.protocol === 'rediss:',
  };
}

function readSecretKeys(e: Env): SecretKeys | undefined {
  const current = e.CANEVAS_SECRET_KEY;
  const previous = e.CANEVAS_SECRET_KEY_PREVIOUS;
  if (previous && !current) {
    throw new ConfigError(
      `CANEVAS_SECRET_KEY: missing (CANEVAS_SECRET_KEY_PREVIOUS is the old key while rotating; the new one goes in CANEVAS_SECRET_KEY: ${MAKE_KEY})`,
    );
  }
  if (!current) return undefined;
  return previous && !previous.equals(current) ? { current, previous } : { current };
}

function readSlack(e: Env, secretKeys: SecretKeys | undefined): SlackConfig | undefined {
  const any = e.SLACK_BOT_TOKEN ?? e.SLACK_SIGNING_SECRET ?? e.SLACK_APP_TOKEN ?? e.SLACK_CLIENT_ID;
  if (any === undefined) return undefined;
  const oauth = e.SLACK_CLIENT_ID !== undefined;
  checkSlackTokenKinds(e);
  if (!e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
    throw new ConfigError(
      'SLACK_SIGNING_SECRET: missing (HTTP mode needs it; or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  if (!oauth && !e.SLACK_BOT_TOKEN) {
    throw new ConfigError(
      'SLACK_BOT_TOKEN: missing (copy the xoxb- token from your Slack app, OAuth & Permissions)',
    );
  }
  if (oauth && (!e.SLACK_CLIENT_SECRET || !e.SLACK_STATE_SECRET)) {
    const missing = !e.SLACK_CLIENT_SECRET ? 'SLACK_CLIENT_SECRET' : 'SLACK_STATE_SECRET';
    throw new ConfigError(
      `${missing}: missing (multi-workspace installs need SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET)`,
    );
  }
  // Each workspace's bot token is kept in Redis: never in clear.
  if (oauth && !secretKeys) {
    throw new ConfigError(
      `CANEVAS_SECRET_KEY: missing (multi-workspace installs keep each workspace's token encrypted with it; ${MAKE_KEY})`,
    );
  }
  return {
    botToken: e.SLACK_BOT_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET,
    appToken: e.SLACK_APP_TOKEN,
    apiUrl: e.SLACK_API_URL,
    paceMs: e.SLACK_PACE_MS,
    clientId: e.SLACK_CLIENT_ID,
    clientSecret: e.SLACK_CLIENT_SECRET,
    stateSecret: e.SLACK_STATE_SECRET,
  };
}

/** The two Slack tokens sit on different pages of the app and are easily swapped: say which is which. */
function checkSlackTokenKinds(e: Env): void {
  const bot = e.SLACK_BOT_TOKEN;
  if (bot !== undefined && !bot.startsWith('xoxb-')) {
    const swapped = bot.startsWith('xapp-')
      ? '; an xapp- token is the app-level one, for SLACK_APP_TOKEN'
      : '';
    throw new ConfigError(
      `SLACK_BOT_TOKEN: must start with xoxb- (the Bot User OAuth Token, on your app's Install App page${swapped})`,
    );
  }
  const app = e.SLACK_APP_TOKEN;
  if (app !== undefined && !app.startsWith('xapp-')) {
    const swapped = app.startsWith('xoxb-') ? '; an xoxb- token is the bot token, for SLACK_BOT_TOKEN' : '';
    throw new ConfigError(
      `SLACK_APP_TOKEN: must start with xapp- (an app-level token with the scope connections:write: Basic Information → App-Level Tokens${swapped})`,
    );
  }
}

function readDiscord(e: Env): DiscordConfig | undefined {
  if (e.DISCORD_TOKEN === undefined && e.DISCORD_APPLICATION_ID === undefined) return undefined;
  if (!e.DISCORD_TOKEN)
    throw new ConfigError('DISCORD_TOKEN: missing (the bot token from the Discord developer portal)');
  if (!e.DISCORD_APPLICATION_ID) {
    throw new ConfigError(
      'DISCORD_APPLICATION_ID: missing (the application id from the Discord developer portal)',
    );
  }
  return {
    token: e.DISCORD_TOKEN,
    applicationId: e.DISCORD_APPLICATION_ID,
    apiUrl: e.DISCORD_API_URL,
    guildId: e.DISCORD_GUILD_ID,
    messageContent: e.DISCORD_MESSAGE_CONTENT === 'true',
    ...(e.DISCORD_SHARDS ? { shards: e.DISCORD_SHARDS } : {}),
  };
}
