import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import { FAKE_TEAM, type FakeSlackApi, slashCommandPayload, startFakeSlackApi } from '../fakes/slack-api.js';
import { type FakeSlackSocket, startFakeSlackSocket } from '../fakes/slack-socket.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/** Slack in Socket Mode: the URL comes from apps.connections.open, envelopes arrive on a WebSocket. */
const DB = 13;
const CHANNEL = 'C0SOCKET';
const CHANNEL_REF = { platform: 'slack' as const, workspace: FAKE_TEAM, channel: CHANNEL };

let api: FakeSlackApi;
let socket: FakeSlackSocket;
let runtime: Runtime;

beforeAll(async () => {
  (await freshRedis(DB)).disconnect();
  api = await startFakeSlackApi();
  socket = await startFakeSlackSocket();
  api.socketUrl = socket.url;
  api.admins.add('UADA');
  runtime = await startTestRuntime(DB, {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_APP_TOKEN: 'xapp-test',
    SLACK_API_URL: `${api.url}api/`,
  });
  await socket.connected();
});

afterAll(async () => {
  await runtime?.close();
  await socket?.close();
  await api?.close();
});

describe('Slack in Socket Mode', () => {
  it('starts a campaign with the command and records an answer from the thread', async () => {
    expect(api.calls.some((c) => c.method === 'apps.connections.open')).toBe(true);
    const ack = await socket.deliver(
      'slash_commands',
      slashCommandPayload({
        team: FAKE_TEAM,
        channel: CHANNEL,
        user: 'UADA',
        text: 'start lang:en',
        responseUrl: `${api.url}respond/1`,
      }),
    );
    expect(ack.payload?.response_type).toBe('ephemeral');
    const question = await waitFor('the first question', () =>
      api.calls.find(
        (c) =>
          c.method === 'chat.postMessage' && JSON.stringify(c.args.blocks ?? []).includes('canevas_answer'),
      ),
    );
    const thread = String(question.result?.ts);
    // The question's thread is recorded by a call after its message: a reply before that is no answer yet.
    await waitFor('the first question’s thread', async () =>
      (await runtime.engine.openThreads('slack')).some((t) => t.threadRef === thread),
    );
    const acked = await socket.deliver('events_api', {
      team_id: FAKE_TEAM,
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: 'Ev1',
      event_time: 1,
      event: {
        type: 'message',
        channel: CHANNEL,
        team: FAKE_TEAM,
        user: 'UBEN',
        text: 'Answered over the socket.',
        ts: '1800000001.000300',
        thread_ts: thread,
      },
    });
    expect(acked.envelope_id).toMatch(/^env-/);
    // The envelope is acknowledged only once the answer is saved: nothing is left to wait for.
    const id = await runtime.store.activeId(CHANNEL_REF);
    const answers = Object.values((await runtime.store.get(id ?? ''))?.answers ?? {});
    expect(answers.map((a) => a.text)).toEqual(['Answered over the socket.']);
  });

  it('counts a 👍 put on the answer over the socket as support, and its removal', async () => {
    const reaction = (type: string, n: number) =>
      socket.deliver('events_api', {
        team_id: FAKE_TEAM,
        api_app_id: 'A1',
        type: 'event_callback',
        event_id: `EvReaction${n}`,
        event_time: 2,
        event: {
          type,
          user: 'UCHLOE',
          reaction: 'thumbsup',
          item_user: 'UBEN',
          item: { type: 'message', channel: CHANNEL, ts: '1800000001.000300' },
          event_ts: '1800000002.000100',
        },
      });
    const support = async () => {
      const id = await runtime.store.activeId(CHANNEL_REF);
      return (await runtime.store.get(id ?? ''))?.answers['1800000001.000300']?.reactions?.['👍'] ?? [];
    };
    expect((await reaction('reaction_added', 1)).envelope_id).toMatch(/^env-/);
    await waitFor('the support', async () => (await support()).includes('UCHLOE'));
    expect((await reaction('reaction_removed', 2)).envelope_id).toMatch(/^env-/);
    await waitFor('the support taken back', async () => (await support()).length === 0);
  });
});
