import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import type { Campaign } from '../../src/facilitation/types.js';
import {
  FAKE_TEAM,
  type FakeSlackApi,
  type FakeSlackMessage,
  type SlackCall,
  signSlackRequest,
  slashCommandPayload,
  startFakeSlackApi,
} from '../fakes/slack-api.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/**
 * From "I" to "we" on Slack in HTTP mode, through the real Bolt app and Web API client against the fake
 * Slack API, every request signed: support by reaction, the shared version written from the round
 * post's button in a modal, consent, an objection with its reason, a revision, agreement, the export,
 * an action entered with a date picker, and Ostrom's principles rated with selects.
 */
const DB = 30;
const SECRET = 'slack-signing-secret-je-nous';
const CHANNEL = 'C0JENOUS';
const CHANNEL_REF = { platform: 'slack' as const, workspace: FAKE_TEAM, channel: CHANNEL };
const [ADA, BEN, CHLOE] = ['UADA', 'UBEN', 'UCHLOE'];
const RES = ' · The shared resource';

let api: FakeSlackApi;
let runtime: Runtime;
let base: string;
let counter = 0;

type Element = { type: string; action_id: string; text: { text: string }; style?: string; value?: string };
type Block = { type: string; block_id?: string; text?: { text: string }; elements?: Element[] };
type Input = {
  type: 'input';
  block_id: string;
  optional?: boolean;
  label: { text: string };
  element: Record<string, unknown> & { type: string };
};
type View = {
  callback_id: string;
  private_metadata: string;
  title: { text: string };
  submit: { text: string };
  blocks: Input[];
};

async function deliver(body: string, type: string) {
  const res = await fetch(`${base}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': type, ...signSlackRequest(SECRET, body) },
    body,
  });
  return { status: res.status, text: await res.text() };
}

const interaction = (payload: unknown) =>
  deliver(
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    'application/x-www-form-urlencoded',
  );

/** `/canevas …` as Slack sends it, with its own trigger id. */
async function slash(user: string, text: string, trigger = `trigger-command-${++counter}`) {
  const form = new URLSearchParams({
    token: 'x',
    ...slashCommandPayload({
      team: FAKE_TEAM,
      channel: CHANNEL,
      user,
      text,
      responseUrl: `${api.url}respond/c`,
    }),
    trigger_id: trigger,
  }).toString();
  return deliver(form, 'application/x-www-form-urlencoded');
}

async function command(user: string, text: string): Promise<string> {
  const res = await slash(user, text);
  expect(res.status).toBe(200);
  const body = JSON.parse(res.text) as { response_type: string; text: string };
  expect(body.response_type).toBe('ephemeral');
  return body.text;
}

function event(fields: Record<string, unknown>) {
  return deliver(
    JSON.stringify({
      token: 'x',
      team_id: FAKE_TEAM,
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: `EvJN${++counter}`,
      event_time: Math.floor(Date.now() / 1000),
      event: fields,
    }),
    'application/json',
  );
}

/** A member's reply in a question's thread: posted on Slack, then its event delivered. */
async function answer(user: string, thread: string, text: string): Promise<string> {
  const message = api.memberMessage({ channel: CHANNEL, user, text, thread_ts: thread });
  const res = await event({
    type: 'message',
    channel: CHANNEL,
    user,
    text,
    ts: message.ts,
    thread_ts: thread,
  });
  expect(res.status).toBe(200);
  return message.ts;
}

function reaction(user: string, ts: string, name: string, added = true, item?: Record<string, unknown>) {
  return event({
    type: added ? 'reaction_added' : 'reaction_removed',
    user,
    reaction: name,
    item_user: BEN,
    item: item ?? { type: 'message', channel: CHANNEL, ts },
    event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
  });
}

const who = (user: string) => ({
  id: user,
  name: user.toLowerCase(),
  username: user.toLowerCase(),
  team_id: FAKE_TEAM,
});

/** A press on a button of a message, signed as Slack signs it; its answer goes to its own response URL. */
async function press(user: string, message: FakeSlackMessage, label: string) {
  const button = buttonsOf(message).find((b) => b.text.text === label);
  if (!button) throw new Error(`no button ${label} on ${message.ts}`);
  return pressId(user, message, button.action_id);
}

async function pressId(user: string, message: FakeSlackMessage, actionId: string) {
  const n = ++counter;
  const trigger = `trigger-press-${n}`;
  const responsePath = `/respond/press-${n}`;
  const res = await interaction({
    type: 'block_actions',
    team: { id: FAKE_TEAM, domain: 'jenous' },
    user: who(user),
    api_app_id: 'A1',
    token: 'x',
    trigger_id: trigger,
    channel: { id: CHANNEL, name: 'workshop' },
    container: { type: 'message', message_ts: message.ts, channel_id: CHANNEL },
    message: { type: 'message', ts: message.ts, text: message.text },
    response_url: `${api.url}${responsePath.slice(1)}`,
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', action_ts: '1' }],
  });
  // Acknowledged at once, with nothing for the channel.
  expect([res.status, res.text]).toEqual([200, '']);
  return { trigger, responsePath };
}

/** The ephemeral answer to a press, through its response URL. */
const answerTo = async (pressed: { responsePath: string }) => {
  const call = await waitFor('the answer to the press', () =>
    api.calls.find((c) => c.method === 'response_url' && c.path === pressed.responsePath),
  );
  expect(call.args.response_type).toBe('ephemeral');
  expect(call.args.replace_original).toBe(false);
  return String(call.args.text);
};

/** The modal opened for a press or a command, with its trigger id. */
const formFor = async (trigger: string): Promise<View> => {
  const call = await waitFor('views.open', () =>
    api.calls.find((c) => c.method === 'views.open' && c.args.trigger_id === trigger),
  );
  expect(call.result?.ok).toBe(true);
  return call.args.view as View;
};

/** The modal sent back by `user` with these inputs (block id → element state). */
async function submit(user: string, view: View, inputs: Record<string, Record<string, unknown>>) {
  const res = await interaction({
    type: 'view_submission',
    team: { id: FAKE_TEAM, domain: 'jenous' },
    user: who(user),
    api_app_id: 'A1',
    token: 'x',
    trigger_id: `trigger-submit-${++counter}`,
    view: {
      id: `VSUB${counter}`,
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      title: view.title,
      state: {
        values: Object.fromEntries(Object.entries(inputs).map(([block, state]) => [block, { value: state }])),
      },
    },
  });
  expect(res.status).toBe(200);
  return res.text === '' ? undefined : (JSON.parse(res.text) as Record<string, unknown>);
}

const text = (value: string | null) => ({ type: 'plain_text_input', value });

const ephemeralTo = (user: string, pattern: RegExp) =>
  waitFor(`an ephemeral message to ${user}`, () =>
    api.calls.find(
      (c) => c.method === 'chat.postEphemeral' && c.args.user === user && pattern.test(String(c.args.text)),
    ),
  );

const posts = (): SlackCall[] => api.calls.filter((c) => c.method === 'chat.postMessage');
const blocksOf = (m: FakeSlackMessage | undefined) => (m?.blocks ?? []) as Block[];
const buttonsOf = (m: FakeSlackMessage | undefined) => blocksOf(m).flatMap((b) => b.elements ?? []);
const coreButtons = (m: FakeSlackMessage | undefined) =>
  blocksOf(m)
    .filter((b) => b.block_id?.startsWith('canevas_core_'))
    .map((b) => b.elements?.map((e) => e.text.text));
/** The message as it is on Slack now (edited in place by chat.update). */
const message = (ts: string) => {
  const found = api.channelMessages(CHANNEL).find((m) => m.ts === ts);
  if (!found) throw new Error(`no message ${ts}`);
  return found;
};
const messageWhen = (ts: string, until: (m: FakeSlackMessage) => boolean, what: string) =>
  waitFor(what, () => {
    const m = message(ts);
    return until(m) ? m : undefined;
  });
const roundPosts = () =>
  api
    .channelMessages(CHANNEL)
    .filter((m) => !m.thread_ts && buttonsOf(m).some((b) => b.action_id === 'canevas_remind'));
/** Question posts, by block id (their Answer button's block is named after it). */
const questionOf = (blockId: string) =>
  api
    .channelMessages(CHANNEL)
    .find((m) => blocksOf(m).some((b) => b.block_id === `canevas_answer_${blockId}`));

async function campaign(): Promise<Campaign> {
  const id = await runtime.store.activeId(CHANNEL_REF);
  const found = id ? await runtime.store.get(id) : null;
  if (!found) throw new Error('no campaign');
  return found;
}

/** Everything queued is applied and posted, so a comparison does not race it. */
async function settled(): Promise<void> {
  const { id } = await campaign();
  await waitFor('the campaign to settle', async () => {
    return (await runtime.lists.postsLength(id)) + (await runtime.lists.inboxLength(id)) === 0;
  });
}

/** What a refusal must leave as it was: the campaign and the channel. */
async function snapshot() {
  await settled();
  const { statements, answers, ostrom } = await campaign();
  const channel = api.channelMessages(CHANNEL).map((m) => ({ ts: m.ts, text: m.text, blocks: m.blocks }));
  return { statements, answers, ostrom, channel };
}

let round2 = '';
let benAnswer = '';
let chloeAnswer = '';
let resourceThread = '';
let firstConsent = '';
const STATEMENT_1 = 'Our tools library, and the map of where to use them.';
const STATEMENT_2 = 'Our tools library, the map of where to use them, and a way to join from afar.';
const REASON = 'It leaves out the people who cannot come to the workshop.';

beforeAll(async () => {
  (await freshRedis(DB)).disconnect();
  api = await startFakeSlackApi();
  api.admins.add(ADA);
  api.names.set(ADA, 'Ada').set(BEN, 'Ben').set(CHLOE, 'Chloé');
  runtime = await startTestRuntime(DB, {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: `${api.url}api/`,
  });
  base = `http://127.0.0.1:${runtime.port}`;
});

afterAll(async () => {
  await runtime?.close();
  await api?.close();
});

describe('from “I” to “we” on Slack', () => {
  it('counts chloé’s 👍 on ben’s answer as support, and nothing else', async () => {
    await command(ADA, 'start lang:en');
    const question = await waitFor('round 1 and its first question', async () => {
      const q = questionOf('def.resource');
      const threads = await runtime.engine.openThreads('slack');
      return q && roundPosts().length === 1 && threads.some((t) => t.threadRef === q.ts) ? q : undefined;
    });
    resourceThread = question.ts;
    benAnswer = await answer(BEN, resourceThread, 'Our tools library and its know-how.');
    chloeAnswer = await answer(CHLOE, resourceThread, 'A shared map of repair points.');
    await waitFor('both answers', async () => Object.keys((await campaign()).answers).length === 2);

    expect((await reaction(CHLOE, benAnswer, '+1::skin-tone-3')).status).toBe(200);
    await waitFor('the support in the store', async () => (await campaign()).answers[benAnswer]?.reactions);
    await settled();
    expect((await campaign()).answers[benAnswer]?.reactions).toEqual({ '👍': [CHLOE] });

    const before = await snapshot();
    // A reaction that is no support, one on the question post, one on a file, and a malformed one.
    expect((await reaction(BEN, benAnswer, 'tada')).status).toBe(200);
    expect((await reaction(CHLOE, resourceThread, '+1')).status).toBe(200);
    expect((await reaction(CHLOE, '', '+1', true, { type: 'file', file: 'F1' })).status).toBe(200);
    expect((await reaction(CHLOE, '', '+1', true, { type: 'message', channel: CHANNEL })).status).toBe(200);
    expect(await snapshot()).toEqual(before);
  });

  it('`next` puts a 📝 button per block of the round before on the next round post, after Remind me', async () => {
    await command(ADA, 'next');
    const post = await waitFor('round 2', () => roundPosts()[1]);
    round2 = post.ts;
    expect(
      blocksOf(post)
        .filter((b) => b.type === 'actions')
        .map((b) => b.block_id),
    ).toEqual([expect.stringMatching(/^canevas_remind_/), expect.stringMatching(/^canevas_core_0_write$/)]);
    expect(coreButtons(post)).toEqual([['📝 The shared resource', '📝 Purpose', '📝 Values']]);
    for (const b of buttonsOf(post).filter((e) => e.action_id !== 'canevas_remind'))
      expect(b.action_id).toMatch(/^cv\|write\|[^|]+\|def\./);
  });

  it('refuses 📝 to a member, telling him alone, changing nothing', async () => {
    const before = await snapshot();
    const pressed = await press(BEN, message(round2), '📝 The shared resource');
    expect(await answerTo(pressed)).toMatch(/admin/i);
    expect(api.calls.some((c) => c.method === 'views.open' && c.args.trigger_id === pressed.trigger)).toBe(
      false,
    );
    expect(await snapshot()).toEqual(before);
  });

  it('opens the statement modal for ada, filled with the answers most supported first, and edits the round post', async () => {
    const pressed = await press(ADA, message(round2), '📝 The shared resource');
    const view = await formFor(pressed.trigger);
    expect(view.callback_id).toBe('canevas_core_form');
    expect(view.title.text).toBe('Shared version');
    expect(view.submit.text).toBe('Send');
    expect(view.blocks).toEqual([
      {
        type: 'input',
        block_id: 'text',
        optional: false,
        label: { type: 'plain_text', text: 'The shared resource · The text to agree on', emoji: true },
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          multiline: true,
          max_length: 3000,
          // Chloé answered after Ben, but she supports his answer.
          initial_value: 'Our tools library and its know-how.\n\nA shared map of repair points.',
        },
      },
    ]);

    // Accepted: the modal closes (an empty answer) and ada alone is told, in the channel.
    expect(await submit(ADA, view, { text: text(STATEMENT_1) })).toBeUndefined();
    const told = await ephemeralTo(ADA, /posted for consent/);
    expect(told.args.channel).toBe(CHANNEL);

    // One post, not two: the round post is edited in place, its buttons with it.
    const host = await messageWhen(
      round2,
      (m) => m.text.includes(STATEMENT_1),
      'the statement in the round post',
    );
    const update = api.calls.filter((c) => c.method === 'chat.update' && c.args.ts === round2).at(-1);
    expect(update?.result?.ok).toBe(true);
    expect(host.text).toContain('✅ 0 · 🟡 0 · 🛑 0');
    expect(buttonsOf(host)[0]?.action_id).toBe('canevas_remind');
    expect(coreButtons(host)).toEqual([
      ['📝 Purpose', '📝 Values'],
      [`✅ Consent${RES}`, `🟡 Concern${RES}`, `🛑 Objection${RES}`, `✏️ Revise${RES}`],
    ]);
    expect(buttonsOf(host).find((b) => b.text.text === `✅ Consent${RES}`)?.style).toBe('primary');
    firstConsent = buttonsOf(host).find((b) => b.text.text === `✅ Consent${RES}`)?.action_id ?? '';
    expect(firstConsent).toMatch(/^cv\|stance\|[^|]+\|def\.resource\|1\|consent$/);
  });

  it('takes ben’s consent, and chloé’s objection only with its reason, posted in the round post’s thread', async () => {
    const consented = await press(BEN, message(round2), `✅ Consent${RES}`);
    expect(await answerTo(consented)).toMatch(/consent/i);
    await messageWhen(round2, (m) => m.text.includes('✅ 1 · 🟡 0 · 🛑 0'), 'ben’s consent counted');

    const pressed = await press(CHLOE, message(round2), `🛑 Objection${RES}`);
    const view = await formFor(pressed.trigger);
    expect(view.title.text).toBe('An objection');
    expect(view.blocks.map((b) => [b.block_id, b.optional, b.element.type, b.element.multiline])).toEqual([
      ['reason', false, 'plain_text_input', true],
    ]);

    const before = await snapshot();
    expect(await submit(CHLOE, view, { reason: text('   ') })).toEqual({
      response_action: 'errors',
      errors: { reason: 'This field is needed.' },
    });
    expect(await submit(CHLOE, view, { reason: text(null) })).toEqual({
      response_action: 'errors',
      errors: { reason: 'This field is needed.' },
    });
    expect(await snapshot()).toEqual(before);

    expect(await submit(CHLOE, view, { reason: text(REASON) })).toBeUndefined();
    await ephemeralTo(CHLOE, /objection/i);
    const objected = await messageWhen(round2, (m) => m.text.includes('*objected*'), 'the objection shown');
    expect(objected.text).toContain('✅ 1 · 🟡 0 · 🛑 1');
    const stance = await waitFor('the reason in the round post’s thread', () =>
      posts().find((c) => c.args.thread_ts === round2 && String(c.args.text).includes(REASON)),
    );
    // Named as Slack names her (users.info), looked up the way answers' authors are.
    expect(String(stance.args.text)).toContain('Chloé');
  });

  it('refuses Revise to ben; ada’s revision edits the post with fresh stance buttons, until both consent', async () => {
    const before = await snapshot();
    const refused = await press(BEN, message(round2), `✏️ Revise${RES}`);
    expect(await answerTo(refused)).toMatch(/admin/i);
    expect(await snapshot()).toEqual(before);

    const pressed = await press(ADA, message(round2), `✏️ Revise${RES}`);
    const view = await formFor(pressed.trigger);
    expect(view.blocks[0]?.element.initial_value).toBe(STATEMENT_1);
    expect(await submit(ADA, view, { text: text(STATEMENT_2) })).toBeUndefined();
    await ephemeralTo(ADA, /Version 2/);
    const revised = await messageWhen(round2, (m) => m.text.includes('(version 2)'), 'version 2');
    expect(revised.text).toContain(STATEMENT_2);
    expect(revised.text).toContain('✅ 0 · 🟡 0 · 🛑 0');
    const consent = buttonsOf(revised).find((b) => b.text.text === `✅ Consent${RES}`)?.action_id;
    expect(consent).toMatch(/\|2\|consent$/);

    for (const user of [BEN, CHLOE]) {
      expect(await answerTo(await press(user, message(round2), `✅ Consent${RES}`))).toMatch(/consent/i);
    }
    const agreed = await messageWhen(round2, (m) => m.text.includes('*agreed*'), 'the statement agreed');
    expect(agreed.text).toContain('✅ 2 · 🟡 0 · 🛑 0');
    const statement = (await campaign()).statements?.['def.resource'];
    expect(statement?.versions.map((v) => v.stances.map((s) => [s.author.id, s.stance]))).toEqual([
      [
        [BEN, 'consent'],
        [CHLOE, 'objection'],
      ],
      [
        [BEN, 'consent'],
        [CHLOE, 'consent'],
      ],
    ]);
  });

  it('refuses a stance on version 1, pressed on an old copy of the post, changing nothing', async () => {
    const before = await snapshot();
    const late = await pressId(CHLOE, message(round2), firstConsent);
    expect(await answerTo(late)).toMatch(/revised/i);
    expect(await snapshot()).toEqual(before);
  });

  it('opens the statement form from `/canevas statement` with the command’s trigger id', async () => {
    const refused = await command(BEN, 'statement block:def.purpose');
    expect(refused).toMatch(/admin/i);

    const typed = await slash(ADA, 'statement block:def.purpose', 'trigger-statement');
    // The form takes the place of the text: nothing else is shown.
    expect([typed.status, typed.text]).toEqual([200, '']);
    const view = await formFor('trigger-statement');
    expect(view.blocks.map((b) => [b.block_id, b.label.text])).toEqual([
      ['text', 'Purpose · The text to agree on'],
    ]);
    expect(await submit(ADA, view, { text: text('Repair rather than throw away.') })).toBeUndefined();
    const host = await messageWhen(
      round2,
      (m) => m.text.includes('Repair rather than throw away.'),
      'Purpose',
    );
    expect(coreButtons(host)).toEqual([
      ['📝 Values'],
      [`✅ Consent${RES}`, `🟡 Concern${RES}`, `🛑 Objection${RES}`, `✏️ Revise${RES}`],
      ['✅ Consent · Purpose', '🟡 Concern · Purpose', '🛑 Objection · Purpose', '✏️ Revise · Purpose'],
    ]);
  });

  it('exports the agreed text, both versions, the stances with the reason, the support and working permalinks', async () => {
    await settled();
    await command(ADA, 'export json');
    const asked = await waitFor('the json export', () =>
      api.calls.find(
        (c) => c.method === 'files.getUploadURLExternal' && /\.json$/.test(String(c.args.filename)),
      ),
    );
    const data = await waitFor('its bytes', () => api.uploads.get(String(asked.result?.file_id)));
    type Exported = {
      fiches: {
        blocks: {
          id: string;
          statement: {
            text: string;
            status: string;
            versions: {
              text: string;
              stances: { author: { id: string }; stance: string; reason?: string }[];
            }[];
            stances: { author: { id: string }; stance: string }[];
          };
          answers: { id: string; support: { agree: number; disagree: number }; permalink: string | null }[];
        }[];
      }[];
    };
    const exported = JSON.parse(data.toString('utf8')) as Exported;
    const block = exported.fiches.flatMap((f) => f.blocks).find((b) => b.id === 'def.resource');
    expect(block?.statement.text).toBe(STATEMENT_2);
    expect(block?.statement.status).toBe('agreed');
    expect(block?.statement.versions.map((v) => v.text)).toEqual([STATEMENT_1, STATEMENT_2]);
    expect(block?.statement.versions[0]?.stances).toContainEqual(
      expect.objectContaining({
        author: expect.objectContaining({ id: CHLOE }),
        stance: 'objection',
        reason: REASON,
      }),
    );
    expect(block?.statement.stances.map((s) => [s.author.id, s.stance])).toEqual([
      [BEN, 'consent'],
      [CHLOE, 'consent'],
    ]);
    // Ben's answer first, supported by Chloé's 👍.
    expect(block?.answers.map((a) => [a.id, a.support])).toEqual([
      [benAnswer, { agree: 1, disagree: 0 }],
      [chloeAnswer, { agree: 0, disagree: 0 }],
    ]);
    const origin = new URL(api.url).origin;
    const link = block?.answers[0]?.permalink ?? '';
    expect(link).toBe(
      `${origin}/archives/${CHANNEL}/p${benAnswer.replace('.', '')}?thread_ts=${resourceThread}&cid=${CHANNEL}`,
    );
    // The link opens Ben's answer in its thread (the fake serves permalinks as Slack does).
    const opened = await fetch(link);
    expect(opened.status).toBe(200);
    expect(((await opened.json()) as { ts: string }).ts).toBe(benAnswer);
    expect((await fetch(link.replace(benAnswer.replace('.', ''), '1000000000000000'))).status).toBe(404);

    await command(ADA, 'export md');
    const md = await waitFor('the markdown export', () => {
      const call = api.calls.find(
        (c) => c.method === 'files.getUploadURLExternal' && /\.md$/.test(String(c.args.filename)),
      );
      return call && api.uploads.get(String(call.result?.file_id))?.toString('utf8');
    });
    // The agreed text first (the Markdown states the latest version; the JSON keeps them all), then
    // the answers with their links.
    expect(md.indexOf(STATEMENT_2)).toBeGreaterThanOrEqual(0);
    expect(md.indexOf(STATEMENT_2)).toBeLessThan(md.indexOf('Our tools library and its know-how.'));
    expect(md).toContain('(version 2)');
    expect(md).toContain(link);
  });

  // Six rounds' posts at Slack's pace of one a second per channel: longer than the default limit.
  it('records an action entered with its form, the date from the date picker', async () => {
    let question: FakeSlackMessage | undefined;
    for (let round = 3; round <= 8 && !question; round++) {
      await command(ADA, 'next');
      await waitFor(`round ${round}`, () => roundPosts().length === round);
      await settled();
      question = questionOf('prj.act_gov');
    }
    if (!question) throw new Error('no action block was asked');
    expect(
      blocksOf(question)
        .filter((b) => b.type === 'actions')
        .map((b) => b.elements?.map((e) => e.text.text)),
    ).toEqual([['✍️ Answer'], ['🎯 Propose an action']]);
    const pressed = await press(BEN, question, '🎯 Propose an action');
    const view = await formFor(pressed.trigger);
    expect(view.title.text).toBe('An action');
    expect(view.blocks.map((b) => [b.block_id, b.optional, b.element.type, b.element.multiline])).toEqual([
      ['what', false, 'plain_text_input', false],
      ['who', false, 'plain_text_input', false],
      ['due', false, 'datepicker', undefined],
      ['indicator', false, 'plain_text_input', false],
    ]);
    const inputs = {
      what: text('Write the charter of the tools library'),
      who: text('Ben and Chloé'),
      due: { type: 'datepicker', selected_date: '2027-03-31' },
      indicator: text('The charter is signed at the assembly'),
    };
    const before = await snapshot();
    expect(await submit(BEN, view, { ...inputs, what: text(null) })).toEqual({
      response_action: 'errors',
      errors: { what: 'This field is needed.' },
    });
    expect(await snapshot()).toEqual(before);

    expect(await submit(BEN, view, inputs)).toBeUndefined();
    await ephemeralTo(BEN, /Write the charter/);
    await settled();
    const actions = Object.values((await campaign()).answers).filter((a) => a.blockId === 'prj.act_gov');
    expect(actions.map((a) => [a.author.id, a.text])).toEqual([
      [
        BEN,
        'Write the charter of the tools library — Ben and Chloé — 2027-03-31 — The charter is signed at the assembly',
      ],
    ]);
  }, 90_000);

  it('puts the action to consent in its question’s thread; two consents agree it', async () => {
    const question = questionOf('prj.act_gov');
    const post = await waitFor('the action’s consent post', () =>
      api
        .channelMessages(CHANNEL)
        .find((m) => m.thread_ts === question?.ts && buttonsOf(m).some((b) => b.text.text === '✅ Consent')),
    );
    expect(post.text).toContain('Action proposed by Ben');
    expect(buttonsOf(post).map((b) => b.text.text)).toEqual(['✅ Consent', '🟡 Concern', '🛑 Objection']);
    for (const user of [CHLOE, ADA])
      expect(await answerTo(await press(user, post, '✅ Consent'))).toMatch(
        /^✅ Your consent to the action “Write the charter/,
      );
    const agreed = await messageWhen(post.ts, (m) => m.text.includes('*agreed*'), 'the action agreed');
    expect(agreed.text).toContain('✅ 2 · 🟡 0 · 🛑 0');
    const c = await campaign();
    const [answerId] = Object.keys(c.actionConsents ?? {});
    expect(c.actionPostRefs?.[answerId ?? '']).toBe(post.ts);
  });

  it('rates Ostrom’s principles with the selects of the last round’s 📊 form', async () => {
    await command(ADA, 'next');
    const last = await waitFor('round 9', () => roundPosts()[8]);
    const pressed = await press(CHLOE, last, '📊 Ostrom’s principles (1/2)');
    const view = await formFor(pressed.trigger);
    expect(view.title.text).toBe('Ostrom’s principles 1/2');
    const [first] = view.blocks;
    expect(first?.block_id).toBe('boundaries');
    expect(first?.optional).toBe(true);
    expect(first?.element).toEqual({
      type: 'static_select',
      action_id: 'value',
      options: [
        { text: { type: 'plain_text', text: 'In place', emoji: true }, value: 'in-place' },
        { text: { type: 'plain_text', text: 'Partly', emoji: true }, value: 'partly' },
        { text: { type: 'plain_text', text: 'Not yet', emoji: true }, value: 'not-yet' },
        { text: { type: 'plain_text', text: 'Don’t know', emoji: true }, value: 'unknown' },
      ],
    });
    const unpicked = Object.fromEntries(
      view.blocks.map((b) => [b.block_id, { type: 'static_select', selected_option: null }]),
    );
    const picked = {
      ...unpicked,
      boundaries: { type: 'static_select', selected_option: { value: 'partly' } },
    };
    expect(await submit(CHLOE, view, picked)).toBeUndefined();
    await waitFor(
      'the rating',
      async () => (await campaign()).ostrom?.[CHLOE]?.ratings?.boundaries === 'partly',
    );
    expect((await campaign()).ostrom?.[CHLOE]?.ratings).toEqual({ boundaries: 'partly' });
  });

  it('refuses malformed and forged presses and forms, politely, changing nothing', async () => {
    const before = await snapshot();
    const host = message(round2);
    const click = {
      type: 'block_actions',
      team: { id: FAKE_TEAM },
      user: who(CHLOE),
      trigger_id: 'trigger-bad',
      channel: { id: CHANNEL },
      response_url: `${api.url}respond/bad`,
      actions: [{ type: 'button', action_id: firstConsent, block_id: 'b', action_ts: '1' }],
    };
    const { response_url: _url, ...withoutUrl } = click;
    const { channel: _channel, ...withoutChannel } = click;
    for (const payload of [withoutUrl, withoutChannel]) expect((await interaction(payload)).status).toBe(400);

    const forged = await pressId(CHLOE, host, 'cv|stance|nope|def.resource|1|consent');
    // A button of another campaign (its tag is not this one's) is one of an ended campaign.
    expect(await answerTo(forged)).toMatch(/^This campaign has ended/);

    const view = {
      callback_id: 'canevas_core_form',
      private_metadata: JSON.stringify({ form: firstConsent, channel: CHANNEL, team: FAKE_TEAM }),
      title: { text: 'An objection' },
    };
    const send = (fields: Record<string, unknown>, values: unknown) =>
      interaction({
        type: 'view_submission',
        team: { id: FAKE_TEAM },
        user: who(CHLOE),
        view: { id: 'VBAD', type: 'modal', ...view, ...fields, state: { values } },
      });
    expect((await send({}, { reason: { value: { type: 'plain_text_input', value: 42 } } })).status).toBe(400);
    // Refusals the member cannot fix in the form replace it with the reason, and only a Close button.
    for (const [fields, said] of [
      [{ private_metadata: 'not json' }, /^This form can no longer be sent/],
      [
        {
          private_metadata: JSON.stringify({
            form: 'cv|stance|nope|def.resource|1|objection',
            channel: CHANNEL,
            team: FAKE_TEAM,
          }),
        },
        /^This campaign has ended/,
      ],
    ] as const) {
      const res = await send(fields, { reason: { value: { type: 'plain_text_input', value: REASON } } });
      expect(res.status).toBe(200);
      const body = JSON.parse(res.text) as {
        response_action: string;
        view: { blocks: Block[]; submit?: unknown };
      };
      expect(body.response_action).toBe('update');
      expect(body.view.submit).toBeUndefined();
      expect(body.view.blocks[0]?.text?.text).toMatch(said);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('takes the support back when chloé removes her 👍', async () => {
    expect((await reaction(CHLOE, benAnswer, '+1::skin-tone-3', false)).status).toBe(200);
    await waitFor('the support taken back', async () => {
      const reactions = (await campaign()).answers[benAnswer]?.reactions ?? {};
      return !(reactions['👍'] ?? []).includes(CHLOE);
    });
    await settled();
    expect(Object.values((await campaign()).answers[benAnswer]?.reactions ?? {}).flat()).toEqual([]);
  });
});
