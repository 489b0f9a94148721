/**
 * A Slack deployment of Canevas for the bench, as an operator runs one: a throwaway Redis, the bench's
 * fake Web API, and `canevas serve` / `canevas work` processes configured through the environment,
 * reached by signed requests on `POST /slack/events`.
 */
import { Redis } from 'ioredis';
import { freePort, startThrowawayRedis, type ThrowawayRedis } from '../adapters/redis-launcher.js';
import { createCampaignLists, createRedisStore } from '../src/index.js';
import { signSlackRequest, slashCommandPayload } from '../tests/fakes/slack-api.js';
import { type Child, spawnCanevas, spawnScript, waitForHttp } from './processes.js';

export const TEAM = 'TBENCH';
export const SIGNING_SECRET = 'bench-signing-secret';
/** users.info of the bench's fake says ids starting so are workspace admins. */
export const ADMIN = 'UADMIN1';

export interface ApiStats {
  calls: Record<string, number>;
  /** When each method was first and last called, ms since the epoch. */
  first: Record<string, number>;
  last: Record<string, number>;
}

export interface FakeSlack {
  child: Child;
  /** Base URL, ending with a slash. */
  url: string;
  stats(): Promise<ApiStats>;
  /** Counts start again from nothing. */
  reset(): Promise<void>;
  questions(channel: string): Promise<string[]>;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const child = spawnScript('bench/fake-slack.ts', [], {});
  const url = String((await child.message((m) => typeof m.url === 'string')).url);
  const get = async <T>(path: string) => (await (await fetch(`${url}${path}`)).json()) as T;
  return {
    child,
    url,
    stats: () => get('bench/stats'),
    reset: async () => {
      await get('bench/reset');
    },
    questions: (channel) => get(`bench/questions?channel=${encodeURIComponent(channel)}`),
  };
}

/** What `canevas serve` and `canevas work` are given: Slack in HTTP mode against the fake. */
export function slackEnv(redisUrl: string, api: FakeSlack, extra: Record<string, string> = {}) {
  return {
    REDIS_URL: redisUrl,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: `${api.url}api/`,
    // Honoured where the deployment has it: Slack's one post a second per channel is not what is measured.
    SLACK_PACE_MS: '0',
    CANEVAS_LANG: 'en',
    LOG_LEVEL: 'error',
    ...extra,
  };
}

export interface SlackDeployment {
  redis: ThrowawayRedis;
  /** The bench's own connection to the deployment's Redis (to see what was stored). */
  client: Redis;
  store: ReturnType<typeof createRedisStore>;
  lists: ReturnType<typeof createCampaignLists>;
  api: FakeSlack;
  /** The serve process now (a restart replaces it). */
  serve(): Child;
  /** A new serve process on the same port, in place of one still busy with what it was sent before. */
  restartServe(): Promise<void>;
  /** `http://127.0.0.1:<port>/slack/events` of the serve process. */
  eventsUrl: string;
  stop(): Promise<void>;
}

export async function startSlackDeployment(): Promise<SlackDeployment> {
  const redis = await startThrowawayRedis();
  const children: Child[] = [];
  const client = new Redis(redis.url);
  try {
    const api = await startFakeSlack();
    children.push(api.child);
    const port = await freePort();
    const startServe = async () => {
      const child = spawnCanevas('serve', slackEnv(redis.url, api, { PORT: String(port) }));
      children.push(child);
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, child);
      return child;
    };
    let serve = await startServe();
    return {
      redis,
      client,
      store: createRedisStore(client),
      lists: createCampaignLists(client),
      api,
      serve: () => serve,
      async restartServe() {
        await serve.stop(2_000);
        children.splice(children.indexOf(serve), 1);
        serve = await startServe();
      },
      eventsUrl: `http://127.0.0.1:${port}/slack/events`,
      async stop() {
        await Promise.all(children.map((c) => c.stop()));
        client.disconnect();
        await redis.stop();
      },
    };
  } catch (err) {
    await Promise.all(children.map((c) => c.stop()));
    client.disconnect();
    await redis.stop();
    throw err;
  }
}

/** A signed slash command, form-encoded as Slack sends it. */
export function signedCommand(channel: string, user: string, text: string, responseUrl: string) {
  const body = new URLSearchParams({
    token: 'x',
    ...slashCommandPayload({ team: TEAM, channel, user, text, responseUrl }),
  }).toString();
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(SIGNING_SECRET, body),
    },
  };
}

/** A signed message event: a member's reply in a thread. */
export function signedThreadReply(channel: string, thread: string, user: string, ts: string, text: string) {
  const body = JSON.stringify({
    token: 'x',
    team_id: TEAM,
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: `Ev${ts.replace('.', '')}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: 'message', channel, team: TEAM, user, text, ts, thread_ts: thread },
  });
  return { body, headers: { 'content-type': 'application/json', ...signSlackRequest(SIGNING_SECRET, body) } };
}

export async function deliver(url: string, request: { body: string; headers: Record<string, string> }) {
  const res = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST ${url} answered ${res.status}: ${text.slice(0, 200)}`);
  return text;
}
