import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Actor, ChannelRef, EphemeralReply } from '../../src/index.js';
// Straight from its module: the index does not export how a core id reads.
import { appliesAtOnce, CORE_BUTTON_PREFIX } from '../../src/interactions/button-ids.js';
import { actorOf, campaignChannelOf, channelRef, type InboundDeps, NO_MENTIONS } from './context.js';
import { escapeDiscord } from './format.js';
import { modalOf, valuesOf } from './forms.js';
import { clip, MESSAGE_LIMIT } from './split.js';

/**
 * The core's own buttons (shared statements, stances, actions, Ostrom's principles) and the forms
 * they open. A core form's id is its button's, so the modal's custom id carries it back: nothing is
 * kept between a press and a submission.
 */

/** A core button or form: `cv|…` (the adapter's own start with `canevas_`). */
export const isCoreId = (id: string) => id.startsWith(`${CORE_BUTTON_PREFIX}|`);

/** Discord closes a modal when it is sent: a refused one is not kept, and says so in both languages. */
const NOTHING_SAVED = 'Nothing was saved. · Rien n’a été enregistré.';

const message = (text: string) => ({ content: clip(text, MESSAGE_LIMIT), allowedMentions: NO_MENTIONS });

type Where = { channel: ChannelRef; actor: Actor };

const whereOf = (
  deps: InboundDeps,
  i: ButtonInteraction<'cached' | 'raw'> | ModalSubmitInteraction<'cached' | 'raw'>,
): Where => ({ channel: channelRef(i.guildId, campaignChannelOf(i)), actor: actorOf(deps, i) });

/** A press on a core button: "thinking" then the reply for a consent; a modal, or the reply, for the rest. */
export async function onCorePress(deps: InboundDeps, i: ButtonInteraction<'cached' | 'raw'>): Promise<void> {
  const input = { ...whereOf(deps, i), buttonId: i.customId };
  if (appliesAtOnce(i.customId)) {
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const reply = await deps.inbound.press(input);
    await i.editReply(message(reply.text));
    return;
  }
  // A modal must be the interaction's first answer: nothing is deferred before the core says if one opens.
  await answerWith(deps, i, await deps.inbound.press(input));
}

/** A reply that may carry a form (a press, `/canevas statement`): the form as a modal, else the text, to the one who acted. */
export async function answerWith(
  deps: InboundDeps,
  i: ButtonInteraction<'cached' | 'raw'> | ChatInputCommandInteraction<'cached' | 'raw'>,
  reply: EphemeralReply,
): Promise<void> {
  const form = reply.ok ? reply.form : undefined;
  const modal = form && modalOf(form);
  if (modal) {
    await i.showModal(modal);
    return;
  }
  if (form) deps.logger.error({ form: form.id, fields: form.fields.length }, 'discord cannot show this form');
  await i.reply({ ...message(reply.text), flags: MessageFlags.Ephemeral });
}

/**
 * A filled core form. Discord cannot keep a modal open with its errors: a refused one is answered with
 * each field at fault, by its label, and nothing is stored; the member presses the button again.
 */
export async function onCoreModal(
  deps: InboundDeps,
  i: ModalSubmitInteraction<'cached' | 'raw'>,
): Promise<void> {
  // Applying it may wait its turn behind other changes: Discord hears "thinking" at once.
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const where = whereOf(deps, i);
  const reply = await deps.inbound.submitForm({ ...where, formId: i.customId, values: valuesOf(i) });
  if (!('errors' in reply)) {
    await i.editReply(message(reply.text));
    return;
  }
  const labels = await labelsOf(deps, where, i.customId);
  const lines = Object.entries(reply.errors).map(
    ([field, error]) => `• **${escapeDiscord(labels.get(field) ?? field)}**: ${error}`,
  );
  await i.editReply(message([...lines, '', NOTHING_SAVED].join('\n')));
}

/**
 * The labels of a form's fields, from the form the core gives for its button again (a press that opens
 * a form changes nothing); none for a button that applies at once.
 */
async function labelsOf(deps: InboundDeps, where: Where, formId: string): Promise<Map<string, string>> {
  if (appliesAtOnce(formId)) return new Map();
  const again = await deps.inbound.press({ ...where, buttonId: formId });
  return new Map((again.form?.fields ?? []).map((f) => [f.id, f.label]));
}
