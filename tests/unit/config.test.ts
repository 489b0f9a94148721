import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config.js';

describe('readConfig', () => {
  it('runs the playground with defaults when nothing is set', () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379',
      redisUrlDefaulted: true,
      port: 3000,
      publicUrl: 'http://localhost:3000',
      lang: 'fr',
      tz: 'Europe/Paris',
      admins: [],
      logLevel: 'info',
      playground: true,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('keeps ended campaigns unless CANEVAS_RETENTION_DAYS says how many days', () => {
    expect(readConfig({}).retentionDays).toBeUndefined();
    expect(readConfig({ CANEVAS_RETENTION_DAYS: '' }).retentionDays).toBeUndefined();
    expect(readConfig({ CANEVAS_RETENTION_DAYS: ' 365 ' }).retentionDays).toBe(365);
  });

  it('reads every variable', () => {
    const config = readConfig({
      REDIS_URL: 'redis://example:6380/2',
      PORT: '8080',
      METRICS_PORT: '9464',
      METRICS_TOKEN: 'a-long-enough-metrics-token',
      PUBLIC_URL: 'https://canevas.example.org/',
      CANEVAS_LANG: 'en',
      CANEVAS_TZ: 'America/Montreal',
      CANEVAS_ADMINS: 'U1, U2 ,,',
      LOG_LEVEL: 'debug',
      DISCORD_TOKEN: 'secret',
      DISCORD_APPLICATION_ID: '42',
    });
    expect(config).toMatchObject({
      redisUrl: 'redis://example:6380/2',
      redisUrlDefaulted: false,
      port: 8080,
      metricsPort: 9464,
      metricsToken: 'a-long-enough-metrics-token',
      publicUrl: 'https://canevas.example.org',
      lang: 'en',
      tz: 'America/Montreal',
      admins: ['U1', 'U2'],
      logLevel: 'debug',
      playground: false,
      discord: { token: 'secret', applicationId: '42' },
    });
  });

  it('reads the Slack pace between posts in a channel, 0 turning it off', () => {
    const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
    expect(readConfig(slack).slack?.paceMs).toBeUndefined();
    expect(readConfig({ ...slack, SLACK_PACE_MS: '0' }).slack?.paceMs).toBe(0);
    expect(readConfig({ ...slack, SLACK_PACE_MS: '1500' }).slack?.paceMs).toBe(1500);
    expect(() => readConfig({ ...slack, SLACK_PACE_MS: 'fast' })).toThrowError(/^SLACK_PACE_MS: must be/);
  });

  it("reads Discord's shards: auto, a count, or this process's share of them", () => {
    const discord = { DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '42' };
    const shards = (value: string) => readConfig({ ...discord, DISCORD_SHARDS: value }).discord?.shards;
    expect(readConfig(discord).discord?.shards).toBeUndefined();
    expect(shards('auto')).toBe('auto');
    expect(shards('4')).toEqual({ count: 4 });
    expect(shards('0-1/4')).toEqual({ count: 4, ids: [0, 1] });
    expect(shards('3,0/4')).toEqual({ count: 4, ids: [0, 3] });
    for (const bad of ['0', '4/4', '1-0/4', '0-1', 'many'])
      expect(() => shards(bad)).toThrowError(/^DISCORD_SHARDS: must be auto, a number of shards/);
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT: /],
    [{ PORT: '70000' }, /^PORT: /],
    [{ METRICS_PORT: 'x' }, /^METRICS_PORT: /],
    [{ METRICS_TOKEN: 'short' }, /^METRICS_TOKEN: must be at least 16 characters/],
    [{ CANEVAS_LANG: 'de' }, /^CANEVAS_LANG: must be fr or en/],
    [{ CANEVAS_RETENTION_DAYS: 'a year' }, /^CANEVAS_RETENTION_DAYS: must be a whole number of days/],
    [{ CANEVAS_RETENTION_DAYS: '0' }, /^CANEVAS_RETENTION_DAYS: must be between 1 and 3650 days/],
    [{ CANEVAS_TZ: 'Mars/Olympus' }, /^CANEVAS_TZ: must be an IANA time zone/],
    [{ REDIS_URL: 'localhost:6379' }, /^REDIS_URL: must start with redis:\/\//],
    [{ PUBLIC_URL: 'not a url' }, /^PUBLIC_URL: /],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /^SLACK_SIGNING_SECRET: missing/],
    [{ SLACK_SIGNING_SECRET: 's' }, /^SLACK_BOT_TOKEN: missing/],
    [{ DISCORD_TOKEN: 't' }, /^DISCORD_APPLICATION_ID: missing/],
    [
      { DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: 'MTAwMDAw.Gx' },
      /^DISCORD_APPLICATION_ID: must be the Application ID, digits only/,
    ],
    // The two Slack tokens swapped: each line says where the other one goes.
    [
      { SLACK_BOT_TOKEN: 'xapp-1-A1', SLACK_APP_TOKEN: 'xoxb-1' },
      /^SLACK_BOT_TOKEN: must start with xoxb- .*an xapp- token is the app-level one, for SLACK_APP_TOKEN/,
    ],
    [
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-1' },
      /^SLACK_APP_TOKEN: must start with xapp- .*an xoxb- token is the bot token, for SLACK_BOT_TOKEN/,
    ],
    [
      { SLACK_BOT_TOKEN: 'xoxp-user', SLACK_APP_TOKEN: 'xapp-1' },
      /^SLACK_BOT_TOKEN: must start with xoxb- \(the Bot User OAuth Token/,
    ],
    [
      { REDIS_CLUSTER_NODES: '10.0.0.1:7000', REDIS_URL: 'redis://x:6379' },
      /^REDIS_CLUSTER_NODES: set either/,
    ],
    [{ REDIS_CLUSTER_NODES: '10.0.0.1' }, /^REDIS_CLUSTER_NODES: "10.0.0.1" is not host:port/],
    [{ REDIS_CLUSTER_NODES: '10.0.0.1:7000,:7001' }, /^REDIS_CLUSTER_NODES: ":7001" is not host:port/],
    [{ REDIS_CLUSTER_NODES: 'redis://10.0.0.1:7000/2' }, /^REDIS_CLUSTER_NODES: .* is not host:port/],
    [{ REDIS_CLUSTER_NODES: ' , ' }, /^REDIS_CLUSTER_NODES: no node given/],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => readConfig(env)).toThrowError(ConfigError);
    expect(() => readConfig(env)).toThrowError(message);
  });

  it('reads a Redis Cluster from REDIS_CLUSTER_NODES', () => {
    const config = readConfig({ REDIS_CLUSTER_NODES: ' 10.0.0.1:7000, redis-b:7001,[::1]:7002 ' });
    expect(config.redisCluster).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'redis-b', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      tls: false,
    });
    // Never the playground's own Redis: the cluster is where the data is.
    expect(config.redisUrlDefaulted).toBe(false);
    expect(readConfig({}).redisCluster).toBeUndefined();
  });

  it("takes the nodes' login and TLS from a URL among them", () => {
    const config = readConfig({ REDIS_CLUSTER_NODES: 'rediss://canevas:p%40ss@10.0.0.1:7000,10.0.0.2:7000' });
    expect(config.redisCluster).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7000 },
      ],
      username: 'canevas',
      password: 'p@ss',
      tls: true,
    });
  });

  describe('CANEVAS_SECRET_KEY', () => {
    const key = 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=';
    const oauth = {
      SLACK_CLIENT_ID: 'id',
      SLACK_CLIENT_SECRET: 'secret',
      SLACK_STATE_SECRET: 'state',
      SLACK_SIGNING_SECRET: 'signing',
    };

    it('is read as 32 bytes, with the previous key while rotating', () => {
      const hex = 'ab'.repeat(32);
      const config = readConfig({ CANEVAS_SECRET_KEY: key, CANEVAS_SECRET_KEY_PREVIOUS: hex });
      expect(config.secretKeys?.current.length).toBe(32);
      expect(config.secretKeys?.previous?.toString('hex')).toBe(hex);
      expect(readConfig({}).secretKeys).toBeUndefined();
    });

    it.each([
      [
        { CANEVAS_SECRET_KEY: 'hunter2' },
        /^CANEVAS_SECRET_KEY: must be 32 bytes in base64 or hex \(generate one with: openssl rand -base64 32\)/,
      ],
      [
        { CANEVAS_SECRET_KEY_PREVIOUS: key },
        /^CANEVAS_SECRET_KEY: missing \(CANEVAS_SECRET_KEY_PREVIOUS is the old key/,
      ],
      [
        oauth,
        /^CANEVAS_SECRET_KEY: missing \(multi-workspace installs keep each workspace's token encrypted with it; generate one with/,
      ],
    ])('refuses %j with the fix', (env, message) => {
      expect(() => readConfig(env)).toThrowError(ConfigError);
      expect(() => readConfig(env)).toThrowError(message);
    });

    it('lets multi-workspace installs start once a key is set', () => {
      expect(readConfig({ ...oauth, CANEVAS_SECRET_KEY: key }).slack?.clientId).toBe('id');
    });
  });
});
