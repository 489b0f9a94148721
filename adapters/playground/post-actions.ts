import type { Actor, ChannelRef, FormField, FormFieldKind, Inbound, RedisClient } from '../../src/index.js';
import { answerAction } from './answer-action.js';
import { type ChannelMessage, channelKey, getMessage } from './channel-store.js';
import { coreButtonsOf, isCoreId, pressCore, submitCore } from './core-actions.js';
import { HttpError } from './http-error.js';
import { remindAction } from './remind-action.js';

/**
 * The buttons on the playground's posts and the forms they open, as Slack's blocks and modals and
 * Discord's components and modals do. Nothing is kept between a press and a submission: a button's id
 * and its form's id both read `<action>.<post id>` (e.g. `answer.pg12`), so the server finds the post
 * again from the id alone and checks it there, in this channel, with the kind the action needs.
 * The core's own buttons follow the adapter's, as `core.<post id>.<index>` (see core-actions.ts).
 */

export interface PostButton {
  id: string;
  label: string;
  /** A core button's look, and its row: buttons with the same group are drawn on one row. */
  style?: 'primary' | 'danger';
  group?: string;
}

/** A form's fields are the core's own shape (the API contract names the same fields and kinds). */
export type { FormField, FormFieldKind };

export interface PlaygroundForm {
  id: string;
  title: string;
  /** The submit button's words, in the campaign's language (the core's forms say). */
  submit?: string;
  fields: FormField[];
}

export type PressResult = { reply: string } | { form: PlaygroundForm };
export type SubmitResult = { reply: string } | { errors: Record<string, string> };

/** Who pressed or submitted, on which post, and the core to tell. */
export interface ActionContext {
  redis: RedisClient;
  inbound: Inbound;
  channel: ChannelRef;
  post: ChannelMessage;
  /** Who acted, as the core knows them from a typed command (admin or not). */
  actor: Actor;
  /** The button's id, which is also its form's. */
  id: string;
}

export interface PostAction {
  /** The label of the button this action puts on a post, or undefined for a post it does not fit. */
  label(post: ChannelMessage): string | undefined;
  press(ctx: ActionContext): Promise<PressResult>;
  /** The form a press returned, rebuilt from the post, so a submission is checked against its fields. */
  form?(post: ChannelMessage, id: string): PlaygroundForm;
  submit?(ctx: ActionContext, values: Record<string, string>): Promise<SubmitResult>;
}

/** Action names are lower-case words; a post id never holds a dot, so the first dot splits them. */
const ACTIONS: Record<string, PostAction> = { answer: answerAction, remind: remindAction };
const ACTION_ID = /^([a-z]+)\.([A-Za-z0-9_-]{1,64})$/;

export function actionId(action: string, postId: string): string {
  return `${action}.${postId}`;
}

/** The buttons a post carries: one per action that fits it, then the core's own. */
export function buttonsOf(post: ChannelMessage): PostButton[] {
  const buttons: PostButton[] = [];
  for (const [name, action] of Object.entries(ACTIONS)) {
    const label = action.label(post);
    if (label !== undefined) buttons.push({ id: actionId(name, post.id), label });
  }
  return [...buttons, ...coreButtonsOf(post)];
}

type Target = Omit<ActionContext, 'post' | 'id'>;

export async function pressButton(target: Target, id: string): Promise<PressResult> {
  if (isCoreId(id)) {
    const pressed = await pressCore(target, id);
    if (!pressed) throw unknownButton(id);
    return pressed;
  }
  const found = await resolve(target, id);
  if (!found) throw unknownButton(id);
  return found.action.press({ ...target, post: found.post, id });
}

const unknownButton = (id: string) =>
  new HttpError(404, 'unknown-button', `There is no button ${id} in this channel.`);

export async function submitForm(target: Target, id: string, values: unknown): Promise<SubmitResult> {
  if (isCoreId(id)) {
    const submitted = await submitCore(target, id, values);
    if (!submitted) throw new HttpError(404, 'unknown-form', `There is no form ${id} in this channel.`);
    return submitted;
  }
  const found = await resolve(target, id);
  const form = found?.action.form?.(found.post, id);
  if (!found?.action.submit || !form) {
    throw new HttpError(404, 'unknown-form', `There is no form ${id} in this channel.`);
  }
  return found.action.submit({ ...target, post: found.post, id }, readValues(form, values));
}

async function resolve(target: Target, id: string) {
  const [, name = '', postId = ''] = ACTION_ID.exec(id) ?? [];
  // Own keys only: `constructor.pg1` must not find Object's.
  const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
  if (!action) return null;
  const post = await getMessage(target.redis, postId);
  // The post must be in this channel: an id naming another channel's post is no button here.
  if (!post || post.channel !== channelKey(target.channel) || action.label(post) === undefined) return null;
  return { action, post };
}

/** Every value a string, for a field of the form; a field left out is sent as empty. */
function readValues(form: PlaygroundForm, values: unknown): Record<string, string> {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new HttpError(400, 'bad-request', '"values" must be an object of field ids to strings.');
  }
  const known = new Set(form.fields.map((f) => f.id));
  const read: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!known.has(key)) {
      throw new HttpError(400, 'unknown-field', `Form ${form.id} has no field "${key}".`);
    }
    if (typeof value !== 'string')
      throw new HttpError(400, 'bad-request', `"values.${key}" must be a string.`);
    read[key] = value;
  }
  for (const field of form.fields) read[field.id] ??= '';
  return read;
}
