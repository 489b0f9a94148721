import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import { jeNousContract, REASON, RES, rawForm } from '../contract/je-nous.js';
import {
  blocksOf,
  buttonsOf,
  type SlackBlock,
  type SlackView,
  slackDriver,
} from '../contract/slack-driver.js';
import {
  FAKE_TEAM,
  type FakeSlackApi,
  type FakeSlackMessage,
  startFakeSlackApi,
} from '../fakes/slack-api.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/**
 * From "I" to "we" on Slack in HTTP mode, through the real Bolt app and Web API client against the fake
 * Slack API, every request signed: the shared « je → nous » contract, and what only Slack shows (Block
 * Kit blocks and action ids, modals, response URLs, its reactions' names, permalinks), with malformed
 * and forged requests refused.
 */
const DB = 30;
const SECRET = 'slack-signing-secret-je-nous';
const CHANNEL = 'C0JENOUS';
const [ADA, BEN, CHLOE] = ['UADA', 'UBEN', 'UCHLOE'];

let api: FakeSlackApi;
let runtime: Runtime;
const slack = slackDriver(
  () => runtime,
  () => api,
  { secret: SECRET, channel: CHANNEL, users: { ada: ADA, ben: BEN, chloe: CHLOE } },
);
const { driver, message, pressId, answerTo, reaction, requests } = slack;
const snapshot = driver.snapshot;
const campaign = driver.campaign;

/** Each row of the core's buttons (one actions block each), by label. */
const coreButtons = (m: FakeSlackMessage | undefined) =>
  blocksOf(m)
    .filter((b) => b.block_id?.startsWith('canevas_core_'))
    .map((b) => b.elements?.map((e) => e.text.text));
const who = (user: string) => ({
  id: user,
  name: user.toLowerCase(),
  username: user.toLowerCase(),
  team_id: FAKE_TEAM,
});

beforeAll(async () => {
  (await freshRedis(DB)).disconnect();
  api = await startFakeSlackApi();
  api.admins.add(ADA);
  api.names.set(ADA, 'Ada').set(BEN, 'Ben').set(CHLOE, 'Chloé');
  runtime = await startTestRuntime(DB, {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: `${api.url}api/`,
    // Slack's pace of one post a second per channel is Slack's to keep, not this test's to wait for.
    SLACK_PACE_MS: '0',
  });
});

afterAll(async () => {
  await runtime?.close();
  await api?.close();
});

describe('from “I” to “we” on Slack', () => {
  let firstConsent = '';
  let host = '';
  const state = jeNousContract(() => driver, {
    async support({ benAnswer, resourceQuestion }) {
      const before = await snapshot();
      // A reaction that is no support, one on the question post, one on a file, and a malformed one.
      expect((await reaction(BEN, benAnswer, 'tada')).status).toBe(200);
      expect((await reaction(CHLOE, resourceQuestion, '+1')).status).toBe(200);
      expect((await reaction(CHLOE, '', '+1', true, { type: 'file', file: 'F1' })).status).toBe(200);
      expect((await reaction(CHLOE, '', '+1', true, { type: 'message', channel: CHANNEL })).status).toBe(200);
      expect(await snapshot()).toEqual(before);
    },

    async next({ host: round2 }) {
      host = round2;
      const post = message(round2);
      expect(
        blocksOf(post)
          .filter((b) => b.type === 'actions')
          .map((b) => b.block_id),
      ).toEqual([expect.stringMatching(/^canevas_remind_/), expect.stringMatching(/^canevas_core_0_write$/)]);
      expect(coreButtons(post)).toEqual([['📝 The shared resource', '📝 Purpose', '📝 Values']]);
      for (const b of buttonsOf(post).filter((e) => e.action_id !== 'canevas_remind'))
        expect(b.action_id).toMatch(/^cv\|write\|[^|]+\|def\./);
    },

    async 'write-refused'() {
      const before = await snapshot();
      const id =
        buttonsOf(message(host)).find((b) => b.text.text === '📝 The shared resource')?.action_id ?? '';
      const pressed = await pressId(BEN, message(host), id);
      expect(await waitFor('the answer to the press', () => answerTo(pressed))).toMatch(/admin/i);
      expect(api.calls.some((c) => c.method === 'views.open' && c.args.trigger_id === pressed.trigger)).toBe(
        false,
      );
      expect(await snapshot()).toEqual(before);
    },

    async write({ forms, firstConsent: consent }) {
      firstConsent = consent;
      const view = rawForm<SlackView>(forms.write);
      expect(view.callback_id).toBe('canevas_core_form');
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
            initial_value: 'Our tools library and its know-how.\n\nA shared map of repair points.',
          },
        },
      ]);
      // Edited in place by chat.update, its buttons with it.
      const update = api.calls.filter((c) => c.method === 'chat.update' && c.args.ts === host).at(-1);
      expect(update?.result?.ok).toBe(true);
      const post = message(host);
      expect(buttonsOf(post)[0]?.action_id).toBe('canevas_remind');
      expect(coreButtons(post)).toEqual([
        ['📝 Purpose', '📝 Values'],
        [`✅ Consent${RES}`, `🟡 Concern${RES}`, `🛑 Objection${RES}`, `✏️ Revise${RES}`],
      ]);
      expect(firstConsent).toMatch(/^cv\|stance\|[^|]+\|def\.resource\|1\|consent$/);
    },

    async objection({ forms }) {
      const view = rawForm<SlackView>(forms.objection);
      expect(view.blocks.map((b) => [b.block_id, b.optional, b.element.type, b.element.multiline])).toEqual([
        ['reason', false, 'plain_text_input', true],
      ]);
      // Named as Slack names her (users.info), looked up the way answers' authors are.
      const stance = (await driver.threadReplies(host)).find((r) => r.text.includes(REASON));
      expect(stance?.text).toContain('Chloé');
      // An input left empty comes as null, and is refused as one left blank.
      const before = await snapshot();
      expect(
        await slack.submitView(CHLOE, view, { reason: { type: 'plain_text_input', value: null } }),
      ).toEqual({
        response_action: 'errors',
        errors: { reason: 'This field is needed.' },
      });
      expect(await snapshot()).toEqual(before);
    },

    async revise() {
      const consent = buttonsOf(message(host)).find((b) => b.text.text === `✅ Consent${RES}`)?.action_id;
      expect(consent).toMatch(/\|2\|consent$/);
    },

    async statement() {
      expect(coreButtons(message(host))).toEqual([
        ['📝 Values'],
        [`✅ Consent${RES}`, `🟡 Concern${RES}`, `🛑 Objection${RES}`, `✏️ Revise${RES}`],
        ['✅ Consent · Purpose', '🟡 Concern · Purpose', '🛑 Objection · Purpose', '✏️ Revise · Purpose'],
      ]);
    },

    async export({ permalink, benAnswer, resourceQuestion }) {
      const origin = new URL(api.url).origin;
      expect(permalink).toBe(
        `${origin}/archives/${CHANNEL}/p${benAnswer.replace('.', '')}?thread_ts=${resourceQuestion}&cid=${CHANNEL}`,
      );
      expect(
        (await fetch((permalink ?? '').replace(benAnswer.replace('.', ''), '1000000000000000'))).status,
      ).toBe(404);
    },

    async action({ actionQuestion = '', forms }) {
      expect(
        blocksOf(message(actionQuestion))
          .filter((b) => b.type === 'actions')
          .map((b) => b.elements?.map((e) => e.text.text)),
      ).toEqual([['✍️ Answer'], ['🎯 Propose an action']]);
      const view = rawForm<SlackView>(forms.action);
      expect(view.blocks.map((b) => [b.block_id, b.optional, b.element.type, b.element.multiline])).toEqual([
        ['what', false, 'plain_text_input', false],
        ['who', false, 'plain_text_input', false],
        ['due', false, 'datepicker', undefined],
        ['indicator', false, 'plain_text_input', false],
      ]);
    },

    async ostrom({ forms }) {
      const [first] = rawForm<SlackView>(forms.ostrom).blocks;
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
    },
  });

  it('refuses malformed and forged presses and forms, politely, changing nothing', async () => {
    const before = await snapshot();
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
    for (const payload of [withoutUrl, withoutChannel])
      expect((await requests.interaction(payload)).status).toBe(400);

    const forged = await pressId(CHLOE, message(host), 'cv|stance|nope|def.resource|1|consent');
    // A button of another campaign (its tag is not this one's) is one of an ended campaign.
    expect(await waitFor('the answer to the press', () => answerTo(forged))).toMatch(
      /^This campaign has ended/,
    );

    const view = {
      callback_id: 'canevas_core_form',
      private_metadata: JSON.stringify({ form: firstConsent, channel: CHANNEL, team: FAKE_TEAM }),
      title: { text: 'An objection' },
    };
    const send = (fields: Record<string, unknown>, values: unknown) =>
      requests.interaction({
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
        view: { blocks: SlackBlock[]; submit?: unknown };
      };
      expect(body.response_action).toBe('update');
      expect(body.view.submit).toBeUndefined();
      expect(body.view.blocks[0]?.text?.text).toMatch(said);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('takes the support back when chloé removes her 👍', async () => {
    await driver.react(CHLOE, state.benAnswer, 'support', false);
    await waitFor('the support taken back', async () => {
      const reactions = (await campaign()).answers[state.benAnswer]?.reactions ?? {};
      return !(reactions['👍'] ?? []).includes(CHLOE);
    });
    await driver.settled();
    expect(Object.values((await campaign()).answers[state.benAnswer]?.reactions ?? {}).flat()).toEqual([]);
  });
});
