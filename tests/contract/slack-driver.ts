import { expect } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import { FAKE_TEAM, type FakeSlackApi, type FakeSlackMessage } from '../fakes/slack-api.js';
import { activeCampaign } from '../helpers/runtime.js';
import { slackRequests } from '../helpers/slack-requests.js';
import { waitFor } from '../helpers/wait.js';
import type { ContractField, ContractForm, ContractPost, JeNousDriver, Outcome } from './je-nous-driver.js';

export type SlackElement = {
  type: string;
  action_id: string;
  text: { text: string };
  style?: string;
  value?: string;
};
export type SlackBlock = {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: SlackElement[];
};
export type SlackInput = {
  type: 'input';
  block_id: string;
  optional?: boolean;
  label: { text: string };
  element: Record<string, unknown> & { type: string };
};
export type SlackView = {
  callback_id: string;
  private_metadata: string;
  title: { text: string };
  submit: { text: string };
  blocks: SlackInput[];
};

export const blocksOf = (m: FakeSlackMessage | undefined) => (m?.blocks ?? []) as SlackBlock[];
export const buttonsOf = (m: FakeSlackMessage | undefined) => blocksOf(m).flatMap((b) => b.elements ?? []);

const KINDS: Record<string, ContractField['kind']> = {
  datepicker: 'date',
  static_select: 'select',
};

/**
 * Slack in HTTP mode, through the real Bolt app and Web API client against the fake Slack API, every
 * request signed: commands and presses answered ephemerally (a press through its response URL),
 * forms as modals opened with the trigger id, sent back as view submissions.
 */
export function slackDriver(
  runtime: () => Runtime,
  api: () => FakeSlackApi,
  options: { secret: string; channel: string; users: JeNousDriver['users'] },
) {
  const { channel, users } = options;
  const ref = { platform: 'slack' as const, workspace: FAKE_TEAM, channel };
  const requests = slackRequests({
    base: () => `http://127.0.0.1:${runtime().port}`,
    secret: options.secret,
    channel,
    responseUrl: () => `${api().url}respond/c`,
  });
  let counter = 0;
  const campaign = () => activeCampaign(runtime(), ref);
  const settled = async () => {
    const { id } = await campaign();
    await waitFor('the campaign to settle', async () => {
      return (await runtime().lists.postsLength(id)) + (await runtime().lists.inboxLength(id)) === 0;
    });
  };
  const messages = () => api().channelMessages(channel);
  /** The message as it is on Slack now (edited in place by chat.update). */
  const message = (ts: string) => {
    const found = messages().find((m) => m.ts === ts);
    if (!found) throw new Error(`no message ${ts}`);
    return found;
  };
  const roundPosts = () =>
    messages().filter((m) => !m.thread_ts && buttonsOf(m).some((b) => b.action_id === 'canevas_remind'));
  const toPost = (m: FakeSlackMessage): ContractPost => ({
    id: m.ts,
    text: m.text,
    buttons: buttonsOf(m)
      .filter((b) => b.action_id.startsWith('cv|'))
      .map((b) => ({ id: b.action_id, label: b.text.text, primary: b.style === 'primary' })),
    raw: m,
  });
  const toForm = (view: SlackView): ContractForm => ({
    id: view.private_metadata,
    title: view.title.text,
    fields: view.blocks.map((b) => {
      const e = b.element as {
        type: string;
        multiline?: boolean;
        max_length?: number;
        initial_value?: string;
        options?: { value: string }[];
      };
      return {
        id: b.block_id,
        label: b.label.text,
        kind: KINDS[e.type] ?? (e.multiline ? 'long-text' : 'text'),
        required: b.optional !== true,
        ...(e.initial_value !== undefined ? { value: e.initial_value } : {}),
        ...(e.max_length !== undefined ? { maxLength: e.max_length } : {}),
        ...(e.options ? { options: e.options.map((o) => o.value) } : {}),
      };
    }),
    raw: view,
  });
  /** The modal opened with this trigger id, once it is open. */
  const viewOpened = (trigger: string) => {
    const call = api().calls.find((c) => c.method === 'views.open' && c.args.trigger_id === trigger);
    if (!call) return undefined;
    expect(call.result?.ok).toBe(true);
    return toForm(call.args.view as SlackView);
  };
  const who = (user: string) => ({
    id: user,
    name: user.toLowerCase(),
    username: user.toLowerCase(),
    team_id: FAKE_TEAM,
  });

  /** Who an interaction payload comes from, and through which app. */
  const from = (user: string) => ({
    team: { id: FAKE_TEAM, domain: 'jenous' },
    user: who(user),
    api_app_id: 'A1',
    token: 'x',
  });

  /** A press on a button of a message, signed as Slack signs it; its answer goes to its own response URL. */
  async function pressId(user: string, post: FakeSlackMessage, actionId: string) {
    const n = ++counter;
    const trigger = `trigger-press-${n}`;
    const responsePath = `/respond/press-${n}`;
    const res = await requests.interaction({
      type: 'block_actions',
      ...from(user),
      trigger_id: trigger,
      channel: { id: channel, name: 'workshop' },
      container: { type: 'message', message_ts: post.ts, channel_id: channel },
      message: { type: 'message', ts: post.ts, text: post.text },
      response_url: `${api().url}${responsePath.slice(1)}`,
      actions: [{ type: 'button', action_id: actionId, block_id: 'b', action_ts: '1' }],
    });
    // Acknowledged at once, with nothing for the channel.
    expect([res.status, res.text]).toEqual([200, '']);
    return { trigger, responsePath };
  }

  /** The ephemeral answer to a press, through its response URL. */
  const answerTo = (pressed: { responsePath: string }) => {
    const call = api().calls.find((c) => c.method === 'response_url' && c.path === pressed.responsePath);
    if (!call) return undefined;
    expect(call.args.response_type).toBe('ephemeral');
    expect(call.args.replace_original).toBe(false);
    return String(call.args.text);
  };

  /** The modal sent back by `user` with these inputs (block id → element state). */
  async function submitView(user: string, view: SlackView, inputs: Record<string, Record<string, unknown>>) {
    const res = await requests.interaction({
      type: 'view_submission',
      ...from(user),
      trigger_id: `trigger-submit-${++counter}`,
      view: {
        id: `VSUB${counter}`,
        type: 'modal',
        callback_id: view.callback_id,
        private_metadata: view.private_metadata,
        title: view.title,
        state: {
          values: Object.fromEntries(
            Object.entries(inputs).map(([block, state]) => [block, { value: state }]),
          ),
        },
      },
    });
    expect(res.status).toBe(200);
    return res.text === '' ? undefined : (JSON.parse(res.text) as Record<string, unknown>);
  }

  /** What Slack sends for a field of the modal: text as typed (null when empty), a date, an option. */
  const inputOf = (input: SlackInput, value: string | undefined): Record<string, unknown> => {
    const empty = value === undefined || value === '';
    if (input.element.type === 'datepicker')
      return { type: 'datepicker', selected_date: empty ? null : value };
    if (input.element.type === 'static_select')
      return { type: 'static_select', selected_option: empty ? null : { value } };
    return { type: 'plain_text_input', value: empty ? null : value };
  };

  /** The first ephemeral message to `user` since the `since`-th call. */
  const ephemeralSince = (user: string, since: number) =>
    waitFor(`an ephemeral message to ${user}`, () =>
      api()
        .calls.slice(since)
        .find((c) => c.method === 'chat.postEphemeral' && c.args.user === user),
    );

  const driver: JeNousDriver = {
    users,
    async start() {
      await requests.command(users.ada, 'start lang:en');
      await driver.roundPost(1, 3);
      // The core knows round 1's threads, so answers in them are taken.
      await waitFor('round 1’s threads', async () => {
        const threads = await runtime().engine.openThreads('slack');
        const questions = (await campaign()).questions.filter((q) => q.postRef);
        return questions.every((q) => threads.some((t) => t.threadRef === q.postRef));
      });
    },
    async command(user, words) {
      const trigger = `trigger-command-${++counter}`;
      const res = await requests.slash(user, words, { trigger });
      expect(res.status).toBe(200);
      // A form takes the place of the text: nothing else is shown.
      if (res.text === '') return { form: await waitFor('views.open', () => viewOpened(trigger)) };
      const body = JSON.parse(res.text) as { response_type: string; text: string };
      expect(body.response_type).toBe('ephemeral');
      return { reply: body.text };
    },
    async answer(user, thread, text) {
      const posted = api().memberMessage({ channel, user, text, thread_ts: thread });
      const res = await requests.event({
        type: 'message',
        channel,
        user,
        text,
        ts: posted.ts,
        thread_ts: thread,
      });
      expect(res.status).toBe(200);
      return posted.ts;
    },
    async react(user, ts, emoji, on = true) {
      const res = await reaction(user, ts, emoji === 'support' ? '+1::skin-tone-3' : 'tada', on);
      expect(res.status).toBe(200);
    },
    async press(user, post, button): Promise<Outcome> {
      const pressed = await pressId(user, message(post), button);
      return waitFor('the answer to the press', (): Outcome | undefined => {
        const form = viewOpened(pressed.trigger);
        if (form) return { form };
        const said = answerTo(pressed);
        return said === undefined ? undefined : { reply: said };
      });
    },
    async submit(user, form, values) {
      const view = form.raw as SlackView;
      const since = api().calls.length;
      const inputs = Object.fromEntries(view.blocks.map((b) => [b.block_id, inputOf(b, values[b.block_id])]));
      const answer = await submitView(user, view, inputs);
      if (answer?.response_action === 'errors')
        return { accepted: false, errors: answer.errors as Record<string, string> };
      // Accepted: the modal closes (an empty answer) and the sender alone is told, in the channel.
      expect(answer).toBeUndefined();
      const told = await ephemeralSince(user, since);
      expect(told.args.channel).toBe(channel);
      return { accepted: true, reply: String(told.args.text) };
    },
    roundPost: (n, questions) =>
      waitFor(`round ${n}`, async () => {
        const round = roundPosts()[n - 1];
        if (!round) return undefined;
        const at = messages().indexOf(round);
        const asked = (await campaign()).questions.filter(
          (q) => messages().findIndex((m) => m.ts === q.postRef) > at,
        );
        return asked.length >= questions ? toPost(round) : undefined;
      }),
    post: async (ts) => toPost(message(ts)),
    threadReplies: async (ts) =>
      messages()
        .filter((m) => m.thread_ts === ts && m.ts !== ts)
        .map(toPost),
    exported: (format, nth) =>
      waitFor(`export ${nth} of ${format}`, () => {
        const call = api()
          .calls.filter(
            (c) =>
              c.method === 'files.getUploadURLExternal' && String(c.args.filename).endsWith(`.${format}`),
          )
          .at(nth - 1);
        return call && api().uploads.get(String(call.result?.file_id))?.toString('utf8');
      }),
    async openPermalink(link, answer) {
      // The fake serves permalinks as Slack does: the message, in its thread.
      const opened = await fetch(link);
      expect(opened.status).toBe(200);
      expect(((await opened.json()) as { ts: string }).ts).toBe(answer);
    },
    campaign,
    settled,
    async snapshot() {
      await settled();
      const { statements, answers, ostrom, actionConsents, progressPostRef } = await campaign();
      // The living progress post is edited on its own schedule (a delayed job, not in the outbox the
      // settling waits for): it is not what a refusal could change.
      const shown = messages()
        .filter((m) => m.ts !== progressPostRef)
        .map((m) => ({ ts: m.ts, text: m.text, blocks: m.blocks }));
      return { statements, answers, ostrom, actionConsents, channel: shown };
    },
  };

  function reaction(user: string, ts: string, name: string, added = true, item?: Record<string, unknown>) {
    return requests.event({
      type: added ? 'reaction_added' : 'reaction_removed',
      user,
      reaction: name,
      item_user: users.ben,
      item: item ?? { type: 'message', channel, ts },
      event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
    });
  }

  return {
    driver,
    requests,
    message,
    messages,
    roundPosts,
    pressId,
    answerTo,
    submitView,
    reaction,
    viewOpened,
  };
}
