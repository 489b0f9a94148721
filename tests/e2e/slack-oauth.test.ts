import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import { type FakeSlackApi, slackOAuthEnv, startFakeSlackApi } from '../fakes/slack-api.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { slackRequests } from '../helpers/slack-requests.js';
import { waitFor } from '../helpers/wait.js';

/** Multi-workspace installs: "Add to Slack", the OAuth redirect, then a campaign with that workspace's token. */
const DB = 15;
const SECRET = 'slack-signing-secret-for-oauth';
const TEAM = 'T2';
const CHANNEL = 'C0OAUTH';

let api: FakeSlackApi;
let runtime: Runtime;
let base: string;
const slack = slackRequests({
  base: () => base,
  secret: SECRET,
  team: TEAM,
  channel: CHANNEL,
  responseUrl: () => `${api.url}respond/1`,
});

beforeAll(async () => {
  (await freshRedis(DB)).disconnect();
  api = await startFakeSlackApi();
  api.admins.add('UADA');
  runtime = await startTestRuntime(DB, slackOAuthEnv(api, SECRET, randomBytes(32)));
  base = `http://127.0.0.1:${runtime.port}`;
});

afterAll(async () => {
  await runtime?.close();
  await api?.close();
});

describe('Slack OAuth installs', () => {
  it('installs into a workspace and runs a campaign with its own token', async () => {
    const page = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    const html = await page.text();
    const location = page.headers.get('location') ?? html;
    const state = /state=([^&"'\s]+)/.exec(location)?.[1];
    expect(state, html).toBeDefined();
    expect(location).toContain('client_id=client-id');
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

    const forged = await fetch(`${base}/slack/oauth_redirect?code=code-${TEAM}&state=forged`, {
      headers: { cookie },
    });
    expect(forged.status).toBe(400);

    const done = await fetch(`${base}/slack/oauth_redirect?code=code-${TEAM}&state=${state}`, {
      headers: { cookie },
    });
    expect(done.status).toBe(200);
    // Slack's pages are HTML too: none of them may be framed by another site.
    for (const html of [page, forged, done]) {
      expect(html.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    }
    const access = api.calls.find((c) => c.method === 'oauth.v2.access');
    expect(access?.args.code).toBe(`code-${TEAM}`);

    const res = await slack.slash('UADA', 'start lang:en');
    expect(res.status).toBe(200);
    const question = await waitFor('the first question', () =>
      api.calls.find(
        (c) =>
          c.method === 'chat.postMessage' && JSON.stringify(c.args.blocks ?? []).includes('canevas_answer'),
      ),
    );
    expect(question.token).toBe(`xoxb-${TEAM}`);
    expect(question.args.channel).toBe(CHANNEL);
  });
});
