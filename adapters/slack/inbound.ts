import type { App } from '@slack/bolt';
import type { Redis } from 'ioredis';
import {
  answerFormWords,
  type ChannelRef,
  type EphemeralReply,
  type Inbound,
  type Logger,
} from '../../src/index.js';
import { ANSWER_ACTION_ID } from './blocks.js';
import type { WebClient } from './client.js';
import { lookUpPerson } from './people.js';

export const ANSWER_MODAL_ID = 'canevas_answer_modal';
const ANSWER_BLOCK = 'answer';
const ANSWER_INPUT = 'text';
/** Ack a slash command by then at the latest; a slower reply follows through `respond`. */
const COMMAND_ACK_MS = 2_000;

export interface SlackInboundDeps {
  redis: Redis;
  logger: Logger;
  admins: readonly string[];
  /** The core's inbound port, known once the adapter is started. */
  inbound: () => Inbound | undefined;
}

/** The parts of a `message` event Canevas reads (every subtype shares them loosely). */
interface MessageEvent {
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  channel: string;
  team?: string;
  deleted_ts?: string;
  message?: MessageEvent;
  previous_message?: MessageEvent;
}

const channelRef = (team: string, channel: string): ChannelRef => ({
  platform: 'slack',
  workspace: team,
  channel,
});

const isReply = (m: MessageEvent | undefined): m is MessageEvent & { ts: string; thread_ts: string } =>
  Boolean(m?.ts && m.thread_ts && m.thread_ts !== m.ts);

const fromBot = (m: MessageEvent) => Boolean(m.bot_id) || m.subtype === 'bot_message';

/** Wires Bolt listeners to the core: the command, thread replies, edits, deletes, the button and modal. */
export function registerListeners(app: App, deps: SlackInboundDeps): void {
  const core = (): Inbound => {
    const inbound = deps.inbound();
    if (!inbound) throw new Error('slack adapter not started');
    return inbound;
  };
  const person = (client: WebClient, team: string, user: string) =>
    lookUpPerson(deps.redis, client, team, user);

  app.command('/canevas', async ({ command, ack, respond, client }) => {
    const work = (async () => {
      const who = await person(client, command.team_id, command.user_id);
      return core().command({
        channel: channelRef(command.team_id, command.channel_id),
        actor: {
          id: command.user_id,
          name: who.name || command.user_name,
          isAdmin: who.admin || deps.admins.includes(command.user_id),
        },
        text: command.text ?? '',
      });
    })();
    const quick = await Promise.race([
      work,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), COMMAND_ACK_MS).unref()),
    ]);
    if (quick) {
      await ack({ response_type: 'ephemeral', text: quick.text });
      return;
    }
    await ack({ response_type: 'ephemeral', text: '⏳' });
    const reply = await work;
    await respond({ response_type: 'ephemeral', text: reply.text });
  });

  app.event('message', async ({ event, body, client, context }) => {
    const m = event as unknown as MessageEvent;
    const team = m.team ?? (body as { team_id?: string }).team_id ?? context.teamId ?? '';
    const channel = channelRef(team, m.channel);
    const refuse = async (user: string | undefined, reply: EphemeralReply | null, thread: string) => {
      // A retried delivery was handled the first time; the member was told then.
      if (!reply || reply.ok || !user || context.retryNum) return;
      await client.chat.postEphemeral({ channel: m.channel, user, text: reply.text, thread_ts: thread });
    };
    if (m.subtype === 'message_changed') {
      const edited = m.message;
      if (!isReply(edited) || fromBot(edited)) return;
      const reply = await core().editAnswer({
        channel,
        threadRef: edited.thread_ts,
        messageRef: edited.ts,
        text: edited.text ?? '',
      });
      await refuse(edited.user, reply, edited.thread_ts);
      return;
    }
    if (m.subtype === 'message_deleted') {
      const gone = m.previous_message;
      if (!isReply(gone)) return;
      await core().removeAnswer({ channel, threadRef: gone.thread_ts, messageRef: m.deleted_ts ?? gone.ts });
      return;
    }
    if (m.subtype && m.subtype !== 'thread_broadcast' && m.subtype !== 'file_share') return;
    if (!isReply(m) || fromBot(m) || !m.user) return;
    const who = await person(client, team, m.user);
    const reply = await core().answer({
      channel,
      threadRef: m.thread_ts,
      messageRef: m.ts,
      author: { id: m.user, name: who.name },
      text: m.text ?? '',
      source: 'thread',
    });
    await refuse(m.user, reply, m.thread_ts);
  });

  app.action(ANSWER_ACTION_ID, async ({ ack, body, client }) => {
    await ack();
    const b = body as {
      trigger_id?: string;
      team?: { id?: string } | null;
      channel?: { id?: string };
      message?: { ts?: string; thread_ts?: string };
      actions?: { value?: string }[];
    };
    const words = answerFormWords(b.actions?.[0]?.value);
    const threadRef = b.message?.ts;
    if (!b.trigger_id || !threadRef || !b.channel?.id) return;
    await client.views.open({
      trigger_id: b.trigger_id,
      view: {
        type: 'modal',
        callback_id: ANSWER_MODAL_ID,
        private_metadata: JSON.stringify({ channel: b.channel.id, team: b.team?.id ?? '', threadRef }),
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

  app.view(ANSWER_MODAL_ID, async ({ ack, body, view, client }) => {
    let meta: { channel: string; team: string; threadRef: string };
    try {
      meta = JSON.parse(view.private_metadata);
    } catch {
      await ack({
        response_action: 'errors',
        errors: { [ANSWER_BLOCK]: answerFormWords(undefined).expired },
      });
      return;
    }
    const team = meta.team || body.team?.id || '';
    const text = view.state.values[ANSWER_BLOCK]?.[ANSWER_INPUT]?.value ?? '';
    const who = await person(client, team, body.user.id);
    const reply = await core().answer({
      channel: channelRef(team, meta.channel),
      threadRef: meta.threadRef,
      messageRef: view.id,
      author: { id: body.user.id, name: who.name || body.user.name },
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
