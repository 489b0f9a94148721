import type { types } from '@slack/bolt';
import type { FormField, FormSpec } from '../../src/index.js';
import { CORE_FORM_CALLBACK, clip } from './blocks.js';
import type { CoreFormMeta } from './payloads.js';

/*
 * The core's forms (FormSpec) as Slack modals, and their values read back. Each field is one input
 * block named after the field (so `response_action: 'errors'` can point at it), holding one element
 * named `value`. Nothing is kept between opening and submitting: the form id and the channel ride in
 * `private_metadata`, and the core checks the submission as it checks any.
 */

/** Slack's limits for a modal: title and buttons 24 characters, metadata 3,000, a text input 3,000. */
const TITLE_LIMIT = 24;
const METADATA_LIMIT = 3_000;
const TEXT_LIMIT = 3_000;
const LABEL_LIMIT = 2_000;
const OPTIONS_LIMIT = 100;
const OPTION_TEXT_LIMIT = 75;
const OPTION_VALUE_LIMIT = 150;
const INPUT = 'value';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

type View = types.ModalView;
type InputElement = types.InputBlock['element'];

const plain = (text: string, limit: number): types.PlainTextElement => ({
  type: 'plain_text',
  text: clip(text, limit) || ' ',
  emoji: true,
});

/** The modal for `spec`, or undefined when its metadata would not fit (a form id far too long). */
export function formView(spec: FormSpec, meta: CoreFormMeta): View | undefined {
  const metadata = JSON.stringify(meta);
  if (metadata.length > METADATA_LIMIT) return undefined;
  return {
    type: 'modal',
    callback_id: CORE_FORM_CALLBACK,
    private_metadata: metadata,
    title: plain(spec.title, TITLE_LIMIT),
    submit: plain(spec.submit, TITLE_LIMIT),
    close: plain(spec.cancel, TITLE_LIMIT),
    blocks: spec.fields.map(
      (field): types.InputBlock => ({
        type: 'input',
        block_id: field.id,
        optional: !field.required,
        label: plain(field.label, LABEL_LIMIT),
        element: elementOf(field),
      }),
    ),
  };
}

function elementOf(field: FormField): InputElement {
  const value = field.value ?? '';
  const options = (field.options ?? []).slice(0, OPTIONS_LIMIT).map((o) => ({
    text: plain(o.label, OPTION_TEXT_LIMIT),
    value: o.value.slice(0, OPTION_VALUE_LIMIT),
  }));
  // A select with no option is refused by Slack: it is asked as text instead.
  if (field.kind === 'select' && options.length > 0) {
    const initial = options.find((o) => o.value === value);
    return {
      type: 'static_select',
      action_id: INPUT,
      options,
      ...(initial ? { initial_option: initial } : {}),
    };
  }
  if (field.kind === 'date') {
    return { type: 'datepicker', action_id: INPUT, ...(ISO_DATE.test(value) ? { initial_date: value } : {}) };
  }
  const maxLength = Math.min(field.maxLength ?? TEXT_LIMIT, TEXT_LIMIT);
  return {
    type: 'plain_text_input',
    action_id: INPUT,
    multiline: field.kind === 'long-text',
    max_length: maxLength,
    // Slack refuses an initial value longer than the input takes.
    ...(value ? { initial_value: [...value].slice(0, maxLength).join('') } : {}),
  };
}

/** One input as Slack sends it back (see coreSubmissionPayload). */
interface InputState {
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_date?: string | null;
}

/** The values of a submitted form by field id, an empty field as ''. */
export function formValues(state: Record<string, Record<string, InputState>>): Record<string, string> {
  const entries = Object.entries(state).map(([field, inputs]): [string, string] => {
    const input = inputs[INPUT];
    return [field, input?.value ?? input?.selected_option?.value ?? input?.selected_date ?? ''];
  });
  // Built anew, so a field named `__proto__` is a field like any other.
  return Object.fromEntries(entries);
}

/**
 * A refusal the member cannot fix in the form (the campaign ended, the statement was revised): the
 * modal turns into the message, with only its Close button.
 */
export function messageView(title: string, text: string): View {
  return {
    type: 'modal',
    title: plain(title, TITLE_LIMIT),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: clip(text, TEXT_LIMIT) || ' ' } }],
  };
}
