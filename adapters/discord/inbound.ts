import {
  ActionRowBuilder,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  MessageFlags,
  type MessageReaction,
  ModalBuilder,
  type ModalSubmitInteraction,
  type PartialMessage,
  type PartialMessageReaction,
  type PartialUser,
  type REST,
  Routes,
  SnowflakeUtil,
  TextInputBuilder,
  TextInputStyle,
  type User,
} from 'discord.js';
import {
  answerFormWords,
  type ChannelRef,
  type EphemeralReply,
  type OpenThread,
  type Person,
  REMIND_ME_COMMAND,
} from '../../src/index.js';
import { autocomplete, commandText, STATEMENT_COMMAND } from './commands.js';
import {
  actorOf,
  campaignChannelOf,
  channelRef,
  displayName,
  type InboundDeps,
  NO_MENTIONS,
} from './context.js';
import { answerWith, isCoreId, onCoreModal, onCorePress } from './core-actions.js';
import { ANSWER_BUTTON_ID, REMIND_BUTTON_ID } from './outbound.js';
import { onReaction } from './reactions.js';
import { clip, MESSAGE_LIMIT } from './split.js';

export type { InboundDeps } from './context.js';

export const ANSWER_MODAL_PREFIX = 'canevas_answer_modal:';
const ANSWER_INPUT_ID = 'answer';
const RETRIES_FOR_NEW_THREADS = 3;
const RETRY_DELAY_MS = 1000;
const NEW_THREAD_MS = 60_000;
const NOT_A_QUESTION = 'This is not an open question. · Ce n’est pas une question ouverte.';

/**
 * Wires discord.js events to the core: commands, the Answer button and modal, the core's buttons and
 * forms, thread messages, and reactions.
 */
export function listen(deps: InboundDeps): void {
  const { client, logger } = deps;
  const guard =
    <A extends unknown[]>(what: string, fn: (...args: A) => Promise<void>) =>
    (...args: A) => {
      fn(...args).catch((err: unknown) => logger.error({ err, what }, 'discord event failed'));
    };
  client.on(
    'interactionCreate',
    guard('interaction', (i: Interaction) => onInteraction(deps, i)),
  );
  client.on(
    'messageCreate',
    guard('message', (m: Message) => onMessage(deps, m)),
  );
  client.on(
    'messageUpdate',
    guard('edit', (_old: Message | PartialMessage, m: Message | PartialMessage) => onEdit(deps, m)),
  );
  client.on(
    'messageDelete',
    guard('delete', (m: Message | PartialMessage) => onDelete(deps, m)),
  );
  client.on(
    'messageReactionAdd',
    guard('reaction', (r: MessageReaction | PartialMessageReaction, u: User | PartialUser) =>
      onReaction(deps, r, u, true),
    ),
  );
  client.on(
    'messageReactionRemove',
    guard('reaction removed', (r: MessageReaction | PartialMessageReaction, u: User | PartialUser) =>
      onReaction(deps, r, u, false),
    ),
  );
}

async function onInteraction(deps: InboundDeps, i: Interaction): Promise<void> {
  if (!i.inGuild()) return;
  if (i.isAutocomplete()) {
    const { blocks } = deps;
    const where = channelRef(i.guildId, campaignChannelOf(i));
    return autocomplete(i, blocks && ((typed) => blocks(where, typed)));
  }
  if (i.isChatInputCommand() && i.commandName === 'canevas') return onCommand(deps, i);
  // `canevas_answer:<lang>`; a bare `canevas_answer` is a button posted before they carried it.
  if (i.isButton() && i.customId.split(':')[0] === ANSWER_BUTTON_ID) return showAnswerModal(i);
  if (i.isButton() && i.customId.split(':')[0] === REMIND_BUTTON_ID) return onRemind(deps, i);
  if (i.isButton() && isCoreId(i.customId)) return onCorePress(deps, i);
  if (i.isModalSubmit() && i.customId.startsWith(ANSWER_MODAL_PREFIX)) return onModal(deps, i);
  if (i.isModalSubmit() && isCoreId(i.customId)) return onCoreModal(deps, i);
}

async function onCommand(deps: InboundDeps, i: ChatInputCommandInteraction<'cached' | 'raw'>): Promise<void> {
  const text = commandText(i);
  if (i.options.getSubcommand(false) !== STATEMENT_COMMAND) return runCommand(deps, i, text);
  // Its form opens as a modal, which must be the interaction's first answer: the core is asked first
  // (opening a form only reads the campaign) and nothing is deferred.
  const reply = await deps.inbound.command({
    channel: channelRef(i.guildId, campaignChannelOf(i)),
    actor: actorOf(deps, i),
    text,
  });
  await answerWith(deps, i, reply);
}

/** The Remind-me button on a round post: `/canevas remind-me on`, answered to the presser only. */
async function onRemind(deps: InboundDeps, i: ButtonInteraction<'cached' | 'raw'>): Promise<void> {
  await runCommand(deps, i, REMIND_ME_COMMAND);
}

/** Acknowledged at once (the core may take a few seconds), then the reply replaces "thinking". */
async function runCommand(
  deps: InboundDeps,
  i: ChatInputCommandInteraction<'cached' | 'raw'> | ButtonInteraction<'cached' | 'raw'>,
  text: string,
): Promise<void> {
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const reply = await deps.inbound.command({
    channel: channelRef(i.guildId, campaignChannelOf(i)),
    actor: actorOf(deps, i),
    text,
  });
  await i.editReply({ content: clip(reply.text, MESSAGE_LIMIT), allowedMentions: NO_MENTIONS });
}

async function showAnswerModal(i: ButtonInteraction<'cached' | 'raw'>): Promise<void> {
  const title = i.message.embeds[0]?.title ?? 'Canevas';
  const words = answerFormWords(i.customId.split(':')[1]);
  const input = new TextInputBuilder()
    .setCustomId(ANSWER_INPUT_ID)
    .setLabel(words.field)
    .setStyle(TextInputStyle.Paragraph)
    .setRequired(true)
    .setMaxLength(4000);
  await i.showModal(
    new ModalBuilder()
      .setCustomId(`${ANSWER_MODAL_PREFIX}${i.message.id}`)
      .setTitle(clip(title, 45))
      .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input)),
  );
}

async function onModal(deps: InboundDeps, i: ModalSubmitInteraction<'cached' | 'raw'>): Promise<void> {
  const threadRef = i.customId.slice(ANSWER_MODAL_PREFIX.length);
  let deferred = false;
  // Discord hears "received" only once the answer is saved: a crash before that shows the member a
  // failed interaction, never a false confirmation.
  const defer = async () => {
    deferred = true;
    await i.deferReply({ flags: MessageFlags.Ephemeral });
  };
  const reply = await deps.inbound.answer({
    onAccepted: defer,
    channel: channelRef(i.guildId, i.channelId ?? ''),
    threadRef,
    messageRef: i.id,
    author: { id: i.user.id, name: displayName(i) },
    text: i.fields.getTextInputValue(ANSWER_INPUT_ID),
    source: 'modal',
  });
  const answer = {
    content: clip(reply?.text ?? NOT_A_QUESTION, MESSAGE_LIMIT),
    allowedMentions: NO_MENTIONS,
  };
  if (deferred) await i.editReply(answer);
  else await i.reply({ ...answer, flags: MessageFlags.Ephemeral });
}

/** Where a thread message belongs: the campaign channel is the thread's parent. */
async function threadOf(
  m: Message | PartialMessage,
): Promise<{ channel: ChannelRef; threadRef: string } | undefined> {
  if (!m.guildId) return undefined;
  const channel = m.channel.partial ? await m.channel.fetch() : m.channel;
  if (!channel.isThread() || !channel.parentId) return undefined;
  return { channel: channelRef(m.guildId, channel.parentId), threadRef: channel.id };
}

/** Answers need text: without the Message Content intent, other members' messages arrive empty. */
const hasText = (m: Message | PartialMessage): m is Message =>
  typeof m.content === 'string' && m.content !== '';

const authorOf = (m: Message): Person => ({
  id: m.author.id,
  name: m.member?.displayName ?? m.author.globalName ?? m.author.username,
});

async function onMessage(deps: InboundDeps, m: Message): Promise<void> {
  if (m.author.bot || m.system || !hasText(m)) return;
  const where = await threadOf(m);
  if (!where) return;
  const input = {
    ...where,
    messageRef: m.id,
    author: authorOf(m),
    text: m.content,
    source: 'thread' as const,
  };
  let reply = await deps.inbound.answer(input);
  // A thread the bot opened a moment ago may not be recorded as the question's yet (the outbox
  // records the ref once the post returns): try again for a few seconds before letting it go.
  const ownThread =
    m.channel.isThread() &&
    m.channel.ownerId === deps.client.user?.id &&
    Date.now() - SnowflakeUtil.timestampFrom(m.channel.id) < NEW_THREAD_MS;
  for (let i = 0; reply === null && ownThread && i < RETRIES_FOR_NEW_THREADS; i += 1) {
    await new Promise((r) => setTimeout(r, RETRY_DELAY_MS));
    reply = await deps.inbound.answer(input);
  }
  await tellIfRefused(m, reply);
}

async function onEdit(deps: InboundDeps, m: Message | PartialMessage): Promise<void> {
  const full = m.partial ? await m.fetch() : m;
  if (full.author.bot || !hasText(full)) return;
  const where = await threadOf(full);
  if (!where) return;
  const reply = await deps.inbound.editAnswer({
    ...where,
    messageRef: full.id,
    text: full.content,
    author: authorOf(full),
  });
  await tellIfRefused(full, reply);
}

async function onDelete(deps: InboundDeps, m: Message | PartialMessage): Promise<void> {
  if (m.author?.bot) return;
  const where = await threadOf(m);
  if (!where) return;
  await deps.inbound.removeAnswer({ ...where, messageRef: m.id });
}

/** Messages cannot be answered ephemerally: a short reply that pings no one. */
async function tellIfRefused(m: Message, reply: EphemeralReply | null): Promise<void> {
  if (!reply || reply.ok) return;
  await m.reply({
    content: clip(reply.text, MESSAGE_LIMIT),
    allowedMentions: { parse: [], repliedUser: false },
  });
}

interface ApiMessage {
  id: string;
  type: number;
  content: string;
  author: { id: string; username: string; global_name?: string | null; bot?: boolean };
}

const HISTORY_PAGE = 100;
/** Default messages and replies: what a member types (joins, pins and the like are not answers). */
const ANSWER_TYPES = new Set([0, 19]);

/**
 * Gateway events missed while the bot was away are not redelivered: on start and on every reconnect,
 * each open question thread is reconciled with its history (new answers, edits, deletes).
 */
export async function catchUp(
  deps: Pick<InboundDeps, 'rest' | 'inbound' | 'logger'>,
  /** The servers whose threads to read (those of the shards that reconnected); all when absent. */
  owns: (guildId: string) => boolean = () => true,
): Promise<void> {
  const threads = await deps.inbound.openThreads('discord');
  for (const t of threads) {
    if (!owns(t.channel.workspace)) continue;
    // One thread gone (deleted, bot removed from the server) must not stop the others.
    await catchUpThread(deps, t).catch((err: unknown) =>
      deps.logger.warn({ err, thread: t.threadRef }, 'discord catch-up of a thread failed'),
    );
  }
}

/**
 * Reads the whole thread, not just what follows the newest stored answer: a message missed before a
 * newer one that did arrive live is fed too (answers are idempotent by message id), and only a full
 * read can tell that a stored answer's message is gone.
 */
async function catchUpThread(deps: Pick<InboundDeps, 'rest' | 'inbound'>, t: OpenThread): Promise<void> {
  const stored = new Map(t.answers.map((a) => [a.ref, a.text]));
  const present = new Set<string>();
  const where = { channel: t.channel, threadRef: t.threadRef };
  for await (const m of threadHistory(deps.rest, t.threadRef)) {
    present.add(m.id);
    // Without the Message Content intent the text arrives empty: that is not an edit.
    if (m.author.bot || !ANSWER_TYPES.has(m.type) || !m.content) continue;
    const author = { id: m.author.id, name: m.author.global_name ?? m.author.username };
    const text = stored.get(m.id);
    if (text === undefined) {
      await deps.inbound.answer({ ...where, messageRef: m.id, author, text: m.content, source: 'thread' });
    } else if (text !== m.content) {
      await deps.inbound.editAnswer({ ...where, messageRef: m.id, text: m.content, author });
    }
  }
  // Only reached once every page was read: a failed read removes nothing.
  for (const ref of stored.keys()) {
    if (!present.has(ref)) await deps.inbound.removeAnswer({ ...where, messageRef: ref });
  }
}

/** Every message of a thread, oldest first, a page of 100 at a time. */
async function* threadHistory(rest: REST, threadRef: string): AsyncGenerator<ApiMessage> {
  // A thread's id is its starter message's: everything in it is newer.
  let after = threadRef;
  for (;;) {
    const page = (await rest.get(Routes.channelMessages(threadRef), {
      query: new URLSearchParams({ after, limit: String(HISTORY_PAGE) }),
    })) as ApiMessage[];
    const ordered = [...page].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    yield* ordered;
    const last = ordered.at(-1);
    if (page.length < HISTORY_PAGE || !last) return;
    after = last.id;
  }
}
