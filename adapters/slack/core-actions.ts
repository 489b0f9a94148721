import type { App } from '@slack/bolt';
import type { ChannelRef, FormSpec } from '../../src/index.js';
import { CORE_ACTION, CORE_FORM_CALLBACK, isCoreAction } from './blocks.js';
import type { WebClient } from './client.js';
import { formValues, formView, messageView } from './forms.js';
import { channelRef, jsonOrNull, type ListenerContext, within } from './listener-context.js';
import { coreClickPayload, coreFormMeta, coreSubmissionPayload, parsePayload } from './payloads.js';

/**
 * Slack wants a submission answered within 3 seconds: past this, the modal closes and the core's
 * answer follows as an ephemeral message.
 */
const SUBMIT_ACK_MS = 2_500;

/** Said when a form comes back without what routes it (forged, or from an older version). */
const UNROUTABLE =
  'This form can no longer be sent: open it again from its button. · Ce formulaire ne peut plus être envoyé\u00a0: rouvrez-le depuis son bouton.';

/**
 * Opens the core's form for the one who pressed or typed (the trigger id lives 3 seconds). False
 * when Slack would not open it, so the caller says why in words instead.
 */
export async function openCoreForm(
  ctx: ListenerContext,
  client: WebClient,
  triggerId: string,
  form: FormSpec,
  channel: ChannelRef,
): Promise<boolean> {
  const view = formView(form, { form: form.id, channel: channel.channel, team: channel.workspace });
  if (!view) {
    ctx.logger.warn({ form: form.id }, 'slack form not opened: its id does not fit the metadata');
    return false;
  }
  try {
    await client.views.open({ trigger_id: triggerId, view });
    return true;
  } catch (err) {
    ctx.logger.warn({ err: (err as Error).message, form: form.id }, 'slack form not opened');
    return false;
  }
}

/**
 * The core's buttons (shared statements, stances, actions, Ostrom) and the forms they open. A press is
 * acknowledged at once; the core's reply goes to the presser alone through the response URL, or its
 * form opens with the press's trigger id. A submission is answered in the modal itself: errors at
 * their fields, a refusal in place of the form; once accepted, the modal closes and the reply is
 * shown to the member in the channel (ephemeral).
 */
export function registerCoreActions(app: App, ctx: ListenerContext): void {
  const { core, actor, read } = ctx;

  app.action(
    { type: 'block_actions', action_id: CORE_ACTION },
    async ({ ack, body, client, respond, context }) => {
      await ack();
      const click = read(parsePayload(coreClickPayload, body), 'core button');
      const pressed = click?.actions.find((a) => isCoreAction(a.action_id));
      if (!click || !pressed) return;
      const team = click.team?.id || context.teamId || '';
      const channel = channelRef(team, click.channel.id);
      const reply = await core().press({
        channel,
        actor: await actor(client, team, click.user.id, click.user.name),
        buttonId: pressed.action_id,
      });
      if (reply.ok && reply.form && (await openCoreForm(ctx, client, click.trigger_id, reply.form, channel)))
        return;
      await respond({ response_type: 'ephemeral', replace_original: false, text: reply.text });
    },
  );

  app.view(CORE_FORM_CALLBACK, async ({ ack, body, client }) => {
    const submitted = read(parsePayload(coreSubmissionPayload, body), 'core form submission');
    const meta =
      submitted &&
      read(parsePayload(coreFormMeta, jsonOrNull(submitted.view.private_metadata)), 'form metadata');
    if (!submitted || !meta) {
      await ack({ response_action: 'update', view: messageView('Canevas', UNROUTABLE) });
      return;
    }
    const { view, user } = submitted;
    const team = meta.team || submitted.team?.id || '';
    const values = formValues(view.state.values);
    const work = (async () =>
      core().submitForm({
        channel: channelRef(team, meta.channel),
        actor: await actor(client, team, user.id, user.name),
        formId: meta.form,
        values,
      }))();
    const tell = (text: string) =>
      client.chat.postEphemeral({ channel: meta.channel, user: user.id, text }).then(
        () => undefined,
        (err: unknown) => ctx.logger.warn({ err: (err as Error).message }, 'slack ephemeral reply not shown'),
      );
    const reply = await within(work, SUBMIT_ACK_MS);
    if (!reply) {
      await ack();
      await tell((await work).text);
      return;
    }
    if (!reply.ok) {
      // Errors go at the fields the form has; a refusal about none of them replaces the form.
      const errors = 'errors' in reply ? fieldErrors(reply.errors, values) : {};
      await ack(
        Object.keys(errors).length > 0
          ? { response_action: 'errors', errors }
          : { response_action: 'update', view: messageView(view.title?.text ?? 'Canevas', reply.text) },
      );
      return;
    }
    await ack();
    await tell(reply.text);
  });
}

/** The core's field errors for the fields this form has (each field is a block named after it). */
function fieldErrors(errors: Record<string, string>, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).filter(([field]) => Object.hasOwn(values, field)));
}
