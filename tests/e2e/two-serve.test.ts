import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import { FAKE_TEAM, type FakeSlackApi, type SlackCall, startFakeSlackApi } from '../fakes/slack-api.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { slackRequests } from '../helpers/slack-requests.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Two `serve` runtimes behind one URL (a round-robin proxy on loopback) and two `work` runtimes, on
 * one Redis: a Slack campaign whose commands, events and interactions land on either process, one
 * after the other, with Slack's retries landing on the other one, and whose posts either worker makes.
 * Nothing may be doubled, lost or posted out of order (the fake Slack keeps every message it is sent).
 */
const DB = 40;
const SECRET = 'slack-signing-secret-two-serve';
const CHANNEL = 'C0TWOSERVE';
const ADMIN = 'UADA';
const MEMBERS = ['UBEN', 'UCHLOE', 'UDAN', 'UEVE'];

let api: FakeSlackApi;
const serving: Runtime[] = [];
const workers: Runtime[] = [];
let proxy: RoundRobin;

/** What each backend was sent, by the kind of Slack request. */
type Kind = 'command' | 'event' | 'interaction';

interface RoundRobin {
  url: string;
  handled: { backend: number; kind: Kind }[];
  close(): Promise<void>;
}

/** A load balancer at its simplest: each request to the next backend in turn, bodies streamed through. */
async function startRoundRobin(ports: number[]): Promise<RoundRobin> {
  const handled: RoundRobin['handled'] = [];
  let next = 0;
  const server: Server = createServer((req, res) => {
    const backend = next++ % ports.length;
    const type = String(req.headers['content-type']);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.toString();
      const kind: Kind = type.includes('json')
        ? 'event'
        : text.startsWith('payload=')
          ? 'interaction'
          : 'command';
      handled.push({ backend, kind });
      const upstream = request(
        { host: '127.0.0.1', port: ports[backend], method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    handled,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

beforeAll(async () => {
  (await freshRedis(DB)).disconnect();
  api = await startFakeSlackApi();
  api.admins.add(ADMIN);
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: `${api.url}api/`,
  };
  for (let i = 0; i < 2; i++) serving.push(await startTestRuntime(DB, env, { serve: true, work: false }));
  for (let i = 0; i < 2; i++) workers.push(await startTestRuntime(DB, env, { serve: false, work: true }));
  proxy = await startRoundRobin(serving.map((r) => r.port as number));
});

afterAll(async () => {
  await proxy?.close();
  for (const r of serving) await r.close();
  for (const r of workers) await r.close();
  await api?.close();
});

const slack = slackRequests({
  base: () => proxy.url,
  secret: SECRET,
  channel: CHANNEL,
  responseUrl: () => `${api.url}respond/1`,
});
const command = (text: string) => slack.command(ADMIN, text);

let messageCounter = 0;
const nextTs = () => `1820000${String(++messageCounter).padStart(3, '0')}.000300`;

/** Sends an event, then Slack's retry of it: the proxy takes each to a different process. */
async function deliverTwice(event: Record<string, unknown>): Promise<void> {
  const body = slack.eventBody(event);
  expect((await slack.deliver(body, 'application/json')).status).toBe(200);
  const retry = { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' };
  expect((await slack.deliver(body, 'application/json', retry)).status).toBe(200);
}

const posts = (): SlackCall[] => api.calls.filter((c) => c.method === 'chat.postMessage');
const isQuestion = (c: SlackCall) => JSON.stringify(c.args.blocks ?? []).includes('canevas_answer');
const questions = () => posts().filter((c) => isQuestion(c) && !c.args.thread_ts);
const keyOf = (c: SlackCall) =>
  (c.args.metadata as { event_payload?: { key?: string; part?: number } } | undefined)?.event_payload;

async function campaign() {
  const [worker] = workers as [Runtime];
  const id = await worker.store.activeId({ platform: 'slack', workspace: FAKE_TEAM, channel: CHANNEL });
  const found = id ? await worker.store.get(id) : null;
  if (!found) throw new Error('no campaign');
  return found;
}

/** Where every part of the campaign's inbox and outbox has been dealt with. */
async function settled(): Promise<boolean> {
  const [worker] = workers as [Runtime];
  const { id } = await campaign();
  const left = (await worker.lists.inboxLength(id)) + (await worker.lists.postsLength(id));
  return left === 0 && (await worker.lists.effectsHead(id)) === null;
}

describe('two serve processes behind one URL', () => {
  it('runs a campaign whose requests land on either process, and doubles or loses nothing', async () => {
    expect(await command('start lang:en')).toContain('Off we go');
    await waitFor('the first questions', () => questions().length >= 3);
    const expected = new Map<string, string>();

    // Every member answers every question, each answer delivered twice (to both processes).
    for (const [q, question] of questions().entries()) {
      for (const [m, user] of MEMBERS.entries()) {
        const ts = nextTs();
        const text = `Answer of ${user} to question ${q + 1}: ${'é'.repeat(m + 1)} <@U1> *kept as typed*`;
        await deliverTwice({ type: 'message', user, text, ts, thread_ts: question.result?.ts });
        expected.set(ts, text);
      }
    }

    // An edit and a delete, each delivered twice as well.
    const thread = String(questions()[0]?.result?.ts);
    const [edited, deleted] = [...expected.keys()];
    const newText = 'Rewritten by its author.';
    await deliverTwice({
      type: 'message',
      subtype: 'message_changed',
      ts: nextTs(),
      message: { type: 'message', user: MEMBERS[0], text: newText, ts: edited, thread_ts: thread },
    });
    expected.set(edited as string, newText);
    await deliverTwice({
      type: 'message',
      subtype: 'message_deleted',
      deleted_ts: deleted,
      ts: nextTs(),
      previous_message: { type: 'message', user: MEMBERS[1], ts: deleted, thread_ts: thread },
    });
    expected.delete(deleted as string);

    // The Answer button pressed on one process, its form sent through the other.
    const question = questions()[1] as SlackCall;
    type Block = { elements?: { action_id?: string; value?: string }[] };
    const button = ((question.args.blocks ?? []) as Block[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === 'canevas_answer');
    const from = (type: string, trigger: string) => ({
      type,
      team: { id: FAKE_TEAM, domain: 'x' },
      user: { id: 'UFRED', name: 'fred', team_id: FAKE_TEAM },
      api_app_id: 'A1',
      token: 'x',
      trigger_id: trigger,
    });
    const interact = slack.interaction;
    const pressed = await interact({
      ...from('block_actions', 'trigger-1'),
      channel: { id: CHANNEL, name: 'general' },
      container: { type: 'message', message_ts: question.result?.ts, channel_id: CHANNEL },
      message: { type: 'message', ts: question.result?.ts, text: 'question' },
      actions: [
        { type: 'button', action_id: 'canevas_answer', block_id: 'b', action_ts: '1', value: button?.value },
      ],
    });
    expect(pressed.status).toBe(200);
    const opened = await waitFor('the answer form', () => api.calls.find((c) => c.method === 'views.open'));
    const view = opened.args.view as { callback_id: string; private_metadata: string };
    const formText = 'Sent from the form, through the other process.';
    const submission = {
      ...from('view_submission', 'trigger-2'),
      view: {
        id: 'VTWO',
        type: 'modal',
        callback_id: view.callback_id,
        private_metadata: view.private_metadata,
        state: { values: { answer: { text: { type: 'plain_text_input', value: formText } } } },
      },
    };
    // Sent twice, as a member double-clicking Send would: one answer, one echo.
    expect((await interact(submission)).status).toBe(200);
    expect((await interact(submission)).status).toBe(200);

    // The next round, asked through whichever process comes next, then the summary.
    expect(await command('next')).toContain('next round');
    await waitFor('the second round', () => questions().length >= 6);
    expect(await command('summary')).toBeTruthy();
    await waitFor('the summary', () =>
      posts().find((c) => String(c.args.text).includes('The canvas so far')),
    );
    await waitFor('every event applied and every post made', settled);

    // Every request kind went to both processes.
    for (const kind of ['command', 'event', 'interaction'] as const)
      expect(new Set(proxy.handled.filter((h) => h.kind === kind).map((h) => h.backend))).toEqual(
        new Set([0, 1]),
      );

    // Every answer once, word for word; the deleted one gone; the form's answer once.
    const stored = (await campaign()).answers;
    const active = Object.values(stored).filter((a) => !a.removedAt);
    const threaded = active.filter((a) => a.source === 'thread');
    expect(Object.fromEntries(threaded.map((a) => [a.id, a.text]))).toEqual(Object.fromEntries(expected));
    const fromForm = active.filter((a) => a.source === 'modal');
    expect(fromForm.map((a) => a.text)).toEqual([formText]);
    expect(stored[edited as string]?.history.map((h) => h.text)).toHaveLength(1);

    // Every post once: no dedupe key (and part) twice, each question once, one echo, one summary.
    const keys = posts().map((c) => JSON.stringify(keyOf(c)));
    expect(keys.every((k) => k !== undefined && k !== '{}')).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(questions().map((c) => String(c.args.text))).size).toBe(questions().length);
    expect(questions()).toHaveLength(6);
    // In the order their transitions asked for them, whichever worker made them.
    const asked = questions().map((c) => String(keyOf(c)?.key).split('-q-')[1]);
    const order = (await campaign()).questions.map((q) => q.blockId).slice(0, 6);
    expect(asked).toEqual(order);
    expect(posts().filter((c) => String(c.args.text).includes(formText))).toHaveLength(1);
    expect(posts().filter((c) => String(c.args.text).includes('The canvas so far'))).toHaveLength(1);
  });
});
