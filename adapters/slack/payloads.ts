import { z } from 'zod';
import type { Logger } from '../../src/index.js';
import { ANSWER_ACTION_ID, CORE_FORM_CALLBACK, isCoreAction, REMIND_ACTION_ID } from './blocks.js';

/*
 * What Canevas reads from Slack's payloads, checked at the edge so a malformed one (a number where
 * Slack sends a string, a missing field) is refused before it reaches the core and is never stored.
 * Only the fields Canevas reads are checked; Slack adds fields over time and those pass untouched.
 */

/** A message as Slack nests it in an edit or a delete (and the fields every `message` event shares). */
const messageFields = {
  ts: z.string().min(1),
  user: z.string().min(1).optional(),
  text: z.string().optional(),
  thread_ts: z.string().min(1).optional(),
  subtype: z.string().optional(),
  // Only its presence is read (a bot's message), so a null is taken as none.
  bot_id: z.string().nullish(),
};
const nestedMessage = z.object(messageFields);
export type SlackMessage = z.infer<typeof nestedMessage>;

const eventBase = {
  type: z.literal('message'),
  channel: z.string().min(1),
  team: z.string().min(1).optional(),
  ts: z.string().min(1),
};
const postedEvent = z.object({ ...messageFields, ...eventBase });
const changedEvent = z.object({
  ...eventBase,
  subtype: z.literal('message_changed'),
  message: nestedMessage,
  previous_message: nestedMessage.optional(),
});
const deletedEvent = z.object({
  ...eventBase,
  subtype: z.literal('message_deleted'),
  deleted_ts: z.string().min(1),
  previous_message: nestedMessage,
});

/** A `message` event, sorted by what it does to an answer. */
export type MessageEvent =
  | { kind: 'posted'; event: z.infer<typeof postedEvent> }
  | { kind: 'changed'; event: z.infer<typeof changedEvent> }
  | { kind: 'deleted'; event: z.infer<typeof deletedEvent> };

/** The subtype picks the schema, so a refusal names the field at fault (a union would only say "no match"). */
export function parseMessageEvent(event: unknown): Checked<MessageEvent> {
  const subtype = isRecord(event) ? event.subtype : undefined;
  if (subtype === 'message_changed') {
    const changed = parsePayload(changedEvent, event);
    return changed.ok ? { ok: true, value: { kind: 'changed', event: changed.value } } : changed;
  }
  if (subtype === 'message_deleted') {
    const deleted = parsePayload(deletedEvent, event);
    return deleted.ok ? { ok: true, value: { kind: 'deleted', event: deleted.value } } : deleted;
  }
  const posted = parsePayload(postedEvent, event);
  return posted.ok ? { ok: true, value: { kind: 'posted', event: posted.value } } : posted;
}

/** A reaction put on or taken off a message; anything else reacted to (a file) is left alone. */
const reactionEvent = z.object({
  type: z.enum(['reaction_added', 'reaction_removed']),
  user: z.string().min(1),
  reaction: z.string().min(1),
  item: z.object({ type: z.literal('message'), channel: z.string().min(1), ts: z.string().min(1) }),
});
export type ReactionEvent = z.infer<typeof reactionEvent>;
const otherItem = z.object({ item: z.object({ type: z.string().min(1) }) });

/** A reaction event: on a message (its fields checked), or on something else (ignored). */
export function parseReactionEvent(
  event: unknown,
): Checked<{ onMessage: ReactionEvent } | { onMessage: null }> {
  const item = parsePayload(otherItem, event);
  if (!item.ok) return item;
  if (item.value.item.type !== 'message') return { ok: true, value: { onMessage: null } };
  const reaction = parsePayload(reactionEvent, event);
  return reaction.ok ? { ok: true, value: { onMessage: reaction.value } } : reaction;
}

const REACTION_EVENTS = new Set(['reaction_added', 'reaction_removed']);

/** A `/canevas` slash command (a form over HTTP, JSON in Socket Mode). */
export const commandPayload = z.object({
  command: z.string().min(1),
  team_id: z.string().min(1),
  channel_id: z.string().min(1),
  user_id: z.string().min(1),
  user_name: z.string().optional(),
  text: z.string().default(''),
  response_url: z.string().min(1),
  // What opens a form for the one who typed the command (`statement`), for 3 seconds.
  trigger_id: z.string().min(1).optional(),
});

/** Any button click: what Bolt itself reads to route it. */
const blockActionsPayload = z.object({
  type: z.literal('block_actions'),
  trigger_id: z.string().min(1),
  user: z.object({ id: z.string().min(1) }),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});

/** A click on a question's Answer button: it needs the question's message and channel to open the form. */
export const answerClickPayload = blockActionsPayload.extend({
  team: z.object({ id: z.string() }).nullish(),
  channel: z.object({ id: z.string().min(1) }),
  message: z.object({ ts: z.string().min(1) }),
});

/**
 * A click on a round's Remind-me button: the channel names the campaign, and the answer goes back to
 * the one who pressed through the message's response URL (ephemeral).
 */
export const remindClickPayload = blockActionsPayload.extend({
  team: z.object({ id: z.string() }).nullish(),
  user: z.object({ id: z.string().min(1), name: z.string().optional() }),
  channel: z.object({ id: z.string().min(1) }),
  response_url: z.string().min(1),
});

/**
 * A press on one of the core's buttons: the channel names the campaign, the reply goes back through
 * the response URL (ephemeral), a form opens with the trigger id.
 */
export const coreClickPayload = blockActionsPayload.extend({
  team: z.object({ id: z.string() }).nullish(),
  user: z.object({ id: z.string().min(1), name: z.string().optional() }),
  channel: z.object({ id: z.string().min(1) }),
  response_url: z.string().min(1),
});

/** Fields a core form may send back: more than any form has, few enough to read. */
const MAX_FORM_FIELDS = 20;

/** One input of a core form as Slack sends it back: text, a picked option or a date (null when empty). */
const coreInput = z.object({
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_date: z.string().nullish(),
});

/** A submitted core form (see forms.ts): one input per block, the block named after the field. */
export const coreSubmissionPayload = z.object({
  type: z.literal('view_submission'),
  user: z.object({ id: z.string().min(1), name: z.string().optional() }),
  team: z.object({ id: z.string() }).nullish(),
  view: z.object({
    callback_id: z.string(),
    private_metadata: z.string(),
    title: z.object({ text: z.string() }).optional(),
    state: z.object({
      values: z
        .record(z.string().max(255), z.record(z.string(), coreInput))
        .refine((v) => Object.keys(v).length <= MAX_FORM_FIELDS, `at most ${MAX_FORM_FIELDS} fields`),
    }),
  }),
});

/** What a core form carries through Slack and back: the core's form id and where it was opened. */
export const coreFormMeta = z.object({
  form: z.string().min(1).max(255),
  channel: z.string().min(1),
  team: z.string(),
});
export type CoreFormMeta = z.infer<typeof coreFormMeta>;

/** A submitted form: every input's value is text (or null when left empty). */
export const viewSubmissionPayload = z.object({
  type: z.literal('view_submission'),
  user: z.object({ id: z.string().min(1), name: z.string().optional() }),
  team: z.object({ id: z.string() }).nullish(),
  view: z.object({
    id: z.string().min(1),
    callback_id: z.string(),
    private_metadata: z.string(),
    state: z.object({
      values: z.record(z.string(), z.record(z.string(), z.object({ value: z.string().nullish() }))),
    }),
  }),
});

/** What the Answer form carries through Slack and back: where the answer goes. */
export const answerFormMeta = z.object({
  channel: z.string().min(1),
  team: z.string(),
  threadRef: z.string().min(1),
});

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: string[] };

/**
 * Whether a signed request's body may go on to Bolt. Events that can never be valid are answered 200
 * and dropped, so Slack does not deliver them again and again; a malformed command or interaction is
 * answered 400 (Slack never retries those).
 */
export type BodyVerdict =
  | { pass: true; body: Record<string, unknown> }
  | { pass: false; status: 200 | 400; what: string; issues: string[] };

const eventEnvelope = z.object({
  type: z.literal('event_callback'),
  team_id: z.string().optional(),
  event: z.looseObject({ type: z.string().min(1) }),
});
const challenge = z.object({ type: z.literal('url_verification'), challenge: z.string() });

export function checkSlackBody(body: unknown): BodyVerdict {
  if (!isRecord(body)) return refuse(400, 'body', ['not a JSON object']);
  if (body.type === 'url_verification') return check(challenge, body, 400, 'url_verification');
  if (body.type === 'event_callback') {
    const envelope = parsePayload(eventEnvelope, body);
    if (!envelope.ok) return refuse(200, 'event', envelope.issues);
    if (REACTION_EVENTS.has(envelope.value.event.type)) {
      const reaction = parseReactionEvent(body.event);
      return reaction.ok ? { pass: true, body } : refuse(200, 'reaction event', reaction.issues);
    }
    if (envelope.value.event.type !== 'message') return { pass: true, body };
    const message = parseMessageEvent(body.event);
    return message.ok ? { pass: true, body } : refuse(200, 'message event', message.issues);
  }
  if ('command' in body) return check(commandPayload, body, 400, 'slash command');
  if (body.type === 'block_actions') {
    const click = parsePayload(blockActionsPayload, body);
    if (!click.ok) return refuse(400, 'block_actions', click.issues);
    const pressed = (id: string) => click.value.actions.some((a) => a.action_id === id);
    if (pressed(ANSWER_ACTION_ID)) return check(answerClickPayload, body, 400, 'answer click');
    if (pressed(REMIND_ACTION_ID)) return check(remindClickPayload, body, 400, 'remind-me click');
    if (click.value.actions.some((a) => isCoreAction(a.action_id)))
      return check(coreClickPayload, body, 400, 'core button');
    return { pass: true, body };
  }
  if (body.type === 'view_submission') {
    const view = isRecord(body.view) ? body.view : {};
    if (view.callback_id === CORE_FORM_CALLBACK)
      return check(coreSubmissionPayload, body, 400, 'core form submission');
    return check(viewSubmissionPayload, body, 400, 'view_submission');
  }
  return { pass: true, body };
}

/** Checks `value` against `schema`; the issues name fields, never the values (payloads carry members' text). */
export function parsePayload<T>(schema: z.ZodType<T>, value: unknown): Checked<T> {
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: issuesOf(parsed.error) };
}

/** The payload, or undefined after a warning saying what was wrong with it. */
export function readPayload<T>(checked: Checked<T>, logger: Logger, what: string): T | undefined {
  if (checked.ok) return checked.value;
  logger.warn({ issues: checked.issues }, `slack ${what} ignored: malformed`);
  return undefined;
}

function check(schema: z.ZodType, body: Record<string, unknown>, status: 200 | 400, what: string) {
  const parsed = parsePayload(schema, body);
  return parsed.ok ? ({ pass: true, body } as const) : refuse(status, what, parsed.issues);
}

function refuse(status: 200 | 400, what: string, issues: string[]): BodyVerdict {
  return { pass: false, status, what, issues };
}

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
