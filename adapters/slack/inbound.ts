import type { App } from '@slack/bolt';
import {
  type Actor,
  answerFormWords,
  type EphemeralReply,
  parseCommand,
  REMIND_ME_COMMAND,
} from '../../src/index.js';
import { ANSWER_ACTION_ID, REMIND_ACTION_ID } from './blocks.js';
import { openCoreForm, registerCoreActions } from './core-actions.js';
import { type LifecycleDeps, registerLifecycle } from './lifecycle.js';
import {
  channelRef,
  jsonOrNull,
  listenerContext,
  type SlackInboundDeps,
  within,
} from './listener-context.js';
import { botIsMember, notInChannelText } from './membership.js';
import {
  answerClickPayload,
  answerFormMeta,
  commandPayload,
  parseMessageEvent,
  parsePayload,
  remindClickPayload,
  type SlackMessage,
  viewSubmissionPayload,
} from './payloads.js';
import { registerReactions } from './reactions.js';

export type { SlackInboundDeps } from './listener-context.js';

export const ANSWER_MODAL_ID = 'canevas_answer_modal';
const ANSWER_BLOCK = 'answer';
const ANSWER_INPUT = 'text';
/** Ack a slash command by then at the latest; a slower reply follows through `respond`. */
const COMMAND_ACK_MS = 2_000;

const isReply = (m: SlackMessage): m is SlackMessage & { thread_ts: string } =>
  Boolean(m.thread_ts && m.thread_ts !== m.ts);

/**
 * `help`, `status` and a mistyped command answer anyone the same: the person need not be looked up
 * (users.info, or its cache in Redis) before the reply, the ack Slack waits for.
 */
function answersAnyone(text: string): boolean {
  const parsed = parseCommand(text);
  return 'error' in parsed || parsed.name === 'help' || parsed.name === 'status';
}

/** Who typed the command, as the payload says, with no right to drive a campaign. */
const asTyped = (user: string, name?: string): Actor => ({ id: user, name: name || user, isAdmin: false });

const isStart = (text: string) => {
  const parsed = parseCommand(text);
  return 'name' in parsed && parsed.name === 'start';
};

const fromBot = (m: SlackMessage) => Boolean(m.bot_id) || m.subtype === 'bot_message';

/**
 * Wires Bolt listeners to the core: the command, thread replies, edits, deletes, the Answer and
 * Remind-me buttons and the Answer form; the core's buttons and forms (core-actions.ts); reactions;
 * uninstalls and the Home tab (lifecycle.ts).
 */
export function registerListeners(app: App, deps: SlackInboundDeps & LifecycleDeps): void {
  const ctx = listenerContext(deps);
  const { core, person, actor, read } = ctx;

  app.command('/canevas', async ({ command: raw, ack, respond, client, context }) => {
    const command = read(parsePayload(commandPayload, raw), 'slash command');
    if (!command) {
      await ack();
      return;
    }
    const channel = channelRef(command.team_id, command.channel_id);
    const work = (async (): Promise<EphemeralReply> => {
      // A campaign in a channel the bot is not in would never see an answer: it is not started.
      if (isStart(command.text) && !(await botIsMember(client, command.channel_id, ctx.logger)))
        return { ok: false, text: notInChannelText(context.botUserId) };
      return core().command({
        channel,
        actor: answersAnyone(command.text)
          ? asTyped(command.user_id, command.user_name)
          : await actor(client, command.team_id, command.user_id, command.user_name),
        text: command.text,
      });
    })();
    // `statement` answers with a form: it opens for the one who typed, in place of the text.
    const openForm = (reply: EphemeralReply) =>
      reply.ok && reply.form && command.trigger_id
        ? openCoreForm(ctx, client, command.trigger_id, reply.form, channel)
        : Promise.resolve(false);
    const quick = await within(work, COMMAND_ACK_MS);
    if (quick?.ok && quick.form && command.trigger_id) {
      await ack();
      if (!(await openForm(quick))) await respond({ response_type: 'ephemeral', text: quick.text });
      return;
    }
    if (quick) {
      await ack({ response_type: 'ephemeral', text: quick.text });
      return;
    }
    await ack({ response_type: 'ephemeral', text: '⏳' });
    const reply = await work;
    if (await openForm(reply)) return;
    await respond({ response_type: 'ephemeral', text: reply.text });
  });

  app.event('message', async ({ event, body, client, context }) => {
    const parsed = read(parseMessageEvent(event), 'message event');
    if (!parsed) return;
    const m = parsed.event;
    const team = m.team ?? (body as { team_id?: string }).team_id ?? context.teamId ?? '';
    const channel = channelRef(team, m.channel);
    // What a member's threaded message says, as the core takes it; undefined for anything else.
    const fromMember = async (msg: SlackMessage) => {
      if (!isReply(msg) || fromBot(msg) || !msg.user) return undefined;
      const who = await person(client, team, msg.user);
      const author = { id: msg.user, name: who.name };
      return { channel, threadRef: msg.thread_ts, messageRef: msg.ts, author, text: msg.text ?? '' };
    };
    const tell = async (
      input: { author: { id: string }; threadRef: string },
      reply: EphemeralReply | null,
    ) => {
      // A retried delivery was handled the first time; the member was told then.
      if (!reply || reply.ok || context.retryNum) return;
      const { author, threadRef } = input;
      await client.chat.postEphemeral({
        channel: m.channel,
        user: author.id,
        text: reply.text,
        thread_ts: threadRef,
      });
    };
    switch (parsed.kind) {
      case 'changed': {
        // Slack names the message's author here: the core ignores an edit of someone else's answer.
        const edit = await fromMember(parsed.event.message);
        if (edit) await tell(edit, await core().editAnswer(edit));
        return;
      }
      case 'deleted': {
        const gone = parsed.event.previous_message;
        if (!isReply(gone)) return;
        await core().removeAnswer({
          channel,
          threadRef: gone.thread_ts,
          messageRef: parsed.event.deleted_ts,
        });
        return;
      }
      case 'posted': {
        if (m.subtype && m.subtype !== 'thread_broadcast' && m.subtype !== 'file_share') return;
        const answer = await fromMember(parsed.event);
        if (answer) await tell(answer, await core().answer({ ...answer, source: 'thread' }));
        return;
      }
      default: {
        const unhandled: never = parsed;
        return unhandled;
      }
    }
  });

  app.action(ANSWER_ACTION_ID, async ({ ack, body, client }) => {
    await ack();
    const click = read(parsePayload(answerClickPayload, body), 'answer click');
    if (!click) return;
    const words = answerFormWords(click.actions[0]?.value);
    const meta = { channel: click.channel.id, team: click.team?.id ?? '', threadRef: click.message.ts };
    await client.views.open({
      trigger_id: click.trigger_id,
      view: {
        type: 'modal',
        callback_id: ANSWER_MODAL_ID,
        private_metadata: JSON.stringify(meta),
        title: { type: 'plain_text', text: 'Canevas' },
        submit: { type: 'plain_text', text: words.send },
        close: { type: 'plain_text', text: words.cancel },
        blocks: [
          {
            type: 'input',
            block_id: ANSWER_BLOCK,
            label: { type: 'plain_text', text: words.field },
            element: { type: 'plain_text_input', action_id: ANSWER_INPUT, multiline: true, max_length: 3000 },
          },
        ],
      },
    });
  });

  // The Remind-me button is `/canevas remind-me on` without typing it: the same reply, to the presser only.
  app.action(REMIND_ACTION_ID, async ({ ack, body, client, respond, context }) => {
    await ack();
    const click = read(parsePayload(remindClickPayload, body), 'remind-me click');
    if (!click) return;
    const team = click.team?.id || context.teamId || '';
    const reply = await core().command({
      channel: channelRef(team, click.channel.id),
      actor: await actor(client, team, click.user.id, click.user.name),
      text: REMIND_ME_COMMAND,
    });
    await respond({ response_type: 'ephemeral', replace_original: false, text: reply.text });
  });

  registerCoreActions(app, ctx);
  registerReactions(app, ctx);
  registerLifecycle(app, ctx, deps);

  app.view(ANSWER_MODAL_ID, async ({ ack, body, client }) => {
    const expired = () =>
      ack({ response_action: 'errors', errors: { [ANSWER_BLOCK]: answerFormWords(undefined).expired } });
    const submitted = read(parsePayload(viewSubmissionPayload, body), 'form submission');
    const meta =
      submitted &&
      read(parsePayload(answerFormMeta, jsonOrNull(submitted.view.private_metadata)), 'form metadata');
    if (!submitted || !meta) {
      await expired();
      return;
    }
    const { view, user } = submitted;
    const team = meta.team || submitted.team?.id || '';
    const text = view.state.values[ANSWER_BLOCK]?.[ANSWER_INPUT]?.value ?? '';
    const who = await person(client, team, user.id);
    const reply = await core().answer({
      channel: channelRef(team, meta.channel),
      threadRef: meta.threadRef,
      messageRef: view.id,
      author: { id: user.id, name: who.name || user.name || user.id },
      text,
      source: 'modal',
    });
    if (reply === null) {
      await ack({
        response_action: 'errors',
        errors: { [ANSWER_BLOCK]: 'This question is no longer open. · Cette question est close.' },
      });
      return;
    }
    if (!reply.ok) {
      await ack({ response_action: 'errors', errors: { [ANSWER_BLOCK]: reply.text } });
      return;
    }
    await ack();
  });
}
