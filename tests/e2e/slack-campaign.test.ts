import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import { reminderHoursOf } from '../../src/facilitation/machine.js';
import { SUBCOMMANDS } from '../../src/facilitation/parse-command.js';
import { openRound, reminderTime } from '../../src/facilitation/rounds.js';
import { formatDeadline } from '../../src/render/view-helpers.js';
import {
  FAKE_TEAM,
  type FakeSlackApi,
  type SlackCall,
  signSlackRequest,
  slashCommandPayload,
  startFakeSlackApi,
} from '../fakes/slack-api.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { slackRequests } from '../helpers/slack-requests.js';
import { waitFor } from '../helpers/wait.js';

/** A whole campaign on Slack in HTTP mode: signed requests to /slack/events, a fake Web API. */
const DB = 12;
const SECRET = 'slack-signing-secret-for-tests';
const CHANNEL = 'C0CANEVAS';
const ADMIN = 'UADA';
const CHANNEL_REF = { platform: 'slack' as const, workspace: FAKE_TEAM, channel: CHANNEL };

let api: FakeSlackApi;
let runtime: Runtime;
let base: string;
let messageCounter = 0;
/** How far ahead of the real time the engine and workers are (a nudge is due days after a start). */
let clockShift = 0;
const clock = () => new Date(Date.now() + clockShift);

async function boot(): Promise<void> {
  runtime = await startTestRuntime(
    DB,
    {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${api.url}api/`,
      CANEVAS_ADMINS: 'UCANEVASADMIN',
    },
    { serve: true, work: true },
    clock,
  );
  base = `http://127.0.0.1:${runtime.port}`;
}

const { deliver, eventBody } = slackRequests({
  base: () => base,
  secret: SECRET,
  channel: CHANNEL,
  responseUrl: () => `${api.url}respond/1`,
});

async function command(
  user: string,
  text: string,
  channel = CHANNEL,
): Promise<{ ok: boolean; text: string }> {
  const form = new URLSearchParams({
    token: 'x',
    ...slashCommandPayload({
      team: FAKE_TEAM,
      channel,
      user,
      text,
      responseUrl: `${api.url}respond/1`,
    }),
  }).toString();
  const res = await deliver(form, 'application/x-www-form-urlencoded');
  expect(res.status).toBe(200);
  const body = JSON.parse(res.text) as { response_type: string; text: string };
  expect(body.response_type).toBe('ephemeral');
  return { ok: !/admin|unknown|usage|not /i.test(body.text), text: body.text };
}

const nextTs = () => `1800000${String(++messageCounter).padStart(3, '0')}.000200`;

async function reply(user: string, thread: string, text: string, ts = nextTs()) {
  const res = await deliver(
    eventBody({ type: 'message', user, text, ts, thread_ts: thread }),
    'application/json',
  );
  expect(res.status).toBe(200);
  return ts;
}

const posts = (): SlackCall[] => api.calls.filter((c) => c.method === 'chat.postMessage');
const isQuestion = (c: SlackCall) => JSON.stringify(c.args.blocks ?? []).includes('canevas_answer');
const questions = () => posts().filter((c) => isQuestion(c) && !c.args.thread_ts);
const tsOf = (c: SlackCall | undefined) => String(c?.result?.ts);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
/** The canvas sheet posted with a summary or digest (exports are named without the day). */
const SHEET_NAME = /^canevas-velocarte-\d{4}-\d{2}-\d{2}\.png$/;

/** Files sent through files.uploadV2, in order: the URL request, the bytes, and the call that shared them. */
function uploaded(name: RegExp) {
  return api.calls
    .filter((c) => c.method === 'files.getUploadURLExternal' && name.test(String(c.args.filename)))
    .map((asked) => {
      const id = String(asked.result?.file_id);
      const shared = api.calls.find(
        (c) =>
          c.method === 'files.completeUploadExternal' &&
          c.result?.ok === true &&
          JSON.stringify(c.args.files).includes(`"${id}"`),
      );
      return { asked, shared, data: api.uploads.get(id) };
    })
    .filter((u) => u.shared !== undefined && u.data !== undefined);
}

async function campaign() {
  const id = await runtime.store.activeId(CHANNEL_REF);
  return runtime.store.get(id ?? '');
}

beforeAll(async () => {
  (await freshRedis(DB)).disconnect();
  api = await startFakeSlackApi();
  api.admins.add(ADMIN);
  await boot();
});

afterAll(async () => {
  await runtime?.close();
  await api?.close();
});

describe('a whole campaign on Slack (HTTP mode)', () => {
  it('refuses forged and stale requests with 401', async () => {
    const body = eventBody({ type: 'message', user: 'UBEN', text: 'hi', ts: nextTs() });
    const forged = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signSlackRequest('wrong-secret', body) },
      body,
    });
    expect(forged.status).toBe(401);
    const stale = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signSlackRequest(SECRET, body, Math.floor(Date.now() / 1000) - 3600),
      },
      body,
    });
    expect(stale.status).toBe(401);
    // Bolt only checks the past: a request dated ahead could be replayed until that date comes.
    for (const ahead of [6 * 60, 3600]) {
      const future = await fetch(`${base}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signSlackRequest(SECRET, body, Math.floor(Date.now() / 1000) + ahead),
        },
        body,
      });
      expect(future.status, `${ahead} s ahead`).toBe(401);
    }
    const challenge = await deliver(
      JSON.stringify({ type: 'url_verification', challenge: 'abc', token: 'x' }),
      'application/json',
    );
    expect(JSON.parse(challenge.text)).toEqual({ challenge: 'abc' });
  });

  it('refuses a member, answers an unknown subcommand with the usage, then starts', async () => {
    const refused = await command('UBEN', 'start');
    expect(refused.text).toMatch(/admin/i);
    expect(await runtime.store.activeId(CHANNEL_REF)).toBeNull();
    const unknown = await command(ADMIN, 'dance');
    expect(unknown.text).toMatch(/dance/);
    expect(unknown.text).toMatch(/help/);
    const help = await command('UBEN', 'help');
    for (const sub of SUBCOMMANDS) expect(help.text).toContain(sub);

    await command(ADMIN, 'start lang:en cadence:weekly name:"Vélocarte" format:drip');
    // Posted, and its ref recorded by the core: a reply before that is not an answer to it yet.
    await waitFor('the first question and its thread', async () => {
      const [first] = questions();
      const threads = await runtime.engine.openThreads('slack');
      return first !== undefined && threads.some((t) => t.threadRef === tsOf(first));
    });
    expect(posts()[0]?.args.text).toMatch(/Canevas/);
    expect(posts()[0]?.args.unfurl_links).toBe('false');
    expect(String(questions()[0]?.args.text)).toContain('The shared resource');
    // The question's Block Kit sections name its deadline, the next run of the cadence.
    expect(JSON.stringify(questions()[0]?.args.blocks)).toMatch(/until \*\w+ \d+ \w+, 10:00\*/);
  });

  it('records threaded answers once, with an edit, a delete, duplicates and a mention injection', async () => {
    const thread = tsOf(questions()[0]);
    const a = await reply('UBEN', thread, 'Our open map of bike-repair points.');
    const injection = '<!channel> <@U1> *bold* @here';
    const b = await reply('UCHLOE', thread, injection);
    // The same event twice, then once more as Slack's retry.
    const dupBody = eventBody(
      { type: 'message', user: 'UDAN', text: 'Said once.', ts: '1800000999.000200', thread_ts: thread },
      'EvDup',
    );
    expect((await deliver(dupBody, 'application/json')).status).toBe(200);
    // Slack hears back only once the answer is saved: a crash before that leaves the event for Slack
    // to deliver again, so no answer is lost.
    expect(Object.values((await campaign())?.answers ?? {}).map((x) => x.text)).toContain('Said once.');
    expect((await deliver(dupBody, 'application/json')).status).toBe(200);
    expect(
      (
        await deliver(dupBody, 'application/json', {
          'x-slack-retry-num': '1',
          'x-slack-retry-reason': 'http_timeout',
        })
      ).status,
    ).toBe(200);
    const c = await reply(ADMIN, thread, 'A typo to delete');
    // People edit and delete after the answer is in.
    await waitFor(
      'the four answers',
      async () => Object.keys((await campaign())?.answers ?? {}).length === 4,
    );
    await deliver(
      eventBody({
        type: 'message',
        subtype: 'message_deleted',
        deleted_ts: c,
        ts: nextTs(),
        previous_message: {
          type: 'message',
          user: ADMIN,
          text: 'A typo to delete',
          ts: c,
          thread_ts: thread,
        },
      }),
      'application/json',
    );
    await deliver(
      eventBody({
        type: 'message',
        subtype: 'message_changed',
        ts: nextTs(),
        message: {
          type: 'message',
          user: 'UBEN',
          text: 'Our open map of bike-repair points, kept on OpenStreetMap.',
          ts: a,
          thread_ts: thread,
        },
        previous_message: {
          type: 'message',
          user: 'UBEN',
          text: 'Our open map of bike-repair points.',
          ts: a,
          thread_ts: thread,
        },
      }),
      'application/json',
    );
    // The bot's own messages are never answers.
    await reply('UBOT', thread, 'I am the bot');
    await deliver(
      eventBody({
        type: 'message',
        subtype: 'bot_message',
        bot_id: 'BOTHER',
        text: 'bot',
        ts: nextTs(),
        thread_ts: thread,
      }),
      'application/json',
    );

    // Events are acknowledged before they are processed: wait for the store to show them.
    const answers = await waitFor('the answers, the edit and the delete', async () => {
      const all = Object.values((await campaign())?.answers ?? {});
      const done =
        all.length === 4 &&
        all.find((x) => x.id === c)?.removedAt !== undefined &&
        all.find((x) => x.id === a)?.history?.length === 1;
      return done ? all : undefined;
    });
    expect(answers.map((x) => x.id).sort()).toEqual([a, b, c, '1800000999.000200'].sort());
  });

  it('tells the author ephemerally when an answer is refused', async () => {
    const thread = tsOf(questions()[0]);
    await reply('UBEN', thread, '   ');
    const ephemeral = await waitFor('the ephemeral refusal', () =>
      api.calls.find((c) => c.method === 'chat.postEphemeral' && c.args.user === 'UBEN'),
    );
    expect(ephemeral.args.thread_ts).toBe(thread);
  });

  it('walks the questions with next, skip, pause, resume, status and schedule', async () => {
    await command(ADMIN, 'next');
    await waitFor('the second question', () => questions().length === 2);
    await command(ADMIN, 'skip');
    await waitFor('the third question', () => questions().length === 3);
    expect((await command(ADMIN, 'pause')).text).not.toBe('');
    const again = await command(ADMIN, 'pause');
    expect(again.text).toMatch(/paused/i);
    await command(ADMIN, 'resume');
    const status = await command('UBEN', 'status');
    expect(status.text).toMatch(/Definition/);
    await command(ADMIN, 'schedule cadence:daily tz:Europe/Paris');
    expect((await campaign())?.cadence).toBe('daily');
    // CANEVAS_ADMINS may drive too.
    expect((await command('UCANEVASADMIN', 'status')).text).toMatch(/Definition/);
  });

  it('takes a modal answer from the Answer button and echoes it in the thread', async () => {
    const posted = questions()[2];
    const thread = tsOf(posted);
    // The button as the bot posted it: Slack sends its value back with the click.
    type Block = { elements?: { action_id?: string; value?: string; text?: { text: string } }[] };
    const button = ((posted?.args.blocks ?? []) as Block[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === 'canevas_answer');
    expect(button?.text?.text).toBe('✍️ Answer');
    // What every interaction payload from Chloé carries.
    const fromChloe = (type: string, trigger: string) => ({
      type,
      team: { id: FAKE_TEAM, domain: 'x' },
      user: { id: 'UCHLOE', name: 'chloe', team_id: FAKE_TEAM },
      api_app_id: 'A1',
      token: 'x',
      trigger_id: trigger,
    });
    const action = {
      ...fromChloe('block_actions', 'trigger-1'),
      channel: { id: CHANNEL, name: 'general' },
      container: { type: 'message', message_ts: thread, channel_id: CHANNEL },
      message: { type: 'message', ts: thread, text: 'question' },
      actions: [
        { type: 'button', action_id: 'canevas_answer', block_id: 'b', action_ts: '1', value: button?.value },
      ],
    };
    const clicked = await deliver(
      new URLSearchParams({ payload: JSON.stringify(action) }).toString(),
      'application/x-www-form-urlencoded',
    );
    expect(clicked.status).toBe(200);
    const opened = await waitFor('views.open', () => api.calls.find((c) => c.method === 'views.open'));
    const view = opened.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('canevas_answer_modal');
    // The campaign is in English, so is its form.
    expect(JSON.stringify(opened.args.view)).toContain('"text":"Your answer"');
    expect(JSON.stringify(opened.args.view)).toContain('"text":"Send"');
    const submit = (text: string, id: string) => ({
      ...fromChloe('view_submission', 'trigger-2'),
      view: {
        id,
        type: 'modal',
        callback_id: view.callback_id,
        private_metadata: view.private_metadata,
        state: { values: { answer: { text: { type: 'plain_text_input', value: text } } } },
      },
    });
    const send = (text: string, id: string) =>
      deliver(
        new URLSearchParams({ payload: JSON.stringify(submit(text, id)) }).toString(),
        'application/x-www-form-urlencoded',
      );
    const refused = await send('  ', 'VEMPTY');
    expect(JSON.parse(refused.text).response_action).toBe('errors');
    const accepted = await send('Sent from the modal.', 'VMODAL1');
    expect(accepted.status).toBe(200);
    expect(accepted.text).toBe('');
    const echo = await waitFor('the echo', () =>
      posts().find(
        (c) => c.args.thread_ts === thread && String(c.args.text).includes('Sent from the modal.'),
      ),
    );
    expect(String(echo.args.text)).toContain('UCHLOE');
  });

  it('loses nothing when the bot restarts mid-campaign', async () => {
    const third = tsOf(questions()[2]);
    await runtime.close();
    await boot();
    await reply('UBEN', third, 'Answered after a restart.');
    await waitFor('the answer after the restart', async () => {
      const answers = Object.values((await campaign())?.answers ?? {});
      return answers.filter((x) => !x.removedAt).length === 5;
    });
    expect(questions()).toHaveLength(3);
  });

  it('posts every message once and in order through a 429 storm', async () => {
    const before = posts().length;
    api.rateLimit('chat.postMessage', 2);
    await command(ADMIN, 'next');
    await waitFor('the fourth question', () => questions().length === 4, 20_000);
    expect(api.limited).toBeGreaterThanOrEqual(2);
    const after = posts().slice(before);
    expect(after.filter(isQuestion)).toHaveLength(1);
    const texts = after.map((c) => String(c.args.text));
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('posts the summary, the digest and an export carrying the answers', async () => {
    await command(ADMIN, 'summary');
    const summary = await waitFor('the summary', () =>
      posts().find((c) => String(c.args.text).includes('The canvas so far')),
    );
    const text = String(summary.args.text);
    expect(text).toContain('kept on OpenStreetMap');
    expect(text).not.toContain('A typo to delete');
    expect(text).toContain('&lt;!channel&gt; &lt;@U1&gt; *bold* @\u200Bhere');
    expect(text).not.toContain('<!channel>');

    // The text goes out as a message; the canvas sheet follows it as an image upload of its own.
    const [sheet] = await waitFor('the summary picture', () => {
      const all = uploaded(SHEET_NAME);
      return all.length === 1 ? all : undefined;
    });
    expect(sheet?.data?.subarray(0, 4)).toEqual(PNG_SIGNATURE);
    expect(sheet?.shared?.args.channel_id).toBe(CHANNEL);
    expect(sheet?.shared?.args.initial_comment).toBeUndefined();
    expect(sheet?.asked.args.alt_text).toBe(
      'Governance canvas of “Vélocarte”: the A3 synthesis sheet, made from the answers',
    );
    expect(api.calls.indexOf(summary)).toBeLessThan(api.calls.indexOf(sheet?.asked as SlackCall));

    // Slack stumbles on the digest's picture once: the retry sends the picture, not the text again.
    api.fail('files.completeUploadExternal', 'internal_error');
    await command(ADMIN, 'digest');
    const digestSheet = await waitFor('the digest picture', () => uploaded(SHEET_NAME)[1]);
    expect(digestSheet.data?.subarray(0, 4)).toEqual(PNG_SIGNATURE);
    const digests = posts().filter((c) => String(c.args.text).includes('This week on the canvas'));
    expect(digests).toHaveLength(1);
    expect(api.calls.indexOf(digests[0] as SlackCall)).toBeLessThan(api.calls.indexOf(digestSheet.asked));
    expect(
      api.calls.filter((c) => c.method === 'files.completeUploadExternal' && c.result?.ok === false),
    ).toHaveLength(1);

    await command(ADMIN, 'export md');
    const [file] = await waitFor('the upload', () => {
      const all = uploaded(/\.md$/);
      return all.length === 1 ? all : undefined;
    });
    expect(file?.shared?.args.channel_id).toBe(CHANNEL);
    // An export is one upload with the text as its comment.
    expect(String(file?.shared?.args.initial_comment)).not.toBe('');
    const md = file?.data?.toString('utf8') ?? '';
    for (const t of [
      'kept on OpenStreetMap',
      'Sent from the modal.',
      'Answered after a restart.',
      'Said once.',
    ])
      expect(md).toContain(t);

    await command(ADMIN, 'export svg');
    const svg = await waitFor('the svg export', () => uploaded(/^canevas-velocarte\.svg$/)[0]);
    expect(svg.data?.toString('utf8')).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);
    await command(ADMIN, 'export png');
    const png = await waitFor('the png export', () =>
      uploaded(/\.png$/).find((u) => !SHEET_NAME.test(String(u.asked.args.filename))),
    );
    expect(png.data?.subarray(0, 4)).toEqual(PNG_SIGNATURE);
  });

  it('stops with the final canvas, without its picture when Slack refuses it, and frees the channel', async () => {
    const sheets = uploaded(SHEET_NAME).length;
    // An app installed without files:write: the final text must still go out, and nothing retries.
    api.fail('files.getUploadURLExternal', 'missing_scope', 100);
    await command(ADMIN, 'stop');
    await waitFor('the final canvas', () =>
      posts().find((c) => String(c.args.text).includes('final canvas, still incomplete')),
    );
    expect(await runtime.store.activeId(CHANNEL_REF)).toBeNull();
    const campaignId = (await runtime.store.latestId(CHANNEL_REF)) ?? '';
    await waitFor('every post made', async () => (await runtime.lists.postsLength(campaignId)) === 0);
    // Slack's refusal of the picture is final: nothing was given up on or retried.
    expect((await runtime.store.loadCounted(campaignId))?.failedPosts.count).toBe(0);
    expect(
      api.calls.filter((c) => c.method === 'files.getUploadURLExternal' && c.result?.ok === false),
    ).toHaveLength(1);
    expect(uploaded(SHEET_NAME)).toHaveLength(sheets);
  });
});

describe('bad input never poisons a Slack campaign', () => {
  let thread: string;
  const answers = async () => (await campaign())?.answers ?? {};
  const form = (payload: unknown) =>
    deliver(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );

  beforeAll(async () => {
    const before = questions().length;
    await command(ADMIN, 'start lang:en cadence:weekly');
    await waitFor('the new campaign’s first question', () => questions().length === before + 1);
    thread = tsOf(questions().at(-1));
  });

  it('drops malformed events with 200 (so Slack does not send them again) and stores none', async () => {
    const good = { type: 'message', user: 'UBEN', text: 'fine', thread_ts: thread };
    const malformed: Record<string, unknown>[] = [
      { ...good, ts: 12345 },
      { ...good, ts: nextTs(), thread_ts: Number(thread) },
      { ...good, ts: nextTs(), user: 42 },
      { ...good, ts: nextTs(), text: { evil: true } },
      { ...good, ts: nextTs(), text: null },
      { type: 'message', subtype: 'message_changed', ts: nextTs() },
      { type: 'message', subtype: 'message_changed', ts: nextTs(), message: { ...good, ts: 7 } },
      { type: 'message', subtype: 'message_changed', ts: nextTs(), message: 'not a message' },
      {
        type: 'message',
        subtype: 'message_deleted',
        ts: nextTs(),
        previous_message: { ...good, ts: nextTs() },
      },
      { type: 'message', subtype: 'message_deleted', ts: nextTs(), deleted_ts: nextTs() },
      { type: 'message', ts: nextTs(), channel: 99, user: 'UBEN', text: 'x', thread_ts: thread },
    ];
    for (const event of malformed) {
      const res = await deliver(eventBody(event), 'application/json');
      expect(res.status, JSON.stringify(event)).toBe(200);
    }
    for (const envelope of [{ type: 'event_callback', event: null }, { type: 'event_callback' }]) {
      expect((await deliver(JSON.stringify(envelope), 'application/json')).status).toBe(200);
    }
    expect(await answers()).toEqual({});
    // The campaign still takes and saves a valid answer afterwards.
    const ts = await reply('UBEN', thread, 'Still saved after the bad input.');
    expect((await answers())[ts]?.text).toBe('Still saved after the bad input.');
  });

  it('answers 400 to a body that is no Slack payload, a broken command or a broken interaction', async () => {
    const before = await answers();
    for (const body of ['null', '[1,2]', '"text"', '42']) {
      expect((await deliver(body, 'application/json')).status, body).toBe(400);
    }
    const commandFields = slashCommandPayload({
      team: FAKE_TEAM,
      channel: CHANNEL,
      user: ADMIN,
      text: 'stop',
      responseUrl: `${api.url}respond/1`,
    });
    const { user_id: _user, ...withoutUser } = commandFields;
    const { channel_id: _channel, ...withoutChannel } = commandFields;
    for (const fields of [withoutUser, withoutChannel]) {
      const res = await deliver(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');
      expect(res.status).toBe(400);
    }
    const click = {
      type: 'block_actions',
      team: { id: FAKE_TEAM },
      user: { id: 'UCHLOE' },
      trigger_id: 'trigger-bad',
      channel: { id: CHANNEL },
      message: { type: 'message', ts: thread },
      actions: [{ type: 'button', action_id: 'canevas_answer', block_id: 'b', action_ts: '1', value: 'en' }],
    };
    const { trigger_id: _trigger, ...withoutTrigger } = click;
    const { message: _message, ...withoutMessage } = click;
    for (const payload of [withoutTrigger, withoutMessage, { ...click, actions: 'canevas_answer' }]) {
      expect((await form(payload)).status).toBe(400);
    }
    const opened = api.calls.filter((c) => c.method === 'views.open').length;
    const submission = (state: unknown) => ({
      type: 'view_submission',
      team: { id: FAKE_TEAM },
      user: { id: 'UCHLOE', name: 'chloe' },
      view: {
        id: 'VBAD',
        type: 'modal',
        callback_id: 'canevas_answer_modal',
        private_metadata: JSON.stringify({ channel: CHANNEL, team: FAKE_TEAM, threadRef: thread }),
        ...(state === undefined ? {} : { state }),
      },
    });
    for (const state of [
      undefined,
      { values: { answer: { text: { type: 'plain_text_input', value: 42 } } } },
    ]) {
      expect((await form(submission(state))).status).toBe(400);
    }
    expect(await answers()).toEqual(before);
    expect(api.calls.filter((c) => c.method === 'views.open')).toHaveLength(opened);
  });

  it('refuses an answer that shows nothing, telling its author', async () => {
    const before = await answers();
    await reply('UCHLOE', thread, '\u200B\u200D\u2060\uFEFF \u3164');
    const refusal = await waitFor('the ephemeral refusal', () =>
      api.calls.find((c) => c.method === 'chat.postEphemeral' && c.args.user === 'UCHLOE'),
    );
    expect(refusal.args.thread_ts).toBe(thread);
    expect(await answers()).toEqual(before);
  });

  it('ignores an edit of an answer by anyone but its author', async () => {
    const ts = await reply('UBEN', thread, 'Ben wrote this.');
    const edit = (user: string, text: string) =>
      deliver(
        eventBody({
          type: 'message',
          subtype: 'message_changed',
          ts: nextTs(),
          message: { type: 'message', user, text, ts, thread_ts: thread },
        }),
        'application/json',
      );
    // Slack answers once the edit is applied or dropped, so the store is final when it does.
    expect((await edit('UEVE', 'Eve rewrote this.')).status).toBe(200);
    expect((await answers())[ts]).toMatchObject({ text: 'Ben wrote this.', history: [] });
    expect((await edit('UBEN', 'Ben rewrote this.')).status).toBe(200);
    expect((await answers())[ts]).toMatchObject({
      text: 'Ben rewrote this.',
      history: [{ text: 'Ben wrote this.' }],
    });
  });
});

describe('a workshop on Slack: the round post’s Remind-me button, and the nudge that mentions', () => {
  const WORKSHOP = 'C0WORKSHOP';
  const WORKSHOP_REF = { ...CHANNEL_REF, channel: WORKSHOP };
  type Button = { action_id?: string; value?: string; text?: { text: string } };
  type Block = { type: string; text?: { text: string }; elements?: Button[] };
  const inWorkshop = () => posts().filter((c) => c.args.channel === WORKSHOP && !c.args.thread_ts);
  const blocksOf = (c: SlackCall | undefined) => (c?.args.blocks ?? []) as Block[];
  const buttonsOf = (c: SlackCall | undefined) => blocksOf(c).flatMap((b) => b.elements ?? []);
  const roundPost = () =>
    inWorkshop().find((c) => buttonsOf(c).some((b) => b.action_id === 'canevas_remind'));

  async function workshop() {
    const c = await runtime.store.get((await runtime.store.activeId(WORKSHOP_REF)) ?? '');
    if (!c) throw new Error('no workshop campaign');
    return c;
  }
  /** Who asked to be mentioned in the nudges. */
  const signedUp = async () => ((await workshop()).remindMe ?? []).map((p) => p.id);

  /** A press on the round post's button, signed like Slack signs it; its answer goes to `responseUrl`. */
  function press(user: string, responseUrl: string, overrides: Record<string, unknown> = {}) {
    const round = roundPost();
    const button = buttonsOf(round).find((b) => b.action_id === 'canevas_remind');
    const payload = {
      type: 'block_actions',
      team: { id: FAKE_TEAM, domain: 'x' },
      user: { id: user, name: user.toLowerCase(), team_id: FAKE_TEAM },
      api_app_id: 'A1',
      token: 'x',
      trigger_id: `trigger-${user}`,
      channel: { id: WORKSHOP, name: 'workshop' },
      container: { type: 'message', message_ts: tsOf(round), channel_id: WORKSHOP },
      message: { type: 'message', ts: tsOf(round), text: 'round' },
      response_url: responseUrl,
      actions: [
        { type: 'button', action_id: 'canevas_remind', block_id: 'r', action_ts: '1', value: button?.value },
      ],
      ...overrides,
    };
    return deliver(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
  }
  const responses = (path: string) => api.calls.filter((c) => c.method === 'response_url' && c.path === path);

  it('starts a workshop by default: a round post with its Remind-me button, then questions naming the deadline', async () => {
    await command(ADMIN, 'start lang:en cadence:weekly', WORKSHOP);
    await waitFor('the round post and its three questions', () => {
      const round = roundPost();
      const after = inWorkshop().slice(inWorkshop().indexOf(round as SlackCall) + 1);
      return round !== undefined && after.filter(isQuestion).length === 3;
    });
    const c = await workshop();
    expect(c.format).toBe('workshop');
    const deadline = formatDeadline(openRound(c)?.closesAt ?? '', c.lang, c.tz);
    expect(deadline).toMatch(/^\w+ \d+ \w+, 10:00$/);
    const round = roundPost();
    const button = buttonsOf(round).find((b) => b.action_id === 'canevas_remind');
    expect(button?.text?.text).toBe('🔔 Remind me');
    expect(button?.value).toBe('en');
    expect(blocksOf(round).at(-1)?.type).toBe('actions');
    expect(JSON.stringify(blocksOf(round))).toContain(`until *${deadline}*`);
    // The round post has no Answer button: questions have, below it.
    expect(isQuestion(round as SlackCall)).toBe(false);
    const questionsAfter = inWorkshop()
      .slice(inWorkshop().indexOf(round as SlackCall) + 1)
      .filter(isQuestion);
    for (const q of questionsAfter) {
      expect(JSON.stringify(q.args.blocks)).toContain(`until *${deadline}*`);
      expect(buttonsOf(q).some((b) => b.action_id === 'canevas_remind')).toBe(false);
    }
  });

  it('signs up the member who presses Remind me, telling them alone', async () => {
    const pressed = await press('UBEN', `${api.url}respond/remind-ben`);
    // Acknowledged at once, with nothing for the channel: the answer follows through the response URL.
    expect(pressed.status).toBe(200);
    expect(pressed.text).toBe('');
    const [answer] = await waitFor('the answer to Ben', () => {
      const found = responses('/respond/remind-ben');
      return found.length > 0 ? found : undefined;
    });
    expect(answer?.args.response_type).toBe('ephemeral');
    expect(answer?.args.replace_original).toBe(false);
    expect(String(answer?.args.text)).toMatch(/^🔔 Noted: before each deadline/);
    expect(posts().some((c) => String(c.args.text).includes('Noted'))).toBe(false);
    expect(await signedUp()).toEqual(['UBEN']);
    expect((await command('UCHLOE', 'status', WORKSHOP)).text).toContain(
      'mentioning those who signed up (1 member)',
    );
  });

  it('refuses a press it cannot place, changing nothing', async () => {
    for (const broken of [{ channel: undefined }, { response_url: undefined }, { user: { name: 'x' } }]) {
      expect((await press('UDAN', `${api.url}respond/remind-dan`, broken)).status).toBe(400);
    }
    expect(responses('/respond/remind-dan')).toHaveLength(0);
    expect(await signedUp()).toEqual(['UBEN']);
  });

  it('takes /canevas remind-me and remind-me off, each confirmed', async () => {
    expect((await command('UCHLOE', 'remind-me', WORKSHOP)).text).toMatch(/^🔔 Noted/);
    expect((await command('UCHLOE', 'status', WORKSHOP)).text).toContain('(2 members)');
    const off = await command('UCHLOE', 'remind-me off', WORKSHOP);
    expect(off.text).toMatch(/^🔕 Done: the reminder posts will no longer mention you/);
    const maybe = await command('UCHLOE', 'remind-me maybe', WORKSHOP);
    expect(maybe.text).toMatch(/maybe/);
    expect(await signedUp()).toEqual(['UBEN']);
  });

  it('nudges before the deadline, mentioning only the member who opted in', async () => {
    const c = await workshop();
    const round = openRound(c);
    if (!round?.closesAt) throw new Error('no open round with a deadline');
    const due = reminderTime(round.openedAt, round.closesAt, reminderHoursOf(c));
    clockShift = due.getTime() + 60_000 - Date.now();
    try {
      await runtime.engine.submit(c.id, { type: 'reminder-due', roundId: round.id });
      const nudge = await waitFor('the nudge', () =>
        inWorkshop().find((p) => String(p.args.text).includes('you asked to be reminded')),
      );
      expect(String(nudge.args.text)).toContain('<@UBEN>: you asked to be reminded');
      // The mention reaches Slack as mrkdwn, so it notifies; Chloé, who opted out, is not named.
      expect(blocksOf(nudge).some((b) => b.text?.text.includes('<@UBEN>'))).toBe(true);
      expect(JSON.stringify(nudge.args)).not.toContain('UCHLOE');
    } finally {
      clockShift = 0;
    }
  });

  it('answers a press on an ended campaign’s round post that it has ended, changing nothing', async () => {
    const id = (await workshop()).id;
    await command(ADMIN, 'stop', WORKSHOP);
    expect(await runtime.store.activeId(WORKSHOP_REF)).toBeNull();
    expect((await press('UCHLOE', `${api.url}respond/remind-chloe-late`)).status).toBe(200);
    const [answer] = await waitFor('the answer to Chloé', () => {
      const found = responses('/respond/remind-chloe-late');
      return found.length > 0 ? found : undefined;
    });
    expect(answer?.args.response_type).toBe('ephemeral');
    expect(String(answer?.args.text)).toMatch(/^This campaign has ended/);
    expect((await runtime.store.get(id))?.remindMe?.map((p) => p.id)).toEqual(['UBEN']);
  });
});
