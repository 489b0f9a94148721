import type { FormSpec } from '../../src/index.js';
import { type ChannelMessage, channelKey, getMessage, rememberCoreId } from './channel-store.js';
import { HttpError } from './http-error.js';
import type { ActionContext, PlaygroundForm, PostButton, PressResult, SubmitResult } from './post-actions.js';
import { refusalError } from './refusal.js';

/**
 * The core's own buttons (shared statements, stances, actions) and the forms they open. A core id
 * such as `cv|stance|<tag>|def.values|2|objection` holds `|` and dots, so the playground names it
 * `core.<post id>.<index>` instead: its place among the ids the post has carried (see `coreIds`).
 * Nothing else is kept: a press finds the post again, and the core id there, in this channel.
 * A form a command opens (`/canevas statement`) has no post: its id carries the core's, encoded
 * (`command.<base64url>`), and the core checks the submission as it checks any (who, which campaign).
 */

const CORE_ID = /^core\.([A-Za-z0-9_-]{1,64})\.(0|[1-9][0-9]{0,3})$/;

/** Fields a core form may send back: more than any form has, few enough to read. */
const MAX_FIELDS = 20;
const FIELD_ID = /^[A-Za-z0-9_.-]{1,64}$/;

const COMMAND_ID = /^command\.([A-Za-z0-9_-]{1,200})$/;

export const isCoreId = (id: string) => id.startsWith('core.') || id.startsWith('command.');

const playgroundId = (postId: string, index: number) => `core.${postId}.${index}`;

/** The core buttons a post shows now, with their playground ids, rows (`group`) and style. */
export function coreButtonsOf(post: ChannelMessage): PostButton[] {
  return (post.coreButtons ?? []).flatMap((button) => {
    const index = post.coreIds?.indexOf(button.id) ?? -1;
    if (index < 0) return [];
    return [
      {
        id: playgroundId(post.id, index),
        label: button.label,
        ...(button.style ? { style: button.style } : {}),
        ...(button.group ? { group: button.group } : {}),
      },
    ];
  });
}

type Target = Omit<ActionContext, 'post' | 'id'>;

/**
 * The post and core id a playground id names, or null. Any id the post has carried counts, not only
 * those it shows now: a page not yet refreshed may press a button the post has since lost, and the
 * core, not the playground, says why that is too late (a revised statement, an ended campaign).
 */
async function resolve(target: Target, id: string): Promise<{ post: ChannelMessage; coreId: string } | null> {
  const [, postId = '', index = ''] = CORE_ID.exec(id) ?? [];
  if (!postId) return null;
  const post = await getMessage(target.redis, postId);
  if (!post || post.channel !== channelKey(target.channel)) return null;
  const coreId = post.coreIds?.[Number(index)];
  return coreId ? { post, coreId } : null;
}

/** A press on a core button: the core's reply, or its form under a playground id; null for no such button. */
export async function pressCore(target: Target, id: string): Promise<PressResult | null> {
  const found = await resolve(target, id);
  if (!found) return null;
  const reply = await target.inbound.press({
    channel: target.channel,
    actor: target.actor,
    buttonId: found.coreId,
  });
  if (reply.ok && reply.form) {
    // The core's forms are named like their buttons today; one that is not gets a place of its own.
    const index = await rememberCoreId(target.redis, found.post.id, reply.form.id);
    if (index === null) return null;
    return { form: playgroundForm(reply.form, playgroundId(found.post.id, index)) };
  }
  if (!reply.ok) throw refusalError(reply);
  return { reply: reply.text };
}

/** The form a command's reply carries, under a playground id of its own. */
export function commandForm(spec: FormSpec): PlaygroundForm {
  return playgroundForm(spec, `command.${Buffer.from(spec.id, 'utf8').toString('base64url')}`);
}

/** The core form id a command form's id carries, or undefined when it carries none. */
function commandFormId(id: string): string | undefined {
  const encoded = COMMAND_ID.exec(id)?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64url').toString('utf8');
  // Only the one spelling commandForm gives: anything else was not made here.
  return Buffer.from(decoded, 'utf8').toString('base64url') === encoded ? decoded : undefined;
}

/** A filled core form: the core's reply, its field errors, or its refusal; null for no such form. */
export async function submitCore(target: Target, id: string, values: unknown): Promise<SubmitResult | null> {
  const formId = commandFormId(id) ?? (await resolve(target, id))?.coreId;
  if (!formId) return null;
  const reply = await target.inbound.submitForm({
    channel: target.channel,
    actor: target.actor,
    formId,
    values: readValues(values),
  });
  if (reply.ok) return { reply: reply.text };
  // The form stays open with the message at each field; nothing was stored.
  if ('errors' in reply) return { errors: reply.errors };
  throw refusalError(reply);
}

function playgroundForm(spec: FormSpec, id: string): PlaygroundForm {
  return {
    id,
    title: spec.title,
    submit: spec.submit,
    fields: spec.fields.map((f) => ({
      id: f.id,
      label: f.label,
      kind: f.kind,
      required: f.required,
      ...(f.value !== undefined ? { value: f.value } : {}),
      ...(f.options ? { options: f.options } : {}),
      ...(f.maxLength ? { maxLength: f.maxLength } : {}),
    })),
  };
}

/**
 * The values as the core reads them. The form is not kept between the press and the submission (a
 * second press could apply a stance), so its fields are the core's to check: here only the shape.
 */
function readValues(values: unknown): Record<string, string> {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new HttpError(400, 'bad-request', '"values" must be an object of field ids to strings.');
  }
  const entries = Object.entries(values);
  if (entries.length > MAX_FIELDS)
    throw new HttpError(400, 'bad-request', `"values" has more than ${MAX_FIELDS} fields.`);
  for (const [key, value] of entries) {
    if (!FIELD_ID.test(key)) throw new HttpError(400, 'unknown-field', `No form has a field "${key}".`);
    if (typeof value !== 'string')
      throw new HttpError(400, 'bad-request', `"values.${key}" must be a string.`);
  }
  // Built anew, so a field named `__proto__` is a field like any other.
  return Object.fromEntries(entries) as Record<string, string>;
}
